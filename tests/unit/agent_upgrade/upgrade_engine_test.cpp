// UpgradeEngine and CustomCaEngine decisions that need no server: Upgrade_Enable, empty rules,
// conditions that select nothing, evaluation failures with their $UPGERR and the
// Upgrade_Error_Retry_Delay schedule on a fake clock, lines busy, the "already running" load,
// /admin/upgrade validation, persistence of $UPGST/$UPGERR/$UPGTMR across restarts, and the
// Custom_CA_Rule bookkeeping and status strings. Transfers are in
// tests/integration/agent_upgrade.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "agent/ca_store.h"
#include "agent/clock.h"
#include "agent/custom_ca.h"
#include "agent/firmware.h"
#include "agent/parameter_store.h"
#include "agent/upgrade_engine.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/schedule.h"

namespace agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using std::chrono::sys_seconds;

constexpr sys_seconds kStart{std::chrono::seconds{1764158400}};  // 2025-11-26 12:00:00 UTC

// Uniform() returns its upper bound, so "+r" delays are at their maximum.
class MaxRandom final : public cwmp::prov::Random {
 public:
  uint64_t Uniform(uint64_t max_inclusive) override { return max_inclusive; }
};

// One phone: state directory, store, slots, fake clock, engine, and what the callbacks saw.
class Phone {
 public:
  explicit Phone(std::string dir) : dir_(std::move(dir)), clock_(kStart) { Reopen(); }

  // A restart: everything is loaded again from the state directory.
  void Reopen() {
    engine_.reset();
    auto store = ParameterStore::Open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto slots = ImageSlots::Open(dir_);
    ASSERT_TRUE(slots.ok()) << slots.status().ToString();
    slots_ = std::make_unique<ImageSlots>(std::move(slots).value());
    UpgradeEngineOptions o;
    o.state_dir = dir_;
    o.store = store_.get();
    o.slots = slots_.get();
    o.clock = &clock_;
    o.random = &random_;
    o.policy.model = "CP-6841-3PCC";
    o.factory_version = "sip68xx.11-0-1MPP-0001";
    o.fetch.connect_timeout_ms = 500;
    o.fetch.total_timeout_ms = 1000;
    o.lines_idle = [this] { return idle_; };
    o.fill_macros = [](cwmp::prov::MacroVariables* v) {
      (void)v->Set("PN", "CP-6841-3PCC");
      (void)v->SetMac("000e08abcdef");
    };
    o.request_reboot = [this] { ++reboots_; };
    o.request_resync = [this] { ++resyncs_; };
    o.report = [this](TransferResult r) { reports_.push_back(std::move(r)); };
    o.log = [this](ProvisioningLogEvent e, const cwmp::prov::MacroContext& ctx) {
      logs_.push_back({e, SyslogTemplateExpand(e, ctx)});
    };
    auto engine = UpgradeEngine::Create(std::move(o));
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
  }

  static std::string SyslogTemplateExpand(ProvisioningLogEvent e,
                                          const cwmp::prov::MacroContext& ctx) {
    return cwmp::prov::ExpandMacros(DefaultLogTemplate(e), ctx);
  }

  void Set(const std::string& name, const std::string& value) {
    ASSERT_TRUE(store_->Set(name, value, ChangeSource::kLocal).ok()) << name << "=" << value;
  }

  UpgradeEngine& engine() { return *engine_; }
  FakeClock& clock() { return clock_; }
  ImageSlots& slots() { return *slots_; }
  ParameterStore& store() { return *store_; }
  std::string dir() const { return dir_; }

  bool idle_ = true;
  int reboots_ = 0;
  int resyncs_ = 0;
  std::vector<TransferResult> reports_;
  std::vector<std::pair<ProvisioningLogEvent, std::string>> logs_;

 private:
  std::string dir_;
  FakeClock clock_;
  MaxRandom random_;
  std::unique_ptr<ParameterStore> store_;
  std::unique_ptr<ImageSlots> slots_;
  std::unique_ptr<UpgradeEngine> engine_;
};

class UpgradeEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/agent_upgrade_unit_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    phone_ = std::make_unique<Phone>(dir_);
    ASSERT_TRUE(phone_->engine().OnBoot().ok());
  }
  void TearDown() override {
    phone_.reset();
    fs::remove_all(dir_);
  }
  cwmp::Status Run() { return phone_->engine().RunDue(phone_->clock().Now()); }

  std::string dir_;
  std::unique_ptr<Phone> phone_;
};

// A condition that fails to evaluate (a quoted string ordered against a number).
constexpr char kBadRule[] = "(\"beta\" lt 5)? http://127.0.0.1/sip68xx.11-2-4MPP-0002.loads";

TEST_F(UpgradeEngineTest, FreshEngineReportsFactoryVersionAndIsDueAtOnce) {
  EXPECT_EQ(phone_->engine().SoftwareVersion(), "sip68xx.11-0-1MPP-0001");
  EXPECT_EQ(phone_->engine().NextWakeup(), phone_->clock().Now());
  UpgradeStatus st = phone_->engine().Status();
  EXPECT_EQ(st.state, "idle");
  EXPECT_EQ(st.upgst, 1);
  EXPECT_EQ(st.last_result, "");
  EXPECT_FALSE(st.last_attempt.has_value());
}

TEST_F(UpgradeEngineTest, EmptyRuleDoesNothingAndSchedulesNothing) {
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->engine().NextWakeup(), std::nullopt);
  EXPECT_TRUE(phone_->logs_.empty());
  EXPECT_TRUE(phone_->reports_.empty());
}

TEST_F(UpgradeEngineTest, UnmetConditionSelectsNothing) {
  phone_->Set("Upgrade_Rule", "(\"$F\" eq \"beta\")? http://127.0.0.1/sip68xx.11-2-4MPP-0002.loads");
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(phone_->logs_.empty());
  EXPECT_EQ(phone_->engine().Status().last_url, "");
}

TEST_F(UpgradeEngineTest, DisabledEngineIgnoresRuleAndRefusesAdminUpgrade) {
  phone_->Set("Upgrade_Enable", "No");
  phone_->Set("Upgrade_Rule", kBadRule);
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(phone_->logs_.empty());
  EXPECT_EQ(phone_->engine().NextWakeup(), std::nullopt);
  EXPECT_EQ(phone_->engine().Status().state, "disabled");
  cwmp::Status st = phone_->engine().UpgradeNow("http://127.0.0.1/sip68xx.11-2-4MPP-0002.loads");
  EXPECT_EQ(st.code(), cwmp::StatusCode::kFailedPrecondition);
}

