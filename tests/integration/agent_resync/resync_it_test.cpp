// The guide's provisioning exercises ("Basic Resync", "Secure HTTPS Resync", "Profile
// Management"), each as written, against real servers, plus Table 2, the rule options
// (--key with $SA, --uid/--pwd, --post, --alias), aes128gcm, DHCP option 66, several A records,
// autonomous transfer reports and faults (server down, truncated file, wrong key).
// Where an exercise says "open http://<phone>/admin/resync?X", the test calls ResyncNow(X).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "agent/ca_store.h"
#include "agent/clock.h"
#include "agent/parameter_store.h"
#include "agent/resync_engine.h"
#include "cwmp/content/base64.h"
#include "cwmp/content/content.h"
#include "nginx_instance.h"
#include "syslog_receiver.h"
#include "test_ca.h"
#include "tftp_instance.h"

namespace agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using cwmp_test::NginxInstance;
using cwmp_test::RunShell;
using cwmp_test::ShellQuote;
using cwmp_test::SyslogMessage;
using cwmp_test::SyslogReceiver;
using cwmp_test::TestCa;
using cwmp_test::TftpInstance;
using std::chrono::sys_seconds;

// The guide's basic.txt (TFTP Resync, step 3), byte for byte in layout.
constexpr char kBasic[] = "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n";
// Create Partitioned Profiles, step 1.
constexpr char kBasic2[] = "<flat-profile>\n  <GPP_B>ABCD</GPP_B>\n</flat-profile>\n";
constexpr int kNotice = 16 * 8 + 5;
constexpr int kError = 16 * 8 + 3;
constexpr char kPhone[] = "CP-6841-3PCC 00:0e:08:ab:cd:ef";

const sys_seconds kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / 26} + 12h;

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

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  return out.good() && chmod(path.c_str(), 0644) == 0;
}

std::vector<std::string> Texts(const std::vector<SyslogMessage>& messages) {
  std::vector<std::string> out;
  for (const SyslogMessage& m : messages) out.push_back(m.text);
  return out;
}

class ResyncIt : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(MakeTempDir("agent_resync_it"));
    ASSERT_FALSE(dir_->empty());
    fs::create_directories(*dir_ + "/ca");
    ca_ = new TestCa();
    std::string error;
    ASSERT_TRUE(TestCa::Create(*dir_ + "/ca", cwmp_test::ClientIdentity{}, ca_, &error)) << error;
    nginx_ = NginxInstance::Start(*dir_ + "/nginx", *ca_, &error).release();
    ASSERT_NE(nginx_, nullptr) << error;
    tftp_ = TftpInstance::Start(*dir_ + "/tftp", &error).release();
    ASSERT_NE(tftp_, nullptr) << error;
    auto cas = CaStore::Open(*dir_ + "/castate");
    ASSERT_TRUE(cas.ok()) << cas.status().ToString();
    ASSERT_TRUE(cas->InstallCustomCa(ReadFile(ca_->ca_cert()), 1764158400).ok());
    ca_store_ = new CaStore(std::move(cas.value()));
    ASSERT_TRUE(tftp_->PutFile("basic.txt", kBasic));
    ASSERT_TRUE(tftp_->PutFile("basic2.txt", kBasic2));
    ASSERT_TRUE(nginx_->PutFile("basic.txt", kBasic));
  }
  static void TearDownTestSuite() {
    delete nginx_;
    delete tftp_;
    delete ca_store_;
    delete ca_;
    if (dir_ && !dir_->empty()) fs::remove_all(*dir_);
    delete dir_;
  }

  void SetUp() override {
    state_dir_ = MakeTempDir("agent_resync_state");
    ASSERT_FALSE(state_dir_.empty());
    auto store = ParameterStore::Open(state_dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    std::string error;
    syslog_ = SyslogReceiver::Start(&error);
    ASSERT_NE(syslog_, nullptr) << error;
  }
  void TearDown() override {
    engine_.reset();
    store_.reset();
    fs::remove_all(state_dir_);
  }

  void Set(const std::string& name, const std::string& value) {
    auto st = store_->Set(name, value, ChangeSource::kAcs);
    ASSERT_TRUE(st.ok()) << name << ": " << st.ToString();
  }

  // The phone as it leaves the factory, plus a client certificate whose subject carries its
  // identity and the test CA as its custom CA.
  ResyncEngineOptions Options() {
    ResyncEngineOptions o;
    o.store = store_.get();
    o.clock = &clock_;
    o.identity.model_name = "CP-6841-3PCC";
    o.identity.serial_number = "88012BA01234";
    o.identity.mac_address = "000e08abcdef";
    o.identity.software_version = "sip68xx.11-0-1MPP";
    o.identity.hardware_version = "2.0.1";
    o.fetch.ca_store = ca_store_;
    o.fetch.client_cert_file = ca_->client_cert();
    o.fetch.client_key_file = ca_->client_key();
    o.fetch.connect_timeout_ms = 3000;
    o.fetch.total_timeout_ms = 10000;
    o.dhcp_tftp_server = [this] { return dhcp_server_; };
    o.report_transfer = [this](TransferResult r) {
      reports_.push_back(std::move(r));
      return cwmp::Status::Ok();
    };
    return o;
  }

  ResyncEngine& Engine() {
    if (!engine_) {
      auto e = ResyncEngine::Create(Options());
      EXPECT_TRUE(e.ok()) << e.status().ToString();
      engine_ = std::move(e.value());
    }
    return *engine_;
  }

  // "Program the PC IP address into the Syslog_Server parameter".
  void UseSyslog() { Set("Syslog_Server", syslog_->address()); }

  std::vector<std::string> WaitSyslog(size_t count) { return Texts(syslog_->WaitFor(count, 5s)); }

  std::string TftpHostPort() const { return "127.0.0.1:" + std::to_string(tftp_->port()); }

  static std::string* dir_;
  static TestCa* ca_;
  static NginxInstance* nginx_;
  static TftpInstance* tftp_;
  static CaStore* ca_store_;

  std::string state_dir_;
  std::unique_ptr<ParameterStore> store_;
  std::unique_ptr<SyslogReceiver> syslog_;
  FakeClock clock_{kT0};
  std::string dhcp_server_;
  std::vector<TransferResult> reports_;
  std::unique_ptr<ResyncEngine> engine_;
};

