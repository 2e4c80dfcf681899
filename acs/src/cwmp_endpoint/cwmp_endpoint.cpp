// HTTP → authentication → codec → session engine.
#include "acs/cwmp_endpoint.h"

#include <cctype>
#include <variant>

#include "acs/http_basic.h"

namespace acs::cwmp_endpoint {
namespace {

namespace soap = cwmp::soap;

http::Response Text(int status, std::string text, bool keep_alive = true) {
  http::Response r;
  r.status = status;
  r.body = std::move(text) + "\n";
  r.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
  r.keep_alive = keep_alive;
  return r;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

cwmp::Result<AuthMode> ParseAuthMode(const std::string& text) {
  if (text == "digest") return AuthMode::kDigest;
  if (text == "basic") return AuthMode::kBasic;
  if (text == "none") return AuthMode::kNone;
  return cwmp::InvalidArgument("CPE auth mode \"" + text + "\" is not digest, basic or none");
}

const char* AuthModeName(AuthMode mode) {
  switch (mode) {
    case AuthMode::kDigest:
      return "digest";
    case AuthMode::kBasic:
      return "basic";
    case AuthMode::kNone:
      return "none";
  }
  return "?";
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t b = part.find_first_not_of(" \t");
    if (b != std::string::npos) {
      part = part.substr(b);
      size_t eq = part.find('=');
      if (eq != std::string::npos && part.substr(0, eq) == name) {
        std::string v = part.substr(eq + 1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        return v;
      }
    }
    pos = end + 1;
  }
  return "";
}

CwmpEndpoint::CwmpEndpoint(session::SessionManager& sessions, SessionStore& credentials,
                           EndpointOptions options, session::Clock clock,
                           metrics::Registry& metrics, log::Logger& logger)
    : sessions_(sessions),
      credentials_(credentials),
      options_(std::move(options)),
      clock_(std::move(clock)),
      metrics_(metrics),
      log_(logger),
      digest_(options_.nonce_secret, options_.realm, options_.nonce_lifetime,
              http::SystemRandom()) {}

bool CwmpEndpoint::RateLimited(const std::string& peer, int* retry_after) {
  std::lock_guard lock(failures_mu_);
  auto it = failures_.find(peer);
  if (it == failures_.end()) return false;
  auto age = clock_() - it->second.window_start;
  if (age >= std::chrono::minutes(1)) {
    failures_.erase(it);
    return false;
  }
  if (it->second.count < options_.max_auth_failures) return false;
  *retry_after = static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::minutes(1) - age).count() + 1);
  return true;
}

http::Response CwmpEndpoint::Challenge(bool stale) const {
  http::Response r = Text(401, "authentication required");
  if (options_.auth == AuthMode::kBasic) {
    r.headers.push_back({"WWW-Authenticate", http::BasicChallenge(options_.realm)});
  } else {
    for (const auto& c : digest_.Challenges(clock_(), stale)) {
      r.headers.push_back({"WWW-Authenticate", c});
    }
  }
  return r;
}

http::Response CwmpEndpoint::AuthFailed(const std::string& peer, const std::string& reason) {
  metrics_.Add(metrics::kAuthFailures, {{"reason", reason}});
  log_.Warn("CPE authentication failed", {{"peer", peer}, {"reason", reason}});
  {
    std::lock_guard lock(failures_mu_);
    if (failures_.size() > 100000) failures_.clear();  // bounded memory under a flood
    Failures& f = failures_[peer];
    if (f.count == 0 || clock_() - f.window_start >= std::chrono::minutes(1)) {
      f.window_start = clock_();
      f.count = 0;
    }
    ++f.count;
  }
  return Challenge(false);
}

cwmp::Result<std::optional<std::pair<cwmp::Secret, std::optional<std::string>>>>
CwmpEndpoint::PasswordFor(const std::string& username) {
  using Found = std::pair<cwmp::Secret, std::optional<std::string>>;
  auto own = credentials_.FindCredentialsByUsername(username);
  if (!own.ok()) return own.status();
  if (*own) return std::optional<Found>(Found((*own)->password, (*own)->device_id));
  if (!DefaultCredentialsApply(username)) return std::optional<Found>();
  return std::optional<Found>(Found(options_.default_password, std::nullopt));
}

bool CwmpEndpoint::DefaultCredentialsApply(const std::string& username) const {
  if (options_.default_password.empty()) return false;
  return options_.default_username.empty() || options_.default_username == username;
}

CwmpEndpoint::AuthResult CwmpEndpoint::Authenticate(const http::Request& req,
                                                    const http::ConnectionInfo& conn,
                                                    bool may_defer_lookup) {
  AuthResult result;
  int retry_after = 0;
  if (RateLimited(conn.peer_address, &retry_after)) {
    http::Response r = Text(429, "too many failed authentications");
    r.headers.push_back({"Retry-After", std::to_string(retry_after)});
    r.keep_alive = false;
    metrics_.Add(metrics::kAuthFailures, {{"reason", "rate-limited"}});
    result.reject = r;
    return result;
  }
  const std::string* header = req.Find("Authorization");
  if (header == nullptr) {
    result.reject = Challenge(false);
    return result;
  }
  std::string scheme = Lower(header->substr(0, header->find(' ')));
  if (options_.auth == AuthMode::kBasic) {
    if (scheme != "basic") {
      result.reject = Challenge(false);
      return result;
    }
    if (!conn.tls && !options_.allow_basic_without_tls) {
      result.reject = AuthFailed(conn.peer_address, "basic-without-tls");
      return result;
    }
    auto creds = http::ParseBasicAuthorization(*header);
    if (!creds.ok()) {
      result.reject = AuthFailed(conn.peer_address, "malformed");
      return result;
    }
    auto password = PasswordFor(creds->username);
    if (!password.ok()) {
      result.reject = Text(503, "temporarily unavailable");
      result.reject->headers.push_back({"Retry-After", "10"});
      return result;
    }
    if (!*password || !http::PasswordsEqual((*password)->first, creds->password)) {
      result.reject = AuthFailed(conn.peer_address, "bad-credentials");
      return result;
    }
    result.bound_device = (*password)->second;
    return result;
  }
  if (scheme != "digest") {
    result.reject = Challenge(false);
    return result;
  }
  auto creds = http::ParseDigestAuthorization(*header);
  if (!creds.ok()) {
    result.reject = AuthFailed(conn.peer_address, "malformed");
    return result;
  }
  // The common case (every CPE with acsd's default credentials) costs no database round trip
  // here: the session's start checks that the username has no per-device credentials.
  if (may_defer_lookup && DefaultCredentialsApply(creds->username) &&
      digest_.Verify(*creds, req.method, req.target, options_.default_password, clock_()) ==
          http::DigestAuthenticator::Verdict::kOk) {
    result.default_username = creds->username;
    return result;
  }
  auto password = PasswordFor(creds->username);
  if (!password.ok()) {
    result.reject = Text(503, "temporarily unavailable");
    result.reject->headers.push_back({"Retry-After", "10"});
    return result;
  }
  if (!*password) {
    result.reject = AuthFailed(conn.peer_address, "unknown-user");
    return result;
  }
  auto verdict = digest_.Verify(*creds, req.method, req.target, (*password)->first, clock_());
  if (verdict == http::DigestAuthenticator::Verdict::kStale) {
    result.reject = Challenge(true);
    return result;
  }
  if (verdict != http::DigestAuthenticator::Verdict::kOk) {
    result.reject = AuthFailed(conn.peer_address, "bad-credentials");
    return result;
  }
  result.bound_device = (*password)->second;
  return result;
}

std::optional<http::Response> CwmpEndpoint::AuthenticateWithLookup(
    const http::Request& req, const http::ConnectionInfo& conn, session::RequestContext& context) {
  context.default_credentials_username.reset();
  AuthResult auth = Authenticate(req, conn, /*may_defer_lookup=*/false);
  if (auth.reject) return auth.reject;
  if (auth.bound_device) {
    if (context.authenticated_device && *context.authenticated_device != *auth.bound_device) {
      return AuthFailed(conn.peer_address, "certificate-mismatch");
    }
    context.authenticated_device = auth.bound_device;
  }
  return std::nullopt;
}

http::Response CwmpEndpoint::Handle(const http::Request& req, const http::ConnectionInfo& conn) {
  auto started = std::chrono::steady_clock::now();
  auto finish = [&](http::Response r) {
    metrics_.Add(metrics::kHttpRequests, {{"status", std::to_string(r.status)}});
    metrics_.Observe(
        metrics::kRequestSeconds,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return r;
  };
  if (req.method != "POST") {
    http::Response r = Text(405, "the CWMP endpoint accepts POST only");
    r.headers.push_back({"Allow", "POST"});
    return finish(r);
  }
  session::RequestContext context;
  context.connection_id = conn.connection_id;
  context.peer = conn.peer_address;
  if (const std::string* cookie = req.Find("Cookie")) {
    context.cookie_session = CookieValue(*cookie, kSessionCookie);
  }
  if (!sessions_.HasSession(context.cookie_session, conn.connection_id)) {
    if (!conn.client_subject.empty()) {
      // A verified client certificate names the device (CN = its id): only that device.
      size_t cn = conn.client_subject.find("CN=");
      if (cn != std::string::npos) {
        std::string id = conn.client_subject.substr(cn + 3);
        id = id.substr(0, id.find(','));
        context.authenticated_device = id;
      }
    }
    if (options_.auth != AuthMode::kNone) {
      AuthResult auth = Authenticate(req, conn, /*may_defer_lookup=*/true);
      if (auth.reject) return finish(*auth.reject);
      context.default_credentials_username = auth.default_username;
      if (auth.bound_device) {
        if (context.authenticated_device && *context.authenticated_device != *auth.bound_device) {
          return finish(AuthFailed(conn.peer_address, "certificate-mismatch"));
        }
        context.authenticated_device = auth.bound_device;
      }
    }
  }
  std::optional<soap::Decoded> message;
  if (!req.body.empty()) {
    auto decoded = soap::Decode(req.body, options_.decode_limits);
    if (!decoded.ok()) {
      int status = decoded.status().code() == cwmp::StatusCode::kLimitExceeded ? 413 : 400;
      log_.Warn("malformed CWMP message",
                {{"peer", conn.peer_address}, {"error", decoded.status().ToString()}});
      return finish(Text(status, "malformed CWMP message: " + decoded.status().message()));
    }
    std::optional<std::string_view> action;
    if (const std::string* h = req.Find("SOAPAction")) action = *h;
    cwmp::Status st = soap::CheckSoapAction(action, decoded->envelope.body);
    if (!st.ok()) return finish(Text(400, st.message()));
    message = std::move(*decoded);
  }
  // Only the Inform that starts a session checks the per-device credentials itself.
  if (context.default_credentials_username &&
      !(message && std::holds_alternative<soap::Inform>(message->envelope.body))) {
    if (auto rejected = AuthenticateWithLookup(req, conn, context)) return finish(*rejected);
  }
  session::Reply reply = sessions_.Handle(context, message);
  if (reply.own_credentials) {
    // The username has per-device credentials: they decide, as if looked up first.
    if (auto rejected = AuthenticateWithLookup(req, conn, context)) return finish(*rejected);
    reply = sessions_.Handle(context, message);
  }
  http::Response r;
  r.status = reply.http_status;
  if (reply.http_status == 200) {
    r.body = std::move(reply.body);
    r.headers.push_back({"Content-Type", "text/xml; charset=\"utf-8\""});
  } else if (reply.http_status != 204) {
    r = Text(reply.http_status, reply.body);
  }
  if (!reply.set_cookie.empty()) {
    r.headers.push_back({"Set-Cookie", std::string(kSessionCookie) + "=" + reply.set_cookie +
                                           "; Path=/; HttpOnly" + (conn.tls ? "; Secure" : "")});
  }
  if (reply.retry_after_seconds > 0) {
    r.headers.push_back({"Retry-After", std::to_string(reply.retry_after_seconds)});
  }
  return finish(r);
}

}  // namespace acs::cwmp_endpoint
