// Store on PostgreSQL: prepared statements for the per-Inform path, arrays + unnest() so an
// Inform of any size is a fixed number of round trips.
#include <algorithm>
#include <map>

#include "acs/api_token.h"
#include "acs/store.h"
#include "store/inform_arrays.h"
#include "store/pg_connection.h"
#include "store/pg_migrate.h"
#include "store/pg_pool.h"

namespace acs {
namespace {

using cwmp::Result;
using cwmp::Status;
using pg::Param;
using pg::Statement;

#define ACS_DEVICE_COLUMNS                                                                  \
  "id, oui, product_class, serial_number, manufacturer, " ACS_US("created_at") ", " ACS_US( \
      "last_inform_at") ", " ACS_US("last_boot_at") ", " ACS_US("last_bootstrap_at")

#define ACS_TASK_COLUMNS                                                      \
  "id, device_id, name, args::text, status, attempts, result::text, " ACS_US( \
      "created_at") ", " ACS_US("updated_at") ", " ACS_US("expires_at")

const Statement kUpsertDevice{
    "upsert_device",
    "INSERT INTO devices (id, oui, product_class, serial_number, manufacturer, created_at,"
    " last_inform_at, last_boot_at, last_bootstrap_at)"
    " VALUES ($1, $2, $3, $4, $5, " ACS_TS(6) ", " ACS_TS(6) ","
    " CASE WHEN $7::boolean THEN " ACS_TS(6) " END, CASE WHEN $8::boolean THEN " ACS_TS(6) " END)"
    " ON CONFLICT (id) DO UPDATE SET manufacturer = EXCLUDED.manufacturer,"
    " last_inform_at = EXCLUDED.last_inform_at,"
    " last_boot_at = coalesce(EXCLUDED.last_boot_at, devices.last_boot_at),"
    " last_bootstrap_at = coalesce(EXCLUDED.last_bootstrap_at, devices.last_bootstrap_at)"};

const Statement kInsertInform{"insert_inform",
                              "INSERT INTO informs (device_id, received_at, cpe_time, retry_count)"
                              " VALUES ($1, " ACS_TS(2) ", " ACS_TS(3) ", $4) RETURNING id"};

const Statement kInsertEvents{
    "insert_events",
    "INSERT INTO inform_events (inform_id, position, code, command_key)"
    " SELECT $1, (e.ord - 1)::smallint, e.code, e.key"
    " FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS e(code, key, ord)"};

const Statement kUpsertValues{
    "upsert_values",
    "INSERT INTO parameters (device_id, name, value, type, updated_at)"
    " SELECT $1, p.name, p.value, p.type, " ACS_TS(5)
    " FROM unnest($2::text[], $3::text[], $4::text[]) AS p(name, value, type)"
    " ON CONFLICT (device_id, name) DO UPDATE SET value = EXCLUDED.value,"
    " type = EXCLUDED.type, updated_at = EXCLUDED.updated_at"
    // An unchanged value is not rewritten (as in acs_start_session, migration 202).
    " WHERE parameters.value IS DISTINCT FROM EXCLUDED.value"
    " OR parameters.type IS DISTINCT FROM EXCLUDED.type"};

const Statement kUpsertParameters{
    "upsert_parameters",
    "INSERT INTO parameters (device_id, name, value, type, writable, notification, access_list,"
    " updated_at)"
    " SELECT $1, u.name, u.value, u.type, u.writable::boolean, u.notification::smallint,"
    " u.access::text[], " ACS_TS(8)
    " FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])"
    " AS u(name, value, type, writable, notification, access)"
    " ON CONFLICT (device_id, name) DO UPDATE SET"
    " value = coalesce(EXCLUDED.value, parameters.value),"
    " type = coalesce(EXCLUDED.type, parameters.type),"
    " writable = coalesce(EXCLUDED.writable, parameters.writable),"
    " notification = coalesce(EXCLUDED.notification, parameters.notification),"
    " access_list = coalesce(EXCLUDED.access_list, parameters.access_list),"
    " updated_at = EXCLUDED.updated_at"};

const Statement kLockDevice{"lock_device", "SELECT 1 FROM devices WHERE id = $1 FOR KEY SHARE"};

const Statement kGetDevice{"get_device",
                           "SELECT " ACS_DEVICE_COLUMNS " FROM devices WHERE id = $1"};

const Statement kGetParameters{
    "get_parameters", "SELECT name, value, type, writable, notification, access_list, " ACS_US(
                          "updated_at") " FROM parameters WHERE device_id = $1 ORDER BY name"};

const Statement kNextTask{
    "next_task", "SELECT " ACS_TASK_COLUMNS
                 " FROM tasks WHERE device_id = $1 AND status = 'pending'"
                 " AND (expires_at IS NULL OR expires_at > " ACS_TS(2) ") ORDER BY id LIMIT 1"};

const Statement kGetTask{"get_task", "SELECT " ACS_TASK_COLUMNS " FROM tasks WHERE id = $1"};

const Statement kLookupToken{"lookup_token",
                             "SELECT scope FROM api_tokens WHERE token_sha256 = decode($1, 'hex')"};

Device DeviceFromRow(const pg::Rows& rows, int r) {
  Device d;
  d.id = rows.Text(r, 0);
  d.identity.oui = rows.Text(r, 1);
  d.identity.product_class = rows.Text(r, 2);
  d.identity.serial_number = rows.Text(r, 3);
  d.identity.manufacturer = rows.Text(r, 4);
  d.created_at = pg::FromMicros(rows.Int(r, 5));
  auto opt = [&](int c) -> std::optional<TimePoint> {
    if (rows.IsNull(r, c)) return std::nullopt;
    return pg::FromMicros(rows.Int(r, c));
  };
  d.last_inform_at = opt(6);
  d.last_boot_at = opt(7);
  d.last_bootstrap_at = opt(8);
  return d;
}

TaskStatus TaskStatusFromText(const std::string& s) {
  if (s == "done") return TaskStatus::kDone;
  if (s == "fault") return TaskStatus::kFault;
  if (s == "expired") return TaskStatus::kExpired;
  return TaskStatus::kPending;
}

Task TaskFromRow(const pg::Rows& rows, int r) {
  Task t;
  t.id = rows.Int(r, 0);
  t.device_id = rows.Text(r, 1);
  t.name = rows.Text(r, 2);
  t.args_json = rows.Text(r, 3);
  t.status = TaskStatusFromText(rows.Text(r, 4));
  t.attempts = static_cast<int>(rows.Int(r, 5));
  t.result_json = rows.OptText(r, 6);
  t.created_at = pg::FromMicros(rows.Int(r, 7));
  t.updated_at = pg::FromMicros(rows.Int(r, 8));
  if (!rows.IsNull(r, 9)) t.expires_at = pg::FromMicros(rows.Int(r, 9));
  return t;
}

std::string LikePrefix(const std::string& prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

// One FaultRecord per row of "id, device_id, task_id, code, message, detail, created_at".
std::vector<FaultRecord> FaultsFromRows(const pg::Rows& rows) {
  std::vector<FaultRecord> out;
  for (int r = 0; r < rows.size(); ++r) {
    FaultRecord f;
    f.id = rows.Int(r, 0);
    f.device_id = rows.Text(r, 1);
    f.task_id = rows.OptInt(r, 2);
    f.code = static_cast<int>(rows.Int(r, 3));
    f.message = rows.Text(r, 4);
    f.detail_json = rows.OptText(r, 5);
    f.created_at = pg::FromMicros(rows.Int(r, 6));
    out.push_back(std::move(f));
  }
  return out;
}

class PgStore final : public Store {
 public:
  explicit PgStore(const StoreOptions& o)
      : pool_(o.database_url, std::max(1, o.max_connections), o.connect_timeout_seconds,
              o.statement_timeout_ms) {}

  // Opens the first connection so that configuration errors surface at start.
  Status Warm() { return pool_.Acquire().status(); }

  Result<MigrationReport> Migrate() override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    return pg::RunMigrations(**conn);
  }

  Result<int> SchemaVersion() override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    return pg::ReadSchemaVersion(**conn);
  }

