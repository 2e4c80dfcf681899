// When the resync engine resyncs, with a fake clock and rules that need no network (empty rules
// succeed, a malformed rule fails): Resync_On_Reset + Resync_Random_Delay, Resync_Periodic lists
// (active only after the first success), Resync_At (overrides periodic), Resync_Error_Retry_Delay
// lists and 0, Resync_Trigger_1/2, busy lines and Forced_Resync_Delay, Provision_Enable,
// Resync_After_Upgrade_Attempt, the rule sequence stopping at the first failure, $PRVST/$PRVTMR,
// and resync.state across a reboot.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include "agent/clock.h"
#include "agent/parameter_store.h"
#include "agent/resync_engine.h"

namespace agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using std::chrono::sys_seconds;

// Passes the catalog's structural check but fails at evaluation (quoted string vs integer).
constexpr char kFailingRule[] = "(\"$PN\" eq 5)? (GPP_C = \"x\";)!";
constexpr char kFailingError[] = "Profile_Rule: alternative 1";

const sys_seconds kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / 26} + 12h;

class ResyncSchedule : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = "/tmp/agent_resync_unit_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = ParameterStore::Open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    Set("Profile_Rule", "");  // the default (/$PSN.xml over DHCP TFTP) needs a network
  }
  void TearDown() override {
    engine_.reset();
    fs::remove_all(dir_);
  }

  void Set(const std::string& name, const std::string& value) {
    auto st = store_->Set(name, value, ChangeSource::kAcs);
    ASSERT_TRUE(st.ok()) << name << ": " << st.ToString();
  }

  ResyncEngine& Engine() {
    if (!engine_) {
      ResyncEngineOptions o;
      o.store = store_.get();
      o.clock = &clock_;
      o.identity.model_name = "CP-6841-3PCC";
      o.identity.serial_number = "88012BA01234";
      o.identity.mac_address = "00:0e:08:ab:cd:ef";
      o.identity.software_version = "sip68xx.11-0-1MPP";
      o.lines_idle = [this] { return idle_; };
      auto e = ResyncEngine::Create(std::move(o));
      EXPECT_TRUE(e.ok()) << e.status().ToString();
      engine_ = std::move(e.value());
    }
    return *engine_;
  }

  // Moves the clock to `t` and runs what is due.
  std::optional<ResyncResult> RunAt(sys_seconds t) {
    clock_.Set(t);
    return Engine().RunDue(t);
  }

  std::string dir_;
  std::unique_ptr<ParameterStore> store_;
  FakeClock clock_{kT0};
  bool idle_ = true;
  std::unique_ptr<ResyncEngine> engine_;
};

TEST(ResyncTriggerNames, ProvisioningStateIsTheGuidesPrvst) {
  EXPECT_EQ(ProvisioningState(ResyncTrigger::kExplicit), -1);
  EXPECT_EQ(ProvisioningState(ResyncTrigger::kAfterUpgrade), -1);
  EXPECT_EQ(ProvisioningState(ResyncTrigger::kPowerUp), 0);
  EXPECT_EQ(ProvisioningState(ResyncTrigger::kPeriodic), 1);
  EXPECT_EQ(ProvisioningState(ResyncTrigger::kResyncAt), 1);
  EXPECT_EQ(ProvisioningState(ResyncTrigger::kRetry), 2);
  EXPECT_STREQ(ResyncTriggerName(ResyncTrigger::kResyncAt), "resync-at");
}

TEST_F(ResyncSchedule, PowerUpResyncComesWithinResyncRandomDelay) {
  Set("Resync_Random_Delay", "100");
  Engine().OnBoot();
  auto next = Engine().NextWakeup();
  ASSERT_TRUE(next);
  EXPECT_GE(*next, kT0);
  EXPECT_LE(*next, kT0 + 100s);
  EXPECT_EQ(Engine().Status().next_trigger, ResyncTrigger::kPowerUp);
  if (*next > kT0) {
    EXPECT_FALSE(RunAt(*next - 1s));
  }
  auto r = RunAt(*next);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ran);
  EXPECT_TRUE(r->success);
  EXPECT_EQ(r->trigger, ResyncTrigger::kPowerUp);
  EXPECT_EQ(Engine().Status().prvst, 0);
}

TEST_F(ResyncSchedule, RandomDelaySpreadsPowerUpResyncs) {
  Set("Resync_Random_Delay", "3600");
  std::set<sys_seconds> seen;
  for (int i = 0; i < 20; ++i) {
    Engine().OnBoot();
    seen.insert(*Engine().NextWakeup());
  }
  EXPECT_GT(seen.size(), 10u);
}

