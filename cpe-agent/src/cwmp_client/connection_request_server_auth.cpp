// The protocol side of HTTP connection requests: request parsing, Digest (RFC 7616 with MD5 and
// qop=auth, the form TR-069 ACSs send, through the phone's one Digest server in
// common/digest_server.h), rate limiting.

#include <algorithm>
#include <cctype>

#include "agent/connection_request.h"
#include "common/digest_server.h"
#include "common/text.h"
#include "cwmp/content/hash.h"
#include "cwmp/content/random.h"

namespace agent {
namespace {
using text::Lower;
}  // namespace

std::optional<std::string> HttpRequestHead::Header(std::string_view name) const {
  std::string lname = Lower(name);
  for (const auto& [n, v] : headers) {
    if (Lower(n) == lname) return v;
  }
  return std::nullopt;
}

cwmp::Result<HttpRequestHead> ParseHttpRequestHead(std::string_view text) {
  if (text.size() > 8192) return cwmp::LimitExceeded("HTTP request head over 8192 bytes");
  if (size_t end = text.find("\r\n\r\n"); end != std::string_view::npos) text = text.substr(0, end);
  HttpRequestHead head;
  size_t eol = text.find("\r\n");
  std::string_view line = text.substr(0, eol);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1 ||
      line.substr(sp2 + 1).rfind("HTTP/1.", 0) != 0) {
    return cwmp::ParseError("not an HTTP/1.x request line");
  }
  head.method = std::string(line.substr(0, sp1));
  head.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  if (head.method.empty() || head.target.empty() ||
      head.target.find_first_of(" \t") != std::string::npos) {
    return cwmp::ParseError("malformed HTTP request line");
  }
  size_t pos = eol == std::string_view::npos ? text.size() : eol + 2;
  while (pos < text.size()) {
    size_t e = text.find("\r\n", pos);
    if (e == std::string_view::npos) e = text.size();
    std::string_view h = text.substr(pos, e - pos);
    pos = e + 2;
    if (h.empty()) break;
    size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return cwmp::ParseError("malformed HTTP header line");
    }
    if (head.headers.size() >= 64) return cwmp::LimitExceeded("more than 64 HTTP headers");
    head.headers.emplace_back(std::string(text::TrimBlanks(h.substr(0, colon))),
                              std::string(text::TrimBlanks(h.substr(colon + 1))));
  }
  return head;
}

std::optional<std::map<std::string, std::string>> ParseDigestHeader(std::string_view v) {
  v = text::TrimBlanks(v);
  if (v.size() < 7 || Lower(v.substr(0, 7)) != "digest ") return std::nullopt;
  v.remove_prefix(7);
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == ',' || v[i] == '\t')) ++i;
    if (i >= v.size()) break;
    size_t eq = v.find('=', i);
    if (eq == std::string_view::npos) return std::nullopt;
    std::string key = Lower(text::TrimBlanks(v.substr(i, eq - i)));
    std::string value;
    i = eq + 1;
    if (i < v.size() && v[i] == '"') {
      ++i;
      while (i < v.size() && v[i] != '"') {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        value += v[i++];
      }
      if (i >= v.size()) return std::nullopt;  // unterminated quote
      ++i;
    } else {
      size_t end = v.find(',', i);
      if (end == std::string_view::npos) end = v.size();
      value = std::string(text::TrimBlanks(v.substr(i, end - i)));
      i = end;
    }
    out[key] = value;
  }
  return out;
}

std::string Md5Hex(std::string_view data) {
  return cwmp::content::HexLower(cwmp::content::Md5(data));
}

std::string RandomHex128() {
  unsigned char b[16];
  if (!cwmp::content::SystemRandomBytes(b, sizeof(b)).ok()) std::abort();  // no entropy: unsafe
  return cwmp::content::HexLower(std::string_view(reinterpret_cast<const char*>(b), sizeof(b)));
}

ConnectionRequestAuthenticator::ConnectionRequestAuthenticator(
    const ConnectionRequestOptions& options, std::string path, const ClientClock& clock,
    std::function<std::string()> random_hex)
    : options_(options),
      path_(std::move(path)),
      clock_(clock),
      digest_(std::make_unique<internal::DigestAuth>(
          internal::DigestAuth::Options{.realm = options.realm,
                                        .lifetime = options.nonce_lifetime,
                                        .max_nonces = 64,
                                        .single_use = false,
                                        .require_qop = true,
                                        .uri_path_only = true},
          std::move(random_hex))) {}

ConnectionRequestAuthenticator::~ConnectionRequestAuthenticator() = default;

ConnectionRequestReply ConnectionRequestAuthenticator::Challenge(bool stale) {
  return ConnectionRequestReply{
      401, {{"WWW-Authenticate", digest_->Challenge(clock_.Now(), stale)}}, false};
}

bool ConnectionRequestAuthenticator::RateLimited() {
  auto now = clock_.Now();
  while (!accepted_.empty() && now - accepted_.front() >= options_.window) accepted_.pop_front();
  if (accepted_.size() >= options_.max_requests) return true;
  accepted_.push_back(now);
  return false;
}

ConnectionRequestReply ConnectionRequestAuthenticator::Handle(const HttpRequestHead& request) {
  if (text::RequestPath(request.target) != path_) return {404, {}, false};
  if (request.method != "GET") return {405, {{"Allow", "GET"}}, false};
  auto auth = request.Header("Authorization");
  if (!auth) return Challenge(false);
  // Only ConnectionRequestUsername, and none while it is empty.
  auto password_of = [this](std::string_view user) -> const cwmp::Secret* {
    return !options_.username.empty() && user == options_.username ? &options_.password
                                                                    : nullptr;
  };
  auto outcome = digest_->Verify(*auth, request.method, request.target, password_of, clock_.Now());
  switch (outcome.verdict) {
    case internal::DigestAuth::Verdict::kOk:
      if (RateLimited()) return {503, {}, false};  // no Retry-After (§3.2.2)
      return {200, {}, true};
    case internal::DigestAuth::Verdict::kStale:
      return Challenge(true);
    default:  // not Digest, unknown nonce, wrong credentials, a replayed Authorization
      return Challenge(false);
  }
}

}  // namespace agent
