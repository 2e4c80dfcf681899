#include "agent/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace agent {

cwmp::Status ValidateRetryParameters(const RetryParameters& params) {
  if (params.minimum_wait_interval < 1 || params.minimum_wait_interval > 65535) {
    return cwmp::InvalidArgument("CWMPRetryMinimumWaitInterval " +
                                 std::to_string(params.minimum_wait_interval) +
                                 " is outside 1..65535");
  }
  if (params.interval_multiplier < 1000 || params.interval_multiplier > 65535) {
    return cwmp::InvalidArgument("CWMPRetryIntervalMultiplier " +
                                 std::to_string(params.interval_multiplier) +
                                 " is outside 1000..65535");
  }
  return cwmp::Status::Ok();
}

RetryInterval RetryWaitInterval(uint32_t retry, const RetryParameters& params) {
  uint32_t n = std::clamp<uint32_t>(retry, 1, 10);
  // m·(k/1000)^e; long double is exact for the default table (powers of two) and k^10 can
  // exceed 128 bits, so no integer type holds the product.
  auto bound = [&](uint32_t e) -> uint64_t {
    long double v = params.minimum_wait_interval *
                    std::pow(static_cast<long double>(params.interval_multiplier) / 1000.0L, e);
    v = std::floor(v + 1e-9L);  // 5*1.5^2 = 11.25 -> 11; guards 9.9999.. from rounding
    if (v >= static_cast<long double>(UINT64_MAX)) return UINT64_MAX;
    return static_cast<uint64_t>(v);
  };
  return RetryInterval{bound(n - 1), bound(n)};
}

std::chrono::seconds RetryPolicy::OnFailure() {
  if (retry_count_ < UINT32_MAX) ++retry_count_;
  RetryInterval r = RetryWaitInterval(retry_count_, params_);
  uint64_t wait = r.min_seconds + random_.Uniform(r.max_seconds - r.min_seconds);
  return std::chrono::seconds(static_cast<int64_t>(std::min<uint64_t>(wait, INT64_MAX)));
}

}  // namespace agent