TEST_F(ResyncSchedule, WithoutResyncOnResetNothingIsScheduledBeforeASuccess) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "30");
  Engine().OnBoot();
  EXPECT_FALSE(Engine().NextWakeup());  // the periodic timer needs a first success
  EXPECT_FALSE(RunAt(kT0 + 3600s));
}

TEST_F(ResyncSchedule, PeriodicTimerStartsAfterTheFirstSuccess) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "30");
  Engine().OnBoot();
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.ran && r.success) << r.error;
  EXPECT_EQ(Engine().Status().prvst, -1);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 30s);
  EXPECT_EQ(Engine().Status().next_trigger, ResyncTrigger::kPeriodic);
  EXPECT_FALSE(RunAt(kT0 + 29s));
  auto p = RunAt(kT0 + 30s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->trigger, ResyncTrigger::kPeriodic);
  EXPECT_EQ(Engine().Status().prvst, 1);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 60s);
}

TEST_F(ResyncSchedule, PeriodicListAdvancesAndRepeatsItsLastElement) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "600, 1200, 300");
  ASSERT_TRUE(Engine().ResyncNow().success);
  sys_seconds t = kT0;
  for (int delay : {600, 1200, 300, 300}) {
    t += std::chrono::seconds(delay);
    EXPECT_EQ(Engine().NextWakeup(), t);
    auto r = RunAt(t);
    ASSERT_TRUE(r && r->success);
  }
}

TEST_F(ResyncSchedule, FailuresRetryOnTheErrorRetryScheduleFromTheFirstRule) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "3600");
  Set("Resync_Error_Retry_Delay", "30,60");
  Set("Profile_Rule", kFailingRule);
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.ran);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.error.rfind(kFailingError, 0), 0u) << r.error;
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 30s);
  EXPECT_EQ(Engine().Status().next_trigger, ResyncTrigger::kRetry);
  auto r2 = RunAt(kT0 + 30s);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->trigger, ResyncTrigger::kRetry);
  EXPECT_EQ(Engine().Status().prvst, 2);
  EXPECT_EQ(Engine().Status().consecutive_failures, 2);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 90s);
  ASSERT_TRUE(RunAt(kT0 + 90s));
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 150s);  // the last element repeats
  Set("Profile_Rule", "");
  auto ok = RunAt(kT0 + 150s);
  ASSERT_TRUE(ok && ok->success);
  EXPECT_EQ(Engine().Status().consecutive_failures, 0);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 150s + 3600s);
}

TEST_F(ResyncSchedule, ZeroErrorRetryDelayMeansNoFurtherAttempt) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "30");
  Set("Resync_Error_Retry_Delay", "0");
  ASSERT_TRUE(Engine().ResyncNow().success);
  Set("Profile_Rule", kFailingRule);
  auto r = RunAt(kT0 + 30s);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->success);
  EXPECT_FALSE(Engine().NextWakeup());
  EXPECT_EQ(Engine().Status().Summary().rfind(
                "Last resync failed on 11/26/2026 12:00:30: Profile_Rule: alternative 1", 0),
            0u)
      << Engine().Status().Summary();
}

TEST_F(ResyncSchedule, ResyncAtOverridesPeriodicInLocalTime) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "30");
  Set("Resync_At__HHmm_", "1000");
  Set("Resync_At_Random_Delay", "0");
  Set("Time_Zone", "GMT-06:00");  // 12:00 UTC is 06:00 local; 10:00 local is 16:00 UTC
  Engine().OnBoot();
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 4h);
  EXPECT_EQ(Engine().Status().next_trigger, ResyncTrigger::kResyncAt);
  auto r = RunAt(kT0 + 4h);
  ASSERT_TRUE(r && r->success);
  EXPECT_EQ(r->trigger, ResyncTrigger::kResyncAt);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 28h);  // tomorrow 10:00 local, not 30 s later
}

TEST_F(ResyncSchedule, ResyncAtRandomDelaySpreadsOverTheWindow) {
  Set("Resync_On_Reset", "No");
  Set("Resync_At__HHmm_", "1000");
  Set("Time_Zone", "GMT-06:00");
  Set("Resync_At_Random_Delay", "600");
  Engine().OnBoot();
  auto next = Engine().NextWakeup();
  ASSERT_TRUE(next);
  EXPECT_GE(*next, kT0 + 4h);
  EXPECT_LE(*next, kT0 + 4h + 600s);
}

