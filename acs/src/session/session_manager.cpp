// Session lifecycle: Inform → lease → InformResponse; routing later requests to their session
// by cookie (or, for CPEs without cookies, by TCP connection); idle expiry; shutdown.
#include <algorithm>
#include <cstdio>

#include "acs/http_digest.h"
#include "session/session_state.h"

namespace acs::session {
namespace {

namespace soap = cwmp::soap;

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  acs::http::SystemRandom()(buf.data(), buf.size());
  std::string out;
  char hex[3];
  for (unsigned char b : buf) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    out += hex;
  }
  return out;
}

Reply Error(int status, std::string text, int retry_after = 0) {
  Reply r;
  r.http_status = status;
  r.body = std::move(text);
  r.retry_after_seconds = retry_after;
  return r;
}

std::optional<TimePoint> CpeTime(const std::string& text) {
  if (text.empty() || text == soap::kUnknownTime) return std::nullopt;
  auto t = soap::ParseDateTime(text);
  if (!t.ok()) return std::nullopt;
  return TimePoint(*t);
}

std::string EventLabel(const std::string& code) {
  if (code.rfind("X ", 0) == 0) return "vendor";
  if (code.rfind("M X", 0) == 0) return "M vendor";
  return code;
}

}  // namespace

SessionManager::SessionManager(Store& store, SessionStore& sessions, SessionOptions options,
                               Clock clock, metrics::Registry& metrics, log::Logger& logger)
    : store_(store),
      leases_(sessions),
      options_(std::move(options)),
      clock_(std::move(clock)),
      metrics_(metrics),
      log_(logger),
      owner_(RandomHex(8)),
      engine_(std::make_unique<Engine>(store_, leases_, options_, clock_, metrics_, log_)) {}

SessionManager::~SessionManager() = default;

std::chrono::seconds SessionManager::LeaseLength() const {
  return options_.session_timeout + options_.session_timeout / 2;
}

size_t SessionManager::active_sessions() const {
  std::lock_guard lock(mu_);
  return by_id_.size();
}

std::shared_ptr<SessionState> SessionManager::Find(const RequestContext& c) const {
  std::lock_guard lock(mu_);
  if (!c.cookie_session.empty()) {
    auto it = by_id_.find(c.cookie_session);
    return it == by_id_.end() ? nullptr : it->second;
  }
  if (c.connection_id != 0) {
    auto jt = by_connection_.find(c.connection_id);
    if (jt != by_connection_.end()) {
      auto it = by_id_.find(jt->second);
      if (it != by_id_.end()) return it->second;
    }
  }
  return nullptr;
}

bool SessionManager::HasSession(const std::string& cookie_session, uint64_t connection_id) const {
  RequestContext c;
  c.cookie_session = cookie_session;
  c.connection_id = connection_id;
  return Find(c) != nullptr;
}

void SessionManager::End(SessionState& s, const std::string& reason) {
  if (s.ended) return;
  s.ended = true;
  s.phase = Phase::kEnded;
  {
    std::lock_guard lock(mu_);
    by_id_.erase(s.id);
    auto it = by_device_.find(s.device_id);
    if (it != by_device_.end() && it->second == s.id) by_device_.erase(it);
    for (auto jt = by_connection_.begin(); jt != by_connection_.end();) {
      jt = jt->second == s.id ? by_connection_.erase(jt) : std::next(jt);
    }
  }
  cwmp::Status st = s.lease_released ? cwmp::Status::Ok()
                                     : leases_.ReleaseSession(s.device_id, owner_, s.id);
  if (!st.ok()) {
    // The lease runs out by itself (1.5 × session_timeout after its last renewal).
    log_.Warn("could not release a session lease",
              {{"device", s.device_id}, {"error", st.ToString()}});
  }
  metrics_.Add(metrics::kSessionsEnded, {{"reason", reason}});
  log_.Info("session ended", {{"device", s.device_id}, {"reason", reason}});
}

Reply SessionManager::Unavailable(SessionState& s, const cwmp::Status& status) {
  log_.Error("session aborted: store error",
             {{"device", s.device_id}, {"error", status.ToString()}});
  End(s, "store-error");
  return Error(503, "temporarily unavailable", 10);
}

