// SessionStore on PostgreSQL (migration 101_cwmp_sessions).
//
// A lease row stays once its device has had a session (migration 206): releasing it sets
// session_id '' and expires_at '-infinity' (ACS_RELEASED), two HOT updates per session
// instead of an insert and a delete.
#include <algorithm>

#include "acs/session_store.h"
#include "store/inform_arrays.h"
#include "store/pg_connection.h"
#include "store/pg_pool.h"

namespace acs {
namespace {

using cwmp::Result;
using cwmp::Status;

#define ACS_SESSION_TASK_COLUMNS                                              \
  "id, device_id, name, args::text, status, attempts, result::text, " ACS_US( \
      "created_at") ", " ACS_US("updated_at") ", " ACS_US("expires_at")

// The command key a transfer task is sent with (docs/acs-tasks.md).
#define ACS_TASK_COMMAND_KEY "coalesce(args->>'commandKey', 'task-' || id::text)"

const pg::Statement kAcquire{
    "session_acquire",
    "INSERT INTO cwmp_sessions (device_id, owner, session_id, started_at, expires_at)"
    " VALUES ($1, $2, $3, " ACS_TS(4) ", " ACS_TS(5) ")"
    " ON CONFLICT (device_id) DO UPDATE SET owner = EXCLUDED.owner,"
    " session_id = EXCLUDED.session_id, started_at = EXCLUDED.started_at,"
    " expires_at = EXCLUDED.expires_at"
    " WHERE cwmp_sessions.expires_at <= " ACS_TS(4) " OR cwmp_sessions.owner = EXCLUDED.owner"
    " RETURNING 1"};

const pg::Statement kStartSession{
    "start_session",
    "SELECT acquired, holder_expires_us, device_known, own_credentials FROM acs_start_session("
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"};

const pg::Statement kRenew{"session_renew",
                           "UPDATE cwmp_sessions SET expires_at = " ACS_TS(
                               4) " WHERE device_id = $1 AND owner = $2 AND session_id = $3"};

const pg::Statement kNextDeliverable{
    "next_deliverable_task",
    "SELECT " ACS_SESSION_TASK_COLUMNS
    " FROM tasks WHERE device_id = $1 AND status = 'pending' AND NOT awaiting_transfer"
    " AND (expires_at IS NULL OR expires_at > " ACS_TS(2) ") ORDER BY id LIMIT 1"};

// Releasing a lease is committed without waiting for its WAL flush (synchronous_commit off
// for that transaction only, set by the DELETE's own condition): losing a release in a
// database crash only leaves a lease that runs out by itself, as when acsd dies mid-session.
// Visibility is not delayed (a commit is visible at once, flushed or not), and any later
// synchronous commit, such as the device's next Inform, flushes it too. Everything the CPE is
// told was stored (Informs, task results) still commits synchronously. One WAL flush fewer
// per session (docs/acs-serve.md, "Database work per session").
// What a released lease looks like: no session matches it, and every Inform may take it.
#define ACS_RELEASED "session_id = '', expires_at = '-infinity'"

#define ACS_RELEASE_ASYNC " AND set_config('synchronous_commit', 'off', true) = 'off'"

const pg::Statement kNextDeliverableOrRelease{
    "next_deliverable_task_or_release",
    "WITH next AS (SELECT " ACS_SESSION_TASK_COLUMNS
    " FROM tasks WHERE device_id = $1 AND status = 'pending' AND NOT awaiting_transfer"
    " AND (expires_at IS NULL OR expires_at > " ACS_TS(4) ") ORDER BY id LIMIT 1),"
    " released AS (UPDATE cwmp_sessions SET " ACS_RELEASED " WHERE device_id = $1 AND owner = $2"
    " AND session_id = $3 AND NOT EXISTS (SELECT 1 FROM next)" ACS_RELEASE_ASYNC " RETURNING 1)"
    " SELECT * FROM next"};

// Once per authenticated session (the CPE's own credentials, before the default ones):
// prepared once per connection rather than parsed and planned per request.
const pg::Statement kCredentialsByUsername{
    "credentials_by_username",
    "SELECT device_id, username, password FROM device_credentials WHERE username = $1"};

const pg::Statement kRelease{
    "session_release",
    "UPDATE cwmp_sessions SET " ACS_RELEASED
    " WHERE device_id = $1 AND owner = $2 AND session_id = $3" ACS_RELEASE_ASYNC};

// One statement: the device's best file of the type, a download task for it (when it has a
// URL), the history row naming both.
const pg::Statement kRequestDownload{
    "request_download",
    "WITH dev AS (SELECT oui, product_class FROM devices WHERE id = $1),"
    " f AS (SELECT files.name, files.file_type, files.url, files.size FROM files, dev"
    " WHERE files.file_type = $2 AND (files.oui = '' OR files.oui = dev.oui)"
    " AND (files.product_class = '' OR files.product_class = dev.product_class)"
    " ORDER BY (files.oui <> '') DESC, (files.product_class <> '') DESC, files.created_at DESC,"
    " files.id DESC LIMIT 1),"
    " t AS (INSERT INTO tasks (device_id, name, args, created_at, updated_at)"
    " SELECT $1, 'download', jsonb_build_object('name', 'download', 'fileType', f.file_type,"
    " 'url', f.url, 'fileSize', f.size, 'targetFileName', f.name), " ACS_TS(4) ", " ACS_TS(4)
    " FROM f WHERE f.url <> '' RETURNING id),"
    " r AS (INSERT INTO cpe_requests (device_id, received_at, method, file_type, args, file_name,"
    " task_id) SELECT $1, " ACS_TS(4) ", 'RequestDownload', $2, $3::jsonb,"
    " (SELECT name FROM f), (SELECT id FROM t) RETURNING file_name, task_id)"
    " SELECT file_name, task_id FROM r"};

Task TaskFromRow(const pg::Rows& rows, int r) {
  Task t;
  t.id = rows.Int(r, 0);
  t.device_id = rows.Text(r, 1);
  t.name = rows.Text(r, 2);
  t.args_json = rows.Text(r, 3);
  std::string s = rows.Text(r, 4);
  t.status = s == "done"      ? TaskStatus::kDone
             : s == "fault"   ? TaskStatus::kFault
             : s == "expired" ? TaskStatus::kExpired
                              : TaskStatus::kPending;
  t.attempts = static_cast<int>(rows.Int(r, 5));
  t.result_json = rows.OptText(r, 6);
  t.created_at = pg::FromMicros(rows.Int(r, 7));
  t.updated_at = pg::FromMicros(rows.Int(r, 8));
  if (!rows.IsNull(r, 9)) t.expires_at = pg::FromMicros(rows.Int(r, 9));
  return t;
}

class PgSessionStore final : public SessionStore {
 public:
  explicit PgSessionStore(const StoreOptions& o)
      : pool_(o.database_url, std::max(1, o.max_connections), o.connect_timeout_seconds,
              o.statement_timeout_ms) {}
  Status Warm() { return pool_.Acquire().status(); }

  Result<SessionLease> AcquireSession(const std::string& device_id, const std::string& owner,
                                      const std::string& session_id, TimePoint now,
                                      TimePoint expires_at) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(
        kAcquire, {device_id, owner, session_id, pg::MicrosText(now), pg::MicrosText(expires_at)});
    if (!rows.ok()) return rows.status().WithPrefix("session lease of " + device_id);
    SessionLease lease;
    if (rows->size() > 0) {
      lease.acquired = true;
      return lease;
    }
    auto holder = (*conn)->Query(
        "SELECT " ACS_US("expires_at") " FROM cwmp_sessions WHERE device_id = $1", {device_id});
    if (!holder.ok()) return holder.status();
    lease.holder_expires_at = holder->size() > 0 ? pg::FromMicros(holder->Int(0, 0)) : now;
    return lease;
  }

  Result<SessionStart> StartSession(const InformRecord& in, const std::string& owner,
                                    const std::string& session_id, TimePoint expires_at,
                                    const std::optional<std::string>& default_credentials_username)
      override {
    const DeviceIdentity& d = in.device;
    if (d.oui.empty() || d.serial_number.empty()) {
      return cwmp::InvalidArgument("Inform DeviceId needs an OUI and a SerialNumber");
    }
    const std::string device_id = DeviceIdOf(d);
    pg::InformArrays a = pg::InformArraysOf(in);
    pg::Param cpe_time;
    if (in.cpe_time) cpe_time = pg::MicrosText(*in.cpe_time);
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(
        kStartSession,
        {device_id, owner, session_id, pg::MicrosText(in.received_at), pg::MicrosText(expires_at),
         d.oui, d.product_class, d.serial_number, d.manufacturer, a.boot ? "t" : "f",
         a.bootstrap ? "t" : "f", cpe_time, std::to_string(in.retry_count),
         pg::TextArray(a.event_codes), pg::TextArray(a.event_keys), pg::TextArray(a.names),
         pg::TextArray(a.values), pg::TextArray(a.types), default_credentials_username});
    if (!rows.ok()) return rows.status().WithPrefix("session start of " + device_id);
    if (rows->size() != 1) return cwmp::Internal("acs_start_session returned no row");
    SessionStart out;
    out.own_credentials = rows->Bool(0, 3);
    if (out.own_credentials) return out;
    out.lease.acquired = rows->Bool(0, 0);
    if (!out.lease.acquired) {
      out.lease.holder_expires_at =
          rows->IsNull(0, 1) ? in.received_at : pg::FromMicros(rows->Int(0, 1));
      return out;
    }
    out.device_known = rows->Bool(0, 2);
    return out;
  }

  Status RenewSession(const std::string& device_id, const std::string& owner,
                      const std::string& session_id, TimePoint expires_at) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(kRenew, {device_id, owner, session_id, pg::MicrosText(expires_at)});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) {
      return cwmp::FailedPrecondition("the session lease of " + device_id + " was lost");
    }
    return Status::Ok();
  }