TEST_F(UpgradeEngineTest, AdminUpgradeNeedsAServer) {
  EXPECT_EQ(phone_->engine().UpgradeNow("/sip68xx.11-2-4MPP-0002.loads").code(),
            cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(phone_->engine().UpgradeNow("ftp://h/x.loads").code(),
            cwmp::StatusCode::kInvalidArgument);
  EXPECT_TRUE(phone_->engine().UpgradeNow("tftp://10.0.0.1/sip68xx.11-2-4MPP-0002.loads").ok());
  EXPECT_EQ(phone_->engine().NextWakeup(), phone_->clock().Now());
  EXPECT_EQ(phone_->engine().Status().state, "upgrade requested");
}

TEST_F(UpgradeEngineTest, EvaluationFailureIsAFailedAttemptRetriedOnSchedule) {
  phone_->Set("Upgrade_Error_Retry_Delay", "1800,3600,7200+60");
  phone_->Set("Upgrade_Rule", kBadRule);
  ASSERT_TRUE(Run().ok());
  ASSERT_EQ(phone_->logs_.size(), 1u);
  EXPECT_EQ(phone_->logs_[0].first, ProvisioningLogEvent::kUpgradeFailure);
  EXPECT_EQ(phone_->logs_[0].second.rfind("CP-6841-3PCC 00:0e:08:ab:cd:ef -- Upgrade failed: "
                                          "Upgrade_Rule: ",
                                          0),
            0u)
      << phone_->logs_[0].second;
  UpgradeStatus st = phone_->engine().Status();
  EXPECT_EQ(st.upgst, 2);
  EXPECT_NE(st.upgerr.find("Upgrade_Rule:"), std::string::npos);
  EXPECT_EQ(st.state, "retry scheduled");
  const sys_seconds first = phone_->clock().Now();
  EXPECT_EQ(st.next_retry, first + 1800s);
  EXPECT_EQ(phone_->engine().NextWakeup(), first + 1800s);

  // Not yet due: nothing happens.
  phone_->clock().Advance(1799s);
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->logs_.size(), 1u);
  // Due: the second failure schedules the second delay, then the last one (+60 at its max)
  // repeats.
  phone_->clock().Advance(1s);
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->logs_.size(), 2u);
  EXPECT_EQ(phone_->engine().Status().next_retry, phone_->clock().Now() + 3600s);
  phone_->clock().Advance(3600s);
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->engine().Status().next_retry, phone_->clock().Now() + 7260s);
  phone_->clock().Advance(7260s);
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->engine().Status().next_retry, phone_->clock().Now() + 7260s);
  EXPECT_EQ(phone_->logs_.size(), 4u);
}

TEST_F(UpgradeEngineTest, ZeroRetryDelayMeansNoRetry) {
  phone_->Set("Upgrade_Error_Retry_Delay", "0");
  phone_->Set("Upgrade_Rule", kBadRule);
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->logs_.size(), 1u);
  EXPECT_EQ(phone_->engine().NextWakeup(), std::nullopt);
  phone_->clock().Advance(100000s);
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->logs_.size(), 1u);
}

TEST_F(UpgradeEngineTest, ChangedRuleIsAFirstAttemptAgain) {
  phone_->Set("Upgrade_Rule", kBadRule);
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->engine().Status().upgst, 2);
  // Same rule: no new attempt before the retry time.
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->logs_.size(), 1u);
  // A modified rule is attempted at once.
  phone_->Set("Upgrade_Rule", std::string(kBadRule) + " ");
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(phone_->logs_.size(), 2u);
}

TEST_F(UpgradeEngineTest, StatePersistsAcrossRestartAndFeedsUpgradeMacros) {
  phone_->Set("Upgrade_Rule", kBadRule);
  ASSERT_TRUE(Run().ok());
  const std::string err = phone_->engine().Status().upgerr;
  phone_->clock().Advance(400s);
  phone_->Reopen();
  ASSERT_TRUE(phone_->engine().OnBoot().ok());
  UpgradeStatus st = phone_->engine().Status();
  EXPECT_EQ(st.upgst, 2);
  EXPECT_EQ(st.upgerr, err);
  EXPECT_EQ(st.last_attempt, kStart);
  // The rule sees $UPGST, $UPGERR and $UPGTMR: 400 s since the attempt.
  phone_->Set("Upgrade_Rule",
              "($UPGST eq 2 and $UPGTMR ge 400 and $UPGTMR lt 401)? (GPP_A=\"seen\")! "
              "tftp://127.0.0.1:1/sip68xx.11-0-1MPP-0001.loads");
  ASSERT_TRUE(Run().ok());
  // The load named is the running one: nothing is fetched, nothing logged, but the condition
  // held (the alternative was chosen).
  EXPECT_EQ(phone_->logs_.size(), 1u);
  EXPECT_EQ(phone_->reports_.size(), 0u);
  EXPECT_EQ(phone_->store().Get("GPP_A"), "seen");
  EXPECT_EQ(phone_->engine().NextWakeup(), std::nullopt);
}