TEST_F(ResyncSchedule, InvalidResyncAtIsIgnored) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "30");
  ASSERT_TRUE(Engine().ResyncNow().success);
  // The catalog refuses an invalid HHmm through Set, so the engine never sees one from the
  // store; an empty value is "off".
  EXPECT_FALSE(store_->Set("Resync_At__HHmm_", "2500", ChangeSource::kAcs).ok());
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 30s);
}

TEST_F(ResyncSchedule, TriggersHoldThePeriodicResyncUntilOneIsTrue) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "30");
  Set("Resync_Trigger_1", "$PRVTMR ge 100");
  ASSERT_TRUE(Engine().ResyncNow().success);  // explicit resyncs are not gated
  EXPECT_FALSE(RunAt(kT0 + 30s));
  EXPECT_TRUE(Engine().Status().waiting_for_triggers);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 30s + kTriggerPollInterval);
  EXPECT_FALSE(RunAt(kT0 + 60s));
  EXPECT_FALSE(RunAt(kT0 + 90s));
  auto r = RunAt(kT0 + 120s);  // $PRVTMR is 120 now
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trigger, ResyncTrigger::kPeriodic);
  EXPECT_FALSE(Engine().Status().waiting_for_triggers);
}

TEST_F(ResyncSchedule, EitherTriggerTrueAllowsTheResync) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "30");
  Set("Resync_Trigger_1", "$PRVTMR ge 100000");
  Set("Resync_Trigger_2", "\"$SN\" eq \"88012BA01234\"");
  ASSERT_TRUE(Engine().ResyncNow().success);
  EXPECT_TRUE(RunAt(kT0 + 30s));
}

TEST_F(ResyncSchedule, BusyLinesDeferTheResyncUntilIdle) {
  Set("Forced_Resync_Delay", "100");
  idle_ = false;
  ResyncResult r = Engine().ResyncNow();
  EXPECT_FALSE(r.ran);
  EXPECT_TRUE(r.deferred);
  EXPECT_TRUE(Engine().Status().waiting_for_idle_lines);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + kLinePollInterval);
  EXPECT_FALSE(RunAt(kT0 + 50s));
  idle_ = true;
  auto ran = RunAt(kT0 + 55s);
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->trigger, ResyncTrigger::kExplicit);
  EXPECT_FALSE(Engine().Status().waiting_for_idle_lines);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 55s + 3600s);  // Resync_Periodic's default
}

TEST_F(ResyncSchedule, ForcedResyncDelayEndsTheWait) {
  Set("Forced_Resync_Delay", "100");
  Set("Resync_Random_Delay", "0");
  idle_ = false;
  Engine().OnBoot();
  EXPECT_FALSE(RunAt(kT0));
  EXPECT_FALSE(RunAt(kT0 + 99s));
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 100s);  // the deadline comes before the next poll
  auto r = RunAt(kT0 + 100s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trigger, ResyncTrigger::kPowerUp);
}

TEST_F(ResyncSchedule, ProvisionEnableNoStopsEverything) {
  Set("Provision_Enable", "No");
  Set("Resync_Random_Delay", "0");
  Engine().OnBoot();
  EXPECT_FALSE(Engine().NextWakeup());
  EXPECT_FALSE(RunAt(kT0 + 10s));
  ResyncResult r = Engine().ResyncNow("(GPP_C = \"x\";)!");
  EXPECT_FALSE(r.ran);
  EXPECT_EQ(r.error, "Provision_Enable is No");
  EXPECT_EQ(store_->Get("GPP_C"), "");
}

TEST_F(ResyncSchedule, ResyncAfterUpgradeAttempt) {
  Set("Resync_On_Reset", "No");
  Engine().OnBoot();
  Engine().RequestResyncAfterUpgrade();
  EXPECT_EQ(Engine().NextWakeup(), kT0);
  auto r = RunAt(kT0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trigger, ResyncTrigger::kAfterUpgrade);
  Set("Resync_After_Upgrade_Attempt", "No");
  Engine().RequestResyncAfterUpgrade();
  EXPECT_FALSE(RunAt(kT0 + 1s));
}

