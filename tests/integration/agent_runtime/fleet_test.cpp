// `cpe-agent fleet` as a real process: 50 phones register with the scripted ACS, each with its
// own identity and connection-request endpoint; SIGTERM prints the totals and exits 0.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "daemon.h"
#include "runtime_test_util.h"
#include "test_acs.h"

namespace agent_test {
namespace {

using namespace std::chrono_literals;

TEST(AgentFleet, FiftyPhonesRegisterEachWithItsOwnIdentityAndEndpoint) {
  TempDir dir;
  TestAcs acs;
  WriteFile(dir.path() + "/p.xml",
            Profile("<Periodic_Inform_Enable>No</Periodic_Inform_Enable>"
                    "<Connection_Request_Username>cr</Connection_Request_Username>"
                    "<Connection_Request_Password>pw</Connection_Request_Password>"));
  Daemon fleet({"fleet",
                "--count",
                "50",
                "--acs",
                acs.Url(),
                "--state",
                dir.path() + "/phones",
                "--serial-prefix",
                "T",
                "--base-mac",
                "00:56:2B:00:00:F0",
                "--cr-listen",
                "127.0.0.1",
                "--boot-spread",
                "2",
                "--threads",
                "4",
                "--summary-interval",
                "1",
                "--profile",
                dir.path() + "/p.xml"},
               dir.path());
  auto registered = [](const std::vector<SeenInform>& v) {
    std::set<std::string> serials;
    for (const auto& i : v) {
      if (i.Has("0 BOOTSTRAP")) serials.insert(i.serial);
    }
    return serials.size();
  };
  ASSERT_TRUE(acs.WaitFor([&](const auto& v) { return registered(v) == 50; }, 60s))
      << fleet.err() << fleet.out();
  auto informs = acs.informs();
  std::set<std::string> serials, urls;
  for (auto& i : informs) {
    serials.insert(i.serial);
    urls.insert(i.parameters["Device.ManagementServer.ConnectionRequestURL"]);
  }
  EXPECT_EQ(serials.size(), 50u);
  EXPECT_TRUE(serials.count("T000000") && serials.count("T000049"));
  EXPECT_EQ(urls.size(), 50u) << "one connection-request endpoint per phone";

  // A connection request to one phone starts a session of that phone only.
  std::string url;
  for (auto& i : informs) {
    if (i.serial == "T000007") url = i.parameters["Device.ManagementServer.ConnectionRequestURL"];
  }
  EXPECT_EQ(DigestGet(url, "cr", "pw"), 200);
  ASSERT_TRUE(acs.WaitFor(
      [](const auto& v) {
        for (const auto& i : v) {
          if (i.Has("6 CONNECTION REQUEST")) return i.serial == "T000007";
        }
        return false;
      },
      10s));
  // Summary lines while running.
  ASSERT_TRUE([&] {
    for (int i = 0; i < 50; ++i) {
      if (fleet.out().find("registered=50") != std::string::npos) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }()) << fleet.out();
  EXPECT_EQ(fleet.Stop(), 0);
  std::string out = fleet.out();
  EXPECT_NE(out.find("fleet: stopped (SIGTERM)"), std::string::npos) << out;
  EXPECT_NE(out.find("connection_requests=1"), std::string::npos) << out;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/phones/T000049/parameters.state"));
}

}  // namespace
}  // namespace agent_test
