#pragma once
// Server side of HTTP Digest authentication (RFC 7616, compatible with RFC 2617 clients) for
// CPEs connecting to the ACS.
//
// Nonces are stateless: hex(timestamp) + hex(16 random bytes) + hex(HMAC-SHA256(secret,
// timestamp || random), truncated to 128 bits). Any acsd holding the same secret accepts them,
// on any TCP connection, until `nonce_lifetime` has passed; after that Verify() reports kStale
// and the challenge carries stale=true, so the CPE retries without failing the session.
// Within the lifetime a captured request could be replayed (nonce counts are not tracked,
// since that would need state shared between processes); CWMP over TLS avoids the capture.
// Time and randomness are passed in.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace acs::http {

enum class DigestAlgorithm { kMd5, kMd5Sess, kSha256, kSha256Sess };
// "MD5", "MD5-sess", "SHA-256", "SHA-256-sess".
const char* DigestAlgorithmName(DigestAlgorithm algorithm);

// The parameters of an `Authorization: Digest ...` header.
struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  DigestAlgorithm algorithm = DigestAlgorithm::kMd5;  // absent means MD5
  std::string qop;                                    // "auth" or "" (RFC 2069 compatibility)
  std::string nc;                                     // 8 hex digits when qop is set
  std::string cnonce;
  std::string opaque;
};

// Parses the header value ("Digest username=\"...\", ..."). kParseError for malformed input,
// kUnsupported for userhash=true or qop other than "auth".
cwmp::Result<DigestCredentials> ParseDigestAuthorization(std::string_view header_value);

// The expected `response` value (lower-case hex) for the given credentials and password:
// RFC 7616 §3.4.1 (qop=auth) or RFC 2069 (no qop).
std::string ComputeDigestResponse(const DigestCredentials& credentials, std::string_view method,
                                  const cwmp::Secret& password);

using TimePoint = std::chrono::system_clock::time_point;
// Fills `size` bytes with random data.
using RandomFill = std::function<void(unsigned char* out, size_t size)>;
// RandomFill backed by the OpenSSL CSPRNG.
RandomFill SystemRandom();

class DigestAuthenticator {
 public:
  enum class Verdict {
    kOk,
    kStale,           // correct, but the nonce is older than the lifetime: challenge stale=true
    kBadCredentials,  // wrong password/user, forged nonce, other realm or request URI
  };

  DigestAuthenticator(cwmp::Secret server_secret, std::string realm,
                      std::chrono::seconds nonce_lifetime, RandomFill random);

  // WWW-Authenticate values, one per algorithm, strongest first (SHA-256 then MD5).
  std::vector<std::string> Challenges(TimePoint now, bool stale) const;
  // A fresh nonce (exposed for tests and for Authentication-Info nextnonce).
  std::string MakeNonce(TimePoint now) const;
  // Checks credentials parsed from a request's Authorization header. `method` and
  // `request_target` are the request's; `password` is the one stored for credentials.username.
  Verdict Verify(const DigestCredentials& credentials, std::string_view method,
                 std::string_view request_target, const cwmp::Secret& password,
                 TimePoint now) const;
  const std::string& realm() const { return realm_; }

 private:
  std::string Sign(std::string_view data) const;

  cwmp::Secret secret_;
  std::string realm_;
  std::chrono::seconds lifetime_;
  RandomFill random_;
};

}  // namespace acs::http