  Status RecordInform(const InformRecord& in) override {
    const DeviceIdentity& d = in.device;
    if (d.oui.empty() || d.serial_number.empty()) {
      return cwmp::InvalidArgument("Inform DeviceId needs an OUI and a SerialNumber");
    }
    std::string id = DeviceIdOf(d);
    pg::InformArrays a = pg::InformArraysOf(in);
    std::string now = pg::MicrosText(in.received_at);
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    pg::Connection& c = **conn;
    return pg::InTransaction(c, [&]() -> Status {
      CWMP_RETURN_IF_ERROR(
          c.Query(kUpsertDevice, {id, d.oui, d.product_class, d.serial_number, d.manufacturer, now,
                                  a.boot ? "t" : "f", a.bootstrap ? "t" : "f"})
              .status());
      Param cpe_time;
      if (in.cpe_time) cpe_time = pg::MicrosText(*in.cpe_time);
      auto inform = c.Query(kInsertInform, {id, now, cpe_time, std::to_string(in.retry_count)});
      if (!inform.ok()) return inform.status();
      if (!a.event_codes.empty()) {
        CWMP_RETURN_IF_ERROR(c.Query(kInsertEvents, {inform->Text(0, 0),
                                                     pg::TextArray(a.event_codes),
                                                     pg::TextArray(a.event_keys)})
                                 .status());
      }
      if (!a.names.empty()) {
        CWMP_RETURN_IF_ERROR(c.Query(kUpsertValues, {id, pg::TextArray(a.names),
                                                     pg::TextArray(a.values),
                                                     pg::TextArray(a.types), now})
                                 .status());
      }
      return Status::Ok();
    });
  }

