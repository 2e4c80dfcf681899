#pragma once
// TR-069 §3.2.2 HTTP connection requests: an HTTP GET to a random, unguessable path on the
// phone, authenticated with HTTP Digest (MD5, qop=auth) against ConnectionRequestUsername /
// ConnectionRequestPassword. Answers: 200 (accepted; the session starts after the answer), 401
// (challenge; also for a wrong password, which never starts a session), 503 without Retry-After
// (more than `max_requests` accepted in `window`), 404 (another path), 405 (not GET), 400.
//
// ConnectionRequestAuthenticator is the protocol logic (no sockets, injected clock);
// ConnectionRequestServer puts it on a POSIX TCP socket with its own thread.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "agent/cwmp_client_clock.h"
#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace agent {

struct ConnectionRequestOptions {
  std::string bind_address = "0.0.0.0";  // "127.0.0.1", "::", an interface address
  uint16_t port = 7547;                  // 0: any free port (tests)
  std::string path;                      // empty: a random 32-hex-digit path
  std::string username;                  // ConnectionRequestUsername
  cwmp::Secret password;                 // ConnectionRequestPassword
  std::string realm = "cpe-agent";
  std::chrono::seconds nonce_lifetime{60};
  uint32_t max_requests = 5;  // accepted requests per window before 503
  std::chrono::seconds window{60};
  std::chrono::milliseconds read_timeout{2000};
  size_t max_request_bytes = 8192;
};

// A parsed HTTP request head.
struct HttpRequestHead {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> Header(std::string_view name) const;
};

// Parses "GET /path HTTP/1.1\r\nName: value\r\n...\r\n\r\n" (the terminating blank line may be
// absent). kParseError for anything else; kLimitExceeded over 8 KiB or 64 headers.
cwmp::Result<HttpRequestHead> ParseHttpRequestHead(std::string_view text);

// The parameters of a "Digest k=v, k="v"" header; nullopt if it is not a Digest header.
std::optional<std::map<std::string, std::string>> ParseDigestHeader(std::string_view value);

// Lower-case hex MD5 (for HTTP Digest).
std::string Md5Hex(std::string_view data);

struct ConnectionRequestReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  bool trigger = false;  // start a "6 CONNECTION REQUEST" session after answering
};

namespace internal {
class DigestAuth;
}

class ConnectionRequestAuthenticator {
 public:
  // `path` must start with '/'. `random_hex` gives nonces (32 hex digits).
  ConnectionRequestAuthenticator(const ConnectionRequestOptions& options, std::string path,
                                 const ClientClock& clock, std::function<std::string()> random_hex);
  ~ConnectionRequestAuthenticator();

  ConnectionRequestReply Handle(const HttpRequestHead& request);

 private:
  ConnectionRequestReply Challenge(bool stale);
  bool RateLimited();

  const ConnectionRequestOptions& options_;
  std::string path_;
  const ClientClock& clock_;
  // The phone's one Digest server (cpe-agent/src/common/digest_server.h): MD5, qop=auth only,
  // nonces kept for options.nonce_lifetime, at most 64 outstanding, nonce-counts must grow.
  std::unique_ptr<internal::DigestAuth> digest_;
  std::deque<ClientClock::TimePoint> accepted_;
};

// 32 lower-case hex digits from the OpenSSL DRBG.
std::string RandomHex128();

class ConnectionRequestServer {
 public:
  // Binds and starts the listener thread; `on_request` runs on that thread after a 200 was sent
  // (wire it to CwmpClient::Trigger(kConnectionRequest)). `clock` must outlive the server.
  static cwmp::Result<std::unique_ptr<ConnectionRequestServer>> Start(
      ConnectionRequestOptions options, const ClientClock& clock, std::function<void()> on_request);
  ~ConnectionRequestServer();

  uint16_t port() const { return port_; }
  const std::string& path() const { return path_; }
  // The ConnectionRequestURL for `host` (an IPv6 literal is bracketed): http://host:port/path.
  std::string Url(std::string_view host) const;
  void Stop();

 private:
  ConnectionRequestServer(ConnectionRequestOptions options, const ClientClock& clock,
                          std::function<void()> on_request);
  void Loop();
  void Serve(int fd);

  ConnectionRequestOptions options_;
  std::string path_;
  std::function<void()> on_request_;
  std::unique_ptr<ConnectionRequestAuthenticator> auth_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace agent
