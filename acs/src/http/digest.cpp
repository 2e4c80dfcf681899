#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cctype>
#include <charconv>
#include <set>

#include "acs/http_digest.h"

namespace acs::http {
namespace {

std::string Hex(const unsigned char* data, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0xf];
  }
  return out;
}

bool IsSha256(DigestAlgorithm a) {
  return a == DigestAlgorithm::kSha256 || a == DigestAlgorithm::kSha256Sess;
}
bool IsSess(DigestAlgorithm a) {
  return a == DigestAlgorithm::kMd5Sess || a == DigestAlgorithm::kSha256Sess;
}

std::string H(DigestAlgorithm a, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, IsSha256(a) ? EVP_sha256() : EVP_md5(),
             nullptr);
  std::string out = Hex(digest, len);
  OPENSSL_cleanse(digest, sizeof(digest));
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Escapes a value for a quoted-string.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

constexpr size_t kMaxHeader = 4096;
constexpr size_t kRandomBytes = 16;
constexpr size_t kMacHexChars = 32;  // 128 bits of HMAC-SHA256

}  // namespace

const char* DigestAlgorithmName(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::kMd5:
      return "MD5";
    case DigestAlgorithm::kMd5Sess:
      return "MD5-sess";
    case DigestAlgorithm::kSha256:
      return "SHA-256";
    case DigestAlgorithm::kSha256Sess:
      return "SHA-256-sess";
  }
  return "MD5";
}

cwmp::Result<DigestCredentials> ParseDigestAuthorization(std::string_view v) {
  if (v.size() > kMaxHeader) return cwmp::LimitExceeded("Digest Authorization header too long");
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  };
  skip_ws();
  if (v.size() - i < 6 || !IEquals(v.substr(i, 6), "Digest") ||
      (v.size() > i + 6 && v[i + 6] != ' ' && v[i + 6] != '\t')) {
    return cwmp::ParseError("Authorization scheme is not Digest");
  }
  i += 6;
  std::map<std::string, std::string> params;
  while (true) {
    skip_ws();
    while (i < v.size() && v[i] == ',') {  // empty list elements are allowed
      ++i;
      skip_ws();
    }
    if (i >= v.size()) break;
    size_t start = i;
    while (i < v.size() && IsTokenChar(v[i])) ++i;
    if (i == start) return cwmp::ParseError("Digest: expected a parameter name");
    std::string name(v.substr(start, i - start));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    skip_ws();
    if (i >= v.size() || v[i] != '=') return cwmp::ParseError("Digest: " + name + " has no value");
    ++i;
    skip_ws();
    std::string value;
    if (i < v.size() && v[i] == '"') {
      ++i;
      bool closed = false;
      while (i < v.size()) {
        char c = v[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          if (i >= v.size()) break;
          c = v[i++];
        }
        value += c;
      }
      if (!closed) return cwmp::ParseError("Digest: unterminated quoted value of " + name);
    } else {
      size_t vs = i;
      while (i < v.size() && IsTokenChar(v[i])) ++i;
      if (i == vs) return cwmp::ParseError("Digest: empty value of " + name);
      value = std::string(v.substr(vs, i - vs));
    }
    if (!params.emplace(name, value).second) {
      return cwmp::ParseError("Digest: parameter " + name + " given twice");
    }
    skip_ws();
    if (i < v.size() && v[i] != ',') return cwmp::ParseError("Digest: expected ',' after " + name);
  }

  DigestCredentials c;
  for (const char* required : {"username", "realm", "nonce", "uri", "response"}) {
    if (params.count(required) == 0) {
      return cwmp::ParseError(std::string("Digest: missing ") + required);
    }
  }
  c.username = params["username"];
  c.realm = params["realm"];
  c.nonce = params["nonce"];
  c.uri = params["uri"];
  c.response = params["response"];
  for (char& ch : c.response) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (auto it = params.find("userhash"); it != params.end() && IEquals(it->second, "true")) {
    return cwmp::Unsupported("Digest: userhash is not supported");
  }
  if (auto it = params.find("algorithm"); it != params.end()) {
    const std::string& a = it->second;
    if (IEquals(a, "MD5")) {
      c.algorithm = DigestAlgorithm::kMd5;
    } else if (IEquals(a, "MD5-sess")) {
      c.algorithm = DigestAlgorithm::kMd5Sess;
    } else if (IEquals(a, "SHA-256")) {
      c.algorithm = DigestAlgorithm::kSha256;
    } else if (IEquals(a, "SHA-256-sess")) {
      c.algorithm = DigestAlgorithm::kSha256Sess;
    } else {
      return cwmp::Unsupported("Digest: algorithm " + a + " is not supported");
    }
  }
  if (auto it = params.find("qop"); it != params.end()) {
    if (it->second != "auth") return cwmp::Unsupported("Digest: qop " + it->second);
    c.qop = "auth";
    if (params.count("nc") == 0 || params.count("cnonce") == 0) {
      return cwmp::ParseError("Digest: qop=auth needs nc and cnonce");
    }
    c.nc = params["nc"];
    c.cnonce = params["cnonce"];
    if (c.nc.size() != 8 || c.nc.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      return cwmp::ParseError("Digest: nc must be 8 hex digits");
    }
  } else if (IsSess(c.algorithm)) {
    return cwmp::ParseError("Digest: -sess algorithms need qop");
  }
  if (auto it = params.find("opaque"); it != params.end()) c.opaque = it->second;
  return c;
}