  Status UpdateParameters(const std::string& device_id, const std::vector<ParameterUpdate>& updates,
                          TimePoint now) override {
    // Merge repeated names field by field (later wins), for the same reason as above.
    std::map<std::string, ParameterUpdate> merged;
    for (const auto& u : updates) {
      ParameterUpdate& m = merged[u.name];
      m.name = u.name;
      if (u.value) m.value = u.value;
      if (u.type) m.type = u.type;
      if (u.writable) m.writable = u.writable;
      if (u.notification) m.notification = u.notification;
      if (u.access_list) m.access_list = u.access_list;
    }
    std::vector<std::optional<std::string>> names, values, types, writable, notification, access;
    for (const auto& [name, u] : merged) {
      if (u.notification && (*u.notification < 0 || *u.notification > 6)) {
        return cwmp::InvalidArgument(name + ": notification " + std::to_string(*u.notification) +
                                     " is not 0..6");
      }
      names.emplace_back(name);
      values.push_back(u.value);
      types.push_back(u.type);
      writable.push_back(u.writable ? std::optional<std::string>(*u.writable ? "t" : "f")
                                    : std::nullopt);
      notification.push_back(u.notification ? std::optional(std::to_string(*u.notification))
                                            : std::nullopt);
      if (u.access_list) {
        std::vector<std::optional<std::string>> items(u.access_list->begin(), u.access_list->end());
        access.emplace_back(pg::TextArray(items));
      } else {
        access.emplace_back(std::nullopt);
      }
    }
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    pg::Connection& c = **conn;
    return pg::InTransaction(c, [&]() -> Status {
      auto found = c.Query(kLockDevice, {device_id});
      if (!found.ok()) return found.status();
      if (found->size() == 0) return cwmp::NotFound("device " + device_id + " not found");
      if (names.empty()) return Status::Ok();
      return c
          .Query(kUpsertParameters,
                 {device_id, pg::TextArray(names), pg::TextArray(values), pg::TextArray(types),
                  pg::TextArray(writable), pg::TextArray(notification), pg::TextArray(access),
                  pg::MicrosText(now)})
          .status();
    });
  }

