// `cpe-agent run` with STUN (TR-069 Annex G / TR-111 part 2): the binding runs from the phone's
// UDP connection-request socket, follows Device.ManagementServer.STUN* live, reports the mapped
// address as UDPConnectionRequestAddress (active notification → a "4 VALUE CHANGE" session),
// announces a changed mapping with BINDING-CHANGE, and shares the socket with Annex G requests.
#include <gtest/gtest.h>

#include <thread>

#include "agent/connection_request_udp.h"
#include "coturn_instance.h"
#include "daemon.h"
#include "runtime_test_util.h"
#include "stun_responder.h"
#include "test_acs.h"

namespace agent_test {
namespace {

using namespace std::chrono_literals;
namespace soap = cwmp::soap;

constexpr const char* kUdpAddress = "Device.ManagementServer.UDPConnectionRequestAddress";
constexpr const char* kNatDetected = "Device.ManagementServer.NATDetected";
constexpr const char* kCrUrl = "Device.ManagementServer.ConnectionRequestURL";

std::vector<std::string> RunArgs(const std::string& dir, const std::string& acs) {
  return {"run",         "--state",   dir + "/state", "--mac",        "00:56:2B:0A:0B:0D",
          "--serial",    "FCHSTUN1",  "--model",      "CP-6841-3PCC", "--cr-listen",
          "127.0.0.1:0", "--profile", dir + "/p.xml", "--acs",        acs};
}

std::string BaseProfile(const std::string& extra = "") {
  return Profile(
      "<Connection_Request_Username>cruser</Connection_Request_Username>"
      "<Connection_Request_Password>crpass</Connection_Request_Password>"
      "<Periodic_Inform_Enable>No</Periodic_Inform_Enable>"
      // No power-up resync: its failure report would be one more session.
      "<Resync_On_Reset>No</Resync_On_Reset>" +
      extra);
}

// A SetParameterValues body with several values.
std::string SpvMany(const std::vector<std::array<std::string, 3>>& values, const std::string& key) {
  std::string list;
  for (const auto& [name, type, value] : values) {
    list += "<ParameterValueStruct><Name>" + name + "</Name><Value xsi:type=\"" + type + "\">" +
            value + "</Value></ParameterValueStruct>";
  }
  return "<cwmp:SetParameterValues><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[" +
         std::to_string(values.size()) + "]\">" + list + "</ParameterList><ParameterKey>" + key +
         "</ParameterKey></cwmp:SetParameterValues>";
}

std::string ActiveNotifyBody(const std::string& name) {
  return "<cwmp:SetParameterAttributes><ParameterList "
         "soap-enc:arrayType=\"cwmp:SetParameterAttributesStruct[1]\"><"
         "SetParameterAttributesStruct>"
         "<Name>" +
         name +
         "</Name><NotificationChange>true</NotificationChange><Notification>2</Notification>"
         "<AccessListChange>false</AccessListChange><AccessList "
         "soap-enc:arrayType=\"xsd:string[0]\"/></SetParameterAttributesStruct></ParameterList>"
         "</cwmp:SetParameterAttributes>";
}

std::string GpvValue(const std::vector<soap::Body>& responses, const std::string& name) {
  std::string found;
  for (const auto& b : responses) {
    if (const auto* r = std::get_if<soap::GetParameterValuesResponse>(&b)) {
      for (const auto& p : r->parameters) {
        if (p.name == name) found = p.value;  // the latest answer
      }
    }
  }
  return found;
}

std::string AnnexGMessage(uint64_t ts, const std::string& id) {
  std::string sig = agent::HmacSha1Hex("crpass", std::to_string(ts) + id + "cruser" + "cn1");
  return "GET http://127.0.0.1?ts=" + std::to_string(ts) + "&id=" + id +
         "&un=cruser&cn=cn1&sig=" + sig + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

size_t CountWith(const std::vector<SeenInform>& informs, const std::string& code) {
  size_t n = 0;
  for (const auto& i : informs) n += i.Has(code) ? 1 : 0;
  return n;
}

uint16_t PortOf(const std::string& host_port) {
  return static_cast<uint16_t>(std::stoi(host_port.substr(host_port.rfind(':') + 1)));
}

TEST(AgentStun, BindingFollowsTheSettingsLiveAndSharesTheUdpSocket) {
  TempDir dir;
  TestAcs acs;
  StunResponder stun;
  stun.SetMapped(agent::StunAddress{"203.0.113.7", 40001});
  WriteFile(dir.path() + "/p.xml", BaseProfile());
  // Boot session: active notification on UDPConnectionRequestAddress, and its local value.
  acs.QueueRpc(ActiveNotifyBody(kUdpAddress));
  acs.QueueRpc(GpvBody(kUdpAddress));
  Daemon d(RunArgs(dir.path(), acs.Url()), dir.path());
  ASSERT_TRUE(acs.WaitForResponses(2, 10s)) << d.err();
  const std::string local = GpvValue(acs.responses(), kUdpAddress);
  ASSERT_EQ(local.rfind("127.0.0.1:", 0), 0u) << local;
  const uint16_t udp_port = PortOf(local);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(stun.count(), 0u) << "STUNEnable is false by default";

  // Session 2 (an HTTP connection request) reports the local address, then turns STUN on:
  // a 1 s maximum keep-alive period.
  acs.QueueRpc(
      SpvMany({{"Device.ManagementServer.STUNEnable", "xsd:boolean", "true"},
               {"Device.ManagementServer.STUNServerAddress", "xsd:string", "127.0.0.1"},
               {"Device.ManagementServer.STUNServerPort", "xsd:unsignedInt",
                std::to_string(stun.port())},
               {"Device.ManagementServer.STUNMaximumKeepAlivePeriod", "xsd:int", "1"},
               {"Device.ManagementServer.STUNMinimumKeepAlivePeriod", "xsd:unsignedInt", "0"}},
              "stun-on"),
      2);
  std::string cr_url = acs.informs()[0].parameters[kCrUrl];
  ASSERT_EQ(DigestGet(cr_url, "cruser", "crpass"), 200);
  ASSERT_TRUE(acs.WaitForResponses(3, 10s)) << d.err();

  // The first Binding Request: from the connection-request socket, with the TR-111 attributes.
  ASSERT_TRUE(stun.WaitFor([](const auto& r) { return !r.empty(); }, 10s)) << d.err();
  SeenStunRequest first = stun.requests()[0];
  EXPECT_EQ(first.source_port, udp_port) << "the binding must be the one of the CR socket";
  EXPECT_EQ(first.message.connection_request_binding, std::string("dslforum.org/TR-111 "));
  EXPECT_TRUE(first.message.binding_change);
  EXPECT_FALSE(first.message.username.has_value());
  EXPECT_FALSE(first.message.message_integrity);

  // The mapping is a value change of an actively notified parameter: a session reports it.
  auto reported = [](const std::string& value) {
    return [value](const std::vector<SeenInform>& v) {
      for (const auto& i : v) {
        auto it = i.parameters.find(kUdpAddress);
        if (i.Has("4 VALUE CHANGE") && it != i.parameters.end() && it->second == value) {
          return true;
        }
      }
      return false;
    };
  };
  ASSERT_TRUE(acs.WaitFor(reported("203.0.113.7:40001"), 10s)) << d.err();

  // Keep-alive: new transactions about every second, without BINDING-CHANGE.
  ASSERT_TRUE(stun.WaitFor([](const auto& r) { return r.size() >= 4; }, 10s));
  auto seen = stun.requests();
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_NE(seen[i].message.transaction_id, seen[i - 1].message.transaction_id);
    EXPECT_FALSE(seen[i].message.binding_change) << i;
    EXPECT_EQ(seen[i].source_port, udp_port);
    auto gap = seen[i].at - seen[i - 1].at;
    EXPECT_GE(gap, 700ms) << i;
    EXPECT_LE(gap, 2500ms) << i;
  }

  // The NAT mapping changes: the next answer differs, the phone announces it at once with
  // BINDING-CHANGE and notifies the ACS.
  size_t before_change = stun.count();
  stun.SetMapped(agent::StunAddress{"203.0.113.7", 40002});
  ASSERT_TRUE(stun.WaitFor(
      [&](const auto& r) {
        for (size_t i = before_change; i < r.size(); ++i) {
          if (r[i].message.binding_change) return true;
        }
        return false;
      },
      10s));
  ASSERT_TRUE(acs.WaitFor(reported("203.0.113.7:40002"), 10s)) << d.err();

  // An Annex G connection request on the same socket (from the STUN server's side of the NAT):
  // exactly one session; its replay is ignored. That session turns STUN off.
  std::this_thread::sleep_for(500ms);
  size_t informs_before = acs.informs().size();
  acs.QueueRpc(SpvMany({{"Device.ManagementServer.STUNEnable", "xsd:boolean", "false"}}, "off"),
               informs_before + 1);
  uint64_t ts = static_cast<uint64_t>(time(nullptr));
  stun.SendTo("127.0.0.1", udp_port, AnnexGMessage(ts, "u1"));
  ASSERT_TRUE(
      acs.WaitFor([](const auto& v) { return CountWith(v, "6 CONNECTION REQUEST") == 2; }, 10s))
      << d.err();  // the first one was the HTTP request
  stun.SendTo("127.0.0.1", udp_port, AnnexGMessage(ts, "u1"));  // replay: ignored

  // STUN off: the address is the local one again (notified), and no Binding Request follows.
  ASSERT_TRUE(acs.WaitFor(reported(local), 10s)) << d.err();
  std::this_thread::sleep_for(300ms);
  size_t after_off = stun.count();
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(stun.count(), after_off) << "STUNEnable=false must stop the keep-alive";
  EXPECT_EQ(CountWith(acs.informs(), "6 CONNECTION REQUEST"), 2u);
  EXPECT_EQ(d.Stop(), 0);
  EXPECT_EQ(d.err().find("crpass"), std::string::npos);
}

TEST(AgentStun, MessageIntegrityAfter401AndRetransmissionOnLoss) {
  TempDir dir;
  TestAcs acs;
  StunResponder stun;
  stun.SetMapped(agent::StunAddress{"198.51.100.20", 50000});
  stun.RequireIntegrity("stun-secret");
  stun.DropNext(1);  // the first request is lost
  WriteFile(dir.path() + "/p.xml", BaseProfile());
  // The boot session configures STUN with credentials (the flat profile has no such elements).
  acs.QueueRpc(SpvMany(
      {{"Device.ManagementServer.STUNEnable", "xsd:boolean", "1"},
       {"Device.ManagementServer.STUNServerAddress", "xsd:string", "127.0.0.1"},
       {"Device.ManagementServer.STUNServerPort", "xsd:unsignedInt", std::to_string(stun.port())},
       {"Device.ManagementServer.STUNUsername", "xsd:string", "phone-7"},
       {"Device.ManagementServer.STUNPassword", "xsd:string", "stun-secret"}},
      "stun"));
  Daemon d(RunArgs(dir.path(), acs.Url()), dir.path());
  ASSERT_TRUE(
      stun.WaitFor([](const auto& r) { return !r.empty() && r.back().integrity_valid; }, 10s))
      << d.err();
  auto seen = stun.requests();
  ASSERT_GE(seen.size(), 3u);
  // Lost → the same transaction again; 401 → a new one with USERNAME and MESSAGE-INTEGRITY.
  EXPECT_EQ(seen[0].message.transaction_id, seen[1].message.transaction_id);
  EXPECT_FALSE(seen[0].message.message_integrity);
  EXPECT_FALSE(seen[1].message.message_integrity);
  const SeenStunRequest& signed_request = seen.back();
  EXPECT_NE(signed_request.message.transaction_id, seen[1].message.transaction_id);
  EXPECT_EQ(signed_request.message.username, std::string("phone-7"));
  EXPECT_TRUE(signed_request.message.binding_change);
  EXPECT_EQ(signed_request.message.connection_request_binding, std::string("dslforum.org/TR-111 "));

  // The ACS reads the public address and NATDetected (the mapping is not the local address).
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return !v.empty(); }, 10s)) << d.err();
  std::this_thread::sleep_for(300ms);
  acs.QueueRpc(GpvBody(kUdpAddress), 2);
  acs.QueueRpc(GpvBody(kNatDetected), 2);
  acs.QueueRpc(GpvBody("Device.ManagementServer.STUNPassword"), 2);
  ASSERT_EQ(DigestGet(acs.informs()[0].parameters[kCrUrl], "cruser", "crpass"), 200);
  ASSERT_TRUE(acs.WaitForResponses(4, 10s)) << d.err();
  auto responses = acs.responses();
  EXPECT_EQ(GpvValue(responses, kUdpAddress), "198.51.100.20:50000");
  EXPECT_EQ(GpvValue(responses, kNatDetected), "true");
  EXPECT_EQ(GpvValue(responses, "Device.ManagementServer.STUNPassword"), "");
  EXPECT_EQ(d.Stop(), 0);
  EXPECT_EQ(d.err().find("stun-secret"), std::string::npos);
}

