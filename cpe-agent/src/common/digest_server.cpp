#include "common/digest_server.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>

#include "agent/connection_request.h"
#include "common/text.h"

namespace agent::internal {
namespace {
using text::Lower;

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsHex(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

}  // namespace

DigestAuth::DigestAuth(Options options, std::function<std::string()> random_hex)
    : options_(std::move(options)), random_hex_(std::move(random_hex)) {}

void DigestAuth::Expire(TimePoint now) {
  for (auto it = nonces_.begin(); it != nonces_.end();) {
    it = now - it->second.issued > options_.lifetime ? nonces_.erase(it) : std::next(it);
  }
}

std::string DigestAuth::Challenge(TimePoint now, bool stale) {
  Expire(now);
  while (!nonces_.empty() && nonces_.size() >= options_.max_nonces) {
    nonces_.erase(std::min_element(
        nonces_.begin(), nonces_.end(),
        [](const auto& a, const auto& b) { return a.second.issued < b.second.issued; }));
  }
  std::string nonce = random_hex_();
  nonces_[nonce] = NonceState{now, 0};
  std::string value = "Digest realm=\"" + options_.realm + "\", qop=\"auth\", nonce=\"" + nonce +
                      "\", opaque=\"" + Md5Hex(options_.realm).substr(0, 16) + "\", algorithm=MD5";
  if (stale) value += ", stale=true";
  return value;
}

DigestAuth::Outcome DigestAuth::Verify(std::string_view header, std::string_view method,
                                       std::string_view request_uri, const PasswordOf& password_of,
                                       TimePoint now) {
  auto p = ParseDigestHeader(header);
  if (!p) return {Verdict::kNotDigest, {}};
  auto get = [&](const char* k) -> std::string {
    auto it = p->find(k);
    return it == p->end() ? std::string() : it->second;
  };
  Outcome out{Verdict::kBadCredentials, get("username")};
  auto nonce_it = nonces_.find(get("nonce"));
  if (nonce_it == nonces_.end()) return {Verdict::kUnknownNonce, out.username};
  if (now - nonce_it->second.issued > options_.lifetime) {
    nonces_.erase(nonce_it);
    return {Verdict::kStale, out.username};
  }
  const cwmp::Secret* password = password_of(out.username);
  std::string algorithm = Lower(get("algorithm"));
  std::string qop = get("qop");
  std::string uri = get("uri");
  bool uri_ok = options_.uri_path_only
                    ? text::RequestPath(uri) == text::RequestPath(request_uri)
                    : uri == request_uri;
  if (password == nullptr || get("realm") != options_.realm ||
      (!algorithm.empty() && algorithm != "md5") || !uri_ok || (!qop.empty() && qop != "auth") ||
      (options_.require_qop && qop.empty())) {
    return out;
  }
  std::string ha1 = Md5Hex(out.username + ":" + options_.realm + ":" + password->Reveal());
  std::string ha2 = Md5Hex(std::string(method) + ":" + uri);
  std::string expected;
  uint64_t nc = 0;
  if (qop.empty()) {
    expected = Md5Hex(ha1 + ":" + nonce_it->first + ":" + ha2);
  } else {
    std::string nc_text = get("nc"), cnonce = get("cnonce");
    if (nc_text.size() != 8 || !IsHex(nc_text) || cnonce.empty()) return out;
    nc = std::stoull(nc_text, nullptr, 16);
    expected = Md5Hex(ha1 + ":" + nonce_it->first + ":" + nc_text + ":" + cnonce + ":auth:" + ha2);
  }
  if (!ConstantTimeEquals(Lower(get("response")), expected)) return out;
  // Without qop there is no nonce-count: such a nonce authenticates once.
  if (options_.single_use || qop.empty()) {
    nonces_.erase(nonce_it);
  } else {
    if (nc <= nonce_it->second.last_nc) return {Verdict::kReplay, out.username};
    nonce_it->second.last_nc = nc;
  }
  out.verdict = Verdict::kOk;
  return out;
}

}  // namespace agent::internal
