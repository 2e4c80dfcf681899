#pragma once
// The CWMP endpoint: HTTP request → CPE authentication → envelope decoding → session engine →
// HTTP response. One instance serves every connection of the CWMP HttpServer (thread-safe).
//
// Authentication happens when a request belongs to no live session of this process (in
// practice: the Inform); requests carrying the session cookie then ride on it (the cookie is
// 128 random bits). Modes:
//  - digest: HTTP Digest (RFC 7616; SHA-256 and MD5 challenges), stateless HMAC nonces valid on
//    any connection and in any acsd sharing the secret (a CPE reconnects after the 401);
//  - basic: HTTP Basic, only over TLS unless allow_basic_without_tls;
//  - none: no HTTP authentication (a TLS client certificate, when required, still applies).
// Credentials: the device's own (device_credentials, by username; they bind the session to that
// device) or the configured default. Failures are counted per peer address: beyond
// max_auth_failures within a minute the peer gets 429 with Retry-After until the minute ends.
//
// Errors never crash the server: malformed HTTP is the server core's (400/413/...), malformed
// XML or a SOAPAction that does not match is 400, an envelope over the size limit 413, a store
// failure 503 with Retry-After.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "acs/http_digest.h"
#include "acs/http_server.h"
#include "acs/log.h"
#include "acs/metrics.h"
#include "acs/session.h"
#include "acs/session_store.h"
#include "cwmp/base/secret.h"
#include "cwmp/soap/codec.h"

namespace acs::cwmp_endpoint {

enum class AuthMode { kDigest, kBasic, kNone };
// "digest", "basic", "none".
cwmp::Result<AuthMode> ParseAuthMode(const std::string& text);
const char* AuthModeName(AuthMode mode);

inline constexpr const char* kSessionCookie = "acsd_session";

struct EndpointOptions {
  AuthMode auth = AuthMode::kDigest;
  std::string realm = "acsd";
  // Default CPE credentials, for devices without their own. An empty default username accepts
  // any username with the default password; an empty default password disables the default.
  std::string default_username;
  cwmp::Secret default_password;
  // HMAC key of Digest nonces; every acsd behind one load balancer needs the same one.
  cwmp::Secret nonce_secret;
  std::chrono::seconds nonce_lifetime{300};
  bool allow_basic_without_tls = false;
  int max_auth_failures = 10;  // per peer address and minute
  cwmp::soap::DecodeLimits decode_limits;
};

class CwmpEndpoint {
 public:
  CwmpEndpoint(session::SessionManager& sessions, SessionStore& credentials,
               EndpointOptions options, session::Clock clock, metrics::Registry& metrics,
               log::Logger& logger);

  http::Response Handle(const http::Request& request, const http::ConnectionInfo& connection);

 private:
  struct AuthResult {
    std::optional<http::Response> reject;     // set: answer this and stop
    std::optional<std::string> bound_device;  // credentials of one device
    // Set when accepted with the default credentials before looking up per-device ones
    // (only with may_defer_lookup): the username, to be checked by the session's start.
    std::optional<std::string> default_username;
  };
  // may_defer_lookup: Digest credentials that verify against the default ones are accepted
  // without the per-device credentials lookup (AuthResult::default_username).
  AuthResult Authenticate(const http::Request& request, const http::ConnectionInfo& connection,
                          bool may_defer_lookup);
  // Authenticates the request with the per-device credentials lookup and applies the result
  // to `context` (bound device, no default_credentials_username); the response to send
  // when it fails.
  std::optional<http::Response> AuthenticateWithLookup(const http::Request& request,
                                                       const http::ConnectionInfo& connection,
                                                       session::RequestContext& context);
  // Whether the default credentials (--cpe-username/--cpe-password) apply to `username`.
  bool DefaultCredentialsApply(const std::string& username) const;
  http::Response Challenge(bool stale) const;
  http::Response AuthFailed(const std::string& peer, const std::string& reason);
  bool RateLimited(const std::string& peer, int* retry_after);
  // The password for `username`: the device's own, or the default. nullopt = unknown user.
  cwmp::Result<std::optional<std::pair<cwmp::Secret, std::optional<std::string>>>> PasswordFor(
      const std::string& username);

  session::SessionManager& sessions_;
  SessionStore& credentials_;
  EndpointOptions options_;
  session::Clock clock_;
  metrics::Registry& metrics_;
  log::Logger& log_;
  http::DigestAuthenticator digest_;
  std::mutex failures_mu_;
  struct Failures {
    TimePoint window_start;
    int count = 0;
  };
  std::map<std::string, Failures> failures_;
};

// The value of cookie `name` in a Cookie header ("a=1; acsd_session=xyz"), "" if absent.
std::string CookieValue(const std::string& header, const std::string& name);

}  // namespace acs::cwmp_endpoint
