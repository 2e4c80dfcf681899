// The upgrade engine and Custom_CA_Rule with real servers: upgrades over TFTP, HTTP and HTTPS
// into the A/B slots; the rule attempted once until it or its URL changes; Downgrade_Rev_Limit;
// corrupt, wrong-SHA and truncated images and a server that is down, each retried after
// Upgrade_Error_Retry_Delay with the old image still active; busy lines; /admin/upgrade; the
// exact syslog messages at a real UDP receiver; kill -9 of a phone process during an image
// write; a custom CA installed by Custom_CA_Rule (and by the Download RPC path) that makes an
// HTTPS upgrade from a server it signed succeed.

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/ca_store.h"
#include "agent/clock.h"
#include "agent/custom_ca.h"
#include "agent/firmware.h"
#include "agent/network_executor.h"
#include "agent/parameter_store.h"
#include "agent/transfer.h"
#include "agent/upgrade_engine.h"
#include "cwmp/prov/schedule.h"
#include "loopback_port.h"
#include "nginx_instance.h"
#include "syslog_receiver.h"
#include "test_ca.h"
#include "tftp_instance.h"

namespace agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using cwmp_test::NginxInstance;
using cwmp_test::SyslogReceiver;
using cwmp_test::TestCa;
using cwmp_test::TftpInstance;
using std::chrono::sys_seconds;

constexpr sys_seconds kStart{std::chrono::seconds{1764158400}};  // 11/26/2025 12:00:00 UTC
constexpr int kNotice = 133;                                      // local0.notice
constexpr int kError = 131;                                       // local0.err
constexpr char kPrefix[] = "CP-6841-3PCC 00:0e:08:ab:cd:ef -- ";
constexpr char kOld[] = "sip68xx.11-2-1MPP-0001";
constexpr char kNew[] = "sip68xx.11-2-4MPP-0002";

