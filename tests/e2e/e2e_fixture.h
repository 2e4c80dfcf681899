#pragma once
// E2ETest: per test a fresh database on the binary's shared PostgreSQL, a running `acsd serve`
// on it (Digest CPE auth, default connection-request credentials), a temp dir, and helpers to
// start `cpe-agent run` phones and drive them through the REST API.
#include <gtest/gtest.h>

#include <cctype>
#include <iostream>
#include <memory>
#include <string>

#include "e2e_harness.h"

namespace e2e {

inline const std::string kInterval = "Device.ManagementServer.PeriodicInformInterval";
inline const std::string kStationName = "Device.X_TR069PHONE_Phone.Station_Name";

class E2ETest : public ::testing::Test {
 protected:
  // Subclasses may change acsd_options_ before calling E2ETest::SetUp().
  void SetUp() override {
    pg_ = cwmp::testing::PgEnvironment::Get();
    ASSERT_NE(pg_, nullptr);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = "e2e_";
    for (char c : std::string(info->name())) {
      db_ += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    ASSERT_EQ(pg_->CreateDatabase(db_), "");
    std::string error;
    acsd_ = Acsd::Start(*pg_, db_, dir_.path(), acsd_options_, &error);
    ASSERT_NE(acsd_, nullptr) << error;
  }

  void TearDown() override {
    for (auto& a : agents_) {
      if (HasFailure()) std::cerr << a->Log().substr(0, 20000) << "\n";
      a->Kill9();
    }
    if (acsd_ && HasFailure()) {
      std::string log = acsd_->Log();
      std::cerr << "--- acsd log (tail) ---\n"
                << (log.size() > 20000 ? log.substr(log.size() - 20000) : log) << "\n";
    }
  }

  const Rest& rest() const { return acsd_->rest(); }

  // A phone pointed at `acs_url` (default: acsd) with the ACS credentials, the ACS's
  // connection-request credentials and a long periodic interval in its first-start profile.
  AgentOptions PhoneOptions(const std::string& serial, const std::string& acs_url = "") {
    AgentOptions o;
    o.serial = serial;
    o.mac = "00:0E:08:AA:00:" + std::to_string(10 + agents_.size());
    o.acs_url = acs_url.empty() ? acsd_->cwmp_url() : acs_url;
    o.acs_username = acsd_->options().cpe_username;
    o.acs_password = acsd_->options().cpe_password;
    o.profile = {{"Connection_Request_Username", acsd_->options().cr_username},
                 {"Connection_Request_Password", acsd_->options().cr_password},
                 {"Periodic_Inform_Interval", "3600"}};
    return o;
  }

  Agent* StartAgent(const AgentOptions& options) {
    agents_.push_back(std::make_unique<Agent>(options, dir_ / ("agent-" + options.serial)));
    std::string error;
    EXPECT_TRUE(agents_.back()->Start(&error)) << error;
    return agents_.back().get();
  }

  // Sessions of the device that acsd ended normally (its log: "session ended" reason "done").
  int SessionsDone(const std::string& id) const {
    const std::string needle = R"("msg":"session ended","device":")" + id + R"(","reason":"done")";
    std::string log = acsd_->Log();
    int n = 0;
    for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
    return n;
  }
  // Waits until every Inform the ACS recorded for the device belongs to a finished session
  // (no session in progress: a connection request now starts a new one).
  bool WaitQuiet(const Agent& agent, std::chrono::milliseconds timeout = 30s) {
    return WaitUntil(
        [&] {
          Json informs = rest().Events(agent.DeviceId());
          return informs.is_array() &&
                 SessionsDone(agent.DeviceId()) >= static_cast<int>(informs.as_array().size());
        },
        timeout, 100ms);
  }

  // Waits until the ACS lists the device with lastBoot and lastBootstrap set and its first
  // session (with the data-model discovery, when on) is over.
  bool WaitRegistered(const Agent& agent, std::chrono::milliseconds timeout = 30s) {
    bool registered = false;
    WaitUntil(
        [&] {
          Json d = rest().Device(agent.DeviceId());
          const Json* boot = d.Find("lastBoot");
          const Json* bootstrap = d.Find("lastBootstrap");
          registered = boot != nullptr && bootstrap != nullptr && boot->is_string() &&
                       bootstrap->is_string() && SessionsDone(agent.DeviceId()) >= 1;
          return registered || !agent.Running();
        },
        timeout, 100ms);
    EXPECT_TRUE(agent.Running()) << "cpe-agent run exited";
    return registered;
  }

  // Queues a task with a connection request and waits for its end; the final task object.
  Json RunTask(const Agent& agent, const std::string& body,
               std::chrono::milliseconds wait = 30s) {
    Rest::Reply r = rest().CreateTask(agent.DeviceId(), body, 15000);
    EXPECT_TRUE(r.status == 200 || r.status == 202) << r.status << " " << r.body;
    const Json* cr = r.json.Find("connectionRequest");
    const Json* outcome = cr != nullptr ? cr->Find("outcome") : nullptr;
    EXPECT_TRUE(outcome != nullptr && outcome->is_string() && outcome->as_string() == "ok")
        << "connection request to the agent failed: " << r.body;
    const Json* id = r.json.Find("id");
    if (id == nullptr || !id->is_int()) return r.json;
    return rest().WaitTask(id->as_int(), wait);
  }

  // getParameterValues through a connection request; the value of `name` ("" if missing).
  std::string Gpv(const Agent& agent, const std::string& name) {
    Json t = RunTask(agent, R"({"name":"getParameterValues","parameterNames":[")" + name + "\"]}");
    EXPECT_EQ(Status(t), "done") << cwmp::json::Serialize(t);
    return ResultValue(t, name).value_or("");
  }

  static std::string Status(const Json& task) {
    const Json* s = task.Find("status");
    return s != nullptr && s->is_string() ? s->as_string() : "?";
  }
  static int64_t FaultCode(const Json& task) {
    const Json* f = task.Find("fault");
    const Json* c = f != nullptr ? f->Find("code") : nullptr;
    return c != nullptr && c->is_int() ? c->as_int() : 0;
  }

  AcsdOptions acsd_options_;
  cwmp::testing::PgInstance* pg_ = nullptr;
  std::string db_;
  TempDir dir_;
  std::unique_ptr<Acsd> acsd_;
  std::vector<std::unique_ptr<Agent>> agents_;
};

}  // namespace e2e
