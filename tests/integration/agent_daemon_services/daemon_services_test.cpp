// `cpe-agent run` as a real process with its services wired in (agent/phone_services.h): the
// admin web server, the resync and upgrade engines, the SIP listener and syslog, against real
// tftpd-hpa, nginx, a UDP syslog receiver and the scripted ACS.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "cwmp/dhcp/state.h"
#include "daemon.h"
#include "http_client.h"
#include "loopback_port.h"
#include "nginx_instance.h"
#include "runtime_test_util.h"
#include "sip_test_util.h"
#include "syslog_receiver.h"
#include "test_ca.h"
#include "test_acs.h"
#include "tftp_instance.h"

namespace agent_test {
namespace {

using namespace std::chrono_literals;
using agent_admin_test::Fetch;
using agent_admin_test::Get;
using agent_admin_test::HttpAnswer;

constexpr const char* kSwVer = "Device.DeviceInfo.SoftwareVersion";
constexpr const char* kAdminAuth = "Authorization: Basic YWRtaW46YWRt\r\n";  // admin:adm

bool WaitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return pred();
}

// A daemon with the admin web server on a free loopback port and the SIP listener on another,
// the scripted ACS, and `first_start` as its --profile.
class Phone {
 public:
  Phone(const std::string& dir, const std::string& acs_url, const std::string& first_start,
        std::vector<std::string> extra = {})
      : admin_port_(cwmp_test::FreeLoopbackPort(SOCK_STREAM)),
        sip_port_(cwmp_test::FreeLoopbackPort(SOCK_DGRAM)) {
    WriteFile(dir + "/first.xml", Profile(first_start));
    std::vector<std::string> args = {
        "run",          "--state",      dir + "/state", "--mac",   "00:56:2B:0A:0B:0C",
        "--serial",     "FCH0001",      "--model",      "CP-6841-3PCC",
        "--acs",        acs_url,        "--cr-listen",  "127.0.0.1:0",
        "--profile",    dir + "/first.xml",
        "--admin-listen", "127.0.0.1:" + std::to_string(admin_port_),
        "--sip-listen", "127.0.0.1:" + std::to_string(sip_port_)};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon_ = std::make_unique<Daemon>(args, dir);
  }
  Daemon& daemon() { return *daemon_; }
  uint16_t sip_port() const { return sip_port_; }
  HttpAnswer Admin(const std::string& target, const std::string& extra = kAdminAuth) {
    return Fetch(admin_port_, Get(target, extra));
  }
  HttpAnswer Post(const std::string& target, const std::string& body, const std::string& extra) {
    return Fetch(admin_port_, "POST " + target + " HTTP/1.1\r\nHost: phone\r\n" + extra +
                                  "Content-Type: text/xml\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  // Waits until the admin server answers at all (the daemon binds it at boot).
  bool WaitForAdmin() {
    return WaitUntil([&] { return Admin("/admin/status").status == 200; }, 10s);
  }
  bool ConfigHas(const std::string& text) {
    return Admin("/admin/config.xml").body.find(text) != std::string::npos;
  }

 private:
  uint16_t admin_port_, sip_port_;
  std::unique_ptr<Daemon> daemon_;
};

std::unique_ptr<cwmp_test::NginxInstance> StartNginx(const std::string& dir,
                                                     cwmp_test::TestCa* ca) {
  std::string error;
  std::string ca_dir = dir + "/ca";
  std::filesystem::create_directories(ca_dir);
  if (!cwmp_test::TestCa::Create(ca_dir, {}, ca, &error)) {
    ADD_FAILURE() << error;
    return nullptr;
  }
  auto nginx = cwmp_test::NginxInstance::Start(dir + "/nginx", *ca, &error);
  if (!nginx) ADD_FAILURE() << error;
  return nginx;
}

// The first of `n` consecutive TCP ports that are free on 127.0.0.1, below the ephemeral range
// (where the phones' own any-port listeners land); 0 when none was found.
uint16_t FreeConsecutivePorts(int n) {
  auto bindable = [](uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
    close(fd);
    return ok;
  };
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto base = static_cast<uint16_t>(20000 + (getpid() * 7 + attempt * 97) % 10000);
    bool all = true;
    for (int i = 0; i < n && all; ++i) all = bindable(static_cast<uint16_t>(base + i));
    if (all) return base;
  }
  return 0;
}

class UdpPeer {
 public:
  UdpPeer() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)!bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  }
  ~UdpPeer() { close(fd_); }
  std::string Exchange(uint16_t port, const std::string& datagram, int timeout_ms = 3000) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)!sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&a),
                  sizeof(a));
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return "";
    char buf[65536];
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }

 private:
  int fd_ = -1;
};