std::string* ResyncIt::dir_ = nullptr;
TestCa* ResyncIt::ca_ = nullptr;
NginxInstance* ResyncIt::nginx_ = nullptr;
TftpInstance* ResyncIt::tftp_ = nullptr;
CaStore* ResyncIt::ca_store_ = nullptr;

// ---- Basic Resync ------------------------------------------------------------------------------

TEST_F(ResyncIt, ExerciseTftpResync) {
  EXPECT_EQ(store_->Get("GPP_A"), "");  // step 6: "These should be empty."
  // Step 7: http://192.168.1.100/admin/resync?tftp://192.168.1.200/basic.txt
  ResyncResult r = Engine().ResyncNow(tftp_->Url("/basic.txt"));
  ASSERT_TRUE(r.ran);
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");  // step 8
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].url, tftp_->Url("/basic.txt"));
  EXPECT_EQ(r.files[0].applied, 1u);
}

TEST_F(ResyncIt, ExerciseUseSyslog) {
  UseSyslog();
  ASSERT_TRUE(Engine().ResyncNow(tftp_->Url("/basic.txt")).success);
  auto messages = syslog_->WaitFor(2, 5s);
  ASSERT_EQ(messages.size(), 2u);
  const std::string target = "tftp://" + TftpHostPort() + "/basic.txt";
  EXPECT_EQ(messages[0].text, std::string(kPhone) + " -- Requesting resync " + target);
  EXPECT_EQ(messages[0].priority, kNotice);
  EXPECT_EQ(messages[1].text, std::string(kPhone) + " -- Successful resync " + target);
  EXPECT_EQ(messages[1].priority, kNotice);

  // A failure, with the default Log_Failure_Msg.
  ResyncResult missing = Engine().ResyncNow(tftp_->Url("/missing.txt"));
  EXPECT_FALSE(missing.success);
  auto all = syslog_->WaitFor(4, 5s);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].text,
            std::string(kPhone) + " -- Resync failed: tftp_get failed: file not found");
  EXPECT_EQ(all[3].priority, kError);

  // "If any of these parameters are cleared, the corresponding syslog message is not generated."
  Set("Log_Request_Msg", "");
  Set("Log_Success_Msg", "$PN got $PATH from $SERV ($SERVIP) port $PORT scheme $SCHEME");
  ASSERT_TRUE(Engine().ResyncNow(tftp_->Url("/basic.txt")).success);
  all = syslog_->WaitFor(5, 5s);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[4].text, "CP-6841-3PCC got /basic.txt from 127.0.0.1 (127.0.0.1) port " +
                             std::to_string(tftp_->port()) + " scheme tftp");
}

TEST_F(ResyncIt, ExerciseUseSyslogDebugServer) {
  std::string error;
  auto debug = SyslogReceiver::Start(&error);
  ASSERT_NE(debug, nullptr) << error;
  // "<Debug_Server>192.168.1.210</Debug_Server> <Debug_Level>3</Debug_Level>"
  Set("Debug_Server", debug->address());
  Set("Debug_Level", "3");
  ASSERT_TRUE(Engine().ResyncNow(tftp_->Url("/basic.txt")).success);
  auto texts = Texts(debug->WaitFor(2, 5s));
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0],
            std::string(kPhone) + " -- Requesting resync tftp://" + TftpHostPort() + "/basic.txt");
  EXPECT_TRUE(syslog_->Messages().empty());  // Syslog_Server is not set
}

