#pragma once
// Session retry after failure, TR-069 §3.2.1.1. With m = CWMPRetryMinimumWaitInterval
// (1..65535 s, default 5) and k = CWMPRetryIntervalMultiplier (1000..65535, in 1/1000, default
// 2000), the n-th retry (n >= 1, n capped at 10) waits a random number of seconds in
// [m·(k/1000)^(n-1), m·(k/1000)^n]. The count resets after a successful session.

#include <chrono>
#include <cstdint>

#include "cwmp/base/status.h"
#include "cwmp/prov/schedule.h"

namespace agent {

struct RetryParameters {
  uint32_t minimum_wait_interval = 5;   // CWMPRetryMinimumWaitInterval, seconds
  uint32_t interval_multiplier = 2000;  // CWMPRetryIntervalMultiplier, 1/1000
};

// Checks the ranges of the data model (1..65535, 1000..65535).
cwmp::Status ValidateRetryParameters(const RetryParameters& params);

struct RetryInterval {
  uint64_t min_seconds = 0;
  uint64_t max_seconds = 0;
};

// The wait interval of retry `retry` (1 = first retry; 0 is treated as 1; >10 as 10). Bounds are
// rounded down to whole seconds.
RetryInterval RetryWaitInterval(uint32_t retry, const RetryParameters& params);

class RetryPolicy {
 public:
  // `random` must outlive the policy.
  explicit RetryPolicy(cwmp::prov::Random& random, RetryParameters params = {})
      : random_(random), params_(params) {}

  void set_parameters(const RetryParameters& params) { params_ = params; }
  const RetryParameters& parameters() const { return params_; }

  // Sessions failed in a row: the RetryCount of the next Inform.
  uint32_t retry_count() const { return retry_count_; }

  // A session failed: counts it and returns the wait before the retry, drawn uniformly from
  // RetryWaitInterval(retry_count()).
  std::chrono::seconds OnFailure();
  // A session succeeded (or the device rebooted): the count goes back to 0.
  void Reset() { retry_count_ = 0; }

 private:
  cwmp::prov::Random& random_;
  RetryParameters params_;
  uint32_t retry_count_ = 0;
};

}  // namespace agent