std::string MakeTempDir(const char* name) {
  std::string tmpl = std::string("/tmp/") + name + "_XXXXXX";
  char* made = mkdtemp(tmpl.data());
  return made ? std::string(made) : std::string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string PayloadFor(const std::string& version, size_t size = 70000) {
  std::string p(size, '\0');
  for (size_t i = 0; i < size; ++i) p[i] = static_cast<char>((i * 131 + version.size()) & 0xff);
  return version + p;
}

std::string Bundle(const std::string& version, size_t size = 70000) {
  auto b = PackFirmwareBundle(version, {"CP-6841-3PCC"}, PayloadFor(version, size));
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return b.ok() ? b.value() : std::string();
}

class MaxRandom final : public cwmp::prov::Random {
 public:
  uint64_t Uniform(uint64_t max_inclusive) override { return max_inclusive; }
};

class UpgradeIt : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(MakeTempDir("agent_upgrade_it"));
    ASSERT_FALSE(dir_->empty());
    fs::create_directories(*dir_ + "/ca");
    ca_ = new TestCa();
    std::string error;
    ASSERT_TRUE(TestCa::Create(*dir_ + "/ca", cwmp_test::ClientIdentity{}, ca_, &error)) << error;
    nginx_ = NginxInstance::Start(*dir_ + "/nginx", *ca_, &error).release();
    ASSERT_NE(nginx_, nullptr) << error;
    tftp_ = TftpInstance::Start(*dir_ + "/tftp", &error).release();
    ASSERT_NE(tftp_, nullptr) << error;
  }
  static void TearDownTestSuite() {
    delete nginx_;
    delete tftp_;
    delete ca_;
    if (dir_ && !dir_->empty()) fs::remove_all(*dir_);
    delete dir_;
  }

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    state_ = *dir_ + "/state-" + info->name();
    fs::create_directories(state_);
    std::string error;
    syslog_ = SyslogReceiver::Start(&error);
    ASSERT_NE(syslog_, nullptr) << error;
    auto ca = CaStore::Open(state_);
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_store_ = std::make_unique<CaStore>(std::move(ca).value());
    Boot();
    Set("Syslog_Server", syslog_->address());
  }

  // Opens (or reopens after a "reboot") the store, slots and engine from the state directory.
  void Boot() {
    engine_.reset();
    auto store = ParameterStore::Open(state_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto slots = ImageSlots::Open(state_);
    ASSERT_TRUE(slots.ok()) << slots.status().ToString();
    slots_ = std::make_unique<ImageSlots>(std::move(slots).value());
    UpgradeEngineOptions o;
    o.state_dir = state_;
    o.store = store_.get();
    o.slots = slots_.get();
    o.clock = &clock_;
    o.random = &random_;
    o.policy.model = "CP-6841-3PCC";
    o.factory_version = "sip68xx.11-0-1MPP-0001";
    o.fetch.user_agent = BuildUserAgent(UserAgentIdentity{});
    o.fetch.ca_store = ca_store_.get();
    o.fetch.connect_timeout_ms = 2000;
    o.fetch.total_timeout_ms = 20000;
    o.lines_idle = [this] { return idle_; };
    o.fill_macros = [](cwmp::prov::MacroVariables* v) {
      (void)v->Set("PN", "CP-6841-3PCC");
      (void)v->SetMac("000e08abcdef");
    };
    o.request_reboot = [this] { ++reboots_; };
    o.request_resync = [this] { ++resyncs_; };
    o.report = [this](TransferResult r) { reports_.push_back(std::move(r)); };
    auto engine = UpgradeEngine::Create(std::move(o));
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
    ASSERT_TRUE(engine_->OnBoot().ok());
  }

  // Writes a file nginx serves at /files/<name>, creating its directories.
  static bool PutHttp(const std::string& name, const std::string& content) {
    fs::create_directories(fs::path(nginx_->files_dir() + "/" + name).parent_path());
    return nginx_->PutFile(name, content);
  }

  void Set(const std::string& name, const std::string& value) {
    ASSERT_TRUE(store_->Set(name, value, ChangeSource::kLocal).ok()) << name << "=" << value;
  }
  void Run() { ASSERT_TRUE(engine_->RunDue(clock_.Now()).ok()); }

  // Installs `version` directly, as if the phone had been running it.
  void Preinstall(const std::string& version) {
    auto bundle = ParseFirmwareBundle(Bundle(version));
    ASSERT_TRUE(bundle.ok());
    ASSERT_TRUE(slots_->Install(*bundle).ok());
  }

  // Exactly `n` syslog messages (waits for them, then a little longer for any extra one).
  std::vector<cwmp_test::SyslogMessage> Messages(size_t n) {
    syslog_->WaitFor(n, 5s);
    std::this_thread::sleep_for(100ms);
    auto all = syslog_->Messages();
    EXPECT_EQ(all.size(), n);
    return all;
  }

  void ExpectActive(const std::string& version) {
    ASSERT_TRUE(slots_->Active().has_value());
    EXPECT_EQ(slots_->Active()->version, version);
    auto image = slots_->ReadActiveImage();
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    EXPECT_EQ(*image, PayloadFor(version));
    EXPECT_EQ(engine_->SoftwareVersion(), version);
  }

  static std::string* dir_;
  static TestCa* ca_;
  static NginxInstance* nginx_;
  static TftpInstance* tftp_;

  std::string state_;
  std::unique_ptr<SyslogReceiver> syslog_;
  FakeClock clock_{kStart};
  MaxRandom random_;
  std::unique_ptr<CaStore> ca_store_;
  std::unique_ptr<ParameterStore> store_;
  std::unique_ptr<ImageSlots> slots_;
  std::unique_ptr<UpgradeEngine> engine_;
  bool idle_ = true;
  int reboots_ = 0;
  int resyncs_ = 0;
  std::vector<TransferResult> reports_;
};

std::string* UpgradeIt::dir_ = nullptr;
TestCa* UpgradeIt::ca_ = nullptr;
NginxInstance* UpgradeIt::nginx_ = nullptr;
TftpInstance* UpgradeIt::tftp_ = nullptr;

