// The protocol side of HTTP connection requests: request parsing, Digest (RFC 7616 with MD5 and
// qop=auth, the form TR-069 ACSs send), nonce expiry and replay, rate limiting.
#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>

#include "agent/connection_request.h"
#include "cwmp/content/hash.h"
#include "cwmp/content/random.h"
#include "common/text.h"

namespace agent {
namespace {
using text::Lower;



std::string Hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view PathOf(std::string_view target) {
  // An absolute-form target ("http://host:port/path?x") is reduced to its path.
  if (target.rfind("http://", 0) == 0) {
    size_t slash = target.find('/', 7);
    target = slash == std::string_view::npos ? "/" : target.substr(slash);
  }
  return target.substr(0, target.find('?'));
}

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
  return Hex(b, sizeof(b));
}

ConnectionRequestAuthenticator::ConnectionRequestAuthenticator(
    const ConnectionRequestOptions& options, std::string path, const ClientClock& clock,
    std::function<std::string()> random_hex)
    : options_(options),
      path_(std::move(path)),
      clock_(clock),
      random_hex_(std::move(random_hex)) {}

ConnectionRequestReply ConnectionRequestAuthenticator::Challenge(bool stale) {
  // Forget expired nonces, and the oldest when too many are outstanding.
  auto now = clock_.Now();
  for (auto it = nonces_.begin(); it != nonces_.end();) {
    it = now - it->second.issued > options_.nonce_lifetime ? nonces_.erase(it) : std::next(it);
  }
  while (nonces_.size() >= 64) {
    nonces_.erase(std::min_element(
        nonces_.begin(), nonces_.end(),
        [](const auto& a, const auto& b) { return a.second.issued < b.second.issued; }));
  }
  std::string nonce = random_hex_();
  nonces_[nonce] = NonceState{now, 0};
  std::string value = "Digest realm=\"" + options_.realm + "\", qop=\"auth\", nonce=\"" + nonce +
                      "\", opaque=\"" + Md5Hex(options_.realm).substr(0, 16) + "\", algorithm=MD5";
  if (stale) value += ", stale=true";
  return ConnectionRequestReply{401, {{"WWW-Authenticate", value}}, false};
}

bool ConnectionRequestAuthenticator::RateLimited() {
  auto now = clock_.Now();
  while (!accepted_.empty() && now - accepted_.front() >= options_.window) accepted_.pop_front();
  if (accepted_.size() >= options_.max_requests) return true;
  accepted_.push_back(now);
  return false;
}

ConnectionRequestReply ConnectionRequestAuthenticator::Handle(const HttpRequestHead& request) {
  if (PathOf(request.target) != path_) return {404, {}, false};
  if (request.method != "GET") return {405, {{"Allow", "GET"}}, false};
  auto auth = request.Header("Authorization");
  if (!auth) return Challenge(false);
  auto p = ParseDigestHeader(*auth);
  if (!p) return Challenge(false);
  auto get = [&](const char* k) -> std::string {
    auto it = p->find(k);
    return it == p->end() ? std::string() : it->second;
  };
  auto nonce_it = nonces_.find(get("nonce"));
  if (nonce_it == nonces_.end()) return Challenge(false);
  if (clock_.Now() - nonce_it->second.issued > options_.nonce_lifetime) {
    nonces_.erase(nonce_it);
    return Challenge(true);
  }
  std::string algorithm = Lower(get("algorithm"));
  if (options_.username.empty() || get("username") != options_.username ||
      get("realm") != options_.realm || get("qop") != "auth" ||
      (!algorithm.empty() && algorithm != "md5") || PathOf(get("uri")) != path_ ||
      get("cnonce").empty()) {
    return Challenge(false);
  }
  std::string nc_text = get("nc");
  if (nc_text.size() != 8 ||
      nc_text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    return Challenge(false);
  }
  uint64_t nc = std::stoull(nc_text, nullptr, 16);
  std::string ha1 =
      Md5Hex(options_.username + ":" + options_.realm + ":" + options_.password.Reveal());
  std::string ha2 = Md5Hex(request.method + ":" + get("uri"));
  std::string expected =
      Md5Hex(ha1 + ":" + nonce_it->first + ":" + nc_text + ":" + get("cnonce") + ":auth:" + ha2);
  if (!ConstantTimeEquals(Lower(get("response")), expected)) return Challenge(false);
  if (nc <= nonce_it->second.last_nc) return Challenge(false);  // a replayed Authorization
  nonce_it->second.last_nc = nc;
  if (RateLimited()) return {503, {}, false};  // no Retry-After (§3.2.2)
  return {200, {}, true};
}

}  // namespace agent