// /admin/resync?tftp://... over the admin web: the profile is fetched from a real tftpd-hpa,
// applied (config.xml shows it), and the guide's resync messages reach Syslog_Server.
TEST(DaemonServices, AdminResyncOverTftpAppliesProfileAndLogsToSyslog) {
  TempDir dir;
  TestAcs acs;
  std::string error;
  auto tftp = cwmp_test::TftpInstance::Start(dir.path() + "/tftp", &error);
  ASSERT_TRUE(tftp) << error;
  auto syslog = cwmp_test::SyslogReceiver::Start(&error);
  ASSERT_TRUE(syslog) << error;
  ASSERT_TRUE(tftp->PutFile("p.xml", Profile("<Station_Name>from-tftp</Station_Name>")));

  Phone phone(dir.path(), acs.Url(),
              "<Resync_On_Reset>No</Resync_On_Reset><Admin_Password>adm</Admin_Password>"
              "<Syslog_Server>" + syslog->address() + "</Syslog_Server>");
  ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();
  EXPECT_FALSE(phone.ConfigHas("from-tftp"));

  HttpAnswer r = phone.Admin("/admin/resync?" + tftp->Url("/p.xml"));
  ASSERT_EQ(r.status, 200) << r.head << r.body;
  EXPECT_TRUE(WaitUntil([&] { return phone.ConfigHas("from-tftp"); }, 15s))
      << phone.daemon().err();

  auto messages = syslog->WaitFor(2, 5s);
  std::string all;
  for (const auto& m : messages) all += m.text + "\n";
  const std::string url = "tftp://127.0.0.1:" + std::to_string(tftp->port()) + "/p.xml";
  EXPECT_NE(all.find("CP-6841-3PCC 00:56:2b:0a:0b:0c -- Requesting resync " + url),
            std::string::npos) << all;
  EXPECT_NE(all.find("-- Successful resync " + url), std::string::npos) << all;

  HttpAnswer status = phone.Admin("/admin/status");
  EXPECT_NE(status.body.find("succeeded"), std::string::npos) << status.body;
  EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
}

// Profile_Rule without a server ("/dhcp.xml") resyncs over TFTP from the DHCP option 66
// server that the DHCP hook wrote to STATE/dhcp.json; /admin/resync without a rule runs the
// configured rules.
TEST(DaemonServices, ProfileRuleWithoutServerUsesDhcpOption66Tftp) {
  TempDir dir;
  TestAcs acs;
  std::string error;
  auto tftp = cwmp_test::TftpInstance::Start(dir.path() + "/tftp", &error);
  ASSERT_TRUE(tftp) << error;
  ASSERT_TRUE(tftp->PutFile("dhcp.xml", Profile("<Station_Name>via-option-66</Station_Name>")));
  const std::string state = dir.path() + "/state";
  std::filesystem::create_directories(state);
  std::filesystem::permissions(state, std::filesystem::perms::owner_all);
  cwmp::dhcp::DhcpState dhcp;
  dhcp.updated = "2026-11-26T12:00:00Z";
  dhcp.provisioning_server = cwmp::dhcp::ProvisioningServer{66, tftp->server(),
                                                            "tftp://" + tftp->server()};
  WriteFile(state + "/dhcp.json", cwmp::dhcp::SerializeState(dhcp));
  Phone phone(dir.path(), acs.Url(),
              "<Resync_On_Reset>No</Resync_On_Reset><Profile_Rule>/dhcp.xml</Profile_Rule>"
              "<Admin_Password>adm</Admin_Password>");
  ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();
  ASSERT_EQ(phone.Admin("/admin/resync").status, 200);
  EXPECT_TRUE(WaitUntil([&] { return phone.ConfigHas("via-option-66"); }, 15s))
      << phone.Admin("/admin/status").body << phone.daemon().err();
  EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
}