TEST_F(ResyncIt, ExerciseResyncADeviceAutomatically) {
  UseSyslog();
  // Steps 2-4: Profile_Rule, Resync_Periodic 30, submit (a reboot); step 6: Resync_On_Reset Yes.
  Set("Profile_Rule", tftp_->Url("/basic.txt"));
  Set("Resync_Periodic", "30");
  Set("Resync_On_Reset", "Yes");
  Engine().OnBoot();  // step 7: power cycle
  auto boot = Engine().NextWakeup();
  ASSERT_TRUE(boot);
  EXPECT_LE(*boot, kT0 + 2s);  // Resync_Random_Delay default 2
  clock_.Set(*boot);
  auto first = Engine().RunDue(*boot);
  ASSERT_TRUE(first && first->success) << (first ? first->error : "nothing ran");
  EXPECT_EQ(first->trigger, ResyncTrigger::kPowerUp);
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
  // "the phone resyncs twice a minute"
  for (int i = 1; i <= 2; ++i) {
    ASSERT_EQ(Engine().NextWakeup(), *boot + std::chrono::seconds(30 * i));
    clock_.Set(*boot + std::chrono::seconds(30 * i));
    auto p = Engine().RunDue(clock_.Now());
    ASSERT_TRUE(p && p->success);
    EXPECT_EQ(p->trigger, ResyncTrigger::kPeriodic);
  }
  EXPECT_EQ(WaitSyslog(6).size(), 6u);  // step 5: request + success per resync

  // Steps 8-9: Resync_Error_Retry_Delay 30, disable the TFTP server.
  Set("Resync_Error_Retry_Delay", "30");
  std::string error;
  auto down = TftpInstance::Start(*dir_ + "/tftp-down", &error);
  ASSERT_NE(down, nullptr) << error;
  ASSERT_TRUE(down->PutFile("basic.txt", kBasic));
  Set("Profile_Rule", down->Url("/basic.txt"));
  down->Stop();
  sys_seconds t = *Engine().NextWakeup();
  clock_.Set(t);
  auto failed = Engine().RunDue(t);
  ASSERT_TRUE(failed);
  EXPECT_FALSE(failed->success);
  EXPECT_EQ(failed->error.rfind("tftp_get failed: ", 0), 0u) << failed->error;
  EXPECT_EQ(Engine().NextWakeup(), t + 30s);
  EXPECT_EQ(Engine().Status().next_trigger, ResyncTrigger::kRetry);
  auto texts = WaitSyslog(8);
  ASSERT_EQ(texts.size(), 8u);
  EXPECT_EQ(texts[7], std::string(kPhone) + " -- Resync failed: " + failed->error);
  clock_.Set(t + 30s);
  auto retry = Engine().RunDue(t + 30s);
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->trigger, ResyncTrigger::kRetry);
  EXPECT_FALSE(retry->success);
  EXPECT_EQ(Engine().Status().prvst, 2);
  EXPECT_EQ(Engine().NextWakeup(), t + 60s);
  // "If Resync Error Retry Delay is zero, the phone does not try to resync after a failed
  // resync attempt."
  Set("Resync_Error_Retry_Delay", "0");
  EXPECT_FALSE(Engine().NextWakeup());
}

TEST_F(ResyncIt, ExerciseUniqueProfilesWithMacroExpansion) {
  // Step 2: CP-xxxx-3PCC<macaddress>.cfg; step 6: tftp://192.168.1.200/CP-6841-3PCC$MA.cfg
  ASSERT_TRUE(tftp_->PutFile("CP-6841-3PCC000e08abcdef.cfg", kBasic));
  Set("Profile_Rule", "tftp://" + TftpHostPort() + "/CP-6841-3PCC$MA.cfg");
  Engine().OnBoot();  // step 7: "an immediate reboot and resync"
  sys_seconds t = *Engine().NextWakeup();
  clock_.Set(t);
  auto r = Engine().RunDue(t);
  ASSERT_TRUE(r && r->success) << (r ? r->error : "nothing ran");
  EXPECT_EQ(r->files[0].url, tftp_->Url("/CP-6841-3PCC000e08abcdef.cfg"));
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
}

