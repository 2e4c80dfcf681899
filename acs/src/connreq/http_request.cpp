// HTTP connection request: GET, and on 401 one more GET answering the strongest challenge we
// support (Digest before Basic). Each GET is its own connection (the CPE's server may not keep
// connections alive), and both share one deadline.
#include <openssl/rand.h>

#include "acs/connection_request.h"
#include "acs/http_client.h"
#include "connreq/challenge.h"

namespace acs {
namespace {

using Clock = std::chrono::steady_clock;

std::string RandomHex(size_t bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

ConnectionRequestResult FromFailure(http::FetchFailure f, const cwmp::Status& st) {
  ConnectionRequestResult r;
  r.message = st.message();
  switch (f) {
    case http::FetchFailure::kBadUrl:
      r.outcome = ConnectionRequestOutcome::kBadAddress;
      break;
    case http::FetchFailure::kUnreachable:
      r.outcome = ConnectionRequestOutcome::kUnreachable;
      break;
    case http::FetchFailure::kTimeout:
      r.outcome = ConnectionRequestOutcome::kTimeout;
      break;
    case http::FetchFailure::kNone:
    case http::FetchFailure::kProtocol:
      r.outcome = ConnectionRequestOutcome::kHttpError;
      break;
  }
  return r;
}

ConnectionRequestResult FromStatus(int status, bool authenticated) {
  ConnectionRequestResult r;
  r.http_status = status;
  if (status == 200 || status == 204) {
    r.outcome = ConnectionRequestOutcome::kOk;
    r.message = "accepted (HTTP " + std::to_string(status) + ")";
  } else if (status == 401 || status == 403) {
    r.outcome = ConnectionRequestOutcome::kAuthFailed;
    r.message = authenticated
                    ? "the CPE rejected the credentials (HTTP " + std::to_string(status) + ")"
                    : "the CPE asks for authentication it did not offer a usable "
                      "challenge for (HTTP " +
                          std::to_string(status) + ")";
  } else {
    r.outcome = ConnectionRequestOutcome::kHttpError;
    r.message = "the CPE answered HTTP " + std::to_string(status);
  }
  return r;
}

}  // namespace

const char* ConnectionRequestOutcomeName(ConnectionRequestOutcome o) {
  switch (o) {
    case ConnectionRequestOutcome::kOk:
      return "ok";
    case ConnectionRequestOutcome::kSent:
      return "sent";
    case ConnectionRequestOutcome::kAuthFailed:
      return "auth_failed";
    case ConnectionRequestOutcome::kUnreachable:
      return "unreachable";
    case ConnectionRequestOutcome::kTimeout:
      return "timeout";
    case ConnectionRequestOutcome::kHttpError:
      return "http_error";
    case ConnectionRequestOutcome::kNoAddress:
      return "no_address";
    case ConnectionRequestOutcome::kBadAddress:
      return "bad_address";
    case ConnectionRequestOutcome::kNotFound:
      return "not_found";
  }
  return "unknown";
}

ConnectionRequestResult SendHttpConnectionRequest(const std::string& url,
                                                  const ConnectionRequestCredentials& cred,
                                                  std::chrono::milliseconds timeout) {
  auto parsed = http::ParseHttpUrl(url);
  if (!parsed.ok()) {
    return ConnectionRequestResult{ConnectionRequestOutcome::kBadAddress, 0, false,
                                   parsed.status().message()};
  }
  auto deadline = Clock::now() + timeout;
  auto left = [&] {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return ms.count() < 1 ? std::chrono::milliseconds(1) : ms;
  };
  http::ClientRequest req;
  req.url = url;
  req.timeout = left();
  req.max_body_bytes = 64 * 1024;
  http::FetchFailure failure;
  auto resp = http::Fetch(req, &failure);
  if (!resp.ok()) return FromFailure(failure, resp.status());
  if (resp->status != 401) return FromStatus(resp->status, false);

  const connreq::Challenge* digest = nullptr;
  const connreq::Challenge* basic = nullptr;
  std::vector<connreq::Challenge> all;
  for (const auto& value : resp->FindAll("WWW-Authenticate")) {
    auto parsed_ch = connreq::ParseChallenges(value);
    if (!parsed_ch.ok()) continue;
    for (auto& c : *parsed_ch) all.push_back(std::move(c));
  }
  std::string answer;
  for (const auto& c : all) {
    if (c.scheme != "digest") continue;
    auto a = connreq::AnswerDigest(c, "GET", parsed->target, cred.username, cred.password,
                                   RandomHex(16));
    if (a.ok()) {
      digest = &c;
      answer = *a;
      break;
    }
  }
  if (digest == nullptr) {
    for (const auto& c : all) {
      if (c.scheme == "basic") basic = &c;
    }
    if (basic == nullptr) return FromStatus(401, false);
    answer = connreq::AnswerBasic(cred.username, cred.password);
  }
  req.headers.push_back(http::Header{"Authorization", answer});
  req.timeout = left();
  resp = http::Fetch(req, &failure);
  if (!resp.ok()) return FromFailure(failure, resp.status());
  return FromStatus(resp->status, true);
}

}  // namespace acs