// The user account (no credentials while Admin_Password is set and User_Password is empty)
// cannot change a parameter whose ua is na through POST /admin/config.xml; it can change an rw
// one, and the admin account can change both.
TEST(DaemonServices, UserAccountCannotChangeNaParameterThroughConfigXml) {
  TempDir dir;
  TestAcs acs;
  Phone phone(dir.path(), acs.Url(),
              "<Resync_On_Reset>No</Resync_On_Reset><Admin_Password>adm</Admin_Password>");
  ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();

  HttpAnswer refused =
      phone.Post("/admin/config.xml", Profile("<Station_Name>by-user</Station_Name>"), "");
  EXPECT_EQ(refused.status, 403) << refused.head << refused.body;
  EXPECT_NE(refused.body.find("Station_Name"), std::string::npos) << refused.body;
  EXPECT_FALSE(phone.ConfigHas("by-user"));

  HttpAnswer allowed =
      phone.Post("/admin/config.xml", Profile("<IP_Mode>IPv4 Only</IP_Mode>"), "");
  EXPECT_EQ(allowed.status, 200) << allowed.head << allowed.body;
  EXPECT_TRUE(phone.ConfigHas("IPv4 Only"));

  HttpAnswer admin = phone.Post("/admin/config.xml",
                                Profile("<Station_Name>by-admin</Station_Name>"), kAdminAuth);
  EXPECT_EQ(admin.status, 200) << admin.head << admin.body;
  EXPECT_TRUE(phone.ConfigHas("by-admin"));
  EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
}

// Profile_Rule over HTTP with Resync_On_Reset and a short Resync_Periodic: the power-up resync
// applies the profile, and a change on the server is picked up by the next periodic resync.
TEST(DaemonServices, HttpResyncOnResetThenPeriodic) {
  TempDir dir;
  TestAcs acs;
  cwmp_test::TestCa ca;
  auto nginx = StartNginx(dir.path(), &ca);
  ASSERT_TRUE(nginx);
  ASSERT_TRUE(nginx->PutFile("prof.xml", Profile("<Station_Name>v1</Station_Name>")));
  Phone phone(dir.path(), acs.Url(),
              "<Profile_Rule>" + nginx->HttpUrl("/files/prof.xml") +
                  "</Profile_Rule><Resync_On_Reset>Yes</Resync_On_Reset>"
                  "<Resync_Random_Delay>0</Resync_Random_Delay>"
                  "<Resync_Periodic>2</Resync_Periodic><Admin_Password>adm</Admin_Password>");
  ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();
  EXPECT_TRUE(WaitUntil([&] { return phone.ConfigHas(">v1<"); }, 15s)) << phone.daemon().err();
  ASSERT_TRUE(nginx->PutFile("prof.xml", Profile("<Station_Name>v2</Station_Name>")));
  EXPECT_TRUE(WaitUntil([&] { return phone.ConfigHas(">v2<"); }, 15s)) << phone.daemon().err();
  EXPECT_GE(nginx->CountRequests("/files/prof.xml"), 2);
  EXPECT_NE(phone.daemon().err().find("resync succeeded"), std::string::npos);
  EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
}