TEST_F(UpgradeIt, TftpUpgradeInstallsRebootsAndResyncsAfterTheReboot) {
  ASSERT_TRUE(tftp_->PutFile("fw/sip68xx.11-2-4MPP-0002.loads", Bundle(kNew)));
  const std::string url = tftp_->Url("/fw/sip68xx.11-2-4MPP-0002.loads");
  Set("Upgrade_Rule", url);
  Run();
  EXPECT_EQ(reboots_, 1);
  EXPECT_EQ(resyncs_, 0);  // Resync_After_Upgrade_Attempt: after the reboot
  ExpectActive(kNew);
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].fault.fault_code, 0u);
  EXPECT_TRUE(reports_[0].autonomous);
  EXPECT_EQ(reports_[0].file_type, "1 Firmware Upgrade Image");
  EXPECT_EQ(reports_[0].transfer_url, url);
  auto messages = Messages(2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].text, std::string(kPrefix) + "Requesting upgrade " + url);
  EXPECT_EQ(messages[0].priority, kNotice);
  EXPECT_EQ(messages[1].text, std::string(kPrefix) + "Successful upgrade " + url + " -- ");
  EXPECT_EQ(messages[1].priority, kNotice);

  // The reboot: the new $SWVER runs, the post-upgrade resync is requested once, and the
  // unchanged rule is not attempted again.
  Boot();
  EXPECT_EQ(engine_->SoftwareVersion(), kNew);
  EXPECT_EQ(resyncs_, 1);
  Run();
  Boot();
  EXPECT_EQ(resyncs_, 1);
  Run();
  EXPECT_EQ(reboots_, 1);
  EXPECT_EQ(Messages(2).size(), 2u);
  UpgradeStatus st = engine_->Status();
  EXPECT_EQ(st.last_result, "succeeded");
  EXPECT_EQ(st.upgst, 1);
  EXPECT_EQ(st.upgerr, "");
  EXPECT_EQ(st.last_attempt, kStart);
}

TEST_F(UpgradeIt, HttpRuleIsAttemptedOnceUntilTheRuleOrTheUrlChanges) {
  ASSERT_TRUE(PutHttp("once/sip68xx.11-2-4MPP-0002.loads", Bundle(kNew)));
  const std::string url = nginx_->HttpUrl("/files/once/sip68xx.11-2-4MPP-0002.loads");
  Set("Upgrade_Rule", url);
  Run();
  ExpectActive(kNew);
  EXPECT_EQ(nginx_->CountRequests("/files/once/sip68xx.11-2-4MPP-0002.loads"), 1);
  // Unchanged: no second request, not even after a reboot or a day.
  Run();
  Boot();
  Run();
  clock_.Advance(86400s);
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/once/sip68xx.11-2-4MPP-0002.loads"), 1);
  EXPECT_EQ(reboots_, 1);

  // A failed attempt without retries (Upgrade_Error_Retry_Delay 0) is not repeated either...
  Set("Upgrade_Error_Retry_Delay", "0");
  const std::string url3 = nginx_->HttpUrl("/files/once/sip68xx.11-2-4MPP-0003.loads");
  Set("Upgrade_Rule", url3);
  Run();
  EXPECT_EQ(engine_->Status().upgerr, "http_get failed: 404 Not Found");
  ASSERT_TRUE(PutHttp("once/sip68xx.11-2-4MPP-0003.loads", Bundle("sip68xx.11-2-4MPP-0003")));
  clock_.Advance(86400s);
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/once/sip68xx.11-2-4MPP-0003.loads"), 1);
  // ... until the rule text is modified (same URL).
  Set("Upgrade_Rule", "(\"$A\" eq \"\")? " + url3);
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/once/sip68xx.11-2-4MPP-0003.loads"), 2);
  ExpectActive("sip68xx.11-2-4MPP-0003");
  EXPECT_EQ(reboots_, 2);
  EXPECT_EQ(engine_->Status().state, "reboot pending");
  EXPECT_EQ(engine_->NextWakeup(), std::nullopt);

  // Same rule text, but the effective URL changes through a macro: attempted.
  ASSERT_TRUE(PutHttp("once/sip68xx.11-2-4MPP-0004.loads", Bundle("sip68xx.11-2-4MPP-0004")));
  ASSERT_TRUE(PutHttp("once/sip68xx.11-2-4MPP-0005.loads", Bundle("sip68xx.11-2-4MPP-0005")));
  Set("GPP_B", "0004");
  Set("Upgrade_Rule", nginx_->HttpUrl("/files/once/sip68xx.11-2-4MPP-$B.loads"));
  // Nothing replaces the new image before the reboot.
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/once/sip68xx.11-2-4MPP-0004.loads"), 0);
  Boot();
  Run();
  ExpectActive("sip68xx.11-2-4MPP-0004");
  Boot();
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/once/sip68xx.11-2-4MPP-0004.loads"), 1);
  Set("GPP_B", "0005");
  Run();
  ExpectActive("sip68xx.11-2-4MPP-0005");
  EXPECT_EQ(reboots_, 4);
  Boot();
  // A rule naming the running load fetches nothing.
  Set("Upgrade_Rule", "(\"$C\" eq \"\")? " + nginx_->HttpUrl("/files/once/sip68xx.11-2-4MPP-0005.loads"));
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/once/sip68xx.11-2-4MPP-0005.loads"), 1);
  EXPECT_EQ(reboots_, 4);
}