Reply SessionManager::Start(const RequestContext& c, const soap::Decoded& message) {
  const auto& inform = std::get<soap::Inform>(message.envelope.body);
  DeviceIdentity identity{inform.device_id.manufacturer, inform.device_id.oui,
                          inform.device_id.product_class, inform.device_id.serial_number};
  if (identity.oui.empty() || identity.serial_number.empty()) {
    return Error(400, "Inform without DeviceId OUI and SerialNumber");
  }
  const std::string device_id = DeviceIdOf(identity);
  if (c.authenticated_device && *c.authenticated_device != device_id) {
    metrics_.Add(metrics::kAuthFailures, {{"reason", "device-mismatch"}});
    log_.Warn(
        "credentials of another device",
        {{"device", device_id}, {"credentials_of", *c.authenticated_device}, {"peer", c.peer}});
    return Error(403, "these credentials belong to another device");
  }
  const TimePoint now = clock_();
  auto state = std::make_shared<SessionState>();
  state->id = owner_ + "." + RandomHex(16);
  state->owner = owner_;
  state->device_id = device_id;
  state->last_activity = now;

  // Lease + Inform in one transaction: the Inform is committed before InformResponse goes out.
  InformRecord record;
  record.device = identity;
  for (const auto& e : inform.events) record.events.push_back({e.event_code, e.command_key});
  for (const auto& p : inform.parameters) {
    record.parameters.push_back({p.name, p.value, p.type.empty() ? "xsd:string" : p.type});
  }
  record.received_at = now;
  record.cpe_time = CpeTime(inform.current_time);
  record.retry_count = static_cast<int>(inform.retry_count);
  state->lease_expires = now + LeaseLength();
  auto started = leases_.StartSession(record, owner_, state->id, state->lease_expires,
                                      c.default_credentials_username);
  if (!started.ok()) return Unavailable(*state, started.status());
  if (started->own_credentials) {
    Reply r;
    r.http_status = 401;
    r.own_credentials = true;
    r.device_id = device_id;
    return r;
  }
  const SessionLease& lease = started->lease;
  if (!lease.acquired) {
    auto wait = std::chrono::duration_cast<std::chrono::seconds>(lease.holder_expires_at - now);
    int secs = static_cast<int>(std::clamp<int64_t>(wait.count() + 1, 1, 3600));
    log_.Warn("device already in a session elsewhere", {{"device", device_id}, {"peer", c.peer}});
    metrics_.Add(metrics::kSessionsEnded, {{"reason", "busy"}});
    Reply r = Error(503, "this device is in a session with another acsd process", secs);
    r.device_id = device_id;
    return r;
  }
  // This process may still have an older session of the device (the CPE gave up on it and
  // started over): the new one replaces it.
  std::shared_ptr<SessionState> old;
  {
    std::lock_guard lock(mu_);
    auto it = by_device_.find(device_id);
    if (it != by_device_.end()) {
      auto jt = by_id_.find(it->second);
      if (jt != by_id_.end()) old = jt->second;
    }
  }
  if (old) {
    std::unique_lock old_lock(old->mu, std::try_to_lock);
    old->ended = true;  // its lease row now belongs to the new session; don't release it
    std::lock_guard lock(mu_);
    by_id_.erase(old->id);
    metrics_.Add(metrics::kSessionsEnded, {{"reason", "replaced"}});
  }
  const bool known = started->device_known;

  bool bootstrap = false;
  for (const auto& e : inform.events) {
    metrics_.Add(metrics::kInforms, {{"event", EventLabel(e.event_code)}});
    if (e.event_code == "0 BOOTSTRAP") bootstrap = true;
  }
  state->discovery_paths = DiscoveryPaths(inform.parameters);
  state->root = state->discovery_paths[0];
  state->discovery_pending = options_.discovery && (bootstrap || !known);

  const auto& env = message.envelope;
  std::optional<std::string_view> supported;
  if (env.supported_cwmp_versions) supported = *env.supported_cwmp_versions;
  state->version =
      soap::NegotiateVersion(supported, options_.max_version, message.namespace_version);
  soap::Envelope out;
  out.id = env.id;
  soap::InformResponse response;
  response.max_envelopes = 1;
  out.body = response;
  if (env.supported_cwmp_versions && state->version == soap::CwmpVersion::k1_4) {
    out.use_cwmp_version = std::string(soap::VersionString(state->version));
  }
  auto xml = engine_->EncodeFor(*state, std::move(out));
  if (!xml.ok()) return Unavailable(*state, xml.status());
  state->phase = Phase::kCpeTurn;
  {
    std::lock_guard lock(mu_);
    by_id_[state->id] = state;
    by_device_[device_id] = state->id;
    if (c.connection_id != 0) by_connection_[c.connection_id] = state->id;
  }
  metrics_.Add(metrics::kSessionsStarted);
  log_.Info("session started", {{"device", device_id},
                                {"peer", c.peer},
                                {"cwmp", std::string(soap::VersionString(state->version))},
                                {"discovery", state->discovery_pending ? "yes" : "no"}});
  Reply r;
  r.http_status = 200;
  r.body = std::move(*xml);
  r.set_cookie = state->id;
  r.device_id = device_id;
  return r;
}

