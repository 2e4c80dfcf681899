#pragma once
// A real STUN server for the tests: coturn's `turnserver --stun-only` (Debian package coturn,
// installed by scripts/install-deps.sh) as a child process on a free 127.0.0.1 UDP port. Ready()
// once it answered a Binding Request; the destructor stops it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "agent/stun.h"
#include "loopback_port.h"

namespace agent_test {

inline constexpr const char* kTurnserver = "/usr/bin/turnserver";

class CoturnInstance {
 public:
  // `dir`: a writable directory for its database and log.
  explicit CoturnInstance(const std::string& dir)
      : port_(cwmp_test::FreeLoopbackPort(SOCK_DGRAM)), log_(dir + "/turnserver.log") {
    std::string port = std::to_string(port_), db = dir + "/turndb", pid = dir + "/turn.pid";
    pid_ = fork();
    if (pid_ == 0) {
      execl(kTurnserver, "turnserver", "-n", "--stun-only", "-L", "127.0.0.1", "-p", port.c_str(),
            "--no-cli", "--no-tls", "--no-dtls", "--no-tcp", "--userdb", db.c_str(), "--pidfile",
            pid.c_str(), "--log-file", log_.c_str(), "--simple-log", "--no-stdout-log",
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~CoturnInstance() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  uint16_t port() const { return port_; }
  const std::string& log() const { return log_; }

  // True once a Binding Request got a Binding Response (tries for `timeout`).
  bool Ready(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) const {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port_);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    auto id = agent::RandomStunTransactionId();
    std::string request = agent::EncodeStunBindingRequest(id, {});
    bool ok = false;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ok && std::chrono::steady_clock::now() < deadline) {
      sendto(fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 100) == 1) {
        char buf[2048];
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        auto m = agent::DecodeStunMessage(std::string_view(buf, n > 0 ? size_t(n) : 0));
        ok = m.ok() && m->type == agent::kStunBindingResponse && m->transaction_id == id;
      }
    }
    close(fd);
    return ok;
  }

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string log_;
};

}  // namespace agent_test
