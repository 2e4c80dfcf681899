#include "store/pg_pool.h"

namespace acs::pg {

Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

cwmp::Result<Lease> Pool::Acquire() {
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;
  }
  auto conn = Connection::Open(url_, timeout_, statement_timeout_ms_);
  if (!conn.ok()) {
    {
      std::lock_guard lock(mu_);
      --open_;
    }
    cv_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(conn).value());
}

// Notified after the mutex is released: a waiter woken while the mutex is still held would
// only block again on it (one more futex wait and context switch per hand-off under load).
void Pool::Release(std::unique_ptr<Connection> conn) {
  std::unique_ptr<Connection> dropped;  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    if (conn->healthy()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
      dropped = std::move(conn);
    }
  }
  cv_.notify_one();
}

}  // namespace acs::pg
