#pragma once
// A bounded pool of PostgreSQL connections shared by the store's threads. Connections are
// opened on demand up to the limit; callers beyond it wait. A connection that broke is
// dropped when returned, so the next caller opens a fresh one.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/pg_connection.h"

namespace acs::pg {

class Pool;

// Exclusive use of one connection until destroyed.
class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&&) = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> conn_;
};

class Pool {
 public:
  Pool(std::string url, int max_connections, int connect_timeout_seconds, int statement_timeout_ms)
      : url_(std::move(url)),
        max_(max_connections),
        timeout_(connect_timeout_seconds),
        statement_timeout_ms_(statement_timeout_ms) {}
  cwmp::Result<Lease> Acquire();

 private:
  friend class Lease;
  void Release(std::unique_ptr<Connection> conn);

  const std::string url_;
  const int max_;
  const int timeout_;
  const int statement_timeout_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace acs::pg
