#pragma once
// HttpServer: the ACS's HTTP/1.1 listener (plain TCP or TLS). One thread per connection (from
// a pool: idle threads wait in accept() themselves, so the kernel hands a connection straight
// to one of them; a thread serves connections one after the other and ends after 10 s without
// one, one always waits), at most `max_connections` connections: beyond that a new connection
// gets "503 Service Unavailable" with Retry-After and is closed (over TLS: after the handshake,
// see ServerOptions::tls). Handlers may block (database).
//
// Per connection: requests are parsed with RequestParser (limits → 400/413/417/431/501/505 and
// close), "100 Continue" is sent when asked, keep-alive is honoured, pipelined requests are
// answered in order. Timeouts: `head_timeout` for a request's head from its first byte (slow
// clients get 408), `read_timeout` between body bytes (408), `idle_timeout` between requests on
// a kept-alive connection (closed silently), `write_timeout` per send.
//
// Stop() is graceful: it stops accepting, closes idle connections, lets requests in progress
// finish (answered with Connection: close) and joins every thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "acs/http_request.h"
#include "acs/tls.h"
#include "cwmp/base/status.h"

namespace acs::http {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";  // IPv4 or IPv6 literal
  uint16_t port = 0;                       // 0: the kernel picks (see HttpServer::port())
  Limits limits;
  size_t max_connections = 256;
  int retry_after_seconds = 5;
  std::chrono::milliseconds head_timeout{10'000};
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  // Set: every connection speaks TLS (the handshake must finish within head_timeout;
  // ConnectionInfo::tls and client_subject tell the handler). A connection refused for
  // capacity is then handshaken by a short-lived thread of its own and answered 503 with
  // Retry-After too (without reading its request); at most `max_busy_handshakes` such refusals
  // run at once, each bounded by `busy_handshake_timeout` — beyond that, the connection is
  // closed without a response.
  std::shared_ptr<tls::ServerContext> tls;
  size_t max_busy_handshakes = 16;
  std::chrono::milliseconds busy_handshake_timeout{2'000};
};

struct ConnectionInfo {
  std::string peer_address;  // "127.0.0.1" or "::1"
  uint16_t peer_port = 0;
  uint64_t connection_id = 0;  // unique per server, counts up from 1
  int request_index = 0;       // 0 for the first request on the connection
  bool tls = false;            // the connection is TLS
  // Subject of the client certificate the TLS handshake verified ("" = none), e.g.
  // "CN=000E08-CP6861-ABC123,O=Example".
  std::string client_subject;
};

using Handler = std::function<Response(const Request&, const ConnectionInfo&)>;

class HttpServer {
 public:
  // Binds and starts accepting. kIoError when the address can't be bound.
  static cwmp::Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& options,
                                                         Handler handler);
  virtual ~HttpServer() = default;
  // The bound port.
  virtual uint16_t port() const = 0;
  // Open connections right now.
  virtual size_t active_connections() const = 0;
  // Graceful stop (see above); idempotent; the destructor calls it.
  virtual void Stop() = 0;
};

}  // namespace acs::http
