#include "store/pg_connection.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace acs::pg {

using cwmp::Result;
using cwmp::Status;

std::optional<std::string> Rows::OptText(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Text(row, col);
}

int64_t Rows::Int(int row, int col) const {
  return std::strtoll(PQgetvalue(res_.get(), row, col), nullptr, 10);
}

std::optional<int64_t> Rows::OptInt(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}

int Rows::Affected() const { return std::atoi(PQcmdTuples(res_.get())); }

namespace {

// SQLSTATE → Status: the one translation point for database errors.
Status FromSqlState(const char* sqlstate, const std::string& message) {
  std::string state = sqlstate != nullptr ? sqlstate : "";
  std::string m = message;
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  if (state == "23503") return cwmp::NotFound(m);  // foreign key: the device doesn't exist
  if (state == "42P01" || state == "42703") {
    return cwmp::FailedPrecondition(m + " (is the database migrated? run `acsd migrate`)");
  }
  if (state == "57014") return cwmp::IoError("statement timed out: " + m);
  if (state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0) return cwmp::InvalidArgument(m);
  if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state.empty()) {
    return cwmp::IoError(m);
  }
  return cwmp::Internal("SQLSTATE " + state + ": " + m);
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url,
                                                     int connect_timeout_seconds,
                                                     int statement_timeout_ms) {
  std::string timeout = std::to_string(connect_timeout_seconds);
  // connect_timeout first: a value in the URL itself (expanded from dbname) overrides it.
  const char* keys[] = {"connect_timeout", "dbname", "application_name", nullptr};
  const char* values[] = {timeout.c_str(), url.c_str(), "acsd", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return cwmp::Internal("libpq: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string err = PQerrorMessage(conn);
    PQfinish(conn);
    while (!err.empty() && err.back() == '\n') err.pop_back();
    if (err.find("invalid") != std::string::npos && err.find("option") != std::string::npos) {
      return cwmp::InvalidArgument(err);
    }
    return cwmp::IoError("cannot connect to PostgreSQL: " + err);
  }
  // Messages in English whatever the server locale; UTC for anything printed as text.
  std::string setup =
      "SET client_min_messages = warning; SET TIME ZONE 'UTC'; "
      "SET statement_timeout = " +
      std::to_string(std::max(0, statement_timeout_ms));
  PGresult* res = PQexec(conn, setup.c_str());
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string err = ok ? "" : PQresultErrorMessage(res);
  PQclear(res);
  if (!ok) {
    PQfinish(conn);
    return cwmp::IoError("setting up the PostgreSQL session: " + err);
  }
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

Result<Rows> Connection::Check(PGresult* res, const char* what) {
  if (res == nullptr) return cwmp::IoError(std::string(what) + ": " + PQerrorMessage(conn_));
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Rows(res);
  Status status =
      FromSqlState(PQresultErrorField(res, PG_DIAG_SQLSTATE), PQresultErrorMessage(res));
  PQclear(res);
  return status;
}

Status Connection::Exec(const std::string& sql) {
  return Check(PQexec(conn_, sql.c_str()), "exec").status();
}

namespace {
std::vector<const char*> Pointers(const std::vector<Param>& params) {
  std::vector<const char*> out;
  out.reserve(params.size());
  for (const auto& p : params) out.push_back(p ? p->c_str() : nullptr);
  return out;
}
}  // namespace

Result<Rows> Connection::Query(const std::string& sql, const std::vector<Param>& params) {
  std::vector<const char*> values = Pointers(params);
  return Check(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 0),
               "query");
}

Result<Rows> Connection::Query(const Statement& stmt, const std::vector<Param>& params) {
  if (prepared_.count(stmt.name) == 0) {
    auto prep = Check(PQprepare(conn_, stmt.name, stmt.sql, 0, nullptr), "prepare");
    if (!prep.ok()) return prep.status();
    prepared_.insert(stmt.name);
  }
  std::vector<const char*> values = Pointers(params);
  return Check(PQexecPrepared(conn_, stmt.name, static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, 0),
               stmt.name);
}

std::string MicrosText(std::chrono::system_clock::time_point t) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count());
}

std::chrono::system_clock::time_point FromMicros(int64_t micros) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(micros)));
}

std::string TextArray(const std::vector<std::optional<std::string>>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    if (!items[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

Result<std::vector<std::string>> ParseTextArray(const std::string& s) {
  std::vector<std::string> out;
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') {
    return cwmp::ParseError("not a text[] literal: " + s);
  }
  size_t i = 1;
  const size_t end = s.size() - 1;
  while (i < end) {
    std::string item;
    if (s[i] == '"') {
      ++i;
      while (i < end && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < end) ++i;
        item += s[i++];
      }
      ++i;  // closing quote
    } else {
      while (i < end && s[i] != ',') item += s[i++];
    }
    out.push_back(item);
    if (i < end && s[i] == ',') ++i;
  }
  return out;
}

}  // namespace acs::pg
