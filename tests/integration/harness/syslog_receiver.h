#pragma once
// An in-process UDP syslog receiver on 127.0.0.1 (free port): a thread collects every datagram
// so tests can assert on the exact messages a device sent.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cwmp_test {

struct SyslogMessage {
  int priority = -1;  // the <PRI> value, -1 if the datagram had none
  std::string text;   // what follows <PRI>
  std::string raw;    // the whole datagram
};

class SyslogReceiver {
 public:
  // Binds 127.0.0.1:0 and starts the thread; nullptr + *error on failure.
  static std::unique_ptr<SyslogReceiver> Start(std::string* error);
  ~SyslogReceiver();
  SyslogReceiver(const SyslogReceiver&) = delete;
  SyslogReceiver& operator=(const SyslogReceiver&) = delete;

  uint16_t port() const { return port_; }
  // "127.0.0.1:<port>" as a Syslog_Server value.
  std::string address() const;

  // Waits until at least `count` messages have arrived or `timeout` passes; returns every
  // message received so far (in arrival order).
  std::vector<SyslogMessage> WaitFor(size_t count, std::chrono::milliseconds timeout);
  // The messages received so far.
  std::vector<SyslogMessage> Messages();

 private:
  SyslogReceiver() = default;
  void Run();

  int fd_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<SyslogMessage> messages_;
};

}  // namespace cwmp_test
