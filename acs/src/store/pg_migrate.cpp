#include "store/pg_migrate.h"

#include <map>

#include "store/migrations.h"
#include "util/sha256.h"

namespace acs {

int LatestSchemaVersion() {
  const auto& all = EmbeddedMigrations();
  return all.empty() ? 0 : all.back().version;
}

namespace pg {
namespace {

// pg_advisory_lock key shared by every acsd: "acsd" in ASCII, then 1 for migrations.
constexpr const char* kLockKey = "1633906532001";

struct Applied {
  std::string name;
  std::string sha256;
};

cwmp::Result<std::map<int, Applied>> ReadApplied(Connection& conn) {
  auto rows =
      conn.Query("SELECT version, name, sha256 FROM schema_migrations ORDER BY version", {});
  if (!rows.ok()) return rows.status();
  std::map<int, Applied> out;
  for (int r = 0; r < rows->size(); ++r) {
    out[static_cast<int>(rows->Int(r, 0))] = Applied{rows->Text(r, 1), rows->Text(r, 2)};
  }
  return out;
}

cwmp::Result<MigrationReport> MigrateLocked(Connection& conn) {
  CWMP_RETURN_IF_ERROR(
      conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version integer PRIMARY KEY,"
                " name text NOT NULL,"
                " sha256 text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"));
  auto applied = ReadApplied(conn);
  if (!applied.ok()) return applied.status();
  MigrationReport report;
  report.version_before = applied->empty() ? 0 : applied->rbegin()->first;

  std::map<int, const Migration*> known;
  for (const Migration& m : EmbeddedMigrations()) known[m.version] = &m;
  for (const auto& [version, a] : *applied) {
    auto it = known.find(version);
    if (it == known.end()) {
      return cwmp::FailedPrecondition("the database has migration " + a.name +
                                      ", which this acsd does not know (it knows up "
                                      "to version " +
                                      std::to_string(LatestSchemaVersion()) +
                                      "): use a newer acsd");
    }
    if (Sha256Hex(it->second->sql) != a.sha256) {
      return cwmp::FailedPrecondition("migration " + a.name +
                                      " was changed after it was applied to this database");
    }
  }
  for (const Migration& m : EmbeddedMigrations()) {
    if (applied->count(m.version) != 0) continue;
    cwmp::Status st = InTransaction(conn, [&]() -> cwmp::Status {
      CWMP_RETURN_IF_ERROR(conn.Exec(std::string(m.sql)));
      return conn
          .Query("INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)",
                 {std::to_string(m.version), std::string(m.name), Sha256Hex(m.sql)})
          .status();
    });
    if (!st.ok()) return st.WithPrefix(std::string("migration ") + m.name);
    report.applied.push_back(m.name);
  }
  report.version_after = LatestSchemaVersion();
  if (report.version_before > report.version_after) report.version_after = report.version_before;
  return report;
}

}  // namespace

cwmp::Result<MigrationReport> RunMigrations(Connection& conn) {
  // No statement timeout while migrating (index builds on big tables, waiting for the lock);
  // the connection's own setting is restored afterwards.
  auto previous = conn.Query("SELECT current_setting('statement_timeout')", {});
  if (!previous.ok()) return previous.status();
  const std::string saved_timeout = previous->Text(0, 0);
  CWMP_RETURN_IF_ERROR(conn.Exec("SET statement_timeout = 0"));
  // Session-level lock: a second acsd waits here, then finds everything applied.
  CWMP_RETURN_IF_ERROR(conn.Exec(std::string("SELECT pg_advisory_lock(") + kLockKey + ")"));
  auto report = MigrateLocked(conn);
  cwmp::Status unlock = conn.Exec(std::string("SELECT pg_advisory_unlock(") + kLockKey + ")");
  cwmp::Status reset =
      conn.Query("SELECT set_config('statement_timeout', $1, false)", {saved_timeout}).status();
  if (!reset.ok()) return reset;
  if (!report.ok()) return report;
  if (!unlock.ok()) return unlock;
  return report;
}

cwmp::Result<int> ReadSchemaVersion(Connection& conn) {
  // Two queries: a statement naming a missing table fails at parse time.
  auto exists = conn.Query("SELECT to_regclass('schema_migrations') IS NOT NULL", {});
  if (!exists.ok()) return exists.status();
  if (!exists->Bool(0, 0)) return 0;
  auto rows = conn.Query("SELECT coalesce(max(version), 0) FROM schema_migrations", {});
  if (!rows.ok()) return rows.status();
  return static_cast<int>(rows->Int(0, 0));
}

}  // namespace pg
}  // namespace acs