TEST_F(ResyncIt, ExerciseHttpGetResync) {
  UseSyslog();
  Set("Profile_Rule", nginx_->HttpUrl("/files/basic.txt"));
  Engine().OnBoot();
  sys_seconds t = *Engine().NextWakeup();
  clock_.Set(t);
  auto r = Engine().RunDue(t);
  ASSERT_TRUE(r && r->success) << (r ? r->error : "nothing ran");
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
  auto texts = WaitSyslog(2);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[1], std::string(kPhone) + " -- Successful resync http://127.0.0.1:" +
                          std::to_string(nginx_->http_port()) + "/files/basic.txt");
  // Step 7: the user agent identifies the phone (product, firmware version, MAC).
  EXPECT_NE(nginx_->ReadAccessLog().find(
                "200 GET /files/basic.txt HTTP/1.1 ua=Cisco-CP-6841-3PCC/11.0 (000e08abcdef)"),
            std::string::npos)
      << nginx_->ReadAccessLog();
}

// ---- Secure HTTPS Resync -----------------------------------------------------------------------

TEST_F(ResyncIt, ExerciseBasicHttpsResync) {
  UseSyslog();
  Set("Profile_Rule", nginx_->HttpsUrl("/files/basic.txt"));
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
  auto texts = WaitSyslog(2);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[1], std::string(kPhone) + " -- Successful resync https://127.0.0.1:" +
                          std::to_string(nginx_->https_port()) + "/files/basic.txt");
}

TEST_F(ResyncIt, HttpsRefusesAServerTheTrustStoreDoesNotKnow) {
  engine_.reset();
  ResyncEngineOptions o = Options();
  o.fetch.ca_store = nullptr;  // only the system CAs: the test CA is unknown
  auto e = ResyncEngine::Create(std::move(o));
  ASSERT_TRUE(e.ok());
  Set("Profile_Rule", nginx_->HttpsUrl("/files/basic.txt"));
  ResyncResult r = (*e)->ResyncNow();
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.error.rfind("https_get failed: ", 0), 0u) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "");
}

TEST_F(ResyncIt, ExerciseHttpsWithClientCertificateAuthentication) {
  // "SSLVerifyClient require": the mTLS listener refuses a handshake without a certificate.
  Set("Profile_Rule", nginx_->HttpsMtlsUrl("/files/basic.txt"));
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");

  // "The server rejects a request from an ordinary browser or other unauthorized device."
  ResyncEngineOptions o = Options();
  o.fetch.client_cert_file.clear();
  o.fetch.client_key_file.clear();
  o.state_dir = state_dir_ + "/other";
  auto anonymous = ResyncEngine::Create(std::move(o));
  ASSERT_TRUE(anonymous.ok());
  Set("GPP_A", "");
  ResyncResult refused = (*anonymous)->ResyncNow();
  EXPECT_FALSE(refused.success);
  EXPECT_EQ(refused.error.rfind("https_get failed: ", 0), 0u) << refused.error;
  EXPECT_EQ(store_->Get("GPP_A"), "");
}

TEST_F(ResyncIt, ExerciseHttpsClientFilteringAndDynamicContent) {
  UseSyslog();
  // Step 5: https://prov.server.com/cgi-bin/reflect.pl?  (nginx answers with the subject)
  Set("Profile_Rule", nginx_->HttpsMtlsUrl("/reflect"));
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.success) << r.error;
  // Step 10: GPP_D holds what the script captured: model (OU), serial (L), MAC (S).
  EXPECT_EQ(store_->Get("GPP_D"), ca_->ClientSubjectRfc2253());
  EXPECT_NE(store_->Get("GPP_D").find("OU=CP-6841-3PCC"), std::string::npos);
  EXPECT_NE(store_->Get("GPP_D").find("L=88012BA01234"), std::string::npos);
  EXPECT_NE(store_->Get("GPP_D").find("ST=000e08abcdef"), std::string::npos);
  EXPECT_EQ(WaitSyslog(2).size(), 2u);  // step 7
}

TEST_F(ResyncIt, CcertMacroSaysWhetherACertificateIsInstalled) {
  // The guide's Example 3: ("$CCERT" eq "Installed")? https://p.tel.com/config? | ...?cisco$MAU
  Set("Profile_Rule", "(\"$CCERT\" eq \"Installed\")? " + nginx_->HttpsMtlsUrl("/reflect") + " | " +
                          nginx_->HttpUrl("/files/basic.txt"));
  ASSERT_TRUE(Engine().ResyncNow().success);
  EXPECT_EQ(store_->Get("GPP_D"), ca_->ClientSubjectRfc2253());
  EXPECT_EQ(store_->Get("GPP_A"), "");
  ResyncEngineOptions o = Options();
  o.fetch.client_cert_file.clear();
  o.state_dir = state_dir_ + "/legacy";
  auto legacy = ResyncEngine::Create(std::move(o));
  ASSERT_TRUE(legacy.ok());
  ASSERT_TRUE((*legacy)->ResyncNow().success);
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
}

// ---- Profile Management ------------------------------------------------------------------------

