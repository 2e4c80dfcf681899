// kill -9 of `cpe-agent run` at the moments that matter, then a restart on the same state dir,
// observed through the real ACS (acsd + PostgreSQL):
//   - during a slow download of a large configuration file (nginx limit_rate): nothing of the
//     half-received file becomes current; after the restart the download runs again, the
//     TransferComplete is delivered and the ACS task completes;
//   - right after the phone acknowledged a Reboot (the RebootResponse reached the ACS, the
//     session is frozen before it ends): the restart still reports M Reboot + 1 BOOT;
//   - while a session is running (the SetParameterValuesResponse is held by a proxy): the ACS
//     delivers the task again and the value is there;
//   - while the TransferComplete is on its way (held): it is sent again after the restart.
// The moments are made exact by FreezingProxy, a TCP proxy between the phone and acsd that
// stops forwarding at a chosen CWMP message.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "acs/http_client.h"
#include "e2e_fixture.h"
#include "nginx_instance.h"
#include "test_ca.h"

CWMP_PG_ENVIRONMENT();

namespace e2e {
namespace {

// Lines of a state file (agent/state_file.h format: TAB-separated fields).
std::vector<std::vector<std::string>> StateRecords(const std::string& path) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(ReadFile(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    size_t b = 0;
    while (true) {
      size_t e = line.find('\t', b);
      fields.push_back(line.substr(b, e == std::string::npos ? std::string::npos : e - b));
      if (e == std::string::npos) break;
      b = e + 1;
    }
    out.push_back(fields);
  }
  return out;
}

// A state file as the agent would accept it at boot: the last line is "end <records>".
bool WholeStateFile(const std::string& path) {
  auto records = StateRecords(path);
  return records.size() >= 2 && records.back().size() == 1 &&
         records.back()[0] == "end " + std::to_string(records.size() - 2);
}

// A queued transfer in events.state whose state (last field) is 2 = running.
bool TransferRunning(const Agent& agent) {
  for (const auto& r : StateRecords(agent.state_dir() + "/events.state")) {
    if (!r.empty() && r[0] == "q" && r.back() == "2") return true;
  }
  return false;
}

class Crash : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    proxy_ = std::make_unique<FreezingProxy>(acsd_->cwmp_port());
    ASSERT_NE(proxy_->port(), 0);
  }
  // A phone that talks to the ACS through the proxy (the same URL before and after restarts,
  // so no new BOOTSTRAP).
  Agent* StartProxiedAgent(const std::string& serial) {
    Agent* a = StartAgent(PhoneOptions(serial, proxy_->url()));
    EXPECT_TRUE(WaitRegistered(*a)) << "the phone never registered";
    return a;
  }
  void Restart(Agent* agent) {
    std::string error;
    ASSERT_TRUE(agent->Start(&error)) << error;
  }
  int64_t QueueTask(const Agent& agent, const std::string& body, int cr_timeout_ms) {
    Rest::Reply r = rest().CreateTask(agent.DeviceId(), body, cr_timeout_ms);
    EXPECT_TRUE(r.status == 200 || r.status == 202) << r.body;
    const Json* id = r.json.Find("id");
    return id != nullptr && id->is_int() ? id->as_int() : 0;
  }
  std::unique_ptr<FreezingProxy> proxy_;
};

// The proxy itself: forwards whole requests, then freezes after / at the chosen message. (acsd's
// CWMP endpoint answers these GETs with 405: any answer proves the request went through.)
TEST_F(Crash, FreezingProxyForwardsThenHolds) {
  auto get = [&](const std::string& marker) {
    acs::http::ClientRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(proxy_->port()) + "/devices?prefix=" + marker;
    req.headers.push_back({"Authorization", "Bearer " + acsd_->token()});
    req.timeout = 800ms;
    auto r = acs::http::Fetch(req);
    return r.ok() ? r->status : 0;
  };
  const int kForwarded = 405;
  EXPECT_EQ(get("a"), kForwarded);
  proxy_->FreezeAfter("prefix=needle");
  EXPECT_EQ(get("b"), kForwarded);
  EXPECT_FALSE(proxy_->frozen());
  EXPECT_EQ(get("needle"), kForwarded);  // forwarded and answered
  EXPECT_TRUE(proxy_->frozen());
  EXPECT_EQ(get("c"), 0);  // held
  proxy_->Release();
  EXPECT_EQ(get("d"), kForwarded);
  proxy_->HoldAt("prefix=stop");
  EXPECT_EQ(get("stop"), 0);
  EXPECT_TRUE(proxy_->frozen());
  EXPECT_EQ(get("e"), 0);
}

TEST_F(Crash, KilledRightAfterAcknowledgingARebootStillSendsMReboot) {
  Agent* agent = StartProxiedAgent("CRASH01");
  const std::string id = agent->DeviceId();
  proxy_->FreezeAfter("RebootResponse");
  int64_t task = QueueTask(*agent, R"({"name":"reboot","commandKey":"crash-reboot"})", 1);
  ASSERT_TRUE(WaitUntil([&] { return proxy_->frozen(); }, 20s))
      << "the phone never answered the Reboot";
  ASSERT_EQ(Status(rest().WaitTask(task, 10s)), "done");  // the ACS has the acknowledgement
  EXPECT_FALSE(rest().HasEvent(id, "M Reboot"));  // the phone had no chance to reboot yet
  agent->Kill9();
  proxy_->Release();
  Restart(agent);
  EXPECT_TRUE(WaitUntil([&] { return rest().HasEvent(id, "M Reboot", "crash-reboot"); }, 30s))
      << "M Reboot lost by kill -9: " << cwmp::json::Serialize(rest().Events(id));
  EXPECT_EQ(rest().CountEvents(id, "1 BOOT"), 2);
  EXPECT_EQ(rest().CountEvents(id, "0 BOOTSTRAP"), 1);
}