  Status ReleaseSession(const std::string& device_id, const std::string& owner,
                        const std::string& session_id) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    return (*conn)
        ->Query(kRelease, {device_id, owner, session_id})
        .status();
  }

  Result<int> ReleaseOwner(const std::string& owner) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    // A sequential scan (no owner index, so that lease updates stay HOT): graceful shutdown only.
    auto rows = (*conn)->Query(
        "UPDATE cwmp_sessions SET " ACS_RELEASED " WHERE owner = $1 AND session_id <> ''", {owner});
    if (!rows.ok()) return rows.status();
    return rows->Affected();
  }

  Result<bool> DeviceKnown(const std::string& device_id) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query("SELECT 1 FROM devices WHERE id = $1", {device_id});
    if (!rows.ok()) return rows.status();
    return rows->size() > 0;
  }

  Result<CpeRequestEntry> RecordRequestDownload(const std::string& device_id,
                                                const std::string& file_type,
                                                const std::string& args_json,
                                                TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows =
        (*conn)->Query(kRequestDownload, {device_id, file_type, args_json, pg::MicrosText(now)});
    if (!rows.ok()) return rows.status().WithPrefix("RequestDownload of " + device_id);
    if (rows->size() != 1) return cwmp::Internal("RequestDownload: no row recorded");
    CpeRequestEntry e;
    e.received_at = now;
    e.method = "RequestDownload";
    e.file_type = file_type;
    e.args_json = args_json;
    e.file_name = rows->OptText(0, 0);
    e.task_id = rows->OptInt(0, 1);
    return e;
  }

  Result<std::optional<Task>> NextDeliverableTaskOrRelease(const std::string& device_id,
                                                           const std::string& owner,
                                                           const std::string& session_id,
                                                           TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(kNextDeliverableOrRelease,
                               {device_id, owner, session_id, pg::MicrosText(now)});
    if (!rows.ok()) return rows.status();
    if (rows->size() == 0) return std::optional<Task>();
    return std::optional<Task>(TaskFromRow(*rows, 0));
  }

  Result<std::optional<Task>> NextDeliverableTask(const std::string& device_id,
                                                  TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(kNextDeliverable, {device_id, pg::MicrosText(now)});
    if (!rows.ok()) return rows.status();
    if (rows->size() == 0) return std::optional<Task>();
    return std::optional<Task>(TaskFromRow(*rows, 0));
  }

  Status MarkAwaitingTransfer(int64_t task_id, TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query("UPDATE tasks SET awaiting_transfer = true, updated_at = " ACS_TS(
                                   2) " WHERE id = $1 AND status = 'pending'",
                               {std::to_string(task_id), pg::MicrosText(now)});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) {
      return cwmp::FailedPrecondition("task " + std::to_string(task_id) + " is not pending");
    }
    return Status::Ok();
  }

  Result<std::optional<Task>> FindTransferTask(const std::string& device_id,
                                               const std::string& command_key) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query("SELECT " ACS_SESSION_TASK_COLUMNS
                               " FROM tasks WHERE device_id = $1 AND status = 'pending'"
                               " AND name IN ('download', 'upload', 'scheduleDownload')"
                               " AND " ACS_TASK_COMMAND_KEY " = $2 ORDER BY id LIMIT 1",
                               {device_id, command_key});
    if (!rows.ok()) return rows.status();
    if (rows->size() == 0) return std::optional<Task>();
    return std::optional<Task>(TaskFromRow(*rows, 0));
  }

  Status RecordDeviceFault(const std::string& device_id, const TaskFault& fault,
                           TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    return (*conn)
        ->Query(
            "INSERT INTO faults (device_id, code, message, detail, created_at)"
            " VALUES ($1, $2, $3, $4::jsonb, " ACS_TS(5) ")",
            {device_id, std::to_string(fault.code), fault.message, fault.detail_json,
             pg::MicrosText(now)})
        .status();
  }

  Status SetDeviceCredentials(const DeviceCredentials& c) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    return (*conn)
        ->Query(
            "INSERT INTO device_credentials (device_id, username, password) VALUES ($1, $2, $3)"
            " ON CONFLICT (device_id) DO UPDATE SET username = EXCLUDED.username,"
            " password = EXCLUDED.password",
            {c.device_id, c.username, c.password.Reveal()})
        .status();
  }

  Result<std::optional<DeviceCredentials>> FindCredentialsByUsername(
      const std::string& username) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(kCredentialsByUsername, {username});
    if (!rows.ok()) return rows.status();
    if (rows->size() == 0) return std::optional<DeviceCredentials>();
    DeviceCredentials c{rows->Text(0, 0), rows->Text(0, 1), cwmp::Secret(rows->Text(0, 2))};
    return std::optional<DeviceCredentials>(std::move(c));
  }

 private:
  pg::Pool pool_;
};

}  // namespace

Result<std::unique_ptr<SessionStore>> OpenPostgresSessionStore(const StoreOptions& options) {
  CWMP_RETURN_IF_ERROR(ValidateDatabaseUrl(options.database_url));
  auto store = std::make_unique<PgSessionStore>(options);
  CWMP_RETURN_IF_ERROR(store->Warm());
  return std::unique_ptr<SessionStore>(std::move(store));
}

}  // namespace acs