TEST_F(ResyncIt, ExerciseCompressAnOpenProfileWithGzip) {
  UseSyslog();
  const std::string root = tftp_->root_dir();
  fs::create_directories(root + "/gz");
  ASSERT_TRUE(WriteFile(root + "/gz/basic.txt", kBasic));
  // Step 2: "gzip basic.txt" generates basic.txt.gz
  ASSERT_EQ(RunShell("cd " + ShellQuote(root + "/gz") +
                     " && gzip -f basic.txt && chmod 644 basic.txt.gz"),
            0);
  // Step 4: tftp://192.168.1.200/basic.txt.gz
  Set("Profile_Rule", tftp_->Url("/gz/basic.txt.gz"));
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
  EXPECT_EQ(WaitSyslog(2).size(), 2u);  // step 6
}

TEST_F(ResyncIt, ExerciseEncryptAProfileWithOpenssl) {
  UseSyslog();
  const std::string root = tftp_->root_dir();
  fs::create_directories(root + "/enc");
  ASSERT_TRUE(WriteFile(root + "/enc/basic.txt", kBasic));
  // Step 2: openssl enc -aes-256-cbc -k MyOwnSecret -in basic.txt -out basic.cfg
  const std::string cd = "cd " + ShellQuote(root + "/enc") + " && ";
  ASSERT_EQ(RunShell(cd + "openssl enc -aes-256-cbc -k MyOwnSecret -in basic.txt -out basic.cfg "
                          "2>/dev/null && chmod 644 basic.cfg"),
            0);
  // "The compressed basic.txt.gz file ... also can be used".
  ASSERT_EQ(RunShell(cd + "gzip -c basic.txt > basic.txt.gz && openssl enc -aes-256-cbc -k "
                          "MyOwnSecret -in basic.txt.gz -out basicgz.cfg 2>/dev/null && "
                          "chmod 644 basicgz.cfg"),
            0);
  // Step 4: [--key MyOwnSecret ] tftp://192.168.1.200/basic.cfg
  Set("Profile_Rule", "[--key MyOwnSecret ] " + tftp_->Url("/enc/basic.cfg"));
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");

  Set("GPP_A", "");
  Set("GPP_SA", "MyOwnSecret");  // $SA expands only inside --key/--uid/--pwd
  Set("Profile_Rule", "[--key $SA] " + tftp_->Url("/enc/basicgz.cfg"));
  r = Engine().ResyncNow();
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
  EXPECT_EQ(WaitSyslog(4).size(), 4u);
}

TEST_F(ResyncIt, ExerciseCreatePartitionedProfiles) {
  UseSyslog();
  Set("Profile_Rule", tftp_->Url("/basic.txt"));
  Set("Profile_Rule_B", tftp_->Url("/basic2.txt"));  // step 3
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
  EXPECT_EQ(store_->Get("GPP_B"), "ABCD");
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[0].rule, "Profile_Rule");
  EXPECT_EQ(r.files[1].rule, "Profile_Rule_B");
  // Step 5: "resyncs to both the first and second profiles, in that order".
  auto texts = WaitSyslog(4);
  ASSERT_EQ(texts.size(), 4u);
  EXPECT_NE(texts[0].find("Requesting resync tftp://" + TftpHostPort() + "/basic.txt"),
            std::string::npos);
  EXPECT_NE(texts[1].find("Successful resync tftp://" + TftpHostPort() + "/basic.txt"),
            std::string::npos);
  EXPECT_NE(texts[2].find("Requesting resync tftp://" + TftpHostPort() + "/basic2.txt"),
            std::string::npos);
  EXPECT_NE(texts[3].find("Successful resync tftp://" + TftpHostPort() + "/basic2.txt"),
            std::string::npos);
}

// ---- Table 2, options, content -----------------------------------------------------------------

TEST_F(ResyncIt, Table2RedirectsCredentialsAndStatuses) {
  struct Row {
    std::string rule;
    bool success;
    std::string error;
  } rows[] = {
      {nginx_->HttpUrl("/r301/basic.txt"), true, ""},
      {nginx_->HttpUrl("/r302/basic.txt"), true, ""},
      {"[--uid phone --pwd s3cret-pw] " + nginx_->HttpUrl("/auth/basic.txt"), true, ""},
      {nginx_->HttpUrl("/auth/basic.txt"), false, "http_get failed: 401 Unauthorized"},
      {nginx_->HttpUrl("/status/404"), false, "http_get failed: 404 Not Found"},
      {nginx_->HttpUrl("/status/500"), false, "http_get failed: 500 Internal Server Error"},
  };
  for (const Row& row : rows) {
    Set("GPP_A", "");
    ResyncResult r = Engine().ResyncNow(row.rule);
    EXPECT_EQ(r.success, row.success) << row.rule << ": " << r.error;
    EXPECT_EQ(r.error, row.error) << row.rule;
    EXPECT_EQ(store_->Get("GPP_A"), row.success ? "12345678" : "") << row.rule;
  }
  // 401 with wrong credentials: the first request and at most two retries.
  const int before = nginx_->CountRequests("/auth/basic.txt");
  ResyncResult wrong =
      Engine().ResyncNow("[--uid phone --pwd wrong] " + nginx_->HttpUrl("/auth/basic.txt"));
  EXPECT_FALSE(wrong.success);
  EXPECT_EQ(nginx_->CountRequests("/auth/basic.txt") - before, 3);
}

