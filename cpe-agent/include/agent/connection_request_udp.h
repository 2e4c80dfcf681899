#pragma once
// TR-069 Annex G UDP connection requests: one datagram holding an HTTP/1.1 GET of
// "http://host:port?ts=<unix seconds>&id=<message id>&un=<username>&cn=<cnonce>&sig=<hex>",
// where sig = HMAC-SHA1(ConnectionRequestPassword, ts‖id‖un‖cn) as 40 hex digits (either case).
// Invalid messages, bad signatures, a ts below the last accepted one and a repeated id are
// ignored (no reply). The same socket runs the STUN binding (stun.h), since the NAT mapping must
// be the one of the connection-request port.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "agent/cwmp_client_clock.h"
#include "agent/stun.h"
#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace agent {

struct UdpConnectionRequest {
  uint64_t ts = 0;
  std::string id;
  std::string username;
  std::string cnonce;
  std::string signature;  // as received (hex)
};

// Parses one datagram (at most 2048 bytes). Query values are %-decoded. kParseError when the
// request line, a required argument or the signature's form is wrong.
cwmp::Result<UdpConnectionRequest> ParseUdpConnectionRequest(std::string_view datagram);

// Lower-case hex HMAC-SHA1(key, data).
std::string HmacSha1Hex(std::string_view key, std::string_view data);

// Accepts or refuses parsed messages, remembering the last accepted ts and recent ids.
class UdpConnectionRequestValidator {
 public:
  UdpConnectionRequestValidator(std::string username, cwmp::Secret password)
      : username_(std::move(username)), password_(std::move(password)) {}
  // OK: a fresh, authentic request (state updated). kFailedPrecondition otherwise, naming why.
  cwmp::Status Accept(const UdpConnectionRequest& request);

 private:
  std::string username_;
  cwmp::Secret password_;
  std::optional<uint64_t> last_ts_;
  std::deque<std::string> recent_ids_;  // the last 64
};

struct UdpConnectionRequestOptions {
  std::string bind_address = "0.0.0.0";
  uint16_t port = 7547;   // 0: any free port (tests)
  std::string username;   // ConnectionRequestUsername
  cwmp::Secret password;  // ConnectionRequestPassword
  // STUN (STUNEnable): the server as "host-ip:port" (port default 3478); empty = off.
  std::string stun_server;
  StunBindingOptions stun;
};

// A self-contained server with its own thread (library use and tests). The agent runtime
// (agent/phone_host.h, agent/phone.h) does not use it: there the host's reactor serves the
// socket and the phone's strand runs the same StunBindingClient.
class UdpConnectionRequestServer {
 public:
  // Binds and starts the receive thread. `on_request` runs on it for each accepted request;
  // `on_binding` for each new STUN mapping ("ip:port", the UDPConnectionRequestAddress).
  static cwmp::Result<std::unique_ptr<UdpConnectionRequestServer>> Start(
      UdpConnectionRequestOptions options, const ClientClock& clock, std::function<void()> on_request,
      std::function<void(const std::string&)> on_binding = {});
  ~UdpConnectionRequestServer();

  uint16_t port() const { return port_; }
  // The local address as "ip:port" for `host` (UDPConnectionRequestAddress without STUN).
  std::string Address(std::string_view host) const;
  // The public mapping learnt through STUN, if any.
  std::optional<std::string> PublicAddress() const;
  uint64_t accepted() const;
  uint64_t rejected() const;
  void Stop();

 private:
  explicit UdpConnectionRequestServer(UdpConnectionRequestOptions options, const ClientClock& clock)
      : options_(std::move(options)),
        clock_(clock),
        validator_(options_.username, options_.password) {}
  void Loop();
  void HandleDatagram(std::string_view data, bool from_stun_server);

  UdpConnectionRequestOptions options_;
  const ClientClock& clock_;
  UdpConnectionRequestValidator validator_;
  std::function<void()> on_request_;
  std::function<void(const std::string&)> on_binding_;
  std::unique_ptr<StunBindingClient> stun_;
  std::string stun_ip_;
  uint16_t stun_port_ = 3478;
  int fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  uint16_t port_ = 0;
  mutable std::mutex mu_;
  std::optional<std::string> public_address_;
  uint64_t accepted_ = 0;
  uint64_t rejected_ = 0;
  std::thread thread_;
};

}  // namespace agent
