#pragma once
// A real TFTP server (tftpd-hpa's in.tftpd) started as a child for one test:
//   in.tftpd --foreground --listen --address 127.0.0.1:PORT --secure [--user U] ROOT
// ROOT is root_dir() under the caller's work directory; files are readable by everyone so the
// server can read them after dropping privileges. The destructor stops and reaps the server.

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

namespace cwmp_test {

class TftpInstance {
 public:
  // Starts the server and waits until it answers a read request. nullptr + *error on failure.
  static std::unique_ptr<TftpInstance> Start(const std::string& work_dir, std::string* error);
  ~TftpInstance();
  TftpInstance(const TftpInstance&) = delete;
  TftpInstance& operator=(const TftpInstance&) = delete;

  void Stop();
  uint16_t port() const { return port_; }
  std::string root_dir() const { return work_dir_ + "/tftproot"; }
  // "127.0.0.1:<port>" (what DHCP option 66 would name, with the test's port).
  std::string server() const;
  // "tftp://127.0.0.1:<port><path>"
  std::string Url(const std::string& path) const;
  // Writes root_dir()/name (mode 0644; subdirectories are created).
  bool PutFile(const std::string& name, const std::string& content) const;

 private:
  TftpInstance() = default;
  std::string work_dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace cwmp_test
