// The guide's "Use Syslog to Log Messages" exercise with real servers: the resync and upgrade
// messages (Log_*_Msg, catalog defaults or configured), exact text and priority, Debug_Server
// with Debug_Level, and empty templates that send nothing.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>

#include "agent/syslog.h"
#include "agent/transfer.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/url.h"
#include "nginx_instance.h"
#include "syslog_receiver.h"
#include "test_ca.h"
#include "tftp_instance.h"

namespace agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using cwmp_test::SyslogMessage;
using cwmp_test::SyslogReceiver;

constexpr int kNotice = 16 * 8 + 5;
constexpr int kError = 16 * 8 + 3;
constexpr int kDebug = 16 * 8 + 7;

TEST(SyslogConfig, ParseSyslogServer) {
  struct Case {
    const char* text;
    bool ok;
    std::optional<SyslogTarget> target;
  } cases[] = {
      {"", true, std::nullopt},
      {"192.168.1.210", true, SyslogTarget{"192.168.1.210", 514}},
      {"syslog.example.com:5140", true, SyslogTarget{"syslog.example.com", 5140}},
      {"[2001:db8::1]:600", true, SyslogTarget{"2001:db8::1", 600}},
      {"[2001:db8::1]", true, SyslogTarget{"2001:db8::1", 514}},
      {"host:", false, std::nullopt},
      {"host:0", false, std::nullopt},
      {"host:70000", false, std::nullopt},
      {"host:51x", false, std::nullopt},
      {":514", false, std::nullopt},
      {"a b", false, std::nullopt},
      {"[2001:db8::1", false, std::nullopt},
      {"2001:db8::1", false, std::nullopt},
  };
  for (const Case& c : cases) {
    auto r = ParseSyslogServer(c.text);
    EXPECT_EQ(r.ok(), c.ok) << c.text;
    if (r.ok() && c.ok) {
      EXPECT_EQ(*r, c.target) << c.text;
    }
  }
}

TEST(SyslogConfig, ParseDebugLevel) {
  struct Case {
    const char* text;
    std::optional<SyslogSeverity> level;
  } cases[] = {
      {"NOTICE", SyslogSeverity::kNotice},
      {"debug", SyslogSeverity::kDebug},
      {"EMERGENCY", SyslogSeverity::kEmergency},
      {"0", SyslogSeverity::kError},
      {"1", SyslogSeverity::kNotice},
      {"2", SyslogSeverity::kInfo},
      {"3", SyslogSeverity::kDebug},
      {"4", std::nullopt},
      {"", std::nullopt},
      {"verbose", std::nullopt},
  };
  for (const Case& c : cases) {
    auto r = ParseDebugLevel(c.text);
    ASSERT_EQ(r.ok(), c.level.has_value()) << c.text;
    if (r.ok()) {
      EXPECT_EQ(*r, *c.level) << c.text;
    }
  }
}

TEST(SyslogConfig, DefaultTemplatesAreTheGuides) {
  EXPECT_EQ(DefaultLogTemplate(ProvisioningLogEvent::kResyncRequest),
            "$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH");
  EXPECT_EQ(DefaultLogTemplate(ProvisioningLogEvent::kResyncSuccess),
            "$PN $MAC -- Successful resync $SCHEME://$SERVIP:$PORT$PATH");
  EXPECT_EQ(DefaultLogTemplate(ProvisioningLogEvent::kResyncFailure),
            "$PN $MAC -- Resync failed: $ERR");
  EXPECT_EQ(DefaultLogTemplate(ProvisioningLogEvent::kUpgradeRequest),
            "$PN $MAC -- Requesting upgrade $SCHEME://$SERVIP:$PORT$PATH");
  EXPECT_EQ(DefaultLogTemplate(ProvisioningLogEvent::kUpgradeSuccess),
            "$PN $MAC -- Successful upgrade $SCHEME://$SERVIP:$PORT$PATH -- $ERR");
  EXPECT_EQ(DefaultLogTemplate(ProvisioningLogEvent::kUpgradeFailure),
            "$PN $MAC -- Upgrade failed: $ERR");
}