  Result<DeviceWithParameters> GetDevice(const std::string& device_id) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    pg::Connection& c = **conn;
    DeviceWithParameters out;
    Status st = pg::InTransaction(c, [&]() -> Status {
      // One snapshot for the device row and its parameters.
      CWMP_RETURN_IF_ERROR(c.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"));
      auto dev = c.Query(kGetDevice, {device_id});
      if (!dev.ok()) return dev.status();
      if (dev->size() == 0) return cwmp::NotFound("device " + device_id + " not found");
      out.device = DeviceFromRow(*dev, 0);
      auto rows = c.Query(kGetParameters, {device_id});
      if (!rows.ok()) return rows.status();
      for (int r = 0; r < rows->size(); ++r) {
        Parameter p;
        p.name = rows->Text(r, 0);
        p.value = rows->OptText(r, 1);
        p.type = rows->OptText(r, 2);
        if (!rows->IsNull(r, 3)) p.writable = rows->Bool(r, 3);
        if (!rows->IsNull(r, 4)) p.notification = static_cast<int>(rows->Int(r, 4));
        if (!rows->IsNull(r, 5)) {
          auto list = pg::ParseTextArray(rows->Text(r, 5));
          if (!list.ok()) return list.status();
          p.access_list = std::move(list).value();
        }
        p.updated_at = pg::FromMicros(rows->Int(r, 6));
        out.parameters.push_back(std::move(p));
      }
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<DevicePage> ListDevices(const DeviceFilter& f) override {
    if (f.limit < 1 || f.limit > 1000) {
      return cwmp::InvalidArgument("limit " + std::to_string(f.limit) + " is not 1..1000");
    }
    if (f.parameter_value && !f.parameter_name) {
      return cwmp::InvalidArgument("a parameter value filter needs a parameter name");
    }
    std::string sql = "SELECT " ACS_DEVICE_COLUMNS " FROM devices d WHERE true";
    std::vector<Param> params;
    auto next = [&](std::string value) {
      params.emplace_back(std::move(value));
      return "$" + std::to_string(params.size());
    };
    auto ts = [&](TimePoint t) {
      return "(timestamptz 'epoch' + " + next(pg::MicrosText(t)) +
             "::bigint * interval '1 microsecond')";
    };
    if (!f.id_prefix.empty()) sql += " AND d.id LIKE " + next(LikePrefix(f.id_prefix));
    if (f.parameter_name) {
      std::string name = next(*f.parameter_name);
      sql +=
          " AND EXISTS (SELECT 1 FROM parameters p WHERE p.device_id = d.id AND p.name = " + name;
      if (f.parameter_value) {
        std::string value = next(*f.parameter_value);
        sql += " AND md5(p.value) = md5(" + value + ") AND p.value = " + value;
      }
      sql += ")";
    }
    if (f.informed_since) sql += " AND d.last_inform_at >= " + ts(*f.informed_since);
    if (f.informed_before) {
      sql += " AND (d.last_inform_at IS NULL OR d.last_inform_at < " + ts(*f.informed_before) + ")";
    }
    if (!f.after_id.empty()) sql += " AND d.id > " + next(f.after_id);
    sql += " ORDER BY d.id LIMIT " + std::to_string(f.limit + 1);

    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(sql, params);
    if (!rows.ok()) return rows.status();
    DevicePage page;
    int n = std::min(rows->size(), f.limit);
    for (int r = 0; r < n; ++r) page.devices.push_back(DeviceFromRow(*rows, r));
    if (rows->size() > f.limit) page.next_after_id = page.devices.back().id;
    return page;
  }

  Result<std::vector<InformEntry>> ListInforms(const std::string& device_id, int limit) override {
    if (limit < 1) return cwmp::InvalidArgument("limit must be positive");
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(
        "WITH i AS (SELECT id, received_at, cpe_time, retry_count FROM informs"
        " WHERE device_id = $1 ORDER BY received_at DESC, id DESC LIMIT $2)"
        " SELECT i.id, " ACS_US("i.received_at") ", " ACS_US("i.cpe_time") ", i.retry_count,"
        " e.code, e.command_key FROM i LEFT JOIN inform_events e ON e.inform_id = i.id"
        " ORDER BY i.received_at DESC, i.id DESC, e.position",
        {device_id, std::to_string(limit)});
    if (!rows.ok()) return rows.status();
    std::vector<InformEntry> out;
    int64_t current = -1;
    for (int r = 0; r < rows->size(); ++r) {
      if (rows->Int(r, 0) != current) {
        current = rows->Int(r, 0);
        InformEntry e;
        e.received_at = pg::FromMicros(rows->Int(r, 1));
        if (!rows->IsNull(r, 2)) e.cpe_time = pg::FromMicros(rows->Int(r, 2));
        e.retry_count = static_cast<int>(rows->Int(r, 3));
        out.push_back(std::move(e));
      }
      if (!rows->IsNull(r, 4)) {
        out.back().events.push_back(InformEvent{rows->Text(r, 4), rows->Text(r, 5)});
      }
    }
    return out;
  }

  Result<std::vector<CpeRequestEntry>> ListCpeRequests(const std::string& device_id,
                                                       int limit) override {
    if (limit < 1) return cwmp::InvalidArgument("limit must be positive");
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(
        "SELECT " ACS_US("received_at") ", method, file_type, args::text, file_name, task_id"
        " FROM cpe_requests WHERE device_id = $1 ORDER BY received_at DESC, id DESC LIMIT $2",
        {device_id, std::to_string(limit)});
    if (!rows.ok()) return rows.status();
    std::vector<CpeRequestEntry> out;
    for (int r = 0; r < rows->size(); ++r) {
      CpeRequestEntry e;
      e.received_at = pg::FromMicros(rows->Int(r, 0));
      e.method = rows->Text(r, 1);
      e.file_type = rows->Text(r, 2);
      e.args_json = rows->Text(r, 3);
      e.file_name = rows->OptText(r, 4);
      e.task_id = rows->OptInt(r, 5);
      out.push_back(std::move(e));
    }
    return out;
  }

  Status DeleteDevice(const std::string& device_id) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    // The device's released lease row goes with it (kept between sessions, migration 206).
    auto rows = (*conn)->Query(
        "WITH lease AS (DELETE FROM cwmp_sessions WHERE device_id = $1 AND session_id = '')"
        " DELETE FROM devices WHERE id = $1",
        {device_id});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) return cwmp::NotFound("device " + device_id + " not found");
    return Status::Ok();
  }

  Result<int> DeleteParameters(const std::string& device_id, const std::string& prefix,
                               const std::vector<std::string>& keep) override {
    if (prefix.empty()) return cwmp::InvalidArgument("parameter prefix is empty");
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    std::vector<std::optional<std::string>> kept(keep.begin(), keep.end());
    auto rows = (*conn)->Query(
        "DELETE FROM parameters WHERE device_id = $1 AND name LIKE $2"
        " AND NOT (name = ANY($3::text[]))",
        {device_id, LikePrefix(prefix), pg::TextArray(kept)});
    if (!rows.ok()) return rows.status();
    return rows->Affected();
  }

  Result<int64_t> PruneInforms(TimePoint before) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    int64_t total = 0;
    while (true) {
      auto rows = (*conn)->Query(
          "DELETE FROM informs WHERE id IN (SELECT id FROM informs WHERE received_at < " ACS_TS(
              1) " LIMIT 10000)",
          {pg::MicrosText(before)});
      if (!rows.ok()) return rows.status();
      total += rows->Affected();
      if (rows->Affected() == 0) return total;
    }
  }