// /admin/upgrade?http://.../sip68xx.11-2-4MPP-0002.loads (a bundle made by `cpe-agent firmware
// pack`): the image is installed, the daemon reboots in-process, both the next Inform and
// /admin/status report the new software version, and the post-upgrade resync runs.
TEST(DaemonServices, AdminUpgradeRebootsInProcessIntoTheNewVersion) {
  TempDir dir;
  TestAcs acs;
  cwmp_test::TestCa ca;
  auto nginx = StartNginx(dir.path(), &ca);
  ASSERT_TRUE(nginx);
  const std::string version = "sip68xx.11-2-4MPP-0002";
  const std::string bundle = nginx->files_dir() + "/" + version + ".loads";
  WriteFile(dir.path() + "/image.bin", std::string(4096, 'x'));
  std::string pack = AgentBinary() + " firmware pack --version " + version + " --payload " +
                     dir.path() + "/image.bin -o " + bundle + " 2>&1; echo rc=$?";
  ASSERT_NE(agent_admin_test::Shell(pack).find("rc=0"), std::string::npos);

  ASSERT_TRUE(nginx->PutFile("after.xml", Profile("<Station_Name>after-upgrade</Station_Name>")));
  Phone phone(dir.path(), acs.Url(),
              "<Resync_On_Reset>No</Resync_On_Reset><Admin_Password>adm</Admin_Password>"
              "<Profile_Rule>" + nginx->HttpUrl("/files/after.xml") + "</Profile_Rule>",
              {"--swver", "sip68xx.11-0-1MPP-0001"});
  ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return !v.empty(); }, 10s));
  EXPECT_EQ(acs.informs()[0].parameters[kSwVer], "sip68xx.11-0-1MPP-0001");

  HttpAnswer r = phone.Admin("/admin/upgrade?" + nginx->HttpUrl("/files/" + version + ".loads"));
  ASSERT_EQ(r.status, 200) << r.head << r.body;
  EXPECT_TRUE(WaitUntil([&] { return phone.Admin("/admin/status").body.find(version) !=
                                     std::string::npos; },
                        20s))
      << phone.daemon().err();
  ASSERT_TRUE(acs.WaitFor(
      [&](const auto& v) {
        for (const auto& i : v) {
          if (i.Has("1 BOOT") && i.parameters.count(kSwVer) && i.parameters.at(kSwVer) == version)
            return true;
        }
        return false;
      },
      20s))
      << phone.daemon().err();
  EXPECT_NE(phone.daemon().err().find("reboot"), std::string::npos);
  // Resync_After_Upgrade_Attempt (default Yes): the new boot resyncs with Profile_Rule.
  EXPECT_TRUE(WaitUntil([&] { return phone.ConfigHas("after-upgrade"); }, 15s))
      << phone.daemon().err();
  EXPECT_EQ(nginx->CountRequests("/files/after.xml"), 1);
  EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
}

// SIP NOTIFY "Event: resync" with Digest (line 1's credentials): the first NOTIFY is
// challenged, the authenticated retry gets 200 and the phone resyncs with its Profile_Rule.
TEST(DaemonServices, SipNotifyWithDigestResyncs) {
  TempDir dir;
  TestAcs acs;
  cwmp_test::TestCa ca;
  auto nginx = StartNginx(dir.path(), &ca);
  ASSERT_TRUE(nginx);
  ASSERT_TRUE(nginx->PutFile("sip.xml", Profile("<Station_Name>via-sip</Station_Name>")));
  Phone phone(dir.path(), acs.Url(),
              "<Profile_Rule>" + nginx->HttpUrl("/files/sip.xml") +
                  "</Profile_Rule><Resync_On_Reset>No</Resync_On_Reset>"
                  "<User_ID_1_>1001</User_ID_1_><Password_1_>sip-pw</Password_1_>"
                  "<Admin_Password>adm</Admin_Password>");
  ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();
  ASSERT_FALSE(phone.ConfigHas("via-sip"));

  UdpPeer peer;
  std::string challenge = peer.Exchange(phone.sip_port(), agent_admin_test::Notify("resync", 1));
  ASSERT_EQ(agent_admin_test::SipStatus(challenge), 401) << challenge;
  std::string wrong = peer.Exchange(
      phone.sip_port(),
      agent_admin_test::Notify("resync", 2,
                               agent_admin_test::AuthorizationFor(challenge, "1001", "bad")));
  EXPECT_EQ(agent_admin_test::SipStatus(wrong), 401) << wrong;
  std::string ok = peer.Exchange(
      phone.sip_port(),
      agent_admin_test::Notify("resync", 3,
                               agent_admin_test::AuthorizationFor(wrong, "1001", "sip-pw")));
  ASSERT_EQ(agent_admin_test::SipStatus(ok), 200) << ok;
  EXPECT_TRUE(WaitUntil([&] { return phone.ConfigHas("via-sip"); }, 15s)) << phone.daemon().err();
  EXPECT_EQ(nginx->CountRequests("/files/sip.xml"), 1);
  EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
}