TEST(SyslogConfig, BadSettingsNameTheParameter) {
  SyslogSettings s;
  s.syslog_server = "host:99999";
  EXPECT_EQ(SyslogClient::Create(s).status().message().rfind("Syslog_Server: ", 0), 0u);
  s.syslog_server = "";
  s.debug_server = "no-such-host.invalid";
  EXPECT_EQ(SyslogClient::Create(s).status().message().rfind("Debug_Server: cannot resolve", 0),
            0u);
  s.debug_server = "";
  s.debug_level = "LOUD";
  EXPECT_EQ(SyslogClient::Create(s).status().code(), cwmp::StatusCode::kInvalidArgument);
}

// The macro variables the resync engine sets around one transfer.
cwmp::prov::MacroVariables Variables(std::string_view url, const FetchResult* result) {
  cwmp::prov::MacroVariables v;
  EXPECT_TRUE(v.SetMac("000e08abcdef").ok());
  EXPECT_TRUE(v.Set("PN", "CP-6841-3PCC").ok());
  EXPECT_TRUE(v.Set("A", "12345678").ok());
  auto parsed = cwmp::prov::ParseProvisioningUrl(url);
  EXPECT_TRUE(parsed.ok());
  cwmp::prov::SetRequestTargetVariables(*parsed, &v);
  EXPECT_TRUE(v.Set("SERVIP", parsed->host).ok());
  if (result) {
    if (!result->server_ip.empty()) {
      EXPECT_TRUE(v.Set("SERVIP", result->server_ip).ok());
    }
    EXPECT_TRUE(v.Set("ERR", result->error).ok());
  }
  return v;
}

// A resync as the engine does it: request message, transfer, success or failure message.
FetchResult Resync(SyslogClient* log, const std::string& url, bool upgrade) {
  auto before = Variables(url, nullptr);
  EXPECT_TRUE(log->LogProvisioning(upgrade ? ProvisioningLogEvent::kUpgradeRequest
                                           : ProvisioningLogEvent::kResyncRequest,
                                   before)
                  .ok());
  FetchOptions o;
  o.total_timeout_ms = 5000;
  FetchResult r = Fetch(url, o);
  auto after = Variables(url, &r);
  ProvisioningLogEvent event = r.ok() ? (upgrade ? ProvisioningLogEvent::kUpgradeSuccess
                                                 : ProvisioningLogEvent::kResyncSuccess)
                                      : (upgrade ? ProvisioningLogEvent::kUpgradeFailure
                                                 : ProvisioningLogEvent::kResyncFailure);
  EXPECT_TRUE(log->LogProvisioning(event, after).ok());
  return r;
}

class SyslogIt : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/agent_syslog_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string error;
    receiver_ = SyslogReceiver::Start(&error);
    ASSERT_NE(receiver_, nullptr) << error;
    debug_receiver_ = SyslogReceiver::Start(&error);
    ASSERT_NE(debug_receiver_, nullptr) << error;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<SyslogClient> Client(std::map<std::string, std::string, std::less<>> params,
                                       const std::string& debug_level = "NOTICE",
                                       bool with_debug = false) {
    SyslogSettings s;
    s.syslog_server = receiver_->address();
    if (with_debug) s.debug_server = debug_receiver_->address();
    s.debug_level = debug_level;
    s.lookup = [params](std::string_view name) -> std::optional<std::string> {
      auto it = params.find(name);
      if (it == params.end()) return std::nullopt;
      return it->second;
    };
    auto c = SyslogClient::Create(s);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c.value()) : nullptr;
  }

  std::string dir_;
  std::unique_ptr<SyslogReceiver> receiver_;
  std::unique_ptr<SyslogReceiver> debug_receiver_;
};

