// `cpe-agent run` as a real process against the scripted ACS over real HTTP.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "agent/connection_request_udp.h"

#include "cwmp/dhcp/state.h"
#include "daemon.h"
#include "runtime_test_util.h"
#include "test_acs.h"

namespace agent_test {
namespace {

using namespace std::chrono_literals;
namespace soap = cwmp::soap;

constexpr const char* kCrUrl = "Device.ManagementServer.ConnectionRequestURL";

std::vector<std::string> RunArgs(const std::string& state, const std::string& acs) {
  return {"run",     "--state",      state,   "--mac", "00:56:2B:0A:0B:0C", "--serial",   "FCH0001",
          "--model", "CP-6841-3PCC", "--acs", acs,     "--cr-listen",       "127.0.0.1:0"};
}

size_t CountWith(const std::vector<SeenInform>& informs, const std::string& code) {
  size_t n = 0;
  for (const auto& i : informs) n += i.Has(code) ? 1 : 0;
  return n;
}

// The value a GetParameterValuesResponse reported for `name` ("" when absent).
std::string GpvValue(const std::vector<soap::Body>& responses, const std::string& name) {
  for (const auto& b : responses) {
    if (const auto* r = std::get_if<soap::GetParameterValuesResponse>(&b)) {
      for (const auto& p : r->parameters) {
        if (p.name == name) return p.value;
      }
    }
  }
  return "";
}

TEST(AgentRun, BootSendsBootstrapAndBootThenSigtermExitsZero) {
  TempDir dir;
  TestAcs acs;
  Daemon d(RunArgs(dir.path() + "/state", acs.Url()), dir.path());
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return !v.empty(); }, 10s)) << d.err();
  SeenInform first = acs.informs()[0];
  EXPECT_EQ(first.serial, "FCH0001");
  EXPECT_TRUE(first.Has("0 BOOTSTRAP"));
  EXPECT_TRUE(first.Has("1 BOOT"));
  const std::string cr = first.parameters[kCrUrl];
  EXPECT_EQ(cr.rfind("http://127.0.0.1:", 0), 0u) << cr;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(d.Stop(), 0);
  std::string log = d.err();
  EXPECT_NE(log.find("session"), std::string::npos) << log;
  EXPECT_NE(log.find("outcome=ok"), std::string::npos) << log;
  EXPECT_NE(log.find("stopping signal=SIGTERM"), std::string::npos) << log;
}

TEST(AgentRun, PasswordsNeverReachTheLog) {
  TempDir dir;
  TestAcs acs;
  WriteFile(dir.path() + "/pw", "s3cret-acs-pw\n");
  auto args = RunArgs(dir.path() + "/state", acs.Url());
  args.insert(args.end(), {"--acs-username", "acsuser", "--acs-password-file", dir.path() + "/pw"});
  Daemon d(args, dir.path());
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return !v.empty(); }, 10s)) << d.err();
  EXPECT_EQ(d.Stop(), 0);
  EXPECT_EQ(d.err().find("s3cret-acs-pw"), std::string::npos);
}

TEST(AgentRun, SpvOfPeriodicInformIntervalReconfiguresThePeriodicInform) {
  TempDir dir;
  TestAcs acs;
  // The default interval is 20 s: periodic Informs within a few seconds come from the SPV.
  acs.QueueRpc(SpvBody("Device.ManagementServer.PeriodicInformInterval", "xsd:unsignedInt", "2"));
  Daemon d(RunArgs(dir.path() + "/state", acs.Url()), dir.path());
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return CountWith(v, "2 PERIODIC") >= 2; }, 10s))
      << d.err();
  auto informs = acs.informs();
  std::vector<std::chrono::steady_clock::time_point> periodic;
  for (const auto& i : informs) {
    if (i.Has("2 PERIODIC")) periodic.push_back(i.at);
  }
  auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(periodic[1] - periodic[0]);
  EXPECT_GE(gap.count(), 1500);
  EXPECT_LE(gap.count(), 3500);
  ASSERT_FALSE(acs.responses().empty());
  EXPECT_TRUE(std::holds_alternative<soap::SetParameterValuesResponse>(acs.responses()[0]));
  EXPECT_EQ(d.Stop(), 0);
}

