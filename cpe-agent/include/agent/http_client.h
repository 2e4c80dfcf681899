#pragma once
// The agent's HTTP(S) client towards the ACS, behind an interface so the session engine never
// sees libcurl. One HttpSession is one CWMP session: it keeps one connection alive across its
// POSTs (keep-alive), keeps every cookie the ACS sets (session affinity) and answers HTTP
// authentication challenges (Digest; Basic only over TLS unless explicitly allowed).
// Transport failures come back as cwmp::Status (kIoError for network/TLS trouble,
// kLimitExceeded for an oversized response, kInvalidArgument for bad options).

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace agent {

struct HttpClientOptions {
  // ManagementServer.Username / Password. An empty username means no authentication.
  std::string username;
  cwmp::Secret password;
  // Basic authentication is offered only over https:// unless this is set (TR-069 §3.4.4).
  bool allow_basic_without_tls = false;
  // Server certificate verification (peer and host name) is on unless this is false.
  bool verify_server = true;
  // PEM file with extra trusted CAs (the phone's custom CA), added to the system CAs.
  std::string extra_ca_file;
  // Optional client certificate and private key (PEM).
  std::string client_cert_file;
  std::string client_key_file;
  std::chrono::milliseconds connect_timeout{10000};
  // Per-request timeout when the request does not carry its own.
  std::chrono::milliseconds request_timeout{30000};
  size_t max_response_bytes = 4 * 1024 * 1024;
  std::string user_agent = "cpe-agent";
};

struct HttpRequest {
  std::string url;
  std::string body;  // empty body = empty POST (Content-Length: 0)
  // Extra headers in order. A header with an empty value is sent as "Name:" (no value).
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::chrono::milliseconds> timeout;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response
  std::string body;
  // The URL that answered: differs from the request's after an HTTP redirect (301/302/307/308,
  // at most 5, the POST and its body kept).
  std::string effective_url;
  // The first header named `name` (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const;
};

class HttpSession {
 public:
  virtual ~HttpSession() = default;
  // POSTs `request`; redirects are followed (credentials are not sent to another host); a 401
  // is retried with credentials by the implementation, so a 401 returned
  // here means the credentials were refused.
  virtual cwmp::Result<HttpResponse> Post(const HttpRequest& request) = 0;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // A fresh session: no cookies, no connection.
  virtual cwmp::Result<std::unique_ptr<HttpSession>> StartSession() = 0;
};

// The libcurl implementation (cpe-agent/src/cwmp_client/http_client_curl.cpp). Sessions keep a
// reference to the client's options: destroy them before the client.
std::unique_ptr<HttpClient> MakeCurlHttpClient(HttpClientOptions options);

}  // namespace agent