  Status PutFile(const FileInfo& f, TimePoint now) override {
    if (f.name.empty()) return cwmp::InvalidArgument("file name is empty");
    if (f.file_type.empty()) return cwmp::InvalidArgument("file " + f.name + ": FileType is empty");
    if (f.size < 0) return cwmp::InvalidArgument("file " + f.name + ": negative size");
    if (f.sha256.size() != 64 ||
        f.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return cwmp::InvalidArgument("file " + f.name + ": sha256 \"" + f.sha256 +
                                   "\" is not 64 lower-case hex digits");
    }
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    return (*conn)
        ->Query(
            "INSERT INTO files (name, file_type, oui, product_class, version, size, sha256,"
            " created_at, url) VALUES ($1, $2, $3, $4, $5, $6, $7, " ACS_TS(8) ", $9)"
            " ON CONFLICT (name) DO UPDATE SET file_type = EXCLUDED.file_type,"
            " oui = EXCLUDED.oui, product_class = EXCLUDED.product_class,"
            " version = EXCLUDED.version, size = EXCLUDED.size, sha256 = EXCLUDED.sha256,"
            " created_at = EXCLUDED.created_at, url = EXCLUDED.url",
            {f.name, f.file_type, f.oui, f.product_class, f.version, std::to_string(f.size),
             f.sha256, pg::MicrosText(now), f.url})
        .status();
  }

  Result<FileInfo> GetFile(const std::string& name) override {
    auto files = QueryFiles(" WHERE name = $1", {name});
    if (!files.ok()) return files.status();
    if (files->empty()) return cwmp::NotFound("file " + name + " not found");
    return files->front();
  }

  Result<std::vector<FileInfo>> ListFiles() override { return QueryFiles("", {}); }