TEST(AgentRun, ConnectionRequestWithDigestStartsExactlyOneSession) {
  TempDir dir;
  TestAcs acs;
  WriteFile(dir.path() + "/p.xml",
            Profile("<Connection_Request_Username>cruser</Connection_Request_Username>"
                    "<Connection_Request_Password>crpass</Connection_Request_Password>"
                    "<Periodic_Inform_Enable>No</Periodic_Inform_Enable>"
                    // No power-up resync: its failure report (10 AUTONOMOUS TRANSFER
                    // COMPLETE) would be one more session.
                    "<Resync_On_Reset>No</Resync_On_Reset>"));
  auto args = RunArgs(dir.path() + "/state", acs.Url());
  args.insert(args.end(), {"--profile", dir.path() + "/p.xml"});
  Daemon d(args, dir.path());
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return !v.empty(); }, 10s)) << d.err();
  std::string url = acs.informs()[0].parameters[kCrUrl];
  ASSERT_FALSE(url.empty());
  std::this_thread::sleep_for(300ms);  // the boot session is over
  EXPECT_EQ(DigestGet(url, "cruser", "wrong"), 401);
  EXPECT_EQ(DigestGet(url + "x", "cruser", "crpass"), 404);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(acs.informs().size(), 1u) << "a refused request started a session";
  EXPECT_EQ(DigestGet(url, "cruser", "crpass"), 200);
  ASSERT_TRUE(
      acs.WaitFor([](const auto& v) { return CountWith(v, "6 CONNECTION REQUEST") == 1; }, 10s))
      << d.err();
  std::this_thread::sleep_for(1500ms);
  auto informs = acs.informs();
  EXPECT_EQ(informs.size(), 2u);
  EXPECT_EQ(CountWith(informs, "6 CONNECTION REQUEST"), 1u);
  EXPECT_EQ(d.Stop(), 0);
  EXPECT_NE(d.err().find("connection request"), std::string::npos);
}

void SendUdp(const std::string& address, const std::string& datagram) {
  std::string host = address.substr(0, address.rfind(':'));
  int port = std::stoi(address.substr(address.rfind(':') + 1));
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &a.sin_addr);
  sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  close(fd);
}

std::string AnnexGMessage(uint64_t ts, const std::string& id, const std::string& pass) {
  std::string sig = agent::HmacSha1Hex(pass, std::to_string(ts) + id + "cruser" + "cn1");
  return "GET http://127.0.0.1?ts=" + std::to_string(ts) + "&id=" + id +
         "&un=cruser&cn=cn1&sig=" + sig + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

TEST(AgentRun, UdpConnectionRequestStartsASessionAndIsReported) {
  TempDir dir;
  TestAcs acs;
  WriteFile(dir.path() + "/p.xml",
            Profile("<Connection_Request_Username>cruser</Connection_Request_Username>"
                    "<Connection_Request_Password>crpass</Connection_Request_Password>"
                    "<Periodic_Inform_Enable>No</Periodic_Inform_Enable>"
                    // No power-up resync: its failure report would be one more session.
                    "<Resync_On_Reset>No</Resync_On_Reset>"));
  acs.QueueRpc(GpvBody("Device.ManagementServer.UDPConnectionRequestAddress"));
  auto args = RunArgs(dir.path() + "/state", acs.Url());
  args.insert(args.end(), {"--profile", dir.path() + "/p.xml"});
  Daemon d(args, dir.path());
  ASSERT_TRUE(acs.WaitForResponses(1, 10s)) << d.err();
  std::string udp =
      GpvValue(acs.responses(), "Device.ManagementServer.UDPConnectionRequestAddress");
  ASSERT_EQ(udp.rfind("127.0.0.1:", 0), 0u) << udp;
  std::this_thread::sleep_for(300ms);
  uint64_t ts = static_cast<uint64_t>(time(nullptr));
  SendUdp(udp, AnnexGMessage(ts, "1", "wrong"));  // bad signature: ignored
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(acs.informs().size(), 1u);
  SendUdp(udp, AnnexGMessage(ts, "2", "crpass"));
  ASSERT_TRUE(
      acs.WaitFor([](const auto& v) { return CountWith(v, "6 CONNECTION REQUEST") == 1; }, 10s))
      << d.err();
  SendUdp(udp, AnnexGMessage(ts, "2", "crpass"));  // a replayed id: ignored
  std::this_thread::sleep_for(800ms);
  EXPECT_EQ(acs.informs().size(), 2u);
  EXPECT_EQ(d.Stop(), 0);
}

TEST(AgentRun, RebootRpcRestartsInProcessWithMRebootAndBoot) {
  TempDir dir;
  TestAcs acs;
  acs.QueueRpc("<cwmp:Reboot><CommandKey>rb-1</CommandKey></cwmp:Reboot>");
  Daemon d(RunArgs(dir.path() + "/state", acs.Url()), dir.path());
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return CountWith(v, "M Reboot") >= 1; }, 10s))
      << d.err();
  auto informs = acs.informs();
  const SeenInform* after = nullptr;
  for (const auto& i : informs) {
    if (i.Has("M Reboot")) after = &i;
  }
  ASSERT_NE(after, nullptr);
  EXPECT_TRUE(after->Has("1 BOOT"));
  EXPECT_EQ(after->CommandKeyOf("M Reboot"), "rb-1");
  EXPECT_FALSE(after->Has("0 BOOTSTRAP"));  // delivered before the reboot
  EXPECT_TRUE(d.Running()) << "the reboot is in-process";
  ASSERT_FALSE(acs.responses().empty());
  EXPECT_TRUE(std::holds_alternative<soap::RebootResponse>(acs.responses()[0]));
  EXPECT_EQ(d.Stop(), 0);
  EXPECT_NE(d.err().find(" reboot"), std::string::npos) << d.err();
}