TEST_F(Crash, KilledWhileASessionRunsTheTaskIsDeliveredAgain) {
  Agent* agent = StartProxiedAgent("CRASH02");
  const std::string id = agent->DeviceId();
  proxy_->HoldAt("SetParameterValuesResponse");
  int64_t task = QueueTask(*agent,
                           R"({"name":"setParameterValues","parameterValues":[[")" + kInterval +
                               R"(","777","xsd:unsignedInt"]]})",
                           1);
  ASSERT_TRUE(WaitUntil([&] { return proxy_->frozen(); }, 20s))
      << "the phone never answered the SetParameterValues";
  EXPECT_EQ(Status(rest().Task(task)), "pending");  // the ACS never saw the response
  agent->Kill9();
  proxy_->Release();
  Restart(agent);
  // The restarted phone informs (1 BOOT); the ACS sends the pending task again.
  Json done = rest().WaitTask(task, 30s);
  EXPECT_EQ(Status(done), "done") << cwmp::json::Serialize(done);
  EXPECT_EQ(rest().CountEvents(id, "1 BOOT"), 2);
  ASSERT_TRUE(WaitUntil([&] { return SessionsDone(id) >= 2; }, 30s));
  EXPECT_EQ(Gpv(*agent, kInterval), "777");
}

class CrashDownload : public Crash {
 protected:
  void SetUp() override {
    Crash::SetUp();
    std::filesystem::create_directories(dir_ / "ca");
    std::string error;
    ASSERT_TRUE(cwmp_test::TestCa::Create(dir_ / "ca", {}, &ca_, &error)) << error;
    nginx_ = cwmp_test::NginxInstance::Start(dir_ / "nginx", ca_, &error);
    ASSERT_NE(nginx_, nullptr) << error;
  }
  cwmp_test::TestCa ca_;
  std::unique_ptr<cwmp_test::NginxInstance> nginx_;
};

TEST_F(CrashDownload, KilledDuringASlowDownloadNothingHalfWrittenBecomesCurrent) {
  Agent* agent = StartProxiedAgent("CRASH03");
  // ~200 KiB: three seconds at nginx's 64 KiB/s. The value sits at the end of the file.
  std::string padding(200 * 1024, 'x');
  ASSERT_TRUE(nginx_->PutFile("big.cfg", FlatProfile({{"Station_Name", "after-the-crash"}},
                                                     padding)));
  int64_t task = QueueTask(*agent,
                           R"({"name":"download","fileType":"3 Vendor Configuration File","url":")" +
                               nginx_->HttpUrl("/throttled/big.cfg") +
                               R"(","commandKey":"big-1"})",
                           1);
  ASSERT_TRUE(WaitUntil([&] { return TransferRunning(*agent); }, 20s))
      << "the download never started: " << ReadFile(agent->state_dir() + "/events.state");
  std::this_thread::sleep_for(1000ms);  // a part of the file has arrived
  agent->Kill9();
  // Dead phone: the parameters on flash are whole and do not hold the new value.
  std::string params = ReadFile(agent->state_dir() + "/parameters.state");
  EXPECT_EQ(params.find("after-the-crash"), std::string::npos);
  EXPECT_TRUE(WholeStateFile(agent->state_dir() + "/parameters.state")) << params;
  EXPECT_TRUE(WholeStateFile(agent->state_dir() + "/events.state"));
  EXPECT_EQ(Status(rest().Task(task)), "pending");

  Restart(agent);
  Json done = rest().WaitTask(task, 40s);
  EXPECT_EQ(Status(done), "done") << cwmp::json::Serialize(done);
  EXPECT_TRUE(rest().HasEvent(agent->DeviceId(), "M Download", "big-1"));
  EXPECT_GE(nginx_->CountRequests("/throttled/big.cfg"), 2) << "the download was not restarted";
  EXPECT_EQ(Gpv(*agent, kStationName), "after-the-crash");
}

TEST_F(CrashDownload, KilledWhileSendingTransferCompleteItIsSentAgain) {
  Agent* agent = StartProxiedAgent("CRASH04");
  ASSERT_TRUE(nginx_->PutFile("small.cfg", FlatProfile({{"Station_Name", "tc-held"}})));
  proxy_->HoldAt("TransferComplete>");
  int64_t task = QueueTask(*agent,
                           R"({"name":"download","fileType":"3 Vendor Configuration File","url":")" +
                               nginx_->HttpUrl("/files/small.cfg") +
                               R"(","commandKey":"tc-1"})",
                           1);
  ASSERT_TRUE(WaitUntil([&] { return proxy_->frozen(); }, 30s))
      << "the phone never sent its TransferComplete";
  EXPECT_EQ(Status(rest().Task(task)), "pending");
  agent->Kill9();
  proxy_->Release();
  Restart(agent);
  Json done = rest().WaitTask(task, 30s);
  EXPECT_EQ(Status(done), "done") << "TransferComplete lost by kill -9: "
                                  << cwmp::json::Serialize(done);
  EXPECT_EQ(Gpv(*agent, kStationName), "tc-held");
}

}  // namespace
}  // namespace e2e
