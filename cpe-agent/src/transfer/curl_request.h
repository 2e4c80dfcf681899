#pragma once
// One libcurl request to one pinned address: the building block that transfer.cpp's policy
// loop (addresses, redirects, authentication retries) calls. libcurl stays inside this module
// (and the network worker, which performs the same requests in a child process).

#include <cstddef>
#include <map>
#include <string>

#include "agent/transfer.h"

namespace agent::transfer_internal {

enum class Credentials { kNone, kServer, kProxy };

struct Request {
  std::string url;   // scheme://host:port/path as the server should see it
  std::string host;  // host name to pin (empty: the URL holds an address literal)
  int port = 0;
  std::string address;  // the IPv4 address to connect to
  std::string method;   // "GET", "POST", "PUT"
  std::string body;     // for POST/PUT
  bool send_body = false;
  Credentials credentials = Credentials::kNone;
  bool digest = false;  // server credentials with Digest instead of Basic
  // The custom CA (PEM) trusted in addition to the system CAs for https (empty: none).
  std::string custom_ca_pem;
};

struct Response {
  // True when no connection could be made to `address` (refused, unreachable, connect
  // timeout): the caller tries the next address.
  bool connect_failed = false;
  bool ok_transport = false;  // the transfer completed (any HTTP status)
  bool tftp_not_found = false;
  long http_status = 0;
  std::string status_line;                     // "HTTP/1.1 500 Internal Server Error"
  std::map<std::string, std::string> headers;  // lower-case names
  std::string redirect_url;
  std::string body;
  std::string error;  // transport failure reason (when !ok_transport)
};

// Performs `request` with libcurl in this process. `options.ca_store` is not used (the custom
// CA travels in request.custom_ca_pem), so the request can be performed by another process.
Response PerformWithCurl(const Request& request, const FetchOptions& options);

// Performs `request` where this process's network requests run: in the network worker process
// when it is enabled (network_worker.h), else PerformWithCurl here.
Response Perform(const Request& request, const FetchOptions& options);

}  // namespace agent::transfer_internal