TEST(AgentRun, FactoryResetRestartsWithBootstrapToTheCommandLineAcs) {
  TempDir dir;
  TestAcs acs;
  acs.QueueRpc(SpvBody("Device.ManagementServer.PeriodicInformInterval", "xsd:unsignedInt", "999"));
  acs.QueueRpc("<cwmp:FactoryReset/>");
  acs.QueueRpc(GpvBody("Device.ManagementServer.PeriodicInformInterval"), 2);
  Daemon d(RunArgs(dir.path() + "/state", acs.Url()), dir.path());
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return CountWith(v, "0 BOOTSTRAP") >= 2; }, 10s))
      << d.err();
  EXPECT_TRUE(acs.informs()[1].Has("1 BOOT"));
  ASSERT_TRUE(acs.WaitForResponses(3, 10s));
  // Catalog default again after the reset.
  EXPECT_EQ(GpvValue(acs.responses(), "Device.ManagementServer.PeriodicInformInterval"), "20");
  EXPECT_EQ(d.Stop(), 0);
}

TEST(AgentRun, NewAcsUrlInDhcpJsonBootstrapsToItAndAcknowledges) {
  TempDir dir;
  TestAcs first, second;
  const std::string state = dir.path() + "/state";
  Daemon d(RunArgs(state, first.Url()), dir.path());
  ASSERT_TRUE(first.WaitFor([](const auto& v) { return !v.empty(); }, 10s)) << d.err();
  cwmp::dhcp::DhcpState dhcp;
  dhcp.updated = "2026-11-26T12:00:00Z";
  dhcp.acs_url = second.Url();
  dhcp.acs_url_generation = 1;
  dhcp.bootstrap_due = true;
  WriteFile(state + "/dhcp.json.tmp", cwmp::dhcp::SerializeState(dhcp));
  std::filesystem::rename(state + "/dhcp.json.tmp", state + "/dhcp.json");
  ASSERT_TRUE(second.WaitFor([](const auto& v) { return !v.empty(); }, 10s)) << d.err();
  EXPECT_TRUE(second.informs()[0].Has("0 BOOTSTRAP"));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(ReadAll(state + "/dhcp-bootstrap.ack"), "1\n");
  // Acknowledged: a restart (the command line still names the first ACS) does not go back to
  // bootstrapping the DHCP URL again.
  EXPECT_EQ(d.Stop(), 0);
  size_t before = second.informs().size();
  // (The first ACS may have had more than one session already: the power-up resync's failure
  // report; so wait for one more than it has now.)
  size_t first_before = first.informs().size();
  Daemon again(RunArgs(state, first.Url()), dir.path());
  ASSERT_TRUE(first.WaitFor([&](const auto& v) { return v.size() > first_before; }, 10s))
      << again.err();
  EXPECT_EQ(again.Stop(), 0);
  EXPECT_EQ(second.informs().size(), before);
}

TEST(AgentRun, ProfileAppliesOnlyAtFirstStart) {
  TempDir dir;
  const std::string state = dir.path() + "/state";
  WriteFile(dir.path() + "/a.xml",
            Profile("<Periodic_Inform_Interval>777</Periodic_Inform_Interval>"));
  WriteFile(dir.path() + "/b.xml",
            Profile("<Periodic_Inform_Interval>888</Periodic_Inform_Interval>"));
  const std::string name = "Device.ManagementServer.PeriodicInformInterval";
  {
    TestAcs acs;
    acs.QueueRpc(GpvBody(name));
    auto args = RunArgs(state, acs.Url());
    args.insert(args.end(), {"--profile", dir.path() + "/a.xml"});
    Daemon d(args, dir.path());
    ASSERT_TRUE(acs.WaitForResponses(1, 10s)) << d.err();
    EXPECT_EQ(GpvValue(acs.responses(), name), "777");
    EXPECT_EQ(d.Stop(), 0);
  }
  {
    TestAcs acs;
    acs.QueueRpc(GpvBody(name));
    auto args = RunArgs(state, acs.Url());
    args.insert(args.end(), {"--profile", dir.path() + "/b.xml"});
    Daemon d(args, dir.path());
    ASSERT_TRUE(acs.WaitForResponses(1, 10s)) << d.err();
    EXPECT_EQ(GpvValue(acs.responses(), name), "777");
    EXPECT_EQ(d.Stop(), 0);
  }
}

TEST(AgentRun, BadUsageExitsTwoAndHelpDocumentsEveryFlag) {
  TempDir dir;
  Daemon bad({"run", "--state", dir.path()}, dir.path());
  EXPECT_EQ(bad.Wait(), 2);
  EXPECT_NE(bad.err().find("--mac is required"), std::string::npos);
  Daemon help({"run", "--help"}, dir.path());
  EXPECT_EQ(help.Wait(), 0);
  for (const char* flag :
       {"--state", "--mac", "--serial", "--model", "--swver", "--hwver", "--acs ", "--acs-username",
        "--acs-password-file", "--profile", "--cr-listen", "--cr-host", "--admin-listen",
        "--ca-file", "--log-format", "CPE_AGENT_ACS_PASSWORD"}) {
    EXPECT_NE(help.out().find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace agent_test
