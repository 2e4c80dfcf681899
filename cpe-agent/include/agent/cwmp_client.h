#pragma once
// The agent's CWMP client: the session engine (one TR-069 session over an HttpSession, driven
// by a SessionDelegate) and CwmpClient, which decides when sessions run (boot, periodic inform,
// connection request, "inform now" from the device, value change) and retries failed sessions
// per TR-069 §3.2.1.1. Never two sessions at once; triggers that arrive while a session runs
// collapse into exactly one more session after it.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/cwmp_client_clock.h"
#include "agent/http_client.h"
#include "agent/retry_policy.h"
#include "agent/session_delegate.h"
#include "cwmp/base/status.h"
#include "cwmp/soap/codec.h"

namespace agent {

struct SessionOptions {
  std::string acs_url;  // ManagementServer.URL
  // The highest CWMP version the agent speaks; the Inform uses it (and, for 1.4, announces
  // SupportedCWMPVersions). The session continues in the version the ACS answers with.
  cwmp::soap::CwmpVersion max_version = cwmp::soap::CwmpVersion::k1_4;
  // How long to wait for each ACS answer, unless the ACS sends cwmp:SessionTimeout (1.3+).
  std::chrono::seconds session_timeout{30};
  // Bounds against an ACS that never ends a session.
  uint32_t max_messages = 10000;
  cwmp::soap::DecodeLimits decode_limits;
};

struct SessionOutcome {
  cwmp::Status status;  // ok: the session ended normally (204 / empty answer)
  bool inform_accepted = false;
  cwmp::soap::CwmpVersion version = cwmp::soap::CwmpVersion::k1_4;  // the session's version
  bool hold_requests = false;  // the InformResponse asked to hold CPE requests
  uint32_t acs_requests = 0;   // ACS requests answered
  uint32_t cpe_requests = 0;   // CPE requests acknowledged
};

// Runs one session. `extra_events` are event codes added to the delegate's Inform when absent
// (the client's own triggers: "2 PERIODIC", "6 CONNECTION REQUEST"). Calls
// delegate.OnSessionEnd() before returning.
SessionOutcome RunSession(HttpSession& http, SessionDelegate& delegate,
                          const SessionOptions& options, uint32_t retry_count,
                          const std::vector<std::string>& extra_events);

// What starts a session.
enum class SessionTrigger {
  kBoot,               // start-up; the delegate's Inform carries "1 BOOT" / "0 BOOTSTRAP"
  kPeriodic,           // "2 PERIODIC" (the client's own timer)
  kConnectionRequest,  // "6 CONNECTION REQUEST" (HTTP, UDP or STUN)
  kInformNow,          // the device has something to report (active notification, transfer)
  kValueChange,        // "4 VALUE CHANGE": the delegate adds the event
  kRetry,              // the §3.2.1.1 back-off expired
};

struct PeriodicInformOptions {
  bool enable = false;        // PeriodicInformEnable
  uint32_t interval = 86400;  // PeriodicInformInterval, seconds (>= 1)
  // PeriodicInformTime: informs fall on this time + k·interval. nullopt = unknown time; the first
  // periodic inform is one interval after the options are set.
  std::optional<std::chrono::sys_seconds> reference_time;
};

// The next periodic inform strictly after `now`.
ClientClock::TimePoint NextPeriodicInform(ClientClock::TimePoint now, const PeriodicInformOptions& options);

struct CwmpClientOptions {
  SessionOptions session;
  RetryParameters retry;
  PeriodicInformOptions periodic;
};

class CwmpClient {
 public:
  // `delegate`, `clock` and `random` must outlive the client. Sessions use `http`.
  CwmpClient(CwmpClientOptions options, std::unique_ptr<HttpClient> http, SessionDelegate& delegate,
             const ClientClock& clock, cwmp::prov::Random& random);
  ~CwmpClient();
  CwmpClient(const CwmpClient&) = delete;
  CwmpClient& operator=(const CwmpClient&) = delete;

  // Thread-safe: asks for a session as soon as possible (after the running one, if any).
  void Trigger(SessionTrigger trigger);
  // Thread-safe: new periodic-inform settings (recomputes the next periodic inform) and retry
  // parameters (used from the next failure on).
  void SetPeriodicInform(const PeriodicInformOptions& periodic);
  void SetRetryParameters(const RetryParameters& retry);
  // Thread-safe: new ACS URL / maximum version / timeouts, used from the next session on.
  void SetSessionOptions(const SessionOptions& session);
  // Replaces the HTTP client (new ACS credentials, CA file). Must not be called while a session
  // runs, i.e. only from the thread that calls RunDue(), between calls.
  void SetHttpClient(std::unique_ptr<HttpClient> http);

  // Runs, on the calling thread, every session due at clock.Now() (a failed session schedules
  // its retry, so this returns after at most one failure) and returns when the next one is due
  // (nullopt: nothing scheduled). Tests drive the client with this and a fake clock.
  std::optional<ClientClock::TimePoint> RunDue();

  // Blocks, running sessions when due, until Stop(). Waits with the real clock between them.
  void Run();
  // Thread-safe: makes Run() return after the current session.
  void Stop();

  uint32_t retry_count() const;
  // The last session's outcome (nullopt before the first session).
  std::optional<SessionOutcome> last_outcome() const;
  uint64_t sessions_run() const;

 private:
  bool DueLocked(ClientClock::TimePoint now) const;
  std::optional<ClientClock::TimePoint> NextDueLocked() const;

  CwmpClientOptions options_;
  std::unique_ptr<HttpClient> http_;
  SessionDelegate& delegate_;
  const ClientClock& clock_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  RetryPolicy retry_;
  bool requested_ = false;                       // a trigger is waiting
  std::set<std::string> pending_events_;         // client-owned events for the next Inform
  std::optional<ClientClock::TimePoint> retry_at_;     // back-off after a failure
  std::optional<ClientClock::TimePoint> periodic_at_;  // next periodic inform
  bool stop_ = false;
  std::optional<SessionOutcome> last_outcome_;
  uint64_t sessions_run_ = 0;
};

}  // namespace agent
