// CwmpClient: when sessions run. One mutex guards the schedule; sessions run outside it, on the
// thread that calls RunDue()/Run(), so triggers from other threads never wait for a session.
#include "agent/cwmp_client.h"

#include <algorithm>

namespace agent {

namespace {
constexpr const char* kPeriodicEvent = "2 PERIODIC";
constexpr const char* kConnectionRequestEvent = "6 CONNECTION REQUEST";

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

ClientClock::TimePoint NextPeriodicInform(ClientClock::TimePoint now, const PeriodicInformOptions& options) {
  const int64_t interval = std::max<uint32_t>(options.interval, 1);
  if (!options.reference_time) return now + std::chrono::seconds(interval);
  auto now_s = std::chrono::floor<std::chrono::seconds>(now);
  int64_t since = (now_s - *options.reference_time).count();
  int64_t j = FloorDiv(since, interval) + 1;
  return ClientClock::TimePoint(*options.reference_time + std::chrono::seconds(j * interval));
}

CwmpClient::CwmpClient(CwmpClientOptions options, std::unique_ptr<HttpClient> http,
                       SessionDelegate& delegate, const ClientClock& clock, cwmp::prov::Random& random)
    : options_(std::move(options)),
      http_(std::move(http)),
      delegate_(delegate),
      clock_(clock),
      retry_(random, options_.retry) {
  if (options_.periodic.enable) periodic_at_ = NextPeriodicInform(clock_.Now(), options_.periodic);
}

CwmpClient::~CwmpClient() = default;

void CwmpClient::Trigger(SessionTrigger trigger) {
  std::lock_guard lock(mu_);
  requested_ = true;
  if (trigger == SessionTrigger::kPeriodic) pending_events_.insert(kPeriodicEvent);
  if (trigger == SessionTrigger::kConnectionRequest)
    pending_events_.insert(kConnectionRequestEvent);
  cv_.notify_all();
}

void CwmpClient::SetPeriodicInform(const PeriodicInformOptions& periodic) {
  std::lock_guard lock(mu_);
  options_.periodic = periodic;
  periodic_at_.reset();
  if (periodic.enable) periodic_at_ = NextPeriodicInform(clock_.Now(), periodic);
  cv_.notify_all();
}

void CwmpClient::SetRetryParameters(const RetryParameters& retry) {
  std::lock_guard lock(mu_);
  options_.retry = retry;
  retry_.set_parameters(retry);
}

void CwmpClient::SetSessionOptions(const SessionOptions& session) {
  std::lock_guard lock(mu_);
  options_.session = session;
}

void CwmpClient::SetHttpClient(std::unique_ptr<HttpClient> http) { http_ = std::move(http); }

bool CwmpClient::DueLocked(ClientClock::TimePoint now) const {
  return requested_ || (retry_at_ && *retry_at_ <= now) || (periodic_at_ && *periodic_at_ <= now);
}

std::optional<ClientClock::TimePoint> CwmpClient::NextDueLocked() const {
  if (requested_) return clock_.Now();
  std::optional<ClientClock::TimePoint> next = retry_at_;
  if (periodic_at_ && (!next || *periodic_at_ < *next)) next = periodic_at_;
  return next;
}

std::optional<ClientClock::TimePoint> CwmpClient::RunDue() {
  while (true) {
    std::vector<std::string> events;
    uint32_t retry_count = 0;
    SessionOptions session_options;
    {
      std::lock_guard lock(mu_);
      ClientClock::TimePoint now = clock_.Now();
      if (stop_ || !DueLocked(now)) return NextDueLocked();
      if (periodic_at_ && *periodic_at_ <= now) {
        pending_events_.insert(kPeriodicEvent);
        periodic_at_ = NextPeriodicInform(now, options_.periodic);
      }
      retry_at_.reset();
      requested_ = false;
      events.assign(pending_events_.begin(), pending_events_.end());
      retry_count = retry_.retry_count();
      session_options = options_.session;
    }

    SessionOutcome outcome;
    auto http = http_->StartSession();
    if (http.ok()) {
      outcome = RunSession(**http, delegate_, session_options, retry_count, events);
    } else {
      outcome.status = http.status();
      delegate_.OnSessionEnd(false);
    }

    std::lock_guard lock(mu_);
    ++sessions_run_;
    if (outcome.inform_accepted) {
      for (const auto& e : events) pending_events_.erase(e);
    }
    last_outcome_ = outcome;
    if (outcome.status.ok()) {
      retry_.Reset();
      continue;
    }
    // "6 CONNECTION REQUEST" is never retried; the retry session reports the rest.
    pending_events_.erase(kConnectionRequestEvent);
    retry_at_ = clock_.Now() + retry_.OnFailure();
    return NextDueLocked();
  }
}

void CwmpClient::Run() {
  while (true) {
    std::optional<ClientClock::TimePoint> next = RunDue();
    std::unique_lock lock(mu_);
    if (stop_) return;
    auto wake = [&] { return stop_ || requested_; };
    if (next) {
      cv_.wait_for(lock, *next - clock_.Now(), wake);
    } else {
      cv_.wait(lock, wake);
    }
    if (stop_) return;
  }
}

void CwmpClient::Stop() {
  std::lock_guard lock(mu_);
  stop_ = true;
  cv_.notify_all();
}

uint32_t CwmpClient::retry_count() const {
  std::lock_guard lock(mu_);
  return retry_.retry_count();
}

std::optional<SessionOutcome> CwmpClient::last_outcome() const {
  std::lock_guard lock(mu_);
  return last_outcome_;
}

uint64_t CwmpClient::sessions_run() const {
  std::lock_guard lock(mu_);
  return sessions_run_;
}

}  // namespace agent
