// TR-069 §3.2.1.1 session retry and the periodic-inform schedule.
#include <gtest/gtest.h>

#include <deque>

#include "agent/cwmp_client.h"
#include "agent/retry_policy.h"

namespace {

using agent::RetryParameters;
using agent::RetryWaitInterval;

struct IntervalCase {
  uint32_t retry;
  RetryParameters params;
  uint64_t min, max;
};

TEST(RetryWaitInterval, MatchesTheSpecTableAndCustomParameters) {
  const RetryParameters d;  // m = 5, k = 2000
  const IntervalCase cases[] = {
      {1, d, 5, 10},
      {2, d, 10, 20},
      {3, d, 20, 40},
      {4, d, 40, 80},
      {5, d, 80, 160},
      {6, d, 160, 320},
      {7, d, 320, 640},
      {8, d, 640, 1280},
      {9, d, 1280, 2560},
      {10, d, 2560, 5120},
      {11, d, 2560, 5120},
      {500, d, 2560, 5120},
      {0, d, 5, 10},  // treated as the first retry
      {1, {30, 1500}, 30, 45},
      {2, {30, 1500}, 45, 67},
      {3, {30, 1500}, 67, 101},
      {1, {1, 1000}, 1, 1},
      {10, {1, 1000}, 1, 1},
      {1, {65535, 65535}, 65535, 4294836},
      {10, {65535, 65535}, 1382655643932758000, 18446744073709551615ull},
  };
  for (const auto& c : cases) {
    auto r = RetryWaitInterval(c.retry, c.params);
    SCOPED_TRACE("retry " + std::to_string(c.retry) +
                 " m=" + std::to_string(c.params.minimum_wait_interval) +
                 " k=" + std::to_string(c.params.interval_multiplier));
    if (c.min > 1000000000000ull) {
      EXPECT_GT(r.min_seconds, 1000000000000ull);
    } else {
      EXPECT_EQ(r.min_seconds, c.min);
    }
    EXPECT_EQ(r.max_seconds, c.max);
  }
}

TEST(RetryParameters, ValidatesTheDataModelRanges) {
  EXPECT_TRUE(agent::ValidateRetryParameters({5, 2000}).ok());
  EXPECT_TRUE(agent::ValidateRetryParameters({1, 1000}).ok());
  EXPECT_TRUE(agent::ValidateRetryParameters({65535, 65535}).ok());
  EXPECT_EQ(agent::ValidateRetryParameters({0, 2000}).code(), cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(agent::ValidateRetryParameters({5, 999}).code(), cwmp::StatusCode::kInvalidArgument);
  EXPECT_NE(agent::ValidateRetryParameters({70000, 2000}).message().find("70000"),
            std::string::npos);
}

class ScriptedRandom final : public cwmp::prov::Random {
 public:
  uint64_t Uniform(uint64_t max_inclusive) override {
    asked.push_back(max_inclusive);
    if (answers.empty()) return 0;
    uint64_t a = answers.front() == UINT64_MAX ? max_inclusive : answers.front();
    answers.pop_front();
    return a;
  }
  std::deque<uint64_t> answers;
  std::vector<uint64_t> asked;
};

TEST(RetryPolicy, DrawsInsideTheIntervalAndResetsOnSuccess) {
  ScriptedRandom random;
  random.answers = {0, UINT64_MAX, 7, UINT64_MAX};
  agent::RetryPolicy policy(random);
  EXPECT_EQ(policy.retry_count(), 0u);
  EXPECT_EQ(policy.OnFailure().count(), 5);   // [5,10], lowest
  EXPECT_EQ(policy.OnFailure().count(), 20);  // [10,20], highest
  EXPECT_EQ(policy.OnFailure().count(), 27);  // [20,40], 20 + 7
  EXPECT_EQ(policy.retry_count(), 3u);
  EXPECT_EQ(random.asked, (std::vector<uint64_t>{5, 10, 20}));
  policy.Reset();
  EXPECT_EQ(policy.retry_count(), 0u);
  EXPECT_EQ(policy.OnFailure().count(), 10);  // back to [5,10]
}

TEST(RetryPolicy, NewParametersApplyToTheNextFailure) {
  ScriptedRandom random;
  agent::RetryPolicy policy(random);
  (void)policy.OnFailure();
  policy.set_parameters({60, 3000});
  EXPECT_EQ(policy.OnFailure().count(), 180);  // retry 2: [60·3, 60·9]
  EXPECT_EQ(random.asked.back(), 540u - 180u);
}

using namespace std::chrono;

TEST(NextPeriodicInform, FollowsPeriodicInformTime) {
  const sys_seconds ref = sys_days{year{2026} / 11 / 26} + hours{3};  // 03:00:00Z
  struct Case {
    sys_seconds now;
    uint32_t interval;
    std::optional<sys_seconds> reference;
    sys_seconds expect;
  } cases[] = {
      {ref, 3600, ref, ref + hours{1}},  // exactly on a slot: the next one
      {ref + seconds{1}, 3600, ref, ref + hours{1}},
      {ref + minutes{90}, 3600, ref, ref + hours{2}},
      {ref - minutes{30}, 3600, ref, ref},  // reference in the future
      {ref - hours{5} - minutes{30}, 3600, ref, ref - hours{5}},
      {ref + days{3} + seconds{7}, 86400, ref, ref + days{4}},
      {ref + seconds{7}, 300, std::nullopt, ref + seconds{307}},  // unknown time: now + interval
      {ref, 0, std::nullopt, ref + seconds{1}},                   // 0 is treated as 1
  };
  for (const auto& c : cases) {
    agent::PeriodicInformOptions p{true, c.interval, c.reference};
    EXPECT_EQ(agent::NextPeriodicInform(agent::ClientClock::TimePoint(c.now), p),
              agent::ClientClock::TimePoint(c.expect))
        << (c.now - ref).count();
  }
  // Sub-second "now" on a slot boundary moves to the next slot.
  agent::PeriodicInformOptions p{true, 60, ref};
  EXPECT_EQ(agent::NextPeriodicInform(agent::ClientClock::TimePoint(ref) + milliseconds{1500}, p),
            agent::ClientClock::TimePoint(ref + seconds{60}));
}

}  // namespace