TEST_F(UpgradeIt, HttpsUpgradeWithTheCustomCa) {
  ASSERT_TRUE(ca_store_->InstallCustomCa(ReadFile(ca_->ca_cert()), 1764158400).ok());
  ASSERT_TRUE(PutHttp("tls/sip68xx.11-2-4MPP-0002.loads", Bundle(kNew)));
  const std::string url = nginx_->HttpsUrl("/files/tls/sip68xx.11-2-4MPP-0002.loads");
  Set("Upgrade_Rule", url);
  Run();
  ExpectActive(kNew);
  auto messages = Messages(2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].text, std::string(kPrefix) + "Requesting upgrade https://127.0.0.1:" +
                                  std::to_string(nginx_->https_port()) +
                                  "/files/tls/sip68xx.11-2-4MPP-0002.loads");
}

TEST_F(UpgradeIt, DowngradeBelowTheLimitIsRefused) {
  Preinstall(kNew);
  ASSERT_TRUE(PutHttp("down/sip68xx.11-1-0MPP-0001.loads", Bundle("sip68xx.11-1-0MPP-0001")));
  Set("Downgrade_Rev_Limit", "sip68xx.11-2-0MPP");
  const std::string url = nginx_->HttpUrl("/files/down/sip68xx.11-1-0MPP-0001.loads");
  Set("Upgrade_Rule", url);
  Run();
  ExpectActive(kNew);
  EXPECT_EQ(reboots_, 0);
  const std::string err =
      "image rejected: sip68xx.11-1-0MPP-0001 is earlier than Downgrade_Rev_Limit "
      "sip68xx.11-2-0MPP";
  EXPECT_EQ(engine_->Status().upgerr, err);
  EXPECT_EQ(engine_->Status().upgst, 2);
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].fault.fault_code, 9018u);
  EXPECT_EQ(resyncs_, 1);  // Resync_After_Upgrade_Attempt after the failed attempt
  auto messages = Messages(2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].text, std::string(kPrefix) + "Upgrade failed: " + err);
  EXPECT_EQ(messages[1].priority, kError);
  // Above the limit (but older than the running image) is allowed.
  ASSERT_TRUE(PutHttp("down/sip68xx.11-2-1MPP-0001.loads", Bundle(kOld)));
  Set("Upgrade_Rule", nginx_->HttpUrl("/files/down/sip68xx.11-2-1MPP-0001.loads"));
  Run();
  ExpectActive(kOld);
}

struct BadImageCase {
  const char* name;
  std::string (*make)(const std::string& good);
  const char* err_fragment;
  uint32_t fault;
};

void PrintTo(const BadImageCase& c, std::ostream* os) { *os << c.name; }

std::string Garbage(const std::string&) { return std::string(5000, 'x'); }
std::string FlippedByte(const std::string& good) {
  std::string b = good;
  b[b.size() - 10] ^= 0x55;
  return b;
}
std::string Truncated(const std::string& good) { return good.substr(0, good.size() / 2); }

class BadImage : public UpgradeIt, public ::testing::WithParamInterface<BadImageCase> {};

