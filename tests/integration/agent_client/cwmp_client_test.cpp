// CwmpClient against the scripted ACS with a fake clock: triggers, one session at a time, the
// §3.2.1.1 back-off after a failure and the periodic inform. No sleeping: the clock is moved.
#include <gtest/gtest.h>

#include <deque>
#include <thread>

#include "acs_script.h"
#include "agent/cwmp_client.h"
#include "agent/network_worker.h"
#include "scripted_http_server.h"
#include "test_delegate.h"

namespace agent_test {
namespace {

using namespace std::chrono;
using agent::SessionTrigger;

class FakeClientClock final : public agent::ClientClock {
 public:
  TimePoint Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Advance(seconds s) {
    std::lock_guard lock(mu_);
    now_ += s;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_ = TimePoint(sys_days{year{2026} / 11 / 26} + hours{12});
};

class MaxRandom final : public cwmp::prov::Random {
 public:
  uint64_t Uniform(uint64_t max_inclusive) override {
    asked.push_back(max_inclusive);
    return max_inclusive;
  }
  std::vector<uint64_t> asked;
};

struct Fixture {
  explicit Fixture(ScriptedHttpServer::Handler handler) : acs(std::move(handler)) {}
  agent::CwmpClientOptions Options() {
    agent::CwmpClientOptions o;
    o.session.acs_url = acs.Url();
    o.session.session_timeout = seconds(5);
    return o;
  }
  ScriptedHttpServer acs;
  RecordingDelegate device;
  FakeClientClock clock;
  MaxRandom random;
};

std::vector<cwmp::soap::Inform> InformsOnWire(const ScriptedHttpServer& acs) {
  std::vector<cwmp::soap::Inform> out;
  for (const auto& r : acs.requests()) {
    auto d = cwmp::soap::Decode(r.body);
    if (d.ok() && std::holds_alternative<cwmp::soap::Inform>(d->envelope.body)) {
      out.push_back(std::get<cwmp::soap::Inform>(d->envelope.body));
    }
  }
  return out;
}

bool HasEvent(const cwmp::soap::Inform& i, const std::string& code) {
  for (const auto& e : i.events) {
    if (e.event_code == code) return true;
  }
  return false;
}

TEST(CwmpClient, FailedSessionsBackOffPerSection3_2_1_1AndSuccessResets) {
  Fixture f(Script({
      InformResponseStep(), Drop(),       // session 1: dropped after the empty POST
      InformResponseStep(), Drop(),       // session 2 (retry 1)
      InformResponseStep(), NoContent(),  // session 3 (retry 2) succeeds
  }));
  agent::CwmpClient client(f.Options(), agent::MakeAcsHttpClient({}), f.device, f.clock, f.random);
  const auto t0 = f.clock.Now();
  client.Trigger(SessionTrigger::kBoot);
  auto next = client.RunDue();
  EXPECT_EQ(client.sessions_run(), 1u);
  EXPECT_EQ(client.retry_count(), 1u);
  ASSERT_TRUE(next);
  // First retry: a random wait in [5, 10] s; MaxRandom picks the top.
  EXPECT_EQ(f.random.asked, (std::vector<uint64_t>{5}));
  EXPECT_EQ(*next, t0 + seconds(10));

  f.clock.Advance(seconds(9));
  EXPECT_EQ(client.RunDue(), t0 + seconds(10));  // not yet
  EXPECT_EQ(client.sessions_run(), 1u);

  f.clock.Advance(seconds(1));
  next = client.RunDue();
  EXPECT_EQ(client.sessions_run(), 2u);
  EXPECT_EQ(client.retry_count(), 2u);
  EXPECT_EQ(f.random.asked, (std::vector<uint64_t>{5, 10}));  // [10, 20]
  EXPECT_EQ(*next, t0 + seconds(10 + 20));

  f.clock.Advance(seconds(20));
  next = client.RunDue();
  EXPECT_EQ(client.sessions_run(), 3u);
  EXPECT_EQ(client.retry_count(), 0u);
  EXPECT_FALSE(next);  // nothing scheduled: no periodic inform
  ASSERT_TRUE(client.last_outcome());
  EXPECT_TRUE(client.last_outcome()->status.ok());

  auto informs = InformsOnWire(f.acs);
  ASSERT_EQ(informs.size(), 3u);
  EXPECT_EQ(informs[0].retry_count, 0u);
  EXPECT_EQ(informs[1].retry_count, 1u);
  EXPECT_EQ(informs[2].retry_count, 2u);
  EXPECT_EQ(std::count(f.device.calls.begin(), f.device.calls.end(), "OnSessionEnd(false)"), 2);
}

TEST(CwmpClient, TriggersDuringASessionCollapseIntoExactlyOneMore) {
  Fixture f(Script({
      InformResponseStep(),
      Reply(Soap(AcsEnvelope(kNs12, "A1", "", GpvBody()))),
      NoContent(),
      InformResponseStep(),
      NoContent(),
  }));
  agent::CwmpClient client(f.Options(), agent::MakeAcsHttpClient({}), f.device, f.clock, f.random);
  int fired = 0;
  f.device.on_acs_request = [&] {
    if (fired++ == 0) {
      client.Trigger(SessionTrigger::kConnectionRequest);
      client.Trigger(SessionTrigger::kConnectionRequest);
      client.Trigger(SessionTrigger::kValueChange);
    }
  };
  client.Trigger(SessionTrigger::kBoot);
  EXPECT_FALSE(client.RunDue());
  EXPECT_EQ(client.sessions_run(), 2u);
  auto informs = InformsOnWire(f.acs);
  ASSERT_EQ(informs.size(), 2u);
  EXPECT_FALSE(HasEvent(informs[0], "6 CONNECTION REQUEST"));
  EXPECT_TRUE(HasEvent(informs[1], "6 CONNECTION REQUEST"));
  // The two sessions did not overlap: the second Inform came after the first session's end.
  auto wire = f.acs.requests();
  ASSERT_EQ(wire.size(), 5u);
  EXPECT_TRUE(wire[2].body.find("GetParameterValuesResponse") != std::string::npos);
}

TEST(CwmpClient, ConnectionRequestEventIsNotRetriedButPeriodicIs) {
  // The first session fails before the InformResponse: its events were not delivered.
  Fixture f(Script({Drop(), InformResponseStep(), NoContent()}));
  ScriptedHttpServer& acs = f.acs;
  agent::CwmpClient client(f.Options(), agent::MakeAcsHttpClient({}), f.device, f.clock, f.random);
  client.Trigger(SessionTrigger::kConnectionRequest);
  client.Trigger(SessionTrigger::kPeriodic);
  auto next = client.RunDue();
  ASSERT_TRUE(next);
  f.clock.Advance(seconds(10));
  EXPECT_FALSE(client.RunDue());
  auto informs = InformsOnWire(acs);
  ASSERT_EQ(informs.size(), 2u);
  EXPECT_TRUE(HasEvent(informs[0], "6 CONNECTION REQUEST"));
  EXPECT_TRUE(HasEvent(informs[0], "2 PERIODIC"));
  EXPECT_FALSE(HasEvent(informs[1], "6 CONNECTION REQUEST"));
  EXPECT_TRUE(HasEvent(informs[1], "2 PERIODIC"));
  EXPECT_EQ(informs[1].retry_count, 1u);
}

TEST(CwmpClient, PeriodicInformRunsOnPeriodicInformTimeSlots) {
  Fixture f(Script({InformResponseStep(), NoContent(), InformResponseStep(), NoContent()}));
  auto options = f.Options();
  const auto t0 = f.clock.Now();
  options.periodic = {true, 600,
                      std::chrono::floor<seconds>(t0) - seconds(100)};  // slots at t0+500+k·600
  agent::CwmpClient client(options, agent::MakeAcsHttpClient({}), f.device, f.clock, f.random);
  EXPECT_EQ(client.RunDue(), t0 + seconds(500));
  EXPECT_EQ(client.sessions_run(), 0u);
  f.clock.Advance(seconds(500));
  EXPECT_EQ(client.RunDue(), t0 + seconds(1100));
  EXPECT_EQ(client.sessions_run(), 1u);
  f.clock.Advance(seconds(600));
  EXPECT_EQ(client.RunDue(), t0 + seconds(1700));
  auto informs = InformsOnWire(f.acs);
  ASSERT_EQ(informs.size(), 2u);
  EXPECT_TRUE(HasEvent(informs[0], "2 PERIODIC"));
  EXPECT_TRUE(HasEvent(informs[1], "2 PERIODIC"));

  client.SetPeriodicInform({false, 600, std::nullopt});
  EXPECT_FALSE(client.RunDue());
}

TEST(CwmpClient, RunServesTriggersFromAnotherThreadUntilStopped) {
  Fixture f(Script({InformResponseStep(), NoContent()}));
  agent::CwmpClient client(f.Options(), agent::MakeAcsHttpClient({}), f.device, f.clock, f.random);
  std::thread loop([&] { client.Run(); });
  client.Trigger(SessionTrigger::kInformNow);
  for (int i = 0; i < 500 && client.sessions_run() == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));  // waits for the loop thread, bounded
  }
  client.Stop();
  loop.join();
  EXPECT_EQ(client.sessions_run(), 1u);
  EXPECT_EQ(f.acs.requests().size(), 2u);
}

}  // namespace
}  // namespace agent_test
