// Configurable schedules (guide lines 1171-1241) and the Resync_At, Resync_At_Random_Delay,
// Resync_Periodic, Resync_Error_Retry_Delay, Upgrade_Error_Retry_Delay rows (2513-2590).
#include "cwmp/prov/schedule.h"

#include <gtest/gtest.h>

#include "guide_examples.h"

#include <deque>
#include <vector>

namespace cwmp::prov {
namespace {

// Returns scripted values and records every bound it was asked for.
class ScriptedRandom : public Random {
 public:
  explicit ScriptedRandom(std::deque<uint64_t> values = {}) : values_(std::move(values)) {}
  uint64_t Uniform(uint64_t max_inclusive) override {
    bounds.push_back(max_inclusive);
    if (values_.empty()) return max_inclusive;
    uint64_t v = values_.front();
    values_.pop_front();
    return v;
  }
  std::vector<uint64_t> bounds;

 private:
  std::deque<uint64_t> values_;
};

DelaySchedule Parse(std::string_view text) {
  Result<DelaySchedule> s = DelaySchedule::Parse(text, "Resync_Error_Retry_Delay");
  EXPECT_TRUE(s.ok()) << text << ": " << s.status().ToString();
  return s.ok() ? s.value() : DelaySchedule();
}

std::vector<std::optional<uint64_t>> Delays(const DelaySchedule& s, size_t n, Random& r) {
  std::vector<std::optional<uint64_t>> out;
  for (size_t i = 0; i < n; ++i) out.push_back(s.Delay(i, r));
  return out;
}

using Opt = std::optional<uint64_t>;

TEST(Schedule, Example1) {
  ScriptedRandom r;
  EXPECT_EQ(Delays(Parse(guide::kPeriodic1), 3, r), (std::vector<Opt>{7200, 7200, 7200}));
  EXPECT_EQ(Delays(Parse(guide::kRetry1), 6, r),
            (std::vector<Opt>{1800, 3600, 7200, 14400, 14400, 14400}));
  EXPECT_TRUE(r.bounds.empty());  // no random part, no random draw
}

TEST(Schedule, Example2RandomExtra) {
  ScriptedRandom r({0, 600, 17});
  EXPECT_EQ(Delays(Parse(guide::kPeriodic2), 3, r), (std::vector<Opt>{3600, 4200, 3617}));
  EXPECT_EQ(r.bounds, (std::vector<uint64_t>{600, 600, 600}));

  ScriptedRandom r2({1, 2, 3, 4, 5});
  EXPECT_EQ(Delays(Parse(guide::kRetry2), 5, r2), (std::vector<Opt>{1801, 3602, 7203, 7204, 7205}));
  EXPECT_EQ(r2.bounds, (std::vector<uint64_t>{300, 600, 900, 900, 900}));
}

TEST(Schedule, Example3UpgradeRetries) {
  // "retries every four to five hours" once the list is exhausted.
  ScriptedRandom r({3600, 0, 3600});
  DelaySchedule s = Parse(guide::kUpgradeRetry3);
  EXPECT_EQ(Delays(s, 6, r), (std::vector<Opt>{1800, 3600, 7200, 18000, 14400, 18000}));
  EXPECT_EQ(r.bounds, (std::vector<uint64_t>{3600, 3600, 3600}));
}

TEST(Schedule, ParameterTableExamples) {
  ScriptedRandom r({30});
  EXPECT_EQ(Delays(Parse("3000"), 2, r), (std::vector<Opt>{3000, 3000}));
  EXPECT_EQ(Delays(Parse(guide::kTableMultiple), 4, r), (std::vector<Opt>{600, 1200, 300, 300}));
  EXPECT_EQ(Parse(guide::kTableRange).Delay(0, r), Opt(2430));
  EXPECT_EQ(Parse(" 300 ").Delay(0, r), Opt(300));
  EXPECT_EQ(Parse("3600 + 600").elements(), (std::vector<DelayElement>{{3600, 600}}));
}

TEST(Schedule, ZeroAndEmptyDisable) {
  ScriptedRandom r;
  EXPECT_TRUE(Parse("").disabled());
  EXPECT_TRUE(Parse("0").disabled());
  EXPECT_TRUE(Parse("0+600").disabled());
  EXPECT_FALSE(Parse("1").disabled());
  EXPECT_EQ(Parse("0").Delay(0, r), std::nullopt);
  EXPECT_EQ(Parse("").Delay(3, r), std::nullopt);
  EXPECT_EQ(DelaySchedule().Delay(0, r), std::nullopt);
  // A 0 later in the list stops further attempts from that point on.
  EXPECT_EQ(Delays(Parse("600,0"), 3, r), (std::vector<Opt>{600, std::nullopt, std::nullopt}));
  EXPECT_TRUE(r.bounds.empty());
}

TEST(Schedule, RandomSourceOutOfRangeIsClamped) {
  ScriptedRandom r({1000000});
  EXPECT_EQ(Parse("10+5").Delay(0, r), Opt(15));
}

TEST(Schedule, Errors) {
  const char* bad[] = {"abc",         "1,,2",  "1,",         ",1",
                       "1+",          "+5",    "-1",         "1.5",
                       "1+2+3",       "3600s", "4294967296", "99999999999999999999999",
                       "1+4294967296"};
  for (const char* text : bad) {
    Result<DelaySchedule> s = DelaySchedule::Parse(text, "Resync_Periodic");
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(s.status().message().rfind("Resync_Periodic: ", 0), 0u) << s.status().message();
  }
  std::string many;
  for (int i = 0; i < 65; ++i) many += (i ? ",1" : "1");
  EXPECT_EQ(DelaySchedule::Parse(many, "Resync_Periodic").status().code(),
            StatusCode::kLimitExceeded);
  many.resize(many.size() - 2);  // 64 elements are fine
  EXPECT_TRUE(DelaySchedule::Parse(many, "Resync_Periodic").ok());
  EXPECT_TRUE(DelaySchedule::Parse("4294967295+4294967295", "x").ok());
}

TEST(ResyncAt, Parse) {
  struct Case {
    const char* text;
    int hour, minute;
  };
  const Case good[] = {{"1000", 10, 0},  {"0959", 9, 59}, {"0000", 0, 0},
                       {"2359", 23, 59}, {"2400", 0, 0},  {" 0130 ", 1, 30}};
  for (const Case& c : good) {
    Result<std::optional<ResyncAt>> r = ParseResyncAt(c.text);
    ASSERT_TRUE(r.ok() && r.value()) << c.text;
    EXPECT_EQ(*r.value(), (ResyncAt{c.hour, c.minute})) << c.text;
  }
  EXPECT_EQ(ParseResyncAt("").value(), std::nullopt);
  EXPECT_EQ(ParseResyncAt("  ").value(), std::nullopt);
  for (const char* bad : {"2401", "2500", "1060", "930", "09300", "ab12", "12:30", "-100"}) {
    Result<std::optional<ResyncAt>> r = ParseResyncAt(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ResyncAt, RandomDelayParameter) {
  EXPECT_EQ(ParseResyncAtRandomDelay("").value(), 600u);  // default (guide 2519)
  EXPECT_EQ(ParseResyncAtRandomDelay("0").value(), 0u);
  EXPECT_EQ(ParseResyncAtRandomDelay("65535").value(), 65535u);
  for (const char* bad : {"65536", "-1", "ten", "1.5"}) {
    EXPECT_FALSE(ParseResyncAtRandomDelay(bad).ok()) << bad;
  }
}

TEST(ResyncAt, WindowRoundsToTheMinute) {
  // (delay + 30) / 60 minutes (guide 2517).
  struct Case {
    uint32_t delay;
    uint64_t window;
  };
  const Case cases[] = {{600, 600}, {0, 0}, {29, 0}, {30, 60}, {89, 60}, {90, 120}, {65535, 65520}};
  for (const Case& c : cases) EXPECT_EQ(ResyncAtWindowSeconds(c.delay), c.window) << c.delay;
}

TEST(ResyncAt, NextMoment) {
  using namespace std::chrono;
  const sys_seconds day = sys_days{year{2026} / November / 26};
  const ResyncAt ten{10, 0};
  struct Case {
    seconds now;     // since midnight UTC of `day`
    seconds offset;  // local = UTC + offset
    uint64_t random;
    seconds expected;  // since midnight UTC of `day`
  };
  const Case cases[] = {
      {hours(9), seconds(0), 123, hours(10) + seconds(123)},   // later today
      {hours(10), seconds(0), 0, hours(34)},                   // exactly now: tomorrow
      {hours(11), seconds(0), 600, hours(34) + seconds(600)},  // passed: tomorrow
      {hours(8), hours(1), 0, hours(9)},                       // local 09:00, 10:00 local = 09 UTC
      {hours(8), hours(-2), 0, hours(12)},                     // local 06:00
      {hours(23), hours(2), 0, hours(32)},                     // local 01:00 next day
  };
  for (const Case& c : cases) {
    ScriptedRandom r({c.random});
    sys_seconds next = NextResyncAt(day + c.now, ten, c.offset, 600, r);
    EXPECT_EQ(next - day, c.expected) << c.now.count() << " " << c.offset.count();
    EXPECT_EQ(r.bounds, (std::vector<uint64_t>{600}));  // 10:00-10:10 (guide 1201)
  }
  ScriptedRandom none;
  EXPECT_EQ(NextResyncAt(day, ten, seconds(0), 0, none) - day, hours(10));
  EXPECT_TRUE(none.bounds.empty());
}

TEST(Random, SystemRandomStaysInRange) {
  SystemRandom r(42);
  bool saw_max = false, saw_zero = false;
  for (int i = 0; i < 2000; ++i) {
    uint64_t v = r.Uniform(3);
    ASSERT_LE(v, 3u);
    saw_max |= v == 3;
    saw_zero |= v == 0;
  }
  EXPECT_TRUE(saw_max && saw_zero);
  EXPECT_EQ(r.Uniform(0), 0u);
}

}  // namespace
}  // namespace cwmp::prov