// Interoperability with a real STUN server (coturn): no NAT on loopback, so the mapping is the
// CR socket's own address and NATDetected stays false.
TEST(AgentStun, RealStunServerCoturnReportsTheCrSocketItself) {
  TempDir dir;
  CoturnInstance coturn(dir.path());
  ASSERT_TRUE(coturn.Ready()) << "coturn (" << kTurnserver
                              << ", Debian package coturn) did not answer; log: "
                              << ReadAll(coturn.log());
  TestAcs acs;
  WriteFile(dir.path() + "/p.xml", BaseProfile());
  acs.QueueRpc(GpvBody(kUdpAddress));
  acs.QueueRpc(SpvMany({{"Device.ManagementServer.STUNEnable", "xsd:boolean", "true"},
                        {"Device.ManagementServer.STUNServerAddress", "xsd:string", "127.0.0.1"},
                        {"Device.ManagementServer.STUNServerPort", "xsd:unsignedInt",
                         std::to_string(coturn.port())}},
                       "coturn"));
  Daemon d(RunArgs(dir.path(), acs.Url()), dir.path());
  ASSERT_TRUE(acs.WaitForResponses(2, 10s)) << d.err();
  const std::string local = GpvValue(acs.responses(), kUdpAddress);
  auto learnt = [&] {
    for (int i = 0; i < 500; ++i) {
      if (d.err().find("stun: mapped address") != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  };
  ASSERT_TRUE(learnt()) << d.err();
  EXPECT_NE(d.err().find("address=" + local + " nat_detected=false"), std::string::npos) << d.err();
  acs.QueueRpc(GpvBody(kNatDetected), 2);
  ASSERT_EQ(DigestGet(acs.informs()[0].parameters[kCrUrl], "cruser", "crpass"), 200);
  ASSERT_TRUE(acs.WaitForResponses(3, 10s)) << d.err();
  EXPECT_EQ(GpvValue(acs.responses(), kNatDetected), "false");
  EXPECT_EQ(d.Stop(), 0);
}

// UDPConnectionRequestAddressNotificationLimit: active notifications of the address at most once
// per limit; a change within it is notified when the limit expires.
TEST(AgentStun, AddressNotificationsRespectTheNotificationLimit) {
  TempDir dir;
  TestAcs acs;
  StunResponder stun;
  stun.SetMapped(agent::StunAddress{"203.0.113.8", 30001});
  WriteFile(dir.path() + "/p.xml", BaseProfile());
  acs.QueueRpc(ActiveNotifyBody(kUdpAddress));
  acs.QueueRpc(SpvMany({{"Device.ManagementServer.UDPConnectionRequestAddressNotificationLimit",
                         "xsd:unsignedInt", "4"}},
                       "limit"));
  Daemon d(RunArgs(dir.path(), acs.Url()), dir.path());
  ASSERT_TRUE(acs.WaitForResponses(2, 10s)) << d.err();
  std::this_thread::sleep_for(300ms);
  // Session 2 reports the local address (the baseline) and turns STUN on.
  acs.QueueRpc(SpvMany({{"Device.ManagementServer.STUNEnable", "xsd:boolean", "true"},
                        {"Device.ManagementServer.STUNServerAddress", "xsd:string", "127.0.0.1"},
                        {"Device.ManagementServer.STUNServerPort", "xsd:unsignedInt",
                         std::to_string(stun.port())},
                        {"Device.ManagementServer.STUNMaximumKeepAlivePeriod", "xsd:int", "1"},
                        {"Device.ManagementServer.STUNMinimumKeepAlivePeriod", "xsd:unsignedInt",
                         "0"}},
                       "stun-on"),
               2);
  ASSERT_EQ(DigestGet(acs.informs()[0].parameters[kCrUrl], "cruser", "crpass"), 200);
  auto informed_at =
      [&](const std::string& value) -> std::optional<std::chrono::steady_clock::time_point> {
    for (const auto& i : acs.informs()) {
      auto it = i.parameters.find(kUdpAddress);
      if (i.Has("4 VALUE CHANGE") && it != i.parameters.end() && it->second == value) return i.at;
    }
    return std::nullopt;
  };
  // The first change is notified at once.
  ASSERT_TRUE(
      acs.WaitFor([&](const auto&) { return informed_at("203.0.113.8:30001").has_value(); }, 10s))
      << d.err();
  auto first = *informed_at("203.0.113.8:30001");
  // The next change (seen by the next keep-alive, ~1 s later) waits for the 4 s limit.
  stun.SetMapped(agent::StunAddress{"203.0.113.8", 30002});
  ASSERT_TRUE(
      acs.WaitFor([&](const auto&) { return informed_at("203.0.113.8:30002").has_value(); }, 15s))
      << d.err();
  auto second = *informed_at("203.0.113.8:30002");
  EXPECT_GE(second - first, 3500ms);
  EXPECT_LE(second - first, 7000ms);
  EXPECT_EQ(d.Stop(), 0);
}

}  // namespace
}  // namespace agent_test