  Status DeleteFile(const std::string& name) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query("DELETE FROM files WHERE name = $1", {name});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) return cwmp::NotFound("file " + name + " not found");
    return Status::Ok();
  }

  Result<int64_t> EnqueueTask(const NewTask& t, TimePoint now) override {
    if (t.name.empty()) return cwmp::InvalidArgument("task name is empty");
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    Param expires;
    if (t.expires_at) expires = pg::MicrosText(*t.expires_at);
    auto rows = (*conn)->Query(
        "INSERT INTO tasks (device_id, name, args, created_at, updated_at, expires_at)"
        " VALUES ($1, $2, $3::jsonb, " ACS_TS(4) ", " ACS_TS(4) ", " ACS_TS(5) ") RETURNING id",
        {t.device_id, t.name, t.args_json, pg::MicrosText(now), expires});
    if (!rows.ok()) {
      if (rows.status().code() == cwmp::StatusCode::kNotFound) {
        return cwmp::NotFound("device " + t.device_id + " not found");
      }
      return rows.status().WithPrefix("task " + t.name + " args");
    }
    return rows->Int(0, 0);
  }

  Result<std::optional<Task>> NextPendingTask(const std::string& device_id,
                                              TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(kNextTask, {device_id, pg::MicrosText(now)});
    if (!rows.ok()) return rows.status();
    if (rows->size() == 0) return std::optional<Task>();
    return std::optional<Task>(TaskFromRow(*rows, 0));
  }

  Result<Task> GetTask(int64_t task_id) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    return GetTaskOn(**conn, task_id);
  }

  Result<std::vector<Task>> ListTasks(const std::string& device_id) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(
        "SELECT " ACS_TASK_COLUMNS " FROM tasks WHERE device_id = $1 ORDER BY id", {device_id});
    if (!rows.ok()) return rows.status();
    std::vector<Task> out;
    for (int r = 0; r < rows->size(); ++r) out.push_back(TaskFromRow(*rows, r));
    return out;
  }

  Status CompleteTask(int64_t task_id, const std::string& result_json, TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows =
        (*conn)->Query("UPDATE tasks SET status = 'done', result = $2::jsonb, updated_at = " ACS_TS(
                           3) " WHERE id = $1 AND status = 'pending'",
                       {std::to_string(task_id), result_json, pg::MicrosText(now)});
    if (!rows.ok()) return rows.status().WithPrefix("task " + std::to_string(task_id) + " result");
    if (rows->Affected() == 0) return WhyNotPending(**conn, task_id);
    return Status::Ok();
  }

  Status FailTask(int64_t task_id, const TaskFault& fault, TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    pg::Connection& c = **conn;
    std::string id = std::to_string(task_id);
    std::string ts = pg::MicrosText(now);
    return pg::InTransaction(c, [&]() -> Status {
      auto rows = c.Query(
          "UPDATE tasks SET status = 'fault', attempts = attempts + 1, updated_at = " ACS_TS(5)
          ", result = jsonb_build_object('fault', jsonb_build_object('code', $2::integer,"
          " 'message', $3::text, 'detail', $4::jsonb))"
          " WHERE id = $1 AND status = 'pending' RETURNING device_id",
          {id, std::to_string(fault.code), fault.message, fault.detail_json, ts});
      if (!rows.ok()) return rows.status().WithPrefix("task " + id + " fault");
      if (rows->size() == 0) return WhyNotPending(c, task_id);
      return c
          .Query(
              "INSERT INTO faults (device_id, task_id, code, message, detail, created_at)"
              " VALUES ($1, $2, $3, $4, $5::jsonb, " ACS_TS(6) ")",
              {rows->Text(0, 0), id, std::to_string(fault.code), fault.message, fault.detail_json,
               ts})
          .status();
    });
  }

  Status RetryTask(int64_t task_id, TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    // An expired task that is retried gets no new deadline: the operator asked for it again.
    auto rows = (*conn)->Query(
        "UPDATE tasks SET status = 'pending', result = NULL, updated_at = " ACS_TS(2) ","
        " expires_at = CASE WHEN status = 'expired' THEN NULL ELSE expires_at END"
        " WHERE id = $1 AND status IN ('fault', 'expired')",
        {std::to_string(task_id), pg::MicrosText(now)});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) {
      auto task = GetTaskOn(**conn, task_id);
      if (!task.ok()) return task.status();
      return cwmp::FailedPrecondition("task " + std::to_string(task_id) + " is " +
                                      TaskStatusName(task->status) +
                                      "; only fault or expired tasks can be retried");
    }
    return Status::Ok();
  }

  Status DeleteTask(int64_t task_id) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query("DELETE FROM tasks WHERE id = $1", {std::to_string(task_id)});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) {
      return cwmp::NotFound("task " + std::to_string(task_id) + " not found");
    }
    return Status::Ok();
  }

  Result<int> ExpireTasks(TimePoint now) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query("UPDATE tasks SET status = 'expired', updated_at = " ACS_TS(
                                   1) " WHERE status = 'pending' AND expires_at <= " ACS_TS(1),
                               {pg::MicrosText(now)});
    if (!rows.ok()) return rows.status();
    return rows->Affected();
  }

  Result<std::vector<FaultRecord>> ListFaults(const std::string& device_id) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(
        "SELECT id, device_id, task_id, code, message, detail::text, " ACS_US(
            "created_at") " FROM faults WHERE device_id = $1 ORDER BY created_at DESC, id DESC",
        {device_id});
    if (!rows.ok()) return rows.status();
    return FaultsFromRows(*rows);
  }

  Result<std::vector<FaultRecord>> ListRecentFaults(int limit) override {
    if (limit < 1) return cwmp::InvalidArgument("limit must be positive");
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(
        "SELECT id, device_id, task_id, code, message, detail::text, " ACS_US(
            "created_at") " FROM faults ORDER BY created_at DESC, id DESC LIMIT $1",
        {std::to_string(limit)});
    if (!rows.ok()) return rows.status();
    return FaultsFromRows(*rows);
  }


  Status AddApiToken(const cwmp::Secret& token, ApiScope scope,
                     const std::string& description) override {
    if (token.empty()) return cwmp::InvalidArgument("API token is empty");
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    return (*conn)
        ->Query(
            "INSERT INTO api_tokens (token_sha256, scope, description)"
            " VALUES (decode($1, 'hex'), $2, $3)",
            {ApiTokenSha256Hex(token), std::string(ApiScopeName(scope)), description})
        .status();
  }

  Result<ApiScope> LookupApiToken(const cwmp::Secret& token) override {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query(kLookupToken, {ApiTokenSha256Hex(token)});
    if (!rows.ok()) return rows.status();
    if (rows->size() == 0) return cwmp::NotFound("unknown API token");
    return ParseApiScope(rows->Text(0, 0));
  }

 private:
  static Result<Task> GetTaskOn(pg::Connection& c, int64_t task_id) {
    auto rows = c.Query(kGetTask, {std::to_string(task_id)});
    if (!rows.ok()) return rows.status();
    if (rows->size() == 0) return cwmp::NotFound("task " + std::to_string(task_id) + " not found");
    return TaskFromRow(*rows, 0);
  }

  Result<std::vector<FileInfo>> QueryFiles(const std::string& where,
                                           const std::vector<Param>& params) {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    auto rows =
        (*conn)->Query("SELECT name, file_type, oui, product_class, version, size, sha256, " ACS_US(
                           "created_at") ", url FROM files" +
                           where + " ORDER BY name",
                       params);
    if (!rows.ok()) return rows.status();
    std::vector<FileInfo> out;
    for (int r = 0; r < rows->size(); ++r) {
      out.push_back(FileInfo{rows->Text(r, 0), rows->Text(r, 1), rows->Text(r, 2), rows->Text(r, 3),
                             rows->Text(r, 4), rows->Int(r, 5), rows->Text(r, 6),
                             pg::FromMicros(rows->Int(r, 7)), rows->Text(r, 8)});
    }
    return out;
  }

  static Status WhyNotPending(pg::Connection& c, int64_t task_id) {
    auto task = GetTaskOn(c, task_id);
    if (!task.ok()) return task.status();
    return cwmp::FailedPrecondition("task " + std::to_string(task_id) + " is " +
                                    TaskStatusName(task->status) + ", not pending");
  }

  pg::Pool pool_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const StoreOptions& options) {
  CWMP_RETURN_IF_ERROR(ValidateDatabaseUrl(options.database_url));
  auto store = std::make_unique<PgStore>(options);
  CWMP_RETURN_IF_ERROR(store->Warm());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace acs
