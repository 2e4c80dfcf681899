#pragma once
// The NBI seen from acsctl: one HTTP request per call (acs/http_client.h), JSON in and out, and
// operator-readable errors for the usual failures.

#include <string>

#include "cwmp/base/json.h"
#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace acsctl {

struct ApiReply {
  int status = 0;
  std::string body;        // as received (printed by --json)
  cwmp::json::Value json;  // parsed body (null when empty)
};

class ApiClient {
 public:
  ApiClient(std::string base_url, cwmp::Secret token, int timeout_ms)
      : base_(std::move(base_url)), token_(std::move(token)), timeout_ms_(timeout_ms) {}
  // Sends the request. Statuses >= 400 become errors whose message is the API's "error" text
  // plus a hint (401: the token; 403: admin scope; 404: what was not found).
  cwmp::Result<ApiReply> Call(const std::string& method, const std::string& path,
                              const std::string& body = "") const;

 private:
  std::string base_;
  cwmp::Secret token_;
  int timeout_ms_;
};

}  // namespace acsctl
