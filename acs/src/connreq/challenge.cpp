#include "connreq/challenge.h"

#include <openssl/evp.h>

#include <cctype>

namespace acs::connreq {
namespace {

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

cwmp::Result<std::vector<Challenge>> ParseChallenges(std::string_view v) {
  if (v.size() > 8192) return cwmp::LimitExceeded("WWW-Authenticate header over 8 KiB");
  std::vector<Challenge> out;
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  };
  auto token = [&] {
    size_t s = i;
    while (i < v.size() && IsTokenChar(v[i])) ++i;
    return v.substr(s, i - s);
  };
  while (true) {
    skip_ws();
    while (i < v.size() && v[i] == ',') {
      ++i;
      skip_ws();
    }
    if (i >= v.size()) break;
    std::string_view name = token();
    if (name.empty()) return cwmp::ParseError("WWW-Authenticate: expected a token");
    size_t after_name = i;
    skip_ws();
    if (i < v.size() && v[i] == '=' && !out.empty()) {
      // auth-param of the current challenge
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
          if (c == '\\' && i < v.size()) c = v[i++];
          value += c;
        }
        if (!closed) return cwmp::ParseError("WWW-Authenticate: unterminated quoted string");
      } else {
        value = std::string(token());
      }
      out.back().params[Lower(name)] = value;
      continue;
    }
    // A new challenge: scheme [token68 | params]
    i = after_name;
    out.push_back(Challenge{Lower(name), {}});
  }
  if (out.empty()) return cwmp::ParseError("WWW-Authenticate: no challenge");
  return out;
}

cwmp::Result<std::string> AnswerDigest(const Challenge& ch, std::string_view method,
                                       std::string_view uri, const std::string& username,
                                       const cwmp::Secret& password, const std::string& cnonce) {
  http::DigestCredentials c;
  auto get = [&](const char* k) -> std::string {
    auto it = ch.params.find(k);
    return it == ch.params.end() ? "" : it->second;
  };
  c.username = username;
  c.realm = get("realm");
  c.nonce = get("nonce");
  if (c.nonce.empty()) return cwmp::ParseError("Digest challenge without a nonce");
  c.uri = std::string(uri);
  c.opaque = get("opaque");
  std::string algorithm = Lower(get("algorithm"));
  if (algorithm.empty() || algorithm == "md5") {
    c.algorithm = http::DigestAlgorithm::kMd5;
  } else if (algorithm == "md5-sess") {
    c.algorithm = http::DigestAlgorithm::kMd5Sess;
  } else if (algorithm == "sha-256") {
    c.algorithm = http::DigestAlgorithm::kSha256;
  } else if (algorithm == "sha-256-sess") {
    c.algorithm = http::DigestAlgorithm::kSha256Sess;
  } else {
    return cwmp::Unsupported("Digest algorithm " + get("algorithm") + " is not supported");
  }
  std::string qop = get("qop");
  if (!qop.empty()) {
    bool has_auth = false;
    size_t pos = 0;
    while (pos <= qop.size()) {
      size_t comma = qop.find(',', pos);
      std::string item =
          qop.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      while (!item.empty() && item.front() == ' ') item.erase(0, 1);
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (Lower(item) == "auth") has_auth = true;
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    if (!has_auth) return cwmp::Unsupported("Digest qop \"" + qop + "\" lacks auth");
    c.qop = "auth";
    c.nc = "00000001";
    c.cnonce = cnonce;
  }
  c.response = http::ComputeDigestResponse(c, method, password);
  std::string out = "Digest username=" + Quote(c.username) + ", realm=" + Quote(c.realm) +
                    ", nonce=" + Quote(c.nonce) + ", uri=" + Quote(c.uri) +
                    ", algorithm=" + http::DigestAlgorithmName(c.algorithm) +
                    ", response=" + Quote(c.response);
  if (!c.qop.empty()) out += ", qop=auth, nc=" + c.nc + ", cnonce=" + Quote(c.cnonce);
  if (!c.opaque.empty()) out += ", opaque=" + Quote(c.opaque);
  return out;
}

std::string AnswerBasic(const std::string& username, const cwmp::Secret& password) {
  std::string plain = username + ":" + password.Reveal();
  std::string b64(4 * ((plain.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                          reinterpret_cast<const unsigned char*>(plain.data()),
                          static_cast<int>(plain.size()));
  b64.resize(static_cast<size_t>(n));
  return "Basic " + b64;
}

}  // namespace acs::connreq