TEST_F(ResyncIt, ResyncFailsOnFnfDecidesWhetherANotFoundFails) {
  UseSyslog();
  Set("Profile_Rule", nginx_->HttpUrl("/files/missing.cfg"));
  Set("Profile_Rule_B", tftp_->Url("/basic2.txt"));
  ResyncResult r = Engine().ResyncNow();
  EXPECT_FALSE(r.success);
  EXPECT_EQ(store_->Get("GPP_B"), "");  // the sequence stopped
  Set("Resync_Fails_On_FNF", "No");
  r = Engine().ResyncNow();
  EXPECT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_B"), "ABCD");
  auto texts = WaitSyslog(6);
  ASSERT_EQ(texts.size(), 6u);
  EXPECT_EQ(texts[1], std::string(kPhone) + " -- Resync failed: http_get failed: 404 Not Found");
  EXPECT_NE(texts[3].find("Successful resync http://"), std::string::npos) << texts[3];
}

TEST_F(ResyncIt, PostSendsTheExpandedGpp) {
  // Example 2's "[--post a]": the body is the macro-expanded GPP_A; /echo/body returns it.
  Set("GPP_A", "<flat-profile><GPP_C>posted-by-$MA</GPP_C></flat-profile>");
  ResyncResult r = Engine().ResyncNow("[--post a] " + nginx_->HttpUrl("/echo/body"));
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_C"), "posted-by-000e08abcdef");
  EXPECT_NE(nginx_->ReadAccessLog().find("200 POST /echo/body"), std::string::npos);
}

TEST_F(ResyncIt, AliasRemapsElementNames) {
  // Example 5: [--alias b] with the alias map in GPP_B.
  ASSERT_TRUE(nginx_->PutFile("aliased.xml",
                              "<flat-profile><user>alice</user><name>Alice A</name>"
                              "<GPP_E>plain</GPP_E></flat-profile>"));
  Set("GPP_B", "user=User_ID_1_; name=Display_Name_1_");
  ResyncResult r = Engine().ResyncNow("[--alias b] " + nginx_->HttpUrl("/files/aliased.xml"));
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("User_ID_1_"), "alice");
  EXPECT_EQ(store_->Get("Display_Name_1_"), "Alice A");
  EXPECT_EQ(store_->Get("GPP_E"), "plain");
}

TEST_F(ResyncIt, ConditionalAssignmentBeforeProvisioning) {
  // Example 4: ("$A" ne "Provisioned")? (Line_Enable_1_ = "No";)! https://p.tel.com/init-prov
  //            | https://p.tel.com/configs
  ASSERT_TRUE(nginx_->PutFile("init-prov",
                              "<flat-profile><GPP_A>Provisioned</GPP_A>"
                              "</flat-profile>"));
  ASSERT_TRUE(nginx_->PutFile("configs",
                              "<flat-profile><Line_Enable_1_>Yes</Line_Enable_1_>"
                              "<GPP_C>configured</GPP_C></flat-profile>"));
  Set("Profile_Rule", "(\"$A\" ne \"Provisioned\")? (Line_Enable_1_ = \"No\";)! " +
                          nginx_->HttpsUrl("/files/init-prov") + " | " +
                          nginx_->HttpsUrl("/files/configs"));
  ASSERT_TRUE(Engine().ResyncNow().success);
  EXPECT_EQ(store_->Get("Line_Enable_1_"), "No");
  EXPECT_EQ(store_->Get("GPP_A"), "Provisioned");
  EXPECT_EQ(store_->Get("GPP_C"), "");
  ASSERT_TRUE(Engine().ResyncNow().success);
  EXPECT_EQ(store_->Get("Line_Enable_1_"), "Yes");
  EXPECT_EQ(store_->Get("GPP_C"), "configured");
}

TEST_F(ResyncIt, Aes128gcmWithIkmHttpEncryptContent) {
  const std::string ikm = "0123456789abcdef";
  cwmp::content::EncodeOptions enc;
  enc.gzip = true;
  enc.ikm = cwmp::Secret(ikm);
  auto body = cwmp::content::EncodeContent(kBasic, enc);
  ASSERT_TRUE(body.ok());
  ASSERT_TRUE(nginx_->PutFile("basic.aes128gcm", *body));
  Set("Profile_Rule", nginx_->HttpUrl("/aes128gcm/basic.aes128gcm"));
  ResyncResult no_ikm = Engine().ResyncNow();
  EXPECT_FALSE(no_ikm.success);
  EXPECT_NE(no_ikm.error.find("no IKM is configured"), std::string::npos) << no_ikm.error;
  Set("IKM_HTTP_Encrypt_Content", cwmp::content::Base64UrlEncode(ikm));
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
}