TEST_P(BadImage, FailsRetriesAfterTheDelayAndKeepsTheOldImage) {
  const BadImageCase& c = GetParam();
  Preinstall(kOld);
  const std::string good = Bundle(kNew);
  const std::string file = std::string("bad-") + c.name + "/sip68xx.11-2-4MPP-0002.loads";
  ASSERT_TRUE(PutHttp(file, c.make(good)));
  Set("Upgrade_Error_Retry_Delay", "600,1200");
  const std::string url = nginx_->HttpUrl("/files/" + file);
  Set("Upgrade_Rule", url);
  Run();
  ExpectActive(kOld);
  EXPECT_EQ(reboots_, 0);
  UpgradeStatus st = engine_->Status();
  EXPECT_NE(st.upgerr.find(c.err_fragment), std::string::npos) << st.upgerr;
  EXPECT_EQ(st.upgst, 2);
  EXPECT_EQ(st.next_retry, kStart + 600s);
  EXPECT_EQ(engine_->NextWakeup(), kStart + 600s);
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].fault.fault_code, c.fault);
  auto messages = Messages(2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].text, std::string(kPrefix) + "Upgrade failed: " + st.upgerr);

  // Not before the delay.
  clock_.Advance(599s);
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/" + file), 1);
  // A reboot in between keeps the schedule.
  Boot();
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/" + file), 1);
  EXPECT_EQ(engine_->NextWakeup(), kStart + 600s);
  // Still bad at the retry: the second delay follows.
  clock_.Advance(1s);
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/" + file), 2);
  EXPECT_EQ(engine_->Status().next_retry, clock_.Now() + 1200s);
  ExpectActive(kOld);
  // Fixed on the server: the next retry installs it.
  ASSERT_TRUE(PutHttp(file, good));
  clock_.Advance(1200s);
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/" + file), 3);
  ExpectActive(kNew);
  EXPECT_EQ(reboots_, 1);
  EXPECT_EQ(engine_->Status().upgst, 1);
  EXPECT_EQ(engine_->Status().upgerr, "");
}

INSTANTIATE_TEST_SUITE_P(
    Images, BadImage,
    ::testing::Values(BadImageCase{"corrupt", Garbage, "image rejected: not a firmware bundle", 9018},
                      BadImageCase{"wrong_sha", FlippedByte,
                                   "image rejected: bundle payload does not match its SHA-256",
                                   9018},
                      BadImageCase{"truncated", Truncated, "image rejected: bundle payload is ",
                                   9018}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(UpgradeIt, ServerDownFailsAndIsRetried) {
  Preinstall(kOld);
  const uint16_t port = cwmp_test::FreeLoopbackPort(SOCK_STREAM);
  ASSERT_NE(port, 0);
  const std::string url =
      "http://127.0.0.1:" + std::to_string(port) + "/sip68xx.11-2-4MPP-0002.loads";
  Set("Upgrade_Error_Retry_Delay", "30");
  Set("Upgrade_Rule", url);
  Run();
  ExpectActive(kOld);
  EXPECT_EQ(engine_->Status().upgerr,
            "http_get failed: cannot connect to 127.0.0.1:" + std::to_string(port));
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].fault.fault_code, 9015u);
  auto messages = Messages(2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].text, std::string(kPrefix) + "Requesting upgrade " + url);
  EXPECT_EQ(messages[1].text, std::string(kPrefix) + "Upgrade failed: http_get failed: cannot "
                                                     "connect to 127.0.0.1:" +
                                  std::to_string(port));
  EXPECT_EQ(engine_->NextWakeup(), kStart + 30s);
  clock_.Advance(30s);
  Run();
  EXPECT_EQ(Messages(4).size(), 4u);
  EXPECT_EQ(engine_->NextWakeup(), clock_.Now() + 30s);
}

TEST_F(UpgradeIt, FileNotFoundIsAFailure) {
  const std::string url = nginx_->HttpUrl("/files/missing/sip68xx.11-2-4MPP-0002.loads");
  Set("Upgrade_Rule", url);
  Run();
  EXPECT_EQ(engine_->Status().upgerr, "http_get failed: 404 Not Found");
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].fault.fault_code, 9016u);
  EXPECT_FALSE(slots_->Active().has_value());
  EXPECT_EQ(engine_->SoftwareVersion(), "sip68xx.11-0-1MPP-0001");
}

