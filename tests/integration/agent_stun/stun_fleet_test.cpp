// `cpe-agent fleet --udp-connection-requests`: every phone has its own UDP connection-request
// socket and STUN binding (one reactor, no thread per phone); a signed Annex G request to one
// phone's socket starts a session of that phone only. Too many phones for the descriptor limit:
// a clear error before any phone starts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <thread>

#include "agent/connection_request_udp.h"
#include "daemon.h"
#include "runtime_test_util.h"
#include "stun_responder.h"
#include "test_acs.h"

namespace agent_test {
namespace {

using namespace std::chrono_literals;

TEST(AgentStunFleet, EachPhoneBindsFromItsOwnUdpSocketAndTakesUdpConnectionRequests) {
  TempDir dir;
  TestAcs acs;
  StunResponder stun;  // answers with the true source address: no NAT
  WriteFile(dir.path() + "/p.xml",
            Profile("<Periodic_Inform_Enable>No</Periodic_Inform_Enable>"
                    "<Resync_On_Reset>No</Resync_On_Reset>"
                    "<Connection_Request_Username>cr</Connection_Request_Username>"
                    "<Connection_Request_Password>pw</Connection_Request_Password>"));
  Daemon fleet({"fleet",
                "--count",
                "5",
                "--acs",
                acs.Url(),
                "--state",
                dir.path() + "/phones",
                "--serial-prefix",
                "S",
                "--cr-listen",
                "127.0.0.1",
                "--boot-spread",
                "1",
                "--threads",
                "2",
                "--summary-interval",
                "1",
                "--udp-connection-requests",
                "--stun-server",
                "127.0.0.1:" + std::to_string(stun.port()),
                "--profile",
                dir.path() + "/p.xml"},
               dir.path());
  auto sources = [&] {
    std::set<uint16_t> ports;
    for (const auto& r : stun.requests()) ports.insert(r.source_port);
    return ports;
  };
  ASSERT_TRUE(stun.WaitFor([&](const auto&) { return sources().size() == 5; }, 30s))
      << fleet.err() << fleet.out();
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return v.size() >= 5; }, 30s)) << fleet.err();
  std::this_thread::sleep_for(500ms);  // the boot sessions end

  // One phone's socket, found through its binding: an Annex G request starts its session.
  uint16_t port = *sources().begin();
  uint64_t ts = static_cast<uint64_t>(time(nullptr));
  std::string sig = agent::HmacSha1Hex("pw", std::to_string(ts) + "f1" + "cr" + "cn");
  std::string message = "GET http://127.0.0.1?ts=" + std::to_string(ts) +
                        "&id=f1&un=cr&cn=cn&sig=" + sig + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  stun.SendTo("127.0.0.1", port, message);
  ASSERT_TRUE(acs.WaitFor(
      [](const auto& v) {
        for (const auto& i : v) {
          if (i.Has("6 CONNECTION REQUEST")) return true;
        }
        return false;
      },
      10s))
      << fleet.err();
  ASSERT_TRUE([&] {
    for (int i = 0; i < 50; ++i) {
      if (fleet.out().find("stun_mappings=5") != std::string::npos) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }()) << fleet.out();
  EXPECT_EQ(fleet.Stop(), 0);
  size_t cr_sessions = 0;
  for (const auto& i : acs.informs()) cr_sessions += i.Has("6 CONNECTION REQUEST") ? 1 : 0;
  EXPECT_EQ(cr_sessions, 1u);
  EXPECT_NE(fleet.out().find("connection_requests=1"), std::string::npos) << fleet.out();
}

TEST(AgentStunFleet, TooFewDescriptorsIsAClearErrorBeforeAnyPhoneStarts) {
  TempDir dir;
  std::string cmd = "ulimit -n 200 && ulimit -Hn 200 && exec '" + AgentBinary() +
                    "' fleet --count 150 --acs http://127.0.0.1:9/acs --state '" + dir.path() +
                    "/phones' --cr-listen 127.0.0.1 --udp-connection-requests >'" + dir.path() +
                    "/out' 2>'" + dir.path() + "/err'";
  int rc = std::system(("sh -c \"" + cmd + "\"").c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 1);
  std::string err = ReadAll(dir.path() + "/err");
  EXPECT_NE(err.find("file descriptors"), std::string::npos) << err;
  EXPECT_NE(err.find("--udp-connection-requests"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/phones/FLEET000000")) << "no phone started";

  // --help documents the option.
  Daemon help({"fleet", "--help"}, dir.path());
  EXPECT_EQ(help.Wait(), 0);
  EXPECT_NE(help.out().find("--udp-connection-requests"), std::string::npos);
}

}  // namespace
}  // namespace agent_test