TEST_F(ResyncIt, TftpWithoutAHostUsesDhcpOption66) {
  // The factory rule style: a path only, the server from DHCP option 66.
  Set("Profile_Rule", "/basic.txt");
  ResyncResult none = Engine().ResyncNow();
  EXPECT_FALSE(none.success);
  EXPECT_NE(none.error.find("no DHCP option 66 server"), std::string::npos) << none.error;
  dhcp_server_ = TftpHostPort();
  UseSyslog();
  ResyncResult r = Engine().ResyncNow();
  ASSERT_TRUE(r.success) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
  auto texts = WaitSyslog(2);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0],
            std::string(kPhone) + " -- Requesting resync tftp://" + TftpHostPort() + "/basic.txt");
}

TEST_F(ResyncIt, SeveralARecordsAreTriedInTurn) {
  UseSyslog();
  engine_.reset();
  ResyncEngineOptions o = Options();
  o.fetch.hosts["prov.test"] = {"127.0.0.2", "127.0.0.1"};  // nginx listens on 127.0.0.1 only
  auto e = ResyncEngine::Create(std::move(o));
  ASSERT_TRUE(e.ok());
  ResyncResult r = (*e)->ResyncNow("http://prov.test:" + std::to_string(nginx_->http_port()) +
                                   "/files/basic.txt");
  ASSERT_TRUE(r.success) << r.error;
  auto texts = WaitSyslog(2);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[1], std::string(kPhone) + " -- Successful resync http://127.0.0.1:" +
                          std::to_string(nginx_->http_port()) + "/files/basic.txt");
}

// ---- faults ------------------------------------------------------------------------------------

TEST_F(ResyncIt, FaultServerDown) {
  std::string error;
  auto nginx = NginxInstance::Start(*dir_ + "/nginx-down", *ca_, &error);
  ASSERT_NE(nginx, nullptr) << error;
  ASSERT_TRUE(nginx->PutFile("basic.txt", kBasic));
  const std::string url = nginx->HttpUrl("/files/basic.txt");
  ASSERT_TRUE(Engine().ResyncNow(url).success);
  nginx->Stop();
  Set("GPP_A", "unchanged");
  ResyncResult r = Engine().ResyncNow(url);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.error.rfind("http_get failed: cannot connect", 0), 0u) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "unchanged");
}

TEST_F(ResyncIt, FaultTruncatedFile) {
  std::string gz;
  {
    cwmp::content::EncodeOptions enc;
    enc.gzip = true;
    auto full = cwmp::content::EncodeContent(kBasic, enc);
    ASSERT_TRUE(full.ok());
    gz = full->substr(0, full->size() - 12);
  }
  ASSERT_TRUE(tftp_->PutFile("truncated.txt.gz", gz));
  ASSERT_TRUE(nginx_->PutFile("truncated.xml", std::string(kBasic).substr(0, 30)));
  ResyncResult r = Engine().ResyncNow(tftp_->Url("/truncated.txt.gz"));
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.error, "decode failed: gzip stream truncated");
  ResyncResult x = Engine().ResyncNow(nginx_->HttpUrl("/files/truncated.xml"));
  EXPECT_FALSE(x.success);
  EXPECT_EQ(x.error.rfind("parse failed: ", 0), 0u) << x.error;
  EXPECT_EQ(store_->Get("GPP_A"), "");
}

TEST_F(ResyncIt, FaultWrongKey) {
  UseSyslog();
  const std::string root = tftp_->root_dir();
  fs::create_directories(root + "/wrongkey");
  ASSERT_TRUE(WriteFile(root + "/wrongkey/basic.txt", kBasic));
  ASSERT_EQ(RunShell("cd " + ShellQuote(root + "/wrongkey") +
                     " && openssl enc -aes-256-cbc -pbkdf2 -k RightKey -in basic.txt -out "
                     "basic.cfg 2>/dev/null && chmod 644 basic.cfg"),
            0);
  ResyncResult r = Engine().ResyncNow("[--key WrongKey] " + tftp_->Url("/wrongkey/basic.cfg"));
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.error.rfind("decode failed: wrong key or corrupt file", 0), 0u) << r.error;
  EXPECT_EQ(store_->Get("GPP_A"), "");
  auto texts = WaitSyslog(2);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[1], std::string(kPhone) + " -- Resync failed: " + r.error);
  EXPECT_EQ(texts[1].find("WrongKey"), std::string::npos);  // the key never reaches a log
  ResyncResult ok = Engine().ResyncNow("[--key RightKey] " + tftp_->Url("/wrongkey/basic.cfg"));
  EXPECT_TRUE(ok.success) << ok.error;
}