TEST_F(UpgradeIt, BusyLinesMakeTheUpgradeWait) {
  ASSERT_TRUE(PutHttp("busy/sip68xx.11-2-4MPP-0002.loads", Bundle(kNew)));
  Set("Upgrade_Rule", nginx_->HttpUrl("/files/busy/sip68xx.11-2-4MPP-0002.loads"));
  idle_ = false;
  Run();
  clock_.Advance(UpgradeEngine::kIdlePoll);
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/busy/"), 0);
  EXPECT_EQ(engine_->Status().state, "waiting for idle lines");
  EXPECT_EQ(reboots_, 0);
  EXPECT_TRUE(syslog_->Messages().empty());
  idle_ = true;
  clock_.Advance(UpgradeEngine::kIdlePoll);
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/busy/"), 1);
  ExpectActive(kNew);
  EXPECT_EQ(reboots_, 1);
}

TEST_F(UpgradeIt, AdminUpgradeCommandRunsOnceWhenIdle) {
  ASSERT_TRUE(PutHttp("admin/sip68xx.11-2-4MPP-0002.loads", Bundle(kNew)));
  idle_ = false;
  ASSERT_TRUE(engine_->UpgradeNow(nginx_->HttpUrl("/files/admin/sip68xx.11-2-4MPP-0002.loads")).ok());
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/admin/"), 0);
  idle_ = true;
  Run();
  ExpectActive(kNew);
  EXPECT_EQ(reboots_, 1);
  EXPECT_EQ(engine_->Status().last_result, "succeeded");
  // One-time: nothing more happens.
  Run();
  EXPECT_EQ(nginx_->CountRequests("/files/admin/"), 1);
  EXPECT_EQ(engine_->NextWakeup(), std::nullopt);
}

TEST_F(UpgradeIt, ImageAlreadyInTheInactiveSlotIsActivatedWithoutTransfer) {
  Preinstall(kOld);
  Preinstall(kNew);  // active: new; inactive: old
  Set("Upgrade_Rule", "http://127.0.0.1:1/fw/sip68xx.11-2-1MPP-0001.loads");  // nobody there
  Run();
  ExpectActive(kOld);
  EXPECT_EQ(reboots_, 1);
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].fault.fault_code, 0u);
}

// kill -9 of the phone process while it writes the image: the old image still boots, and the
// next start records the interrupted attempt, retries it and succeeds.
TEST_F(UpgradeIt, KillDuringImageWriteLeavesTheOldImageBootable) {
  Preinstall(kOld);
  constexpr size_t kBig = size_t{48} << 20;
  const std::string big = Bundle(kNew, kBig);
  ASSERT_TRUE(PutHttp("kill/sip68xx.11-2-4MPP-0002.loads", big));
  Set("Upgrade_Error_Retry_Delay", "60");
  Set("Upgrade_Rule", nginx_->HttpUrl("/files/kill/sip68xx.11-2-4MPP-0002.loads"));
  Set("Syslog_Server", "");
  engine_.reset();
  slots_.reset();
  store_.reset();

  const std::string tmp_image = state_ + "/firmware/slot-b.img.tmp";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execl(UPGRADE_CHILD, UPGRADE_CHILD, state_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill once part of the image is on disk.
  bool killed = false;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    struct stat st{};
    if (::stat(tmp_image.c_str(), &st) == 0 && st.st_size > 0) {
      killed = ::kill(child, SIGKILL) == 0;
      break;
    }
    int status = 0;
    if (waitpid(child, &status, WNOHANG) == child) {
      child = -1;
      break;
    }
    std::this_thread::sleep_for(100us);
  }
  int status = 0;
  if (child > 0) {
    ASSERT_EQ(waitpid(child, &status, 0), child);
  }
  ASSERT_TRUE(killed) << "the child finished before the image write was seen";
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  // The next start: old image active and intact, the attempt recorded as interrupted.
  clock_.Set(sys_seconds{std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch())});
  Boot();
  ExpectActive(kOld);
  UpgradeStatus st = engine_->Status();
  EXPECT_EQ(st.upgerr, "upgrade interrupted");
  EXPECT_EQ(st.upgst, 2);
  ASSERT_TRUE(st.next_retry.has_value());
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_NE(reports_[0].fault.fault_code, 0u);
  // The retry completes the upgrade.
  clock_.Set(*st.next_retry);
  Run();
  ASSERT_TRUE(slots_->Active().has_value());
  EXPECT_EQ(slots_->Active()->version, kNew);
  auto image = slots_->ReadActiveImage();
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(*image, PayloadFor(kNew, kBig));
  EXPECT_EQ(reboots_, 1);
}