// Custom_CA_Rule installs into the CaStore the resync transfers trust: an HTTPS resync from a
// server whose CA the phone does not know fails, the profile sets Custom_CA_Rule, the engine
// installs the CA, and the same HTTPS resync then succeeds.
TEST(DaemonServices, CustomCaRuleMakesHttpsResyncTrustTheServer) {
  TempDir dir;
  TestAcs acs;
  cwmp_test::TestCa ca;
  auto nginx = StartNginx(dir.path(), &ca);
  ASSERT_TRUE(nginx);
  ASSERT_TRUE(nginx->PutFile("tls.xml", Profile("<Station_Name>over-https</Station_Name>")));
  ASSERT_TRUE(nginx->PutFile("ca.pem", ReadAll(ca.ca_cert())));
  Phone phone(dir.path(), acs.Url(), "<Resync_On_Reset>No</Resync_On_Reset><Admin_Password>adm</Admin_Password>");
  ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();
  const std::string https = nginx->HttpsUrl("/files/tls.xml");
  auto status = [&] { return phone.Admin("/admin/status").body; };

  ASSERT_EQ(phone.Admin("/admin/resync?" + https).status, 200);
  EXPECT_TRUE(WaitUntil([&] { return status().find("failed") != std::string::npos; }, 15s))
      << status();
  EXPECT_FALSE(phone.ConfigHas("over-https"));
  EXPECT_NE(status().find("Not Installed"), std::string::npos) << status();

  std::string rule = Profile("<Custom_CA_Rule>" + nginx->HttpUrl("/files/ca.pem") +
                             "</Custom_CA_Rule>");
  ASSERT_EQ(phone.Post("/admin/config.xml", rule, kAdminAuth).status, 200);
  EXPECT_TRUE(WaitUntil([&] { return status().find("Installed - ") != std::string::npos; }, 15s))
      << status() << phone.daemon().err();
  ASSERT_EQ(phone.Admin("/admin/resync?" + https).status, 200);
  EXPECT_TRUE(WaitUntil([&] { return phone.ConfigHas("over-https"); }, 15s))
      << status() << phone.daemon().err();
  EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
}

// --client-cert: the phone presents its certificate to an HTTPS provisioning server that
// requires one (the guide's "HTTPS with Client Certificate Authentication"), and $CCERT says
// "Installed"; the same resync without the flag is refused by the server.
TEST(DaemonServices, ClientCertificateFromTheCommandLineIsPresentedByResyncs) {
  TempDir dir;
  TestAcs acs;
  cwmp_test::TestCa ca;
  auto nginx = StartNginx(dir.path(), &ca);
  ASSERT_TRUE(nginx);
  ASSERT_TRUE(nginx->PutFile("mtls.xml", Profile("<Station_Name>with-client-cert</Station_Name>")));
  ASSERT_TRUE(nginx->PutFile("ca.pem", ReadAll(ca.ca_cert())));
  const std::string first =
      "<Resync_On_Reset>No</Resync_On_Reset><Admin_Password>adm</Admin_Password>"
      "<Custom_CA_Rule>" + nginx->HttpUrl("/files/ca.pem") + "</Custom_CA_Rule>";
  const std::string url = nginx->HttpsMtlsUrl("/files/mtls.xml");
  auto status_of = [](Phone& p) { return p.Admin("/admin/status").body; };
  {
    TempDir without;
    Phone phone(without.path(), acs.Url(), first);
    ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();
    EXPECT_TRUE(WaitUntil([&] { return status_of(phone).find("Installed - ") != std::string::npos; },
                          15s)) << status_of(phone);
    ASSERT_EQ(phone.Admin("/admin/resync?" + url).status, 200);
    EXPECT_TRUE(WaitUntil([&] { return status_of(phone).find("failed") != std::string::npos; }, 15s))
        << status_of(phone);
    EXPECT_FALSE(phone.ConfigHas("with-client-cert"));
    EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
  }
  Phone phone(dir.path(), acs.Url(), first,
              {"--client-cert", ca.client_cert(), "--client-key", ca.client_key()});
  ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();
  EXPECT_TRUE(WaitUntil([&] { return status_of(phone).find("Installed - ") != std::string::npos; },
                        15s)) << status_of(phone);
  ASSERT_EQ(phone.Admin("/admin/resync?" + url).status, 200);
  EXPECT_TRUE(WaitUntil([&] { return phone.ConfigHas("with-client-cert"); }, 15s))
      << status_of(phone) << phone.daemon().err();
  EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
}

