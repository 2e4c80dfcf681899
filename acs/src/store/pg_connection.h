#pragma once
// Thin RAII layer over one libpq connection: parameterised queries, lazily prepared named
// statements, transactions, and the one place where SQLSTATEs become cwmp::Status.

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cwmp/base/status.h"

namespace acs::pg {

// A query parameter in text form; nullopt is SQL NULL.
using Param = std::optional<std::string>;

// A named statement; prepared on a connection the first time it is used there.
struct Statement {
  const char* name;
  const char* sql;
};

class Rows {
 public:
  explicit Rows(PGresult* res) : res_(res, &PQclear) {}
  int size() const { return PQntuples(res_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(res_.get(), row, col) != 0; }
  std::string Text(int row, int col) const { return PQgetvalue(res_.get(), row, col); }
  std::optional<std::string> OptText(int row, int col) const;
  int64_t Int(int row, int col) const;
  std::optional<int64_t> OptInt(int row, int col) const;
  bool Bool(int row, int col) const { return Text(row, col) == "t"; }
  // Rows affected by an INSERT/UPDATE/DELETE.
  int Affected() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> res_;
};

class Connection {
 public:
  // Connects; kInvalidArgument for a malformed URL, kIoError when the server is unreachable.
  static cwmp::Result<std::unique_ptr<Connection>> Open(const std::string& url,
                                                        int connect_timeout_seconds,
                                                        int statement_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One or more SQL commands without parameters (migrations, BEGIN/COMMIT).
  cwmp::Status Exec(const std::string& sql);
  cwmp::Result<Rows> Query(const std::string& sql, const std::vector<Param>& params);
  cwmp::Result<Rows> Query(const Statement& stmt, const std::vector<Param>& params);
  // False once the connection broke; the pool then drops it.
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  cwmp::Result<Rows> Check(PGresult* res, const char* what);
  PGconn* conn_;
  std::set<std::string> prepared_;
};

// Runs `body` between BEGIN and COMMIT; rolls back when it fails.
template <typename F>
cwmp::Status InTransaction(Connection& conn, F&& body) {
  CWMP_RETURN_IF_ERROR(conn.Exec("BEGIN"));
  cwmp::Status st = body();
  if (!st.ok()) {
    (void)conn.Exec("ROLLBACK");
    return st;
  }
  return conn.Exec("COMMIT");
}

// Timestamps travel as integer microseconds since the Unix epoch.
std::string MicrosText(std::chrono::system_clock::time_point t);
std::chrono::system_clock::time_point FromMicros(int64_t micros);
// SQL expressions converting between the two.
#define ACS_TS(n) "(timestamptz 'epoch' + $" #n "::bigint * interval '1 microsecond')"
#define ACS_US(col) "(extract(epoch from " col ") * 1000000)::bigint"

// A PostgreSQL array literal ({"a","b",NULL}) for text[] parameters.
std::string TextArray(const std::vector<std::optional<std::string>>& items);
// Parses a text[] value as PostgreSQL prints it.
cwmp::Result<std::vector<std::string>> ParseTextArray(const std::string& literal);

}  // namespace acs::pg