// Custom_CA_Rule: before it, an HTTPS upgrade from a server signed by the test CA fails; the
// rule installs the CA into the store the transfers use, and the retry succeeds. The Download
// RPC path (NetworkTransferExecutor sharing the CaStore) replaces it in the same store.
TEST_F(UpgradeIt, CustomCaRuleMakesHttpsToItsServerWork) {
  ASSERT_TRUE(PutHttp("ca/custom-ca.pem", ReadFile(ca_->ca_cert())));
  ASSERT_TRUE(PutHttp("ca/sip68xx.11-2-4MPP-0002.loads", Bundle(kNew)));
  Set("Upgrade_Error_Retry_Delay", "60");
  Set("Upgrade_Rule", nginx_->HttpsUrl("/files/ca/sip68xx.11-2-4MPP-0002.loads"));
  Run();
  EXPECT_EQ(engine_->Status().upgerr.rfind("https_get failed: ", 0), 0u)
      << engine_->Status().upgerr;
  EXPECT_FALSE(slots_->Active().has_value());

  CustomCaEngineOptions o;
  o.state_dir = state_;
  o.store = store_.get();
  o.ca_store = ca_store_.get();
  o.clock = &clock_;
  o.random = &random_;
  o.fetch.connect_timeout_ms = 2000;
  auto made = CustomCaEngine::Create(std::move(o));
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  CustomCaEngine& ca = **made;
  ASSERT_TRUE(ca.OnBoot().ok());
  EXPECT_EQ(ca.Status().info, "Not Installed");
  Set("Custom_CA_Rule", nginx_->HttpUrl("/files/ca/custom-ca.pem"));
  ASSERT_TRUE(ca.RunDue(clock_.Now()).ok());
  EXPECT_EQ(ca.Status().info, "Installed - TR-069 Phone Test CA");
  EXPECT_EQ(ca.Status().provisioning_status, "Last provisioning succeeded on 11/26/2025 12:00:00");
  EXPECT_EQ(ca.NextWakeup(), std::nullopt);
  // Unchanged rule: not fetched again.
  ASSERT_TRUE(ca.RunDue(clock_.Now()).ok());
  EXPECT_EQ(nginx_->CountRequests("/files/ca/custom-ca.pem"), 1);

  clock_.Advance(60s);
  Run();
  ExpectActive(kNew);

  // The Download RPC's custom CA type goes to the same store: the unrelated CA replaces ours,
  // and HTTPS to the test server fails again.
  NetworkExecutorOptions eo;
  eo.state_dir = state_;
  eo.ca_store = ca_store_.get();
  eo.image_slots = slots_.get();
  auto executor = MakeNetworkTransferExecutor(eo);
  ASSERT_TRUE(executor.ok()) << executor.status().ToString();
  EXPECT_EQ((*executor)->InstallCustomCa(ReadFile(ca_->other_ca_cert())).fault_code, 0u);
  EXPECT_EQ(ca.Status().info, "Installed - Unrelated Test CA");
  FetchOptions fo;
  fo.ca_store = ca_store_.get();
  fo.connect_timeout_ms = 2000;
  EXPECT_FALSE(Fetch(nginx_->HttpsUrl("/files/ca/custom-ca.pem"), fo).ok());

  // A rule naming a file that is not a certificate: failure recorded, CA unchanged.
  ASSERT_TRUE(PutHttp("ca/not-a-ca.pem", "hello\n"));
  Set("Custom_CA_Rule", nginx_->HttpUrl("/files/ca/not-a-ca.pem"));
  clock_.Advance(60s);
  ASSERT_TRUE(ca.RunDue(clock_.Now()).ok());
  EXPECT_EQ(ca.Status().provisioning_status, "Last provisioning failed on 11/26/2025 12:02:00");
  EXPECT_EQ(ca.Status().info, "Installed - Unrelated Test CA");
}

}  // namespace
}  // namespace agent
