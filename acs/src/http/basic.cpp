#include <openssl/crypto.h>

#include <cctype>

#include "acs/http_basic.h"

namespace acs::http {
namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Strict RFC 4648 base64 with padding.
bool DecodeBase64(std::string_view in, std::string* out) {
  if (in.size() % 4 != 0) return false;
  out->clear();
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = in[i + k];
      if (c == '=') {
        if (i + 4 != in.size() || k < 2) return false;
        v[k] = 0;
        ++pad;
      } else {
        if (pad > 0) return false;  // data after padding
        v[k] = Base64Value(c);
        if (v[k] < 0) return false;
      }
    }
    unsigned int n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out->push_back(static_cast<char>((n >> 16) & 0xff));
    if (pad < 2) out->push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out->push_back(static_cast<char>(n & 0xff));
  }
  return true;
}

}  // namespace

cwmp::Result<BasicCredentials> ParseBasicAuthorization(std::string_view v) {
  if (v.size() > 4096) return cwmp::LimitExceeded("Basic Authorization header too long");
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.size() < 6) return cwmp::ParseError("Authorization scheme is not Basic");
  for (size_t i = 0; i < 5; ++i) {
    if (std::tolower(static_cast<unsigned char>(v[i])) != "basic"[i]) {
      return cwmp::ParseError("Authorization scheme is not Basic");
    }
  }
  if (v[5] != ' ') return cwmp::ParseError("Authorization scheme is not Basic");
  std::string_view token = v.substr(6);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  std::string decoded;
  if (!DecodeBase64(token, &decoded)) return cwmp::ParseError("Basic: credentials are not base64");
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) {
    OPENSSL_cleanse(decoded.data(), decoded.size());
    return cwmp::ParseError("Basic: credentials have no ':'");
  }
  BasicCredentials c{decoded.substr(0, colon), cwmp::Secret(decoded.substr(colon + 1))};
  OPENSSL_cleanse(decoded.data(), decoded.size());
  return c;
}

std::string BasicChallenge(std::string_view realm) {
  std::string quoted;
  for (char c : realm) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return "Basic realm=\"" + quoted + "\", charset=\"UTF-8\"";
}

bool PasswordsEqual(const cwmp::Secret& a, const cwmp::Secret& b) {
  const std::string& x = a.Reveal();
  const std::string& y = b.Reveal();
  // Length is not secret enough to matter here; content is compared in constant time.
  return x.size() == y.size() && CRYPTO_memcmp(x.data(), y.data(), x.size()) == 0;
}

}  // namespace acs::http