// A Download RPC of the custom-CA file type and the resync engine share one trust store: the
// CA the ACS pushed makes the next HTTPS resync succeed without a reboot.
TEST(DaemonServices, CaDownloadedByTheAcsIsTrustedByTheNextResync) {
  TempDir dir;
  TestAcs acs;
  cwmp_test::TestCa ca;
  auto nginx = StartNginx(dir.path(), &ca);
  ASSERT_TRUE(nginx);
  ASSERT_TRUE(nginx->PutFile("tls2.xml", Profile("<Station_Name>ca-from-acs</Station_Name>")));
  ASSERT_TRUE(nginx->PutFile("acs-ca.pem", ReadAll(ca.ca_cert())));
  Phone phone(dir.path(), acs.Url(),
              "<Resync_On_Reset>No</Resync_On_Reset><Admin_Password>adm</Admin_Password>");
  ASSERT_TRUE(phone.WaitForAdmin()) << phone.daemon().err();
  const std::string https = nginx->HttpsUrl("/files/tls2.xml");
  auto status = [&] { return phone.Admin("/admin/status").body; };
  ASSERT_EQ(phone.Admin("/admin/resync?" + https).status, 200);
  EXPECT_TRUE(WaitUntil([&] { return status().find("failed") != std::string::npos; }, 15s))
      << status();
  EXPECT_FALSE(phone.ConfigHas("ca-from-acs"));

  acs.QueueRpc("<cwmp:Download><CommandKey>ca1</CommandKey><FileType>X 00562B Custom CA</FileType>"
               "<URL>" + nginx->HttpUrl("/files/acs-ca.pem") + "</URL><Username></Username>"
               "<Password></Password><FileSize>0</FileSize><TargetFileName></TargetFileName>"
               "<DelaySeconds>0</DelaySeconds><SuccessURL></SuccessURL><FailureURL></FailureURL>"
               "</cwmp:Download>");
  const size_t before = acs.informs().size();
  // The queued Download goes out in the next session: a failed admin resync reports to the ACS
  // (10 AUTONOMOUS TRANSFER COMPLETE), which opens one.
  ASSERT_EQ(phone.Admin("/admin/resync?" + https).status, 200);
  ASSERT_TRUE(acs.WaitFor(
      [&](const std::vector<SeenInform>& seen) {
        for (size_t i = before; i < seen.size(); ++i) {
          if (seen[i].Has("7 TRANSFER COMPLETE")) return true;
        }
        return false;
      },
      30s))
      << phone.daemon().err();
  EXPECT_TRUE(WaitUntil([&] { return status().find("Installed - ") != std::string::npos; }, 15s))
      << status();
  ASSERT_EQ(phone.Admin("/admin/resync?" + https).status, 200);
  EXPECT_TRUE(WaitUntil([&] { return phone.ConfigHas("ca-from-acs"); }, 15s))
      << status() << phone.daemon().err();
  EXPECT_EQ(phone.daemon().Stop(), 0) << phone.daemon().err();
}