TEST_F(UpgradeEngineTest, CorruptStateFileIsAnError) {
  phone_.reset();
  std::ofstream(dir_ + "/upgrade.state") << "cpe-agent-upgrade 1\nrule\tx\n";
  auto store = ParameterStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  auto slots = ImageSlots::Open(dir_);
  ASSERT_TRUE(slots.ok());
  FakeClock clock(kStart);
  MaxRandom random;
  UpgradeEngineOptions o;
  o.state_dir = dir_;
  o.store = store->get();
  o.slots = &slots.value();
  o.clock = &clock;
  o.random = &random;
  EXPECT_FALSE(UpgradeEngine::Create(std::move(o)).ok());
}

TEST_F(UpgradeEngineTest, BusyLinesDelayTheAttempt) {
  phone_->idle_ = false;
  phone_->Set("Upgrade_Rule", "http://127.0.0.1:1/sip68xx.11-2-4MPP-0002.loads");
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(phone_->logs_.empty());
  EXPECT_EQ(phone_->engine().Status().state, "waiting for idle lines");
  EXPECT_EQ(phone_->engine().NextWakeup(), phone_->clock().Now() + UpgradeEngine::kIdlePoll);
  // Still busy: still waiting, still nothing sent.
  phone_->clock().Advance(UpgradeEngine::kIdlePoll);
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(phone_->logs_.empty());
  // A manual upgrade waits as well.
  ASSERT_TRUE(phone_->engine().UpgradeNow("http://127.0.0.1:1/sip68xx.11-2-4MPP-0003.loads").ok());
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(phone_->logs_.empty());
  EXPECT_EQ(phone_->engine().Status().state, "waiting for idle lines");
}

// Custom_CA_Rule bookkeeping without a server: an unparseable rule is a failed provisioning.
TEST(CustomCaEngineTest, RuleFailureIsRecordedWithTheGuideStatusStrings) {
  char tmpl[] = "/tmp/agent_customca_unit_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  {
    auto store = ParameterStore::Open(dir);
    ASSERT_TRUE(store.ok());
    auto ca = CaStore::Open(dir);
    ASSERT_TRUE(ca.ok());
    FakeClock clock(kStart);
    MaxRandom random;
    CustomCaEngineOptions o;
    o.state_dir = dir;
    o.store = store->get();
    o.ca_store = &ca.value();
    o.clock = &clock;
    o.random = &random;
    auto engine = CustomCaEngine::Create(std::move(o));
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    CustomCaEngine& e = **engine;
    ASSERT_TRUE(e.OnBoot().ok());
    EXPECT_EQ(e.Status().provisioning_status, "");
    EXPECT_EQ(e.Status().info, "Not Installed");
    EXPECT_EQ(e.NextWakeup(), kStart);
    ASSERT_TRUE(e.RunDue(clock.Now()).ok());
    EXPECT_EQ(e.NextWakeup(), std::nullopt);  // empty rule

    ASSERT_TRUE((*store)->Set("Resync_Error_Retry_Delay", "600", ChangeSource::kLocal).ok());
    ASSERT_TRUE((*store)->Set("Custom_CA_Rule", "(\"x\" lt 1)? http://h/ca.pem",
                              ChangeSource::kLocal)
                    .ok());
    ASSERT_TRUE(e.RunDue(clock.Now()).ok());
    EXPECT_EQ(e.Status().provisioning_status, "Last provisioning failed on 11/26/2025 12:00:00");
    EXPECT_EQ(e.Status().info, "Not Installed");
    EXPECT_NE(e.Status().last_error.find("Custom_CA_Rule:"), std::string::npos);
    EXPECT_EQ(e.NextWakeup(), kStart + 600s);

    // Install() is the Download RPC's path into the same store.
    std::string pem = "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n";
    clock.Advance(60s);
    EXPECT_FALSE(e.Install(pem).ok());
    EXPECT_EQ(e.Status().provisioning_status, "Last provisioning failed on 11/26/2025 12:01:00");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace agent
