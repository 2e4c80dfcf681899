#pragma once
// A small blocking HTTP/1.1 client on plain POSIX sockets (no TLS, no libcurl), shared by the
// connection-request sender and acsctl. One request per TCP connection ("Connection: close").
//
// Limits: the whole exchange (resolve, connect, send, receive) must finish within `timeout`;
// a response head over 16 KiB or a body over `max_body_bytes` is an error. Bodies may be
// Content-Length delimited, chunked, or delimited by the server closing the connection.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "acs/http_request.h"
#include "cwmp/base/status.h"

namespace acs::http {

// An http:// URL split into its parts. IPv6 literals are given in brackets and stored without.
struct HttpUrl {
  std::string host;
  uint16_t port = 80;
  std::string target = "/";  // path and query, as sent on the request line
};

// Parses "http://host[:port][/path][?query]". kInvalidArgument (naming the URL and the reason)
// for another scheme, user info, an empty host or a bad port.
cwmp::Result<HttpUrl> ParseHttpUrl(std::string_view url);

struct ClientRequest {
  std::string method = "GET";
  std::string url;              // http://...
  std::vector<Header> headers;  // Host, Content-Length and Connection are added
  std::string body;
  std::chrono::milliseconds timeout{10'000};
  size_t max_body_bytes = 16 * 1024 * 1024;
};

struct ClientResponse {
  int status = 0;
  std::vector<Header> headers;
  std::string body;
  // The first header with this name (case-insensitive), or nullptr.
  const std::string* Find(std::string_view name) const;
  // Every header with this name (WWW-Authenticate may come several times).
  std::vector<std::string> FindAll(std::string_view name) const;
};

// Why Fetch failed, for callers that report outcomes (connection requests, acsctl).
enum class FetchFailure {
  kNone,
  kBadUrl,       // ParseHttpUrl refused the URL
  kUnreachable,  // name resolution or connect failed (refused, no route)
  kTimeout,      // `timeout` passed before the response was complete
  kProtocol,     // the peer closed early or sent something that is not HTTP/1.x
};

// Sends the request and reads the whole response. On error the Status names the host and port
// and the reason; `failure` (if given) receives its kind.
cwmp::Result<ClientResponse> Fetch(const ClientRequest& request, FetchFailure* failure = nullptr);

// Percent-encodes everything except RFC 3986 unreserved characters (for path segments and
// query values).
std::string PercentEncode(std::string_view text);
// Decodes %XX escapes (and '+' as space when `plus_is_space`); kParseError for a bad escape.
cwmp::Result<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);

}  // namespace acs::http
