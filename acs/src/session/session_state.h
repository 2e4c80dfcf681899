#pragma once
// Private to the session engine: one session's in-memory state and the Engine that runs its
// RPC exchanges (session_rpcs.cpp). SessionManager (session_manager.cpp) owns the lifecycle.

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "acs/session.h"

namespace acs::session {

struct SessionState {
  std::mutex mu;  // one request of a session at a time
  std::string id;
  std::string owner;  // the SessionManager's owner id (the lease row's owner)
  std::string device_id;
  Phase phase = Phase::kCpeTurn;
  cwmp::soap::CwmpVersion version = cwmp::soap::CwmpVersion::k1_2;
  TimePoint last_activity{};
  TimePoint lease_expires{};    // of the cwmp_sessions row, as last written by this process
  bool lease_released = false;  // the store dropped the lease already (no task left)
  std::atomic<bool> ended{false};

  // Discovery of a new or bootstrapped device.
  bool discovery_pending = false;
  std::vector<std::string> discovery_paths;
  size_t discovery_index = 0;
  std::string root = "Device.";  // the data model root the Inform used

  // A data-model read in progress (discovery, or a refreshObject task when refresh_task is set).
  std::optional<Refresh> refresh;
  std::optional<Task> refresh_task;

  // What the outstanding ACS request is.
  enum class Sent { kNone, kTask, kRefreshNames, kRefreshValues };
  Sent sent = Sent::kNone;
  std::optional<Task> sent_task;
  std::string sent_method;
  int rpcs_sent = 0;
  uint64_t next_id = 1;
};

class Engine {
 public:
  Engine(Store& store, SessionStore& sessions, const SessionOptions& options, const Clock& clock,
         metrics::Registry& metrics, log::Logger& logger)
      : store_(store),
        sessions_(sessions),
        options_(options),
        clock_(clock),
        metrics_(metrics),
        log_(logger) {}

  // Each returns the reply, or a store error (the caller answers 503 and ends the session; the
  // CPE retries and nothing committed is lost). A 204 reply means the session is over.
  cwmp::Result<Reply> AnswerCpeRequest(SessionState& s, const cwmp::soap::Envelope& request);
  cwmp::Result<Reply> HandleResponse(SessionState& s, const cwmp::soap::Body& response);
  cwmp::Result<Reply> SendNextOrEnd(SessionState& s);
  // An encoded envelope for `body` in the session's version.
  cwmp::Result<std::string> EncodeFor(const SessionState& s, cwmp::soap::Envelope envelope) const;

 private:
  cwmp::Result<Reply> Send(SessionState& s, cwmp::soap::Body rpc);
  cwmp::Status ApplyTaskOutcome(SessionState& s, const Task& task, const tasks::Outcome& outcome);
  cwmp::Status FinishRefresh(SessionState& s);
  cwmp::Status RefreshFault(SessionState& s, const cwmp::soap::Fault& fault, bool* retry);
  cwmp::Status CountFault(int code);

  Store& store_;
  SessionStore& sessions_;
  const SessionOptions& options_;
  const Clock& clock_;
  metrics::Registry& metrics_;
  log::Logger& log_;
};

}  // namespace acs::session
