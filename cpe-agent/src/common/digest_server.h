#pragma once
// The server side of HTTP Digest (RFC 7616 with MD5; the RFC 2069 form without qop accepted
// unless `require_qop`) for every listener of the phone: the admin web server, the SIP listener
// and TR-069 connection requests. The server keeps the nonces it issued: each expires after
// `lifetime`, at most `max_nonces` are outstanding (the oldest is forgotten first), and a
// nonce-count must grow with every use (qop=auth). With `single_use` (SIP) a nonce is consumed
// by the first request it authenticates.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "cwmp/base/secret.h"

namespace agent::internal {

class DigestAuth {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Options {
    std::string realm = "cpe-agent";
    std::chrono::seconds lifetime{300};
    size_t max_nonces = 256;
    bool single_use = false;
    // Only qop=auth is accepted (TR-069 connection requests).
    bool require_qop = false;
    // The digest's uri must name the request's path; its query may differ (connection
    // requests). Otherwise it must equal the request URI.
    bool uri_path_only = false;
  };
  enum class Verdict {
    kOk,
    kNotDigest,       // no Digest credentials in the header
    kUnknownNonce,    // never issued, forgotten or already used
    kStale,           // issued but expired: challenge again with stale=true
    kBadCredentials,  // unknown user, wrong password, wrong realm/uri/algorithm
    kReplay,          // nonce-count not above the last one seen
  };
  struct Outcome {
    Verdict verdict = Verdict::kNotDigest;
    std::string username;
  };
  // Password of a user name, or nullptr for an unknown user.
  using PasswordOf = std::function<const cwmp::Secret*(std::string_view user)>;

  DigestAuth(Options options, std::function<std::string()> random_hex);

  // A new WWW-Authenticate value ("Digest realm=..., qop=\"auth\", nonce=..., ...").
  std::string Challenge(TimePoint now, bool stale);
  // Checks an Authorization header value for `method` and the request's own URI (the digest's
  // uri must equal it).
  Outcome Verify(std::string_view header, std::string_view method, std::string_view request_uri,
                 const PasswordOf& password_of, TimePoint now);

  size_t outstanding() const { return nonces_.size(); }

 private:
  struct NonceState {
    TimePoint issued;
    uint64_t last_nc = 0;
  };
  void Expire(TimePoint now);

  Options options_;
  std::function<std::string()> random_hex_;
  std::map<std::string, NonceState> nonces_;
};

}  // namespace agent::internal
