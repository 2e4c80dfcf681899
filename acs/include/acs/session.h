#pragma once
// The CWMP session engine.
//
// A session begins with an Inform and spans several HTTP requests, possibly on different TCP
// connections; the CPE returns the session cookie the InformResponse set. Its state lives in
// the memory of the acsd process that accepted the Inform, which holds the device's session
// lease (SessionStore, table cwmp_sessions) so no other process runs a session for that device
// at the same time. See docs/acs-serve.md for the whole protocol and the choices.
//
// Pieces, each tested alone:
//  - Fsm: which CWMP message may come in which phase and what the engine does with it;
//  - Refresh: a data-model read (GetParameterNames, then GetParameterValues in batches) used by
//    discovery and by refreshObject tasks;
//  - SessionManager: the engine (store, tasks, leases) behind the CWMP endpoint.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "acs/log.h"
#include "acs/metrics.h"
#include "acs/session_store.h"
#include "acs/store.h"
#include "acs/tasks.h"
#include "cwmp/soap/codec.h"
#include "cwmp/soap/messages.h"

namespace acs::session {

// ---- the state machine -----------------------------------------------------------------------

enum class Phase {
  kAwaitInform,    // new session: only an Inform is accepted
  kCpeTurn,        // after InformResponse: CPE requests, or an empty POST handing over the turn
  kAwaitResponse,  // the ACS sent an RPC; the CPE's response (or fault) is due
  kEnded,          // 204 sent (or the session was abandoned)
};
enum class Input { kInform, kCpeRequest, kResponse, kEmpty };
enum class Action {
  kStartSession,        // record the Inform, answer InformResponse
  kAnswerCpeRequest,    // TransferComplete, GetRPCMethods, ...: answer it, phase unchanged
  kHandleResponse,      // store the outcome, then send the next RPC or end
  kSendNextOrEnd,       // empty POST: send the next RPC, or 204 and end
  kAbandonOutstanding,  // empty POST while a response is due: the task stays pending; end
  kProtocolError,       // 400 and end the session
};
const char* PhaseName(Phase phase);
// Classifies a decoded body: Inform, a request the CPE may send (TransferComplete, ...), or a
// response/fault to an ACS request. UnknownMethod counts as a CPE request (answered 8000).
Input Classify(const cwmp::soap::Body& body);
Action Next(Phase phase, Input input);

// ---- data-model reads ------------------------------------------------------------------------

struct RefreshLimits {
  size_t max_parameters = 10000;  // leaf names read per refresh; more are ignored (logged)
  size_t batch_size = 100;        // names per GetParameterValues
};

class Refresh {
 public:
  // `path` is the GetParameterNames path ("Device.", "Device.ManagementServer.", "").
  Refresh(std::string path, RefreshLimits limits) : path_(std::move(path)), limits_(limits) {}
  const std::string& path() const { return path_; }
  cwmp::soap::GetParameterNames NamesRequest() const { return {path_, false}; }
  // The GetParameterNamesResponse's leaf names (objects, ending in '.', are dropped); returns
  // how many were dropped for the limit.
  size_t SetNames(const std::vector<cwmp::soap::ParameterInfo>& infos);
  // The next GetParameterValues batch, or nullopt when every name has been requested.
  std::optional<cwmp::soap::GetParameterValues> NextBatch();
  size_t names() const { return leaves_.size(); }
  size_t values_read() const { return values_read_; }
  void CountValues(size_t n) { values_read_ += n; }

 private:
  std::string path_;
  RefreshLimits limits_;
  std::vector<std::string> leaves_;
  size_t next_ = 0;
  size_t values_read_ = 0;
};

// The GetParameterNames paths discovery tries, in order: the data model root the Inform's
// parameters use ("Device." or "InternetGatewayDevice."), the other root, then "" (the whole
// tree) for CPEs that reject a root path.
std::vector<std::string> DiscoveryPaths(const std::vector<cwmp::soap::ParameterValue>& inform);

// ---- the engine ------------------------------------------------------------------------------

struct SessionOptions {
  std::chrono::seconds session_timeout{60};  // idle time after which a session is dropped
  bool discovery = true;                     // learn the data model of new/bootstrapped devices
  RefreshLimits refresh;
  int max_rpcs_per_session = 1000;  // a bound against loops; the rest waits for the next session
  cwmp::soap::CwmpVersion max_version = cwmp::soap::CwmpVersion::k1_4;
};

// What the endpoint knows about the request besides its body.
struct RequestContext {
  std::string cookie_session;  // the session cookie's value, "" if none
  uint64_t connection_id = 0;  // per HttpServer; 0 = unknown (no fallback to the connection)
  // When the CPE authenticated with per-device credentials (or a client certificate), the
  // device they belong to: an Inform from another device is refused (403).
  std::optional<std::string> authenticated_device;
  // The CPE was accepted with the default credentials under this username, without checking
  // that it has no per-device credentials (which take precedence): the Inform that starts
  // the session checks it in the same transaction (Reply::own_credentials).
  std::optional<std::string> default_credentials_username;
  std::string peer;  // for logs
};

struct Reply {
  int http_status = 200;        // 200 (envelope), 204 (session over), 400, 403, 503
  std::string body;             // XML envelope or an error text
  std::string set_cookie;       // new session id to set as cookie ("" = none)
  int retry_after_seconds = 0;  // with 503
  std::string device_id;        // for logs
  // RequestContext::default_credentials_username has per-device credentials: nothing was
  // done; authenticate the request against them, then Handle it again without the field.
  bool own_credentials = false;
};

using Clock = std::function<TimePoint()>;

struct SessionState;  // private: acs/src/session/session_state.h
class Engine;

class SessionManager {
 public:
  SessionManager(Store& store, SessionStore& sessions, SessionOptions options, Clock clock,
                 metrics::Registry& metrics, log::Logger& logger);
  ~SessionManager();

  // One CPE HTTP request: `message` is nullopt for an empty POST.
  Reply Handle(const RequestContext& context, const std::optional<cwmp::soap::Decoded>& message);

  // True when `cookie_session` (or else the connection) names a live session of this process:
  // the CPE authenticated when it started it, so later requests need no new challenge.
  bool HasSession(const std::string& cookie_session, uint64_t connection_id) const;

  // Drops sessions idle longer than session_timeout, releasing their leases; returns how many.
  int ExpireIdle();
  // Ends every session and releases every lease of this process (graceful shutdown).
  void Shutdown();

  size_t active_sessions() const;
  // This process's random owner id (the prefix of its session cookies).
  const std::string& owner() const { return owner_; }

 private:
  std::shared_ptr<SessionState> Find(const RequestContext& context) const;
  Reply Start(const RequestContext& context, const cwmp::soap::Decoded& message);
  // Forgets the session and releases its lease; the caller holds the session's mutex.
  void End(SessionState& state, const std::string& reason);
  Reply Unavailable(SessionState& state, const cwmp::Status& status);
  // How long a lease is taken or renewed for: 1.5 × session_timeout (renewed when less than
  // session_timeout is left).
  std::chrono::seconds LeaseLength() const;

  Store& store_;
  SessionStore& leases_;
  SessionOptions options_;
  Clock clock_;
  metrics::Registry& metrics_;
  log::Logger& log_;
  std::string owner_;
  std::unique_ptr<Engine> engine_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<SessionState>> by_id_;
  std::map<std::string, std::string> by_device_;   // device id -> session id
  std::map<uint64_t, std::string> by_connection_;  // connection id -> session id
};

}  // namespace acs::session
