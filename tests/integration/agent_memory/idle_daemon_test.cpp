// A real `cpe-agent run` against the scripted ACS: its sessions run in network worker processes
// (agent/network_worker.h), so libcurl, TLS and the libraries only libcurl needs are never
// mapped into the phone, not even while a session runs; each worker is gone (reaped) when its
// session is over; and the idle phone still wakes for a Digest connection request
// (docs/agent-memory.md).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
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

// libcurl, the TLS libraries and what only libcurl needs.
bool NetworkLibrariesMapped(pid_t pid) {
  std::string maps = Maps(pid);
  for (const char* lib : {"libcurl.so", "libssl.so", "libgnutls.so", "libldap", "libkrb5.so",
                          "librtmp", "libp11-kit"}) {
    if (maps.find(lib) != std::string::npos) return true;
  }
  return false;
}

// The daemon's children (network workers while a session or transfer runs), from every thread
// (each thread's task lists the children it started).
size_t ChildrenOf(pid_t pid) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    for (char c : ReadAll(task.path().string() + "/children")) n += c == ' ' ? 1 : 0;
  }
  return n;
}

// Watches `pid` every few milliseconds from another thread, recording whether the network
// libraries were ever mapped.
class MapsWatcher {
 public:
  explicit MapsWatcher(pid_t pid)
      : thread_([this, pid] {
          while (!stop_) {
            if (NetworkLibrariesMapped(pid)) seen_ = true;
            std::this_thread::sleep_for(2ms);
          }
        }) {}
  ~MapsWatcher() {
    stop_ = true;
    thread_.join();
  }
  bool seen() const { return seen_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> seen_{false};
  std::thread thread_;
};

// Waits until `pid` runs the cpe-agent program.
bool WaitExec(pid_t pid, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
    if (!ec && exe.filename() == "cpe-agent") return true;
    std::this_thread::sleep_for(1ms);
  }
  return false;
}

// Polls until the daemon has no child left (its session's worker is reaped).
bool WaitNoChildren(pid_t pid, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (ChildrenOf(pid) == 0) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

size_t CountWith(const std::vector<SeenInform>& informs, const std::string& code) {
  size_t n = 0;
  for (const auto& i : informs) n += i.Has(code) ? 1 : 0;
  return n;
}

TEST(IdleRunAgent, RunsItsSessionsInWorkersWithoutEverMappingLibcurlOrTls) {
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
  // Watch from the moment the child runs cpe-agent (before its exec it is this test program).
  ASSERT_TRUE(WaitExec(d.pid(), 5s));
  MapsWatcher watcher(d.pid());
  ASSERT_TRUE(acs.WaitFor([](const auto& v) { return !v.empty(); }, 10s)) << d.err();
  ASSERT_TRUE(WaitNoChildren(d.pid(), 10s)) << "the session's worker was not reaped";
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(ChildrenOf(d.pid()), 0u) << "a worker started while idle";

  std::string url = acs.informs()[0].parameters[kCrUrl];
  ASSERT_FALSE(url.empty());
  EXPECT_EQ(DigestGet(url, "cruser", "crpass"), 200);
  ASSERT_TRUE(
      acs.WaitFor([](const auto& v) { return CountWith(v, "6 CONNECTION REQUEST") == 1; }, 10s))
      << d.err();
  EXPECT_TRUE(WaitNoChildren(d.pid(), 10s));
  EXPECT_EQ(acs.informs().size(), 2u);
  EXPECT_FALSE(watcher.seen()) << "libcurl or TLS was mapped into the daemon";
  EXPECT_FALSE(NetworkLibrariesMapped(d.pid())) << Maps(d.pid());
  EXPECT_EQ(d.Stop(), 0);
  EXPECT_NE(d.err().find("outcome=ok"), std::string::npos) << d.err();
}

}  // namespace
}  // namespace agent_test
