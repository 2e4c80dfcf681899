// Crash safety: a child process writes device state and is SIGKILLed at every write step (and,
// in a second test, from outside at whatever moment the kill lands). After each kill the state
// is reloaded: every operation the child acknowledged must be there, and the operation in
// flight must be either wholly absent or wholly present -- never half-written.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "../agent_common/agent_test_util.h"
#include "agent/event_queue.h"
#include "agent/parameter_store.h"
#include "agent/state_file.h"
#include "cwmp/soap/codec.h"

namespace agent {
namespace {

using namespace std::chrono_literals;

constexpr int kStepsPerWrite = 6;  // crash points in one WriteStateFile (state_file.h)

struct Handles {
  std::unique_ptr<ParameterStore> store;
  std::unique_ptr<EventQueue> queue;
};

// The operations, each one atomic write of one state file. Returns false on failure.
std::vector<std::function<bool(Handles&)>> Operations() {
  return {
      [](Handles& h) { return h.store->Set("Station_Name", "first", ChangeSource::kLocal).ok(); },
      [](Handles& h) {
        QueuedTransferItem t;
        t.method = "Download";
        t.command_key = "t1";
        t.url = "http://f/cfg.xml";
        t.password = cwmp::Secret("pw");
        return h.queue->Enqueue(t).ok();
      },
      [](Handles& h) {
        StoreEdit e;
        e.values = {{"Periodic_Inform_Interval", "100"}, {"Parameter_Key", "pk1"}};
        return h.store->Commit(e, ChangeSource::kAcs).ok();
      },
      [](Handles& h) { return h.queue->Add("M Reboot", "r1").ok(); },
      [](Handles& h) {
        auto p = cwmp::prov::ParseFlatProfile(
            "<flat-profile><Station_Name>second</Station_Name><Proxy_1_>sip.example</Proxy_1_>"
            "<Line_Enable_2_>No</Line_Enable_2_></flat-profile>");
        return p.ok() && h.store->ApplyProfile(*p).ok();
      },
      [](Handles& h) {
        if (h.queue->state().transfers.empty()) return false;
        TransferResult r;
        r.method_event = "M Download";
        r.command_key = "t1";
        r.start_time = cwmp::soap::FormatDateTime(std::chrono::sys_seconds{1'800'000'000s});
        r.complete_time = r.start_time;
        return h.queue->Complete(h.queue->state().transfers[0].id, r).ok();
      },
      [](Handles& h) { return h.store->Set("Station_Name", "third", ChangeSource::kLocal).ok(); },
      [](Handles& h) {
        if (h.queue->state().results.empty()) return false;
        return h.queue->Acknowledge(h.queue->state().results[0].id).ok();
      },
  };
}

cwmp::Result<Handles> OpenAll(const std::string& dir) {
  auto s = ParameterStore::Open(dir);
  if (!s.ok()) return s.status();
  auto q = EventQueue::Open(dir);
  if (!q.ok()) return q.status();
  return Handles{std::move(*s), std::move(*q)};
}

// Everything the operations touch, as one comparable string.
std::string Fingerprint(const Handles& h) {
  std::string fp;
  for (const char* n : {"Station_Name", "Periodic_Inform_Interval", "Parameter_Key", "Proxy_1_",
                        "Line_Enable_2_"}) {
    fp += std::string(n) + "=" + h.store->Get(n) + ";";
  }
  for (const auto& e : h.queue->events()) fp += "e:" + e.event_code + "/" + e.command_key + ";";
  for (const auto& t : h.queue->state().transfers) {
    fp += "t:" + t.command_key + "/" + t.password.Reveal() + ";";
  }
  for (const auto& r : h.queue->state().results) {
    fp += "r:" + r.command_key + "/" + r.start_time + ";";
  }
  return fp;
}

// fp[i] = state after the first i operations.
std::vector<std::string> ReferenceFingerprints() {
  testing::TempDir dir;
  auto h = OpenAll(dir.path());
  EXPECT_TRUE(h.ok());
  std::vector<std::string> fps{Fingerprint(*h)};
  for (auto& op : Operations()) {
    EXPECT_TRUE(op(*h));
    fps.push_back(Fingerprint(*h));
  }
  return fps;
}

// Runs the operations in a child; the child reports each acknowledged operation on the pipe.
// `crash_point` > 0 arms SetCrashPointForTest; `kill_after_ack` >= 0 makes the parent SIGKILL
// the child as soon as that many acknowledgements arrived. Returns the acknowledged count.
int RunChild(const std::string& dir, int crash_point, int kill_after_ack, bool* killed) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    SetCrashPointForTest(crash_point);
    auto h = OpenAll(dir);
    if (!h.ok()) ::_exit(2);
    for (auto& op : Operations()) {
      if (!op(*h)) ::_exit(3);
      char ack = 'a';
      if (::write(fds[1], &ack, 1) != 1) ::_exit(4);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  int acks = 0;
  char c;
  while (::read(fds[0], &c, 1) == 1) {
    ++acks;
    if (acks == kill_after_ack) ::kill(pid, SIGKILL);
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  *killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  if (!*killed && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) return -1;
  return acks;
}

TEST(CrashSafety, KillAtEveryWriteStep) {
  const auto fps = ReferenceFingerprints();
  const int ops = static_cast<int>(Operations().size());
  const int total_steps = ops * kStepsPerWrite;
  for (int k = 1; k <= total_steps + 1; ++k) {
    testing::TempDir dir;
    bool killed = false;
    int acks = RunChild(dir.path(), k, -1, &killed);
    ASSERT_GE(acks, 0) << "kill point " << k;
    auto h = OpenAll(dir.path());
    ASSERT_TRUE(h.ok()) << "kill point " << k << ": " << h.status().ToString();
    std::string fp = Fingerprint(*h);
    if (k > total_steps) {
      EXPECT_FALSE(killed);
      EXPECT_EQ(acks, ops);
      EXPECT_EQ(fp, fps[ops]);
      continue;
    }
    ASSERT_TRUE(killed) << "kill point " << k;
    const int op = (k - 1) / kStepsPerWrite;  // 0-based operation in flight
    const int step = (k - 1) % kStepsPerWrite + 1;
    EXPECT_EQ(acks, op) << "kill point " << k;
    // Before the rename the old file is current; from the rename on, the new one.
    const bool renamed = step >= 5;
    EXPECT_EQ(fp, fps[renamed ? op + 1 : op]) << "kill point " << k << " (op " << op
                                               << ", step " << step << ")";
    // The next write after the crash succeeds over any leftover temp file.
    EXPECT_TRUE(h->store->Set("Station_Name", "after", ChangeSource::kAcs).ok());
    EXPECT_TRUE(h->queue->Add("2 PERIODIC").ok());
    auto again = OpenAll(dir.path());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->store->Get("Station_Name"), "after");
  }
}

TEST(CrashSafety, KillFromOutsideAtArbitraryMoments) {
  const auto fps = ReferenceFingerprints();
  const int ops = static_cast<int>(Operations().size());
  for (int round = 0; round < 3; ++round) {
    for (int n = 1; n <= ops; ++n) {
      testing::TempDir dir;
      bool killed = false;
      int acks = RunChild(dir.path(), 0, n, &killed);
      ASSERT_GE(acks, n) << "after ack " << n;
      auto h = OpenAll(dir.path());
      ASSERT_TRUE(h.ok()) << h.status().ToString();
      std::string fp = Fingerprint(*h);
      // Acknowledged operations are all there; the next one landed wholly or not at all
      // (or later ones, when the child outran the kill).
      bool matches = false;
      for (int i = acks; i <= ops; ++i) matches = matches || fp == fps[i];
      EXPECT_TRUE(matches) << "round " << round << ", killed after ack " << n << ": " << fp;
    }
  }
}

}  // namespace
}  // namespace agent
