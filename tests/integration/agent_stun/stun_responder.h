#pragma once
// A small STUN server for the runtime tests, on a real UDP socket on 127.0.0.1: it records
// every Binding Request (decoded, with its source address and arrival time) and answers with
// a configurable mapped address. Optional: require MESSAGE-INTEGRITY (401 until a request
// carries a valid one for the configured password), drop the first N requests (loss). The
// STUN server is not our product; its codec is the agent's own (agent/stun.h), checked against
// the RFC 5769 vectors in tests/unit/agent_client/stun_test.cpp.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/stun.h"
#include "cwmp/base/secret.h"

namespace agent_test {

struct SeenStunRequest {
  agent::StunMessage message;
  bool integrity_valid = false;  // MESSAGE-INTEGRITY present and correct for the password
  std::string source_ip;
  uint16_t source_port = 0;
  std::chrono::steady_clock::time_point at;
};

class StunResponder {
 public:
  StunResponder() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    socklen_t len = sizeof(a);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~StunResponder() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  uint16_t port() const { return port_; }

  // The address put in answers; nullopt (default): the request's source address.
  void SetMapped(std::optional<agent::StunAddress> mapped) {
    std::lock_guard lock(mu_);
    mapped_ = std::move(mapped);
  }
  // Answer 401 to requests without a valid MESSAGE-INTEGRITY for `password`.
  void RequireIntegrity(std::string password) {
    std::lock_guard lock(mu_);
    password_ = cwmp::Secret(std::move(password));
  }
  void DropNext(int n) {
    std::lock_guard lock(mu_);
    drop_ = n;
  }
  std::vector<SeenStunRequest> requests() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  size_t count() const {
    std::lock_guard lock(mu_);
    return seen_.size();
  }
  // Sends `datagram` from the server's socket to ip:port (an Annex G request to a phone).
  void SendTo(const std::string& ip, uint16_t port, const std::string& datagram) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    inet_pton(AF_INET, ip.c_str(), &to.sin_addr);
    sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  }
  template <typename Pred>
  bool WaitFor(Pred pred, std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred(requests())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred(requests());
  }

 private:
  static std::string ErrorResponse401(const agent::StunTransactionId& id) {
    std::string m;
    auto put16 = [&](uint16_t v) {
      m += static_cast<char>(v >> 8);
      m += static_cast<char>(v & 0xff);
    };
    put16(agent::kStunBindingErrorResponse);
    put16(4 + 4 + 12);  // one ERROR-CODE attribute: 4 header + 4 code + "Unauthorized"
    put16(static_cast<uint16_t>(agent::kStunMagicCookie >> 16));
    put16(static_cast<uint16_t>(agent::kStunMagicCookie & 0xffff));
    m.append(reinterpret_cast<const char*>(id.data()), id.size());
    put16(agent::kStunAttrErrorCode);
    put16(4 + 12);
    m += std::string("\0\0\x04\x01", 4);  // class 4, number 1
    m += "Unauthorized";
    return m;
  }

  void Loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char buf[2048];
      sockaddr_in from{};
      socklen_t len = sizeof(from);
      ssize_t n = recvfrom(fd_, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n <= 0) continue;
      std::string_view d(buf, static_cast<size_t>(n));
      auto m = agent::DecodeStunMessage(d);
      if (!m.ok() || m->type != agent::kStunBindingRequest) continue;
      SeenStunRequest seen;
      seen.message = *m;
      char ip[INET_ADDRSTRLEN] = {0};
      inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip));
      seen.source_ip = ip;
      seen.source_port = ntohs(from.sin_port);
      seen.at = std::chrono::steady_clock::now();
      std::string answer;
      {
        std::lock_guard lock(mu_);
        seen.integrity_valid =
            m->message_integrity && password_ && agent::VerifyStunIntegrity(d, *password_);
        seen_.push_back(seen);
        if (drop_ > 0) {
          --drop_;
          continue;
        }
        if (password_ && !seen.integrity_valid) {
          answer = ErrorResponse401(m->transaction_id);
        } else {
          agent::StunAddress mapped =
              mapped_ ? *mapped_ : agent::StunAddress{seen.source_ip, seen.source_port};
          answer = agent::EncodeStunBindingResponse(m->transaction_id, mapped, false);
        }
      }
      sendto(fd_, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::optional<agent::StunAddress> mapped_;
  std::optional<cwmp::Secret> password_;
  int drop_ = 0;
  std::vector<SeenStunRequest> seen_;
  std::thread thread_;
};

}  // namespace agent_test