// Without --admin-listen the admin web server listens on the --cr-listen address and
// Web_Server_Port, and moves when a profile changes Web_Server_Port; /admin/reboot restarts
// the phone in-process (a new "1 BOOT" Inform) and the web server keeps answering.
TEST(DaemonServices, WebServerFollowsWebServerPortAndSurvivesAdminReboot) {
  TempDir dir;
  TestAcs acs;
  const uint16_t p1 = FreeConsecutivePorts(1);
  ASSERT_NE(p1, 0);
  WriteFile(dir.path() + "/first.xml",
            Profile("<Resync_On_Reset>No</Resync_On_Reset><Web_Server_Port>" +
                    std::to_string(p1) + "</Web_Server_Port>"));
  Daemon d({"run", "--state", dir.path() + "/state", "--mac", "00:56:2B:0A:0B:0C", "--serial",
            "FCH0001", "--model", "CP-6841-3PCC", "--acs", acs.Url(), "--cr-listen",
            "127.0.0.1:0", "--sip-listen", "127.0.0.1:0", "--profile", dir.path() + "/first.xml"},
           dir.path());
  ASSERT_TRUE(WaitUntil([&] { return Fetch(p1, Get("/admin/status")).status == 200; }, 10s))
      << d.err();
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return !v.empty(); }, 10s));

  uint16_t p2 = FreeConsecutivePorts(1);
  while (p2 == p1) p2 = static_cast<uint16_t>(p2 + 1);
  std::string body = Profile("<Web_Server_Port>" + std::to_string(p2) + "</Web_Server_Port>");
  HttpAnswer moved = Fetch(p1, "POST /admin/config.xml HTTP/1.1\r\nHost: phone\r\n"
                               "Content-Length: " + std::to_string(body.size()) +
                               "\r\nConnection: close\r\n\r\n" + body);
  EXPECT_EQ(moved.status, 200) << moved.head << moved.body;
  EXPECT_TRUE(WaitUntil([&] { return Fetch(p2, Get("/admin/status")).status == 200; }, 10s))
      << d.err();
  EXPECT_TRUE(WaitUntil([&] { return Fetch(p1, Get("/admin/status")).status == 0; }, 5s));

  size_t boots_before = 0;
  for (const auto& i : acs.informs()) boots_before += i.Has("1 BOOT") ? 1 : 0;
  EXPECT_EQ(Fetch(p2, Get("/admin/reboot")).status, 200);
  EXPECT_TRUE(acs.WaitFor(
      [&](const auto& v) {
        size_t boots = 0;
        for (const auto& i : v) boots += i.Has("1 BOOT") ? 1 : 0;
        return boots > boots_before;
      },
      15s))
      << d.err();
  EXPECT_EQ(Fetch(p2, Get("/admin/status")).status, 200);
  EXPECT_EQ(d.Stop(), 0) << d.err();
}

// `cpe-agent fleet --admin-base-port P`: phone i serves its own admin web server on P+i, and a
// resync requested on one phone changes that phone only.
TEST(DaemonServices, FleetPhonesEachServeTheirOwnAdminWebServer) {
  TempDir dir;
  TestAcs acs;
  cwmp_test::TestCa ca;
  auto nginx = StartNginx(dir.path(), &ca);
  ASSERT_TRUE(nginx);
  ASSERT_TRUE(nginx->PutFile("one.xml", Profile("<Station_Name>phone-one</Station_Name>")));
  const uint16_t base = FreeConsecutivePorts(3);
  ASSERT_NE(base, 0);
  WriteFile(dir.path() + "/first.xml", Profile("<Resync_On_Reset>No</Resync_On_Reset>"));
  Daemon fleet({"fleet", "--count", "3", "--acs", acs.Url(), "--state", dir.path() + "/fleet",
                "--cr-listen", "127.0.0.1", "--boot-spread", "0", "--profile",
                dir.path() + "/first.xml", "--admin-base-port", std::to_string(base),
                "--summary-interval", "1"},
               dir.path());
  for (uint16_t i = 0; i < 3; ++i) {
    uint16_t port = static_cast<uint16_t>(base + i);
    EXPECT_TRUE(WaitUntil([&] { return Fetch(port, Get("/admin/status")).status == 200; }, 10s))
        << "phone " << i << "\n" << fleet.err();
  }
  const uint16_t one = static_cast<uint16_t>(base + 1);
  HttpAnswer r = Fetch(one, Get("/admin/resync?" + nginx->HttpUrl("/files/one.xml")));
  ASSERT_EQ(r.status, 200) << r.head << r.body;
  auto has = [&](uint16_t port) {
    return Fetch(port, Get("/admin/config.xml")).body.find("phone-one") != std::string::npos;
  };
  EXPECT_TRUE(WaitUntil([&] { return has(one); }, 15s)) << fleet.err();
  EXPECT_FALSE(has(base));
  EXPECT_FALSE(has(static_cast<uint16_t>(base + 2)));
  EXPECT_TRUE(WaitUntil([&] { return fleet.out().find("resynced=1 ") != std::string::npos; }, 5s))
      << fleet.out();
  EXPECT_EQ(fleet.Stop(), 0) << fleet.err();
}

}  // namespace
}  // namespace agent_test
