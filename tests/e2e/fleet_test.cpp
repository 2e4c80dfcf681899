// `cpe-agent fleet`: 500 simulated phones in one process register with the real ACS (GET
// /devices counts them) within a bounded time. Under ASan+UBSan (CWMP_SANITIZE) everything is
// several times slower, so the fleet is 100 phones there (the test says so in its output).
#include <signal.h>

#include <iostream>
#include <set>

#include "e2e_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace e2e {
namespace {

class Fleet : public E2ETest {};

TEST_F(Fleet, AllPhonesRegister) {
  const int count = Sanitized() ? 100 : 500;
  const auto budget = Sanitized() ? 150s : 90s;
  if (Sanitized()) {
    std::cout << "[ NOTE ] sanitizer build: fleet scaled down from 500 to " << count
              << " phones\n";
  }
  // The fleet has no credential flags: the first-start profile carries them.
  std::string profile = dir_ / "fleet-profile.xml";
  ASSERT_TRUE(WriteFile(profile, FlatProfile({{"ACS_Username", acsd_->options().cpe_username},
                                              {"ACS_Password", acsd_->options().cpe_password},
                                              {"Connection_Request_Username", "cr"},
                                              {"Connection_Request_Password", "cr-Secret-42"},
                                              {"Periodic_Inform_Interval", "3600"}})));
  auto start = std::chrono::steady_clock::now();
  auto fleet = ChildProcess::Start(
      {AgentBinary(), "fleet", "--count", std::to_string(count), "--acs", acsd_->cwmp_url(),
       "--state", dir_ / "fleet", "--base-mac", "00:0E:08:10:00:00", "--serial-prefix", "FLT",
       "--model", "CP-6851-3PCC", "--profile", profile, "--cr-listen", "127.0.0.1",
       "--cr-base-port", "0", "--threads", "8", "--boot-spread", "5"},
      dir_ / "fleet.log");
  ASSERT_NE(fleet, nullptr);
  size_t registered = 0;
  bool all = WaitUntil(
      [&] {
        registered = rest().DeviceIds("000E08-CP-6851-3PCC-FLT").size();
        return registered == static_cast<size_t>(count) || !fleet->Running();
      },
      budget, 500ms);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ FIGURE ] " << registered << " of " << count << " fleet phones registered in "
            << seconds << " s\n";
  EXPECT_TRUE(fleet->Running()) << "cpe-agent fleet exited: " << fleet->Log().substr(0, 5000);
  EXPECT_TRUE(all && registered == static_cast<size_t>(count))
      << registered << " of " << count << " registered within the budget";
  // Every phone has its own identity and state directory.
  auto ids = rest().DeviceIds("000E08-CP-6851-3PCC-FLT");
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size());
  auto stop = std::chrono::steady_clock::now();
  fleet->Signal(SIGTERM);
  auto code = fleet->Wait(30s);
  std::cout << "[ FIGURE ] cpe-agent fleet stopped in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - stop).count()
            << " s\n";
  EXPECT_EQ(code, 0) << "cpe-agent fleet did not stop gracefully on SIGTERM";
}

}  // namespace
}  // namespace e2e
