#include "api_client.h"

#include "acs/http_client.h"

namespace acsctl {

cwmp::Result<ApiReply> ApiClient::Call(const std::string& method, const std::string& path,
                                       const std::string& body) const {
  acs::http::ClientRequest req;
  req.method = method;
  std::string base = base_;
  while (!base.empty() && base.back() == '/') base.pop_back();
  req.url = base + path;
  req.timeout = std::chrono::milliseconds(timeout_ms_);
  req.headers.push_back({"Authorization", "Bearer " + token_.Reveal()});
  req.headers.push_back({"Accept", "application/json"});
  if (!body.empty()) req.headers.push_back({"Content-Type", "application/json"});
  req.body = body;
  acs::http::FetchFailure failure;
  auto resp = acs::http::Fetch(req, &failure);
  if (!resp.ok()) {
    if (failure == acs::http::FetchFailure::kBadUrl) {
      return cwmp::InvalidArgument("--url: " + resp.status().message());
    }
    return cwmp::IoError("cannot reach the ACS at " + base + ": " + resp.status().message() +
                         " (is `acsd serve` running? see --url)");
  }
  ApiReply r;
  r.status = resp->status;
  r.body = resp->body;
  if (!r.body.empty()) {
    auto v = cwmp::json::Parse(
        r.body, cwmp::json::JsonLimits{64 * 1024 * 1024, 64, 16 * 1024 * 1024, 10'000'000});
    if (v.ok()) r.json = *v;
  }
  if (r.status < 400) return r;
  std::string msg;
  if (const auto* e = r.json.Find("error"); e != nullptr && e->is_string()) msg = e->as_string();
  if (msg.empty()) msg = "HTTP " + std::to_string(r.status);
  switch (r.status) {
    case 401:
      return cwmp::FailedPrecondition("the ACS rejected the API token (401: " + msg +
                                      "); pass --token, --token-file or set ACSCTL_TOKEN");
    case 403:
      return cwmp::FailedPrecondition("not allowed (403: " + msg + ")");
    case 404:
      return cwmp::NotFound(msg);
    default:
      return cwmp::FailedPrecondition("the ACS answered " + std::to_string(r.status) + ": " + msg);
  }
}

}  // namespace acsctl