TEST_F(ResyncSchedule, AFailedRuleStopsTheSequence) {
  Set("Profile_Rule", "(GPP_C = \"one\";)!");
  Set("Profile_Rule_B", "(\"$C\" eq 5)? (GPP_D = \"b\";)!");  // type error at evaluation
  Set("Profile_Rule_C", "(GPP_E = \"c\";)!");
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.ran);
  EXPECT_FALSE(r.success);
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_TRUE(r.files[0].ok);
  EXPECT_EQ(r.files[1].rule, "Profile_Rule_B");
  EXPECT_EQ(r.error.rfind("Profile_Rule_B: alternative 1", 0), 0u) << r.error;
  EXPECT_EQ(store_->Get("GPP_C"), "one");
  EXPECT_EQ(store_->Get("GPP_D"), "");
  EXPECT_EQ(store_->Get("GPP_E"), "");  // never reached
}

TEST_F(ResyncSchedule, ExplicitRuleReplacesTheProfileRules) {
  Set("Profile_Rule", "(GPP_C = \"from-rule\";)!");
  ResyncResult r = Engine().ResyncNow("(GPP_H = \"via-web\";)!");
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_H"), "via-web");
  EXPECT_EQ(store_->Get("GPP_C"), "");
}

TEST_F(ResyncSchedule, PrvstAndPrvtmrAreVisibleToRules) {
  Set("Profile_Rule",
      "($PRVST eq -1)? (GPP_F = \"explicit\"; GPP_G = \"$PRVTMR\";)! | (GPP_F = \"other\";)!");
  ASSERT_TRUE(Engine().ResyncNow().success);
  clock_.Advance(42s);
  ASSERT_TRUE(Engine().ResyncNow().success);
  EXPECT_EQ(store_->Get("GPP_F"), "explicit");
  EXPECT_EQ(store_->Get("GPP_G"), "42");
  Set("Resync_Periodic", "10");
  auto r = RunAt(kT0 + 52s);
  ASSERT_TRUE(r);
  EXPECT_EQ(store_->Get("GPP_F"), "other");
}

TEST_F(ResyncSchedule, AssignmentsAreLocalChangesForValueChange) {
  StoreEdit edit;
  edit.attributes.push_back({"GPP_C", 1, std::nullopt, std::nullopt});
  ASSERT_TRUE(store_->Commit(edit, ChangeSource::kAcs).ok());
  Set("Profile_Rule", "(GPP_C = \"changed\";)!");
  ASSERT_TRUE(Engine().ResyncNow().success);
  auto changed = store_->ChangedParameters();
  EXPECT_NE(std::find(changed.begin(), changed.end(), "GPP_C"), changed.end());
}

TEST_F(ResyncSchedule, ScheduleParameterChangeReschedules) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "3600");
  ASSERT_TRUE(Engine().ResyncNow().success);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 3600s);
  clock_.Advance(10s);
  Set("Resync_Periodic", "30");
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 30s);
  clock_.Advance(100s);
  Set("Resync_Periodic", "40");
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 110s);  // overdue: now
}

TEST_F(ResyncSchedule, StateSurvivesAReboot) {
  Set("Resync_On_Reset", "No");
  Set("Resync_Periodic", "3600");
  Set("Profile_Rule", kFailingRule);
  Set("Resync_Error_Retry_Delay", "30,60,90");
  EXPECT_FALSE(Engine().ResyncNow().success);
  clock_.Advance(30s);
  ASSERT_TRUE(Engine().RunDue(clock_.Now()));
  engine_.reset();  // reboot
  EXPECT_TRUE(fs::exists(dir_ + "/resync.state"));
  clock_.Advance(5s);
  Engine().OnBoot();
  ResyncStatus s = Engine().Status();
  EXPECT_EQ(s.consecutive_failures, 2);
  EXPECT_EQ(s.prvst, 2);
  EXPECT_EQ(s.last_attempt, kT0 + 30s);
  EXPECT_EQ(s.next_trigger, ResyncTrigger::kRetry);
  EXPECT_EQ(Engine().NextWakeup(), kT0 + 90s);
}

TEST_F(ResyncSchedule, CorruptStateFileIsRefused) {
  {
    std::ofstream out(dir_ + "/resync.state");
    out << "resync-state 1\nprvst\tnot-a-number\nend 1\n";
  }
  ResyncEngineOptions o;
  o.store = store_.get();
  o.clock = &clock_;
  auto e = ResyncEngine::Create(std::move(o));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("resync.state"), std::string::npos);
}

TEST_F(ResyncSchedule, MissingStoreOrClockIsAnError) {
  EXPECT_FALSE(ResyncEngine::Create(ResyncEngineOptions{}).ok());
}

}  // namespace
}  // namespace agent
