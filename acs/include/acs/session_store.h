#pragma once
// SessionStore: the session engine's own tables (migration 101_cwmp_sessions): session leases
// that keep one live CWMP session per device across acsd processes, per-device CPE
// credentials, and the task queries the engine needs beyond Store (deliverable tasks, transfer
// tasks awaiting TransferComplete).
//
// A separate interface from Store so the session engine's SQL lives in its own file
// (acs/src/store/store_sessions.cpp) and Store stays the shared, stable surface. It has its own
// small connection pool on the same database. Every method is one transaction; times are
// passed in by the caller. Errors as in store.h.

#include <memory>
#include <optional>
#include <string>

#include "acs/store.h"
#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace acs {

struct SessionLease {
  bool acquired = false;          // true: the caller holds the device's session now
  TimePoint holder_expires_at{};  // when !acquired: when the other holder's lease runs out
};

// What StartSession did.
struct SessionStart {
  SessionLease lease;
  bool device_known = false;  // when acquired: the device had been stored before this Inform
  // StartSession's default_credentials_username has per-device credentials: nothing was
  // stored, no lease taken (lease.acquired is false); authenticate against them first.
  bool own_credentials = false;
};

struct DeviceCredentials {
  std::string device_id;
  std::string username;
  cwmp::Secret password;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Takes the device's session lease for (owner, session_id) until `expires_at`, unless another
  // owner holds an unexpired one. The same owner always succeeds (its newer session replaces
  // the older one: a CPE that restarted its session).
  virtual cwmp::Result<SessionLease> AcquireSession(const std::string& device_id,
                                                    const std::string& owner,
                                                    const std::string& session_id, TimePoint now,
                                                    TimePoint expires_at) = 0;
  // The start of a session in one transaction and one round trip (SQL function
  // acs_start_session, migration 202): AcquireSession(device, owner, session_id,
  // inform.received_at, expires_at) and, only when the lease was granted, what
  // Store::RecordInform(inform) stores, committed together. When the lease is refused nothing
  // is stored. kInvalidArgument for an Inform without OUI or SerialNumber.
  // default_credentials_username: the CPE was accepted with acsd's default credentials under
  // this username without looking up per-device ones; when the username has per-device
  // credentials (which take precedence) nothing is done and own_credentials is set. Checked
  // in the same transaction (migration 204): no credentials round trip of its own.
  virtual cwmp::Result<SessionStart> StartSession(
      const InformRecord& inform, const std::string& owner, const std::string& session_id,
      TimePoint expires_at, const std::optional<std::string>& default_credentials_username) = 0;
  // Extends the lease; kFailedPrecondition when (owner, session_id) no longer holds it.
  virtual cwmp::Status RenewSession(const std::string& device_id, const std::string& owner,
                                    const std::string& session_id, TimePoint expires_at) = 0;
  // Drops the lease if (owner, session_id) holds it (no error otherwise).
  virtual cwmp::Status ReleaseSession(const std::string& device_id, const std::string& owner,
                                      const std::string& session_id) = 0;
  // Drops every lease of `owner` (graceful shutdown); returns how many.
  virtual cwmp::Result<int> ReleaseOwner(const std::string& owner) = 0;

  // Whether the device has been stored (an Inform was recorded).
  virtual cwmp::Result<bool> DeviceKnown(const std::string& device_id) = 0;

  // The device's oldest pending, unexpired task that is not awaiting a TransferComplete.
  virtual cwmp::Result<std::optional<Task>> NextDeliverableTask(const std::string& device_id,
                                                                TimePoint now) = 0;
  // NextDeliverableTask, and when there is none, ReleaseSession(device_id, owner, session_id) in
  // the same statement (the session is about to end with 204: one round trip instead of two).
  virtual cwmp::Result<std::optional<Task>> NextDeliverableTaskOrRelease(
      const std::string& device_id, const std::string& owner, const std::string& session_id,
      TimePoint now) = 0;
  // Marks a pending transfer task as accepted by the CPE: not sent again.
  virtual cwmp::Status MarkAwaitingTransfer(int64_t task_id, TimePoint now) = 0;
  // The device's pending download/upload/scheduleDownload task whose command key (args
  // commandKey, default "task-<id>") is `command_key`, oldest first; nullopt if none.
  virtual cwmp::Result<std::optional<Task>> FindTransferTask(const std::string& device_id,
                                                             const std::string& command_key) = 0;
  // A fault not tied to a task (discovery, AutonomousTransferComplete); listed by ListFaults.
  virtual cwmp::Status RecordDeviceFault(const std::string& device_id, const TaskFault& fault,
                                         TimePoint now) = 0;

  // A RequestDownload from the CPE, in one transaction: picks the newest registered file of
  // `file_type` for the device (files with the device's OUI or any, its ProductClass or any;
  // the most specific first), queues a download task for it when the file has a URL, and
  // records the request (cpe_requests) with the file and task. `args_json` is a JSON object of
  // the FileTypeArgs. Returns the entry as stored.
  virtual cwmp::Result<CpeRequestEntry> RecordRequestDownload(const std::string& device_id,
                                                              const std::string& file_type,
                                                              const std::string& args_json,
                                                              TimePoint now) = 0;

  // Per-device CPE credentials.
  virtual cwmp::Status SetDeviceCredentials(const DeviceCredentials& credentials) = 0;
  // By the username the CPE sent; nullopt when no device has it.
  virtual cwmp::Result<std::optional<DeviceCredentials>> FindCredentialsByUsername(
      const std::string& username) = 0;
};

// Opens the session store on the same database as Store (StoreOptions; max_connections is
// this store's own pool size).
cwmp::Result<std::unique_ptr<SessionStore>> OpenPostgresSessionStore(const StoreOptions& options);

}  // namespace acs
