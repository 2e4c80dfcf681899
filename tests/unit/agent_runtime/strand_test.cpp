// Strand: a phone's serialized context on a shared worker pool. Many posters, several workers:
// tasks of one strand never overlap and keep their order; timers fire in time order; Close()
// waits for the running task and drops the rest.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "agent/phone_host.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

TEST(Strand, TasksOfOneStrandNeverOverlapAndKeepTheirOrder) {
  auto host = agent::PhoneHost::Start({.worker_threads = 4});
  ASSERT_TRUE(host.ok());
  constexpr int kStrands = 8, kPosters = 4, kPerPoster = 500;
  std::vector<std::shared_ptr<agent::Strand>> strands;
  std::vector<std::atomic<int>> inside(kStrands);
  std::vector<std::vector<int>> seen(kStrands);  // written only on the strand
  std::atomic<int> overlaps{0}, done{0}, max_parallel{0}, running{0};
  for (int s = 0; s < kStrands; ++s) strands.push_back((*host)->MakeStrand());
  std::vector<std::thread> posters;
  for (int p = 0; p < kPosters; ++p) {
    posters.emplace_back([&, p] {
      for (int i = 0; i < kPerPoster; ++i) {
        for (int s = 0; s < kStrands; ++s) {
          strands[s]->Post([&, s, p, i] {
            if (++inside[s] != 1) ++overlaps;
            int now = ++running;
            int prev = max_parallel.load();
            while (now > prev && !max_parallel.compare_exchange_weak(prev, now)) {
            }
            seen[s].push_back(p * 1000000 + i);
            --running;
            --inside[s];
            ++done;
          });
        }
      }
    });
  }
  for (auto& t : posters) t.join();
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (done < kStrands * kPosters * kPerPoster && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(done.load(), kStrands * kPosters * kPerPoster);
  EXPECT_EQ(overlaps.load(), 0);
  for (int s = 0; s < kStrands; ++s) {
    // Per poster, the order of posting is the order of running.
    std::vector<int> last(kPosters, -1);
    for (int v : seen[s]) {
      int p = v / 1000000, i = v % 1000000;
      EXPECT_EQ(i, last[p] + 1);
      last[p] = i;
    }
  }
  for (auto& s : strands) s->Close();
  (*host)->Stop();
}

TEST(Strand, DifferentStrandsRunInParallel) {
  auto host = agent::PhoneHost::Start({.worker_threads = 2});
  ASSERT_TRUE(host.ok());
  auto a = (*host)->MakeStrand(), b = (*host)->MakeStrand();
  // Each task waits until the other one has started: only parallel strands get both through.
  std::atomic<int> started{0};
  std::atomic<int> met{0};
  auto task = [&] {
    ++started;
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (started < 2 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(1ms);
    }
    if (started == 2) ++met;
  };
  a->Post(task);
  b->Post(task);
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (met < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(met.load(), 2);
  a->Close();
  b->Close();
}

TEST(Strand, TimersFireInTimeOrderOnTheirStrand) {
  auto host = agent::PhoneHost::Start({.worker_threads = 2});
  ASSERT_TRUE(host.ok());
  auto strand = (*host)->MakeStrand();
  std::vector<int> order;
  std::promise<void> finished;
  auto now = Clock::now();
  strand->PostAt(now + 300ms, [&] {
    order.push_back(3);
    EXPECT_TRUE(strand->RunningHere());
    finished.set_value();
  });
  strand->PostAt(now + 100ms, [&] { order.push_back(1); });
  strand->PostAt(now + 200ms, [&] { order.push_back(2); });
  strand->PostAt(now - 1s, [&] { order.push_back(0); });  // overdue: at once
  ASSERT_EQ(finished.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_FALSE(strand->RunningHere());
  EXPECT_GE(Clock::now() - now, 300ms);
  strand->Close();
}

TEST(Strand, CloseWaitsForTheRunningTaskAndDropsTheRest) {
  auto host = agent::PhoneHost::Start({.worker_threads = 2});
  ASSERT_TRUE(host.ok());
  auto strand = (*host)->MakeStrand();
  std::atomic<bool> started{false}, finished{false};
  std::atomic<int> later{0};
  strand->Post([&] {
    started = true;
    std::this_thread::sleep_for(200ms);
    finished = true;
  });
  for (int i = 0; i < 10; ++i) strand->Post([&] { ++later; });
  strand->PostAt(Clock::now() + 50ms, [&] { ++later; });
  while (!started) std::this_thread::sleep_for(1ms);
  strand->Close();
  EXPECT_TRUE(finished.load()) << "Close() returned while the task was running";
  strand->Post([&] { ++later; });
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(later.load(), 0);
}

TEST(Strand, ATimerOfADestroyedStrandDoesNothing) {
  auto host = agent::PhoneHost::Start({.worker_threads = 1});
  ASSERT_TRUE(host.ok());
  std::atomic<int> fired{0};
  {
    auto strand = (*host)->MakeStrand();
    strand->PostAt(Clock::now() + 50ms, [&] { ++fired; });
  }
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(fired.load(), 0);
}

}  // namespace
