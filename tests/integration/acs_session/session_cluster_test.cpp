// Several acsd instances on one database: one live session per device, cookies of another
// process, restarts with queued tasks (at-least-once delivery, nothing lost).
#include <thread>
#include <variant>

#include "serve_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

namespace soap = cwmp::soap;

using SessionClusterTest = ServeTest;

TEST_F(SessionClusterTest, TwoInstancesNeverRunTwoSessionsForOneDevice) {
  serve::Server& a = StartServer();
  serve::Server& b = StartServer();
  ASSERT_NE(a.sessions().owner(), b.sessions().owner());
  CpeClient via_a(a.cwmp_port());
  CpeClient via_b(b.cwmp_port());
  Inform(via_a, "C1");
  // The same device (a duplicate, or a CPE that retried through the other instance).
  HttpReply r = via_b.Post(ReadData("inform_periodic.xml", {{"SERIAL", "C1"}}));
  EXPECT_EQ(r.status, 503);
  EXPECT_FALSE(r.Header("retry-after").empty());
  // Another device is fine on b.
  Inform(via_b, "C2");
  EXPECT_EQ(via_b.Post("").status, 204);
  // A's session ends; now b may run one.
  EXPECT_EQ(via_a.Post("").status, 204);
  Inform(via_b, "C1");
  EXPECT_EQ(via_b.Post("").status, 204);
}

TEST_F(SessionClusterTest, ConcurrentInformsForOneDeviceYieldOneSession) {
  serve::Server& a = StartServer();
  serve::Server& b = StartServer();
  const std::string inform = ReadData("inform_periodic.xml", {{"SERIAL", "RACE"}});
  for (int round = 0; round < 5; ++round) {
    HttpReply ra, rb;
    std::thread ta([&] {
      CpeClient c(a.cwmp_port());
      ra = c.Post(inform);
      if (ra.status == 200) {
        EXPECT_EQ(c.Post("").status, 204);
      }
    });
    std::thread tb([&] {
      CpeClient c(b.cwmp_port());
      rb = c.Post(inform);
      if (rb.status == 200) {
        EXPECT_EQ(c.Post("").status, 204);
      }
    });
    ta.join();
    tb.join();
    // Never both at once: at least one got 200, and if both did, they did not overlap (each
    // ended its session before the other could start, which the lease table enforces).
    EXPECT_TRUE(ra.status == 200 || rb.status == 200) << ra.status << " " << rb.status;
    EXPECT_TRUE(ra.status == 200 || ra.status == 503);
    EXPECT_TRUE(rb.status == 200 || rb.status == 503);
  }
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "0");
}

TEST_F(SessionClusterTest, ACookieOfAnotherInstanceIsRefusedAndTheCpeStartsOver) {
  serve::Server& a = StartServer();
  serve::Server& b = StartServer();
  CpeClient cpe(a.cwmp_port());
  Inform(cpe, "K1");
  CpeClient misrouted(b.cwmp_port());
  misrouted.SetCookie(cpe.cookie());
  HttpReply r = misrouted.Post("");
  EXPECT_EQ(r.status, 503);
  EXPECT_FALSE(r.Header("retry-after").empty());
  EXPECT_EQ(cpe.Post("").status, 204);
}

TEST_F(SessionClusterTest, RestartWithQueuedTasksLosesNothing) {
  const std::string device = std::string(kDevice) + "RS";
  serve::Server& first = StartServer();
  CpeClient cpe(first.cwmp_port());
  Inform(cpe, "RS");
  ASSERT_EQ(cpe.Post("").status, 204);
  int64_t t1 = Enqueue(device, R"({"name":"reboot","commandKey":"one"})");
  int64_t t2 = Enqueue(device, R"({"name":"scheduleInform","delaySeconds":30})");

  Inform(cpe, "RS");
  HttpReply r = cpe.Post("");
  ASSERT_TRUE(std::holds_alternative<soap::Reboot>(r.Envelope().body));
  // acsd stops (SIGTERM) before the CPE answers.
  first.Stop();
  // leases released (live leases)
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "0");

  config::ServeConfig c = Config();
  serve::Server& second = StartServer(c);
  CpeClient cpe2(second.cwmp_port());
  cpe2.SetCookie(cpe.cookie());
  // The answer arrives at the new process: the session's state is gone.
  r = cpe2.PostBody(soap::RebootResponse{});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(GetTask(t1).status, TaskStatus::kPending);
  // The CPE starts over; the reboot is delivered again, then the next task.
  Inform(cpe2, "RS");
  r = cpe2.Post("");
  soap::Envelope env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::Reboot>(env.body));
  r = cpe2.PostBody(soap::RebootResponse{}, env.id);
  env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::ScheduleInform>(env.body));
  EXPECT_EQ(cpe2.PostBody(soap::ScheduleInformResponse{}, env.id).status, 204);
  EXPECT_EQ(GetTask(t1).status, TaskStatus::kDone);
  EXPECT_EQ(GetTask(t2).status, TaskStatus::kDone);
}

TEST_F(SessionClusterTest, AnExpiredLeaseOfACrashedProcessIsTakenOver) {
  serve::Server& a = StartServer();
  const std::string device = std::string(kDevice) + "EX";
  // A process that died mid-session left its lease; it has run out.
  ASSERT_EQ(pg_->ExecSql(db_, "INSERT INTO cwmp_sessions VALUES ('" + device +
                                  "', 'dead', 'dead.1', now() - interval '2 minutes', now() - "
                                  "interval '1 minute')"),
            "");
  CpeClient cpe(a.cwmp_port());
  Inform(cpe, "EX");
  EXPECT_EQ(cpe.Post("").status, 204);
  // The released lease row stays (migration 206), no longer live.
  const std::string where_device = " WHERE device_id = '" + device + "'";
  EXPECT_EQ(
      Scalar("SELECT session_id = '' AND expires_at < now() FROM cwmp_sessions" + where_device),
      "t");
  // A live lease of another process is respected.
  ASSERT_EQ(pg_->ExecSql(db_,
                         "UPDATE cwmp_sessions SET owner = 'other', session_id = 'other.1',"
                         " started_at = now(), expires_at = now() + interval '1 minute'" +
                             where_device),
            "");
  HttpReply r = cpe.Post(ReadData("inform_periodic.xml", {{"SERIAL", "EX"}}));
  EXPECT_EQ(r.status, 503);
  int retry = std::stoi(r.Header("retry-after"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 61);
}

}  // namespace
}  // namespace acs::testing