// ---- reports and VALUE CHANGE ------------------------------------------------------------------

TEST_F(ResyncIt, AutonomousTransferReportsChangesAndFirstFailures) {
  const std::string v1 = "<flat-profile><GPP_F>1</GPP_F></flat-profile>";
  ASSERT_TRUE(nginx_->PutFile("report.xml", v1));
  Set("Profile_Rule", nginx_->HttpUrl("/files/report.xml"));
  Set("Resync_Periodic", "30");
  Set("Resync_Error_Retry_Delay", "30");
  Engine().OnBoot();
  auto run = [&] {
    sys_seconds t = *Engine().NextWakeup();
    clock_.Set(t);
    return Engine().RunDue(t);
  };
  ASSERT_TRUE(run()->success);
  ASSERT_EQ(reports_.size(), 1u);  // new content
  EXPECT_EQ(reports_[0].fault.fault_code, 0u);
  EXPECT_TRUE(reports_[0].autonomous);
  EXPECT_TRUE(reports_[0].is_download);
  EXPECT_EQ(reports_[0].file_type, "3 Vendor Configuration File");
  EXPECT_EQ(reports_[0].transfer_url, nginx_->HttpUrl("/files/report.xml"));
  EXPECT_EQ(reports_[0].file_size, v1.size());
  ASSERT_TRUE(run()->success);
  EXPECT_EQ(reports_.size(), 1u);  // same content: nothing to report
  ASSERT_TRUE(nginx_->PutFile("report.xml", "<flat-profile><GPP_F>2</GPP_F></flat-profile>"));
  ASSERT_TRUE(run()->success);
  ASSERT_EQ(reports_.size(), 2u);
  Set("Profile_Rule", nginx_->HttpUrl("/status/500"));
  EXPECT_FALSE(run()->success);
  EXPECT_FALSE(run()->success);  // the retry fails too: one report per failure streak
  ASSERT_EQ(reports_.size(), 3u);
  EXPECT_EQ(reports_[2].fault.fault_code, 9016u);
  EXPECT_EQ(reports_[2].fault.fault_string, "http_get failed: 500 Internal Server Error");
  ASSERT_TRUE(Engine().ResyncNow(nginx_->HttpUrl("/files/report.xml")).success);
  EXPECT_EQ(reports_.size(), 4u);  // explicit resyncs always report
}

TEST_F(ResyncIt, ResyncedParametersRaiseValueChange) {
  StoreEdit edit;
  edit.attributes.push_back({"GPP_A", 1, std::nullopt, std::nullopt});
  ASSERT_TRUE(store_->Commit(edit, ChangeSource::kAcs).ok());
  ASSERT_TRUE(Engine().ResyncNow(tftp_->Url("/basic.txt")).success);
  auto changed = store_->ChangedParameters();
  EXPECT_NE(std::find(changed.begin(), changed.end(), "GPP_A"), changed.end());
}

TEST_F(ResyncIt, UnchangedProfileIsNotRewrittenButDriftIsCorrected) {
  ASSERT_TRUE(Engine().ResyncNow(tftp_->Url("/basic.txt")).success);
  const std::string path = state_dir_ + "/parameters.state";
  struct stat before {};
  ASSERT_EQ(stat(path.c_str(), &before), 0);
  ResyncResult again = Engine().ResyncNow(tftp_->Url("/basic.txt"));
  ASSERT_TRUE(again.success) << again.error;
  EXPECT_EQ(again.files[0].applied, 1u);
  struct stat after {};
  ASSERT_EQ(stat(path.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // WriteStateFile renames a new inode into place
  // The ACS (or the UI) changed GPP_A: the next resync puts the profile's value back.
  Set("GPP_A", "drifted");
  ASSERT_TRUE(Engine().ResyncNow(tftp_->Url("/basic.txt")).success);
  EXPECT_EQ(store_->Get("GPP_A"), "12345678");
}

TEST_F(ResyncIt, StatusReportsTheLastResult) {
  ASSERT_TRUE(Engine().ResyncNow(tftp_->Url("/basic.txt")).success);
  EXPECT_EQ(Engine().Status().Summary(), "Last resync succeeded on 11/26/2026 12:00:00");
  clock_.Advance(60s);
  EXPECT_FALSE(Engine().ResyncNow(tftp_->Url("/missing.txt")).success);
  ResyncStatus s = Engine().Status();
  EXPECT_EQ(s.Summary(),
            "Last resync failed on 11/26/2026 12:01:00: tftp_get failed: file not found");
  EXPECT_EQ(s.last_success, kT0);
  EXPECT_EQ(s.prvst, -1);
}

}  // namespace
}  // namespace agent