TEST_F(SyslogIt, TftpResyncSendsRequestAndSuccessMessages) {
  std::string error;
  auto tftp = cwmp_test::TftpInstance::Start(dir_ + "/tftp", &error);
  ASSERT_NE(tftp, nullptr) << error;
  ASSERT_TRUE(tftp->PutFile("basic.txt", "<flat-profile><GPP_A>12345678</GPP_A></flat-profile>"));
  auto log = Client({});
  ASSERT_NE(log, nullptr);
  FetchResult ok = Resync(log.get(), tftp->Url("/basic.txt"), false);
  ASSERT_TRUE(ok.ok()) << ok.error;
  FetchResult missing = Resync(log.get(), tftp->Url("/missing.txt"), false);
  EXPECT_EQ(missing.outcome, FetchOutcome::kFileNotFound);

  auto messages = receiver_->WaitFor(4, 5s);
  ASSERT_EQ(messages.size(), 4u);
  const std::string port = std::to_string(tftp->port());
  EXPECT_EQ(messages[0].text,
            "CP-6841-3PCC 00:0e:08:ab:cd:ef -- Requesting resync tftp://"
            "127.0.0.1:" +
                port + "/basic.txt");
  EXPECT_EQ(messages[0].priority, kNotice);
  EXPECT_EQ(messages[1].text,
            "CP-6841-3PCC 00:0e:08:ab:cd:ef -- Successful resync tftp://"
            "127.0.0.1:" +
                port + "/basic.txt");
  EXPECT_EQ(messages[1].priority, kNotice);
  EXPECT_EQ(messages[2].text,
            "CP-6841-3PCC 00:0e:08:ab:cd:ef -- Requesting resync tftp://"
            "127.0.0.1:" +
                port + "/missing.txt");
  EXPECT_EQ(messages[3].text,
            "CP-6841-3PCC 00:0e:08:ab:cd:ef -- Resync failed: tftp_get failed: file not found");
  EXPECT_EQ(messages[3].priority, kError);
  EXPECT_EQ(messages[3].raw, "<131>" + messages[3].text);
}

TEST_F(SyslogIt, HttpUpgradeMessagesUseTheUpgradeTemplates) {
  std::string error;
  fs::create_directories(dir_ + "/ca");
  cwmp_test::TestCa ca;
  ASSERT_TRUE(cwmp_test::TestCa::Create(dir_ + "/ca", {}, &ca, &error)) << error;
  auto nginx = cwmp_test::NginxInstance::Start(dir_ + "/nginx", ca, &error);
  ASSERT_NE(nginx, nullptr) << error;
  ASSERT_TRUE(nginx->PutFile("sip68xx.11-2-4MPP-0002.loads", "image"));
  auto log = Client({});
  ASSERT_NE(log, nullptr);
  const std::string url = nginx->HttpUrl("/files/sip68xx.11-2-4MPP-0002.loads");
  ASSERT_TRUE(Resync(log.get(), url, true).ok());
  EXPECT_FALSE(Resync(log.get(), nginx->HttpUrl("/status/503"), true).ok());
  auto messages = receiver_->WaitFor(4, 5s);
  ASSERT_EQ(messages.size(), 4u);
  const std::string port = std::to_string(nginx->http_port());
  EXPECT_EQ(messages[0].text,
            "CP-6841-3PCC 00:0e:08:ab:cd:ef -- Requesting upgrade http://"
            "127.0.0.1:" +
                port + "/files/sip68xx.11-2-4MPP-0002.loads");
  EXPECT_EQ(messages[1].text,
            "CP-6841-3PCC 00:0e:08:ab:cd:ef -- Successful upgrade http://"
            "127.0.0.1:" +
                port + "/files/sip68xx.11-2-4MPP-0002.loads -- ");
  EXPECT_EQ(messages[2].text,
            "CP-6841-3PCC 00:0e:08:ab:cd:ef -- Requesting upgrade http://"
            "127.0.0.1:" +
                port + "/status/503");
  EXPECT_EQ(messages[3].text,
            "CP-6841-3PCC 00:0e:08:ab:cd:ef -- Upgrade failed: http_get "
            "failed: 503 Service Temporarily Unavailable");
  EXPECT_EQ(messages[3].priority, kError);
}

