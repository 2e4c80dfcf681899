// A real `cpe-agent run` against the scripted ACS: once its session is over, libcurl and the
// libraries only libcurl needs are no longer mapped into the idle phone, and the phone still
// wakes for a Digest connection request, loads libcurl again for that session and drops it
// again afterwards (docs/agent-memory.md).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "daemon.h"
#include "runtime_test_util.h"
#include "test_acs.h"

namespace agent_test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCrUrl = "Device.ManagementServer.ConnectionRequestURL";

std::string Maps(pid_t pid) { return ReadAll("/proc/" + std::to_string(pid) + "/maps"); }

bool CurlMapped(pid_t pid) {
  std::string maps = Maps(pid);
  for (const char* lib : {"libcurl.so", "libgnutls.so", "libldap", "libkrb5.so", "librtmp"}) {
    if (maps.find(lib) != std::string::npos) return true;
  }
  return false;
}

// Polls until libcurl is gone from `pid` (the session ends shortly after the ACS's last answer).
bool WaitCurlUnmapped(pid_t pid, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (!CurlMapped(pid)) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

size_t CountWith(const std::vector<SeenInform>& informs, const std::string& code) {
  size_t n = 0;
  for (const auto& i : informs) n += i.Has(code) ? 1 : 0;
  return n;
}

TEST(IdleRunAgent, UnmapsLibcurlAfterItsSessionAndStillWakesForAConnectionRequest) {
  TempDir dir;
  TestAcs acs;
  WriteFile(dir.path() + "/p.xml",
            Profile("<Connection_Request_Username>cruser</Connection_Request_Username>"
                    "<Connection_Request_Password>crpass</Connection_Request_Password>"
                    "<Periodic_Inform_Enable>No</Periodic_Inform_Enable>"
                    "<Resync_On_Reset>No</Resync_On_Reset>"));
  Daemon d({"run", "--state", dir.path() + "/state", "--mac", "00:56:2B:0A:0B:0D", "--serial",
            "FCHIDLE1", "--model", "CP-6841-3PCC", "--acs", acs.Url(), "--cr-listen",
            "127.0.0.1:0", "--profile", dir.path() + "/p.xml"},
           dir.path());
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return !v.empty(); }, 10s)) << d.err();
  ASSERT_TRUE(WaitCurlUnmapped(d.pid(), 10s)) << Maps(d.pid());
  std::this_thread::sleep_for(1s);
  EXPECT_FALSE(CurlMapped(d.pid())) << "loaded again while idle";

  std::string url = acs.informs()[0].parameters[kCrUrl];
  ASSERT_FALSE(url.empty());
  EXPECT_EQ(DigestGet(url, "cruser", "crpass"), 200);
  ASSERT_TRUE(
      acs.WaitFor([](const auto& v) { return CountWith(v, "6 CONNECTION REQUEST") == 1; }, 10s))
      << d.err();
  EXPECT_TRUE(WaitCurlUnmapped(d.pid(), 10s)) << Maps(d.pid());
  EXPECT_EQ(acs.informs().size(), 2u);
  EXPECT_EQ(d.Stop(), 0);
  EXPECT_NE(d.err().find("outcome=ok"), std::string::npos) << d.err();
}

}  // namespace
}  // namespace agent_test
