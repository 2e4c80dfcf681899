#include "agent/event_queue.h"

#include <gtest/gtest.h>

#include "../agent_common/agent_test_util.h"

namespace agent {
namespace {

using cwmp::soap::EventStruct;
using Events = std::vector<EventStruct>;

std::unique_ptr<EventQueue> Open(const std::string& dir) {
  auto q = EventQueue::Open(dir);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  return q.ok() ? std::move(*q) : nullptr;
}

TEST(EventQueue, SingleAndMultipleCodes) {
  struct Case {
    const char* name;
    Events adds;
    Events expect;
  } cases[] = {
      {"single deduplicated", {{"1 BOOT", ""}, {"1 BOOT", ""}}, {{"1 BOOT", ""}}},
      {"multiple per key",
       {{"M Reboot", "a"}, {"M Reboot", "b"}, {"M Reboot", "a"}},
       {{"M Reboot", "a"}, {"M Reboot", "b"}}},
      {"vendor multiple", {{"X 00562B Foo", "1"}, {"X 00562B Foo", "2"}},
       {{"X 00562B Foo", "1"}, {"X 00562B Foo", "2"}}},
      {"bootstrap discards others",
       {{"1 BOOT", ""}, {"M Reboot", "a"}, {"0 BOOTSTRAP", ""}, {"2 PERIODIC", ""}},
       {{"0 BOOTSTRAP", ""}, {"2 PERIODIC", ""}}},
  };
  for (const auto& c : cases) {
    testing::TempDir dir;
    auto q = Open(dir.path());
    for (const auto& e : c.adds) ASSERT_TRUE(q->Add(e.event_code, e.command_key).ok());
    EXPECT_EQ(q->events(), c.expect) << c.name;
    EXPECT_EQ(Open(dir.path())->events(), c.expect) << c.name << " (reloaded)";
  }
}

TEST(EventQueue, DeliveryRetention) {
  struct Case {
    const char* name;
    Events pending;
    Events remaining;  // after an accepted Inform carrying all of them
  } cases[] = {
      {"inform completes most", {{"1 BOOT", ""}, {"M Reboot", "k"}, {"3 SCHEDULED", ""}}, {}},
      {"transfer events wait",
       {{"7 TRANSFER COMPLETE", ""}, {"M Download", "d"}, {"2 PERIODIC", ""}},
       {{"7 TRANSFER COMPLETE", ""}, {"M Download", "d"}}},
      {"upload and schedule download wait",
       {{"M Upload", "u"}, {"M ScheduleDownload", "s"}, {"10 AUTONOMOUS TRANSFER COMPLETE", ""}},
       {{"M Upload", "u"}, {"M ScheduleDownload", "s"}, {"10 AUTONOMOUS TRANSFER COMPLETE", ""}}},
  };
  for (const auto& c : cases) {
    testing::TempDir dir;
    auto q = Open(dir.path());
    for (const auto& e : c.pending) ASSERT_TRUE(q->Add(e.event_code, e.command_key).ok());
    ASSERT_TRUE(q->OnInformDelivered(c.pending).ok());
    EXPECT_EQ(q->events(), c.remaining) << c.name;
  }
}

TEST(EventQueue, EventsAddedDuringSessionSurviveDelivery) {
  testing::TempDir dir;
  auto q = Open(dir.path());
  ASSERT_TRUE(q->Add("2 PERIODIC").ok());
  Events sent = q->events();
  ASSERT_TRUE(q->Add("M Reboot", "late").ok());
  ASSERT_TRUE(q->OnInformDelivered(sent).ok());
  EXPECT_EQ(q->events(), (Events{{"M Reboot", "late"}}));
}

TEST(EventQueue, ConnectionRequestNotRetried) {
  testing::TempDir dir;
  auto q = Open(dir.path());
  ASSERT_TRUE(q->Add("6 CONNECTION REQUEST").ok());
  ASSERT_TRUE(q->Add("2 PERIODIC").ok());
  ASSERT_TRUE(q->OnSessionFailed().ok());
  EXPECT_EQ(q->events(), (Events{{"2 PERIODIC", ""}}));
}

TEST(EventQueue, BootDropsVolatileEventsAndAddsBoot) {
  testing::TempDir dir;
  {
    auto q = Open(dir.path());
    for (const char* code : {"0 BOOTSTRAP", "1 BOOT", "2 PERIODIC", "6 CONNECTION REQUEST",
                             "7 TRANSFER COMPLETE"}) {
      ASSERT_TRUE(q->Add(code).ok());
    }
    ASSERT_TRUE(q->Add("M Download", "d").ok());
    ASSERT_TRUE(q->RequestReboot(std::string("rk")).ok());
  }
  auto q = Open(dir.path());
  ASSERT_TRUE(q->OnBoot().ok());
  EXPECT_EQ(q->events(), (Events{{"0 BOOTSTRAP", ""},
                                 {"7 TRANSFER COMPLETE", ""},
                                 {"M Download", "d"},
                                 {"M Reboot", "rk"},
                                 {"1 BOOT", ""}}));
  EXPECT_FALSE(q->state().reboot_requested);
  EXPECT_FALSE(q->state().reboot_command_key);
}

TEST(EventQueue, TransferLifecycle) {
  testing::TempDir dir;
  auto q = Open(dir.path());
  QueuedTransferItem item;
  item.method = "Download";
  item.command_key = "dl1";
  item.file_type = "3 Vendor Configuration File";
  item.url = "http://files/cfg.xml";
  item.password = cwmp::Secret("pw\twith tab");
  auto id = q->Enqueue(item);
  ASSERT_TRUE(id.ok());
  auto reloaded = Open(dir.path());
  ASSERT_EQ(reloaded->state().transfers.size(), 1u);
  EXPECT_EQ(reloaded->state().transfers[0].password.Reveal(), "pw\twith tab");

  ASSERT_TRUE(q->SetTransferState(*id, 2).ok());
  EXPECT_EQ(q->Cancel("dl1").code(), cwmp::StatusCode::kFailedPrecondition);
  EXPECT_EQ(q->Cancel("nope").code(), cwmp::StatusCode::kNotFound);

  TransferResult r;
  r.method_event = "M Download";
  r.command_key = "dl1";
  r.start_time = "2026-11-26T12:00:00Z";
  r.complete_time = "2026-11-26T12:00:05Z";
  ASSERT_TRUE(q->Complete(*id, r).ok());
  EXPECT_TRUE(q->state().transfers.empty());
  ASSERT_EQ(q->state().results.size(), 1u);
  EXPECT_EQ(q->events(), (Events{{"7 TRANSFER COMPLETE", ""}, {"M Download", "dl1"}}));
  EXPECT_EQ(q->Cancel("dl1").code(), cwmp::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Open(dir.path())->state(), q->state());

  ASSERT_TRUE(q->Acknowledge(q->state().results[0].id).ok());
  EXPECT_TRUE(q->events().empty());
  EXPECT_TRUE(q->state().results.empty());
}

TEST(EventQueue, QueueLimitAndCancel) {
  testing::TempDir dir;
  auto q = Open(dir.path());
  for (size_t i = 0; i < kMaxQueuedTransfers; ++i) {
    QueuedTransferItem item;
    item.command_key = "k" + std::to_string(i);
    ASSERT_TRUE(q->Enqueue(item).ok());
  }
  EXPECT_EQ(q->Enqueue(QueuedTransferItem{}).status().code(), cwmp::StatusCode::kLimitExceeded);
  ASSERT_TRUE(q->Cancel("k3").ok());
  EXPECT_EQ(q->state().transfers.size(), kMaxQueuedTransfers - 1);
  EXPECT_TRUE(q->Enqueue(QueuedTransferItem{}).ok());
}

TEST(EventQueue, InterruptedTransferRestartsAtBoot) {
  testing::TempDir dir;
  auto q = Open(dir.path());
  auto id = q->Enqueue(QueuedTransferItem{});
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(q->SetTransferState(*id, 2).ok());
  auto after = Open(dir.path());
  ASSERT_TRUE(after->OnBoot().ok());
  EXPECT_EQ(after->state().transfers[0].state, 1);
}

TEST(EventQueue, ScheduledInforms) {
  testing::TempDir dir;
  auto q = Open(dir.path());
  ASSERT_TRUE(q->AddScheduledInform({100, "a"}).ok());
  ASSERT_TRUE(q->AddScheduledInform({200, "b"}).ok());
  EXPECT_EQ(*q->FireScheduledInforms(99), 0u);
  EXPECT_EQ(*q->FireScheduledInforms(150), 1u);
  EXPECT_EQ(q->events(), (Events{{"3 SCHEDULED", ""}, {"M ScheduleInform", "a"}}));
  EXPECT_EQ(*q->FireScheduledInforms(300), 1u);
  EXPECT_EQ(q->events(), (Events{{"3 SCHEDULED", ""},
                                 {"M ScheduleInform", "a"},
                                 {"M ScheduleInform", "b"}}));
  EXPECT_TRUE(q->state().scheduled_informs.empty());
}

TEST(EventQueue, FactoryResetLeavesOnlyBootstrap) {
  testing::TempDir dir;
  auto q = Open(dir.path());
  ASSERT_TRUE(q->Add("M Reboot", "x").ok());
  ASSERT_TRUE(q->Enqueue(QueuedTransferItem{}).ok());
  ASSERT_TRUE(q->SetBootstrappedUrl("http://acs").ok());
  ASSERT_TRUE(q->RequestFactoryReset().ok());
  ASSERT_TRUE(q->CompleteFactoryReset().ok());
  EXPECT_EQ(q->events(), (Events{{"0 BOOTSTRAP", ""}}));
  EXPECT_TRUE(q->state().transfers.empty());
  EXPECT_FALSE(q->state().factory_reset_requested);
  EXPECT_FALSE(q->state().bootstrapped_url);
  EXPECT_TRUE(q->state().reboot_requested);
}

}  // namespace
}  // namespace agent