TEST_F(SyslogIt, ConfiguredAndEmptyTemplates) {
  // Log_Request_Msg cleared: no request message. Log_Success_Msg with a GPP macro.
  auto log = Client({{"Log_Request_Msg", ""},
                     {"Log_Success_Msg", "$PN got $A from $SCHEME://$SERV$PATH"},
                     {"Log_Failure_Msg", ""}});
  ASSERT_NE(log, nullptr);
  const std::string url = "tftp://10.0.0.9/basic.txt";
  auto vars = Variables(url, nullptr);
  ASSERT_TRUE(log->LogProvisioning(ProvisioningLogEvent::kResyncRequest, vars).ok());
  ASSERT_TRUE(log->LogProvisioning(ProvisioningLogEvent::kResyncFailure, vars).ok());
  ASSERT_TRUE(log->LogProvisioning(ProvisioningLogEvent::kResyncSuccess, vars).ok());
  EXPECT_EQ(log->FormatProvisioning(ProvisioningLogEvent::kResyncRequest, vars), "");
  // UDP on loopback keeps order: the first message to arrive is the success message, so the
  // two empty templates sent nothing before it.
  ASSERT_TRUE(log->Send(SyslogSeverity::kNotice, "marker").ok());
  auto messages = receiver_->WaitFor(2, 5s);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].text, "CP-6841-3PCC got 12345678 from tftp://10.0.0.9/basic.txt");
  EXPECT_EQ(messages[1].text, "marker");
}

TEST_F(SyslogIt, DebugServerReceivesMessagesAtItsLevel) {
  struct Case {
    const char* level;
    bool debug_gets_notice;
    bool debug_gets_debug;
  } cases[] = {{"3", true, true}, {"NOTICE", true, false}, {"0", false, false}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.level);
    size_t main_before = receiver_->Messages().size();
    size_t debug_before = debug_receiver_->Messages().size();
    auto log = Client({}, c.level, /*with_debug=*/true);
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->Send(SyslogSeverity::kDebug, "resync: 200 OK, 61 bytes").ok());
    ASSERT_TRUE(log->Send(SyslogSeverity::kNotice, std::string("notice ") + c.level).ok());
    ASSERT_TRUE(log->Send(SyslogSeverity::kError, std::string("error ") + c.level).ok());
    // Syslog_Server: NOTICE and worse, never DEBUG.
    auto main = receiver_->WaitFor(main_before + 2, 5s);
    ASSERT_EQ(main.size(), main_before + 2);
    EXPECT_EQ(main[main_before].text, std::string("notice ") + c.level);
    EXPECT_EQ(main[main_before + 1].text, std::string("error ") + c.level);
    // Debug_Server: what its level lets through, ending with the ERROR message (always sent).
    std::vector<std::string> expected;
    if (c.debug_gets_debug) expected.push_back("resync: 200 OK, 61 bytes");
    if (c.debug_gets_notice) expected.push_back(std::string("notice ") + c.level);
    expected.push_back(std::string("error ") + c.level);
    auto debug = debug_receiver_->WaitFor(debug_before + expected.size(), 5s);
    ASSERT_EQ(debug.size(), debug_before + expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(debug[debug_before + i].text, expected[i]);
    }
    if (c.debug_gets_debug) {
      EXPECT_EQ(debug[debug_before].priority, kDebug);
    }
  }
}

TEST_F(SyslogIt, NothingConfiguredSendsNothing) {
  SyslogSettings s;
  auto log = SyslogClient::Create(s);
  ASSERT_TRUE(log.ok());
  cwmp::prov::MacroVariables v;
  EXPECT_TRUE((*log)->LogProvisioning(ProvisioningLogEvent::kResyncRequest, v).ok());
  EXPECT_TRUE((*log)->Send(SyslogSeverity::kEmergency, "x").ok());
}

TEST_F(SyslogIt, LongMessagesAreCutTo1024Bytes) {
  auto log = Client({});
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->Send(SyslogSeverity::kNotice, std::string(3000, 'x')).ok());
  auto messages = receiver_->WaitFor(1, 5s);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text, std::string(1024, 'x'));
}

}  // namespace
}  // namespace agent