std::string ComputeDigestResponse(const DigestCredentials& c, std::string_view method,
                                  const cwmp::Secret& password) {
  DigestAlgorithm a = c.algorithm;
  std::string ha1 = H(a, c.username + ":" + c.realm + ":" + password.Reveal());
  if (IsSess(a)) ha1 = H(a, ha1 + ":" + c.nonce + ":" + c.cnonce);
  std::string ha2 = H(a, std::string(method) + ":" + c.uri);
  if (c.qop.empty()) return H(a, ha1 + ":" + c.nonce + ":" + ha2);
  return H(a, ha1 + ":" + c.nonce + ":" + c.nc + ":" + c.cnonce + ":" + c.qop + ":" + ha2);
}

RandomFill SystemRandom() {
  return [](unsigned char* out, size_t size) {
    if (RAND_bytes(out, static_cast<int>(size)) != 1) {
      // The CSPRNG never fails on a seeded Linux system; refuse to hand out guessable nonces.
      std::abort();
    }
  };
}

DigestAuthenticator::DigestAuthenticator(cwmp::Secret server_secret, std::string realm,
                                         std::chrono::seconds nonce_lifetime, RandomFill random)
    : secret_(std::move(server_secret)),
      realm_(std::move(realm)),
      lifetime_(nonce_lifetime),
      random_(std::move(random)) {}

std::string DigestAuthenticator::Sign(std::string_view data) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.Reveal().data(), static_cast<int>(secret_.Reveal().size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return Hex(mac, len).substr(0, kMacHexChars);
}

std::string DigestAuthenticator::MakeNonce(TimePoint now) const {
  int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  char ts[17];
  std::snprintf(ts, sizeof(ts), "%016llx", static_cast<unsigned long long>(seconds));
  unsigned char rnd[kRandomBytes];
  random_(rnd, sizeof(rnd));
  std::string body = std::string(ts) + Hex(rnd, sizeof(rnd));
  return body + Sign(body);
}

std::vector<std::string> DigestAuthenticator::Challenges(TimePoint now, bool stale) const {
  std::vector<std::string> out;
  for (DigestAlgorithm a : {DigestAlgorithm::kSha256, DigestAlgorithm::kMd5}) {
    std::string c = "Digest realm=" + Quote(realm_) +
                    ", qop=\"auth\", algorithm=" + DigestAlgorithmName(a) + ", nonce=\"" +
                    MakeNonce(now) + "\"";
    if (stale) c += ", stale=true";
    out.push_back(std::move(c));
  }
  return out;
}

DigestAuthenticator::Verdict DigestAuthenticator::Verify(const DigestCredentials& c,
                                                         std::string_view method,
                                                         std::string_view request_target,
                                                         const cwmp::Secret& password,
                                                         TimePoint now) const {
  constexpr size_t kNonceChars = 16 + 2 * kRandomBytes + kMacHexChars;
  if (c.realm != realm_ || c.uri != request_target || c.nonce.size() != kNonceChars) {
    return Verdict::kBadCredentials;
  }
  std::string_view nonce = c.nonce;
  std::string_view body = nonce.substr(0, kNonceChars - kMacHexChars);
  if (!ConstantTimeEquals(Sign(body), nonce.substr(body.size()))) return Verdict::kBadCredentials;
  unsigned long long issued = 0;
  auto [p, ec] = std::from_chars(body.data(), body.data() + 16, issued, 16);
  if (ec != std::errc() || p != body.data() + 16) return Verdict::kBadCredentials;
  if (!ConstantTimeEquals(ComputeDigestResponse(c, method, password), c.response)) {
    return Verdict::kBadCredentials;
  }
  int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  int64_t age = seconds - static_cast<int64_t>(issued);
  // A nonce from the future (clock skew between acsd processes) is accepted within a minute.
  if (age < -60 || age > lifetime_.count()) return Verdict::kStale;
  return Verdict::kOk;
}

}  // namespace acs::http