Reply SessionManager::Handle(const RequestContext& c, const std::optional<soap::Decoded>& message) {
  Input input = message ? Classify(message->envelope.body) : Input::kEmpty;
  if (input == Input::kInform) return Start(c, *message);

  std::shared_ptr<SessionState> state = Find(c);
  if (!state) {
    if (!c.cookie_session.empty() && c.cookie_session.rfind(owner_ + ".", 0) != 0) {
      // The session lives in another acsd process (no affinity at the load balancer), or in
      // this process before a restart. Its state is not here: the CPE must start over.
      return Error(503, "this session belongs to another acsd process; start a new session", 5);
    }
    if (input == Input::kEmpty) return Reply{204, "", "", 0, ""};
    return Error(400, "no session: a CWMP session begins with an Inform");
  }
  std::lock_guard session_lock(state->mu);
  if (state->ended) return Error(400, "the session has ended; a new one begins with an Inform");
  const TimePoint now = clock_();
  // The lease is renewed only when less than a session timeout of it is left, so it always
  // outlives the in-memory session (which ends after session_timeout of inactivity) without a
  // database write on every request.
  cwmp::Status renewed = cwmp::Status::Ok();
  if (state->lease_expires - now < options_.session_timeout) {
    state->lease_expires = now + LeaseLength();
    renewed = leases_.RenewSession(state->device_id, owner_, state->id, state->lease_expires);
  }
  if (!renewed.ok()) {
    log_.Warn("session lease lost", {{"device", state->device_id}, {"error", renewed.ToString()}});
    End(*state, "lease-lost");
    return Error(503, "session expired; start a new session", 1);
  }
  state->last_activity = now;
  if (c.connection_id != 0) {
    std::lock_guard lock(mu_);
    by_connection_[c.connection_id] = state->id;
  }

  Action action = Next(state->phase, input);
  cwmp::Result<Reply> reply = Reply{};
  switch (action) {
    case Action::kAnswerCpeRequest:
      reply = engine_->AnswerCpeRequest(*state, message->envelope);
      break;
    case Action::kHandleResponse:
      reply = engine_->HandleResponse(*state, message->envelope.body);
      break;
    case Action::kSendNextOrEnd:
      reply = engine_->SendNextOrEnd(*state);
      break;
    case Action::kAbandonOutstanding:
      log_.Warn("empty POST while a response was due; the request is sent again next session",
                {{"device", state->device_id}, {"method", state->sent_method}});
      End(*state, "abandoned");
      return Reply{204, "", "", 0, state->device_id};
    case Action::kStartSession:
    case Action::kProtocolError: {
      std::string what =
          message ? std::string(soap::MethodName(message->envelope.body)) : "empty POST";
      log_.Warn(
          "protocol error",
          {{"device", state->device_id}, {"phase", PhaseName(state->phase)}, {"message", what}});
      End(*state, "protocol-error");
      return Error(400, "unexpected " + what + " in phase " + PhaseName(state->phase));
    }
  }
  if (!reply.ok()) return Unavailable(*state, reply.status());
  reply->device_id = state->device_id;
  if (reply->http_status != 200) End(*state, reply->http_status == 204 ? "done" : "protocol-error");
  return *reply;
}

int SessionManager::ExpireIdle() {
  const TimePoint now = clock_();
  std::vector<std::shared_ptr<SessionState>> idle;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, s] : by_id_) idle.push_back(s);  // checked under each one's lock
  }
  int n = 0;
  for (auto& s : idle) {
    std::unique_lock lock(s->mu, std::try_to_lock);
    if (!lock.owns_lock()) continue;  // a request is being handled right now
    if (now - s->last_activity < options_.session_timeout || s->ended) continue;
    End(*s, "timeout");
    ++n;
  }
  return n;
}

void SessionManager::Shutdown() {
  std::vector<std::shared_ptr<SessionState>> all;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, s] : by_id_) all.push_back(s);
  }
  for (auto& s : all) {
    std::lock_guard lock(s->mu);
    End(*s, "shutdown");
  }
  auto released = leases_.ReleaseOwner(owner_);
  if (!released.ok())
    log_.Warn("could not release leases", {{"error", released.status().ToString()}});
}

}  // namespace acs::session
