// A phone's life against the real ACS: `cpe-agent run` and `acsd serve` on a real PostgreSQL.
// boot → 0 BOOTSTRAP + 1 BOOT → GetParameterValues through a Digest connection request →
// SetParameterValues persisted across a restart → Reboot (M Reboot + 1 BOOT) → FactoryReset
// (0 BOOTSTRAP, value back to its default) → Download of a vendor configuration file from nginx
// (TransferComplete matched, the file's parameters applied) → failing downloads (9016, 9018).
#include <filesystem>

#include "acs/http_client.h"
#include "e2e_fixture.h"
#include "nginx_instance.h"
#include "test_ca.h"

CWMP_PG_ENVIRONMENT();

namespace e2e {
namespace {

class AgentLifecycle : public E2ETest {
 protected:
  void SetUp() override {
    acsd_options_.discovery = true;  // the ACS reads the data model at 0 BOOTSTRAP
    E2ETest::SetUp();
  }
};

// The first Inform of the device carries both 0 BOOTSTRAP and 1 BOOT.
bool FirstInformHasBootstrapAndBoot(const Json& informs) {
  if (!informs.is_array() || informs.as_array().empty()) return false;
  const Json& first = informs.as_array().back();  // newest first
  bool bootstrap = false, boot = false;
  if (const Json* events = first.Find("events"); events != nullptr && events->is_array()) {
    for (const auto& e : events->as_array()) {
      const Json* c = e.Find("code");
      if (c == nullptr || !c->is_string()) continue;
      bootstrap |= c->as_string() == "0 BOOTSTRAP";
      boot |= c->as_string() == "1 BOOT";
    }
  }
  return bootstrap && boot;
}

TEST_F(AgentLifecycle, BootstrapGetSetSurvivesRestart) {
  Agent* agent = StartAgent(PhoneOptions("LIFE0001"));
  ASSERT_TRUE(WaitRegistered(*agent)) << "the phone never registered";
  const std::string id = agent->DeviceId();
  std::vector<std::string> listed = rest().DeviceIds("");
  ASSERT_EQ(listed, std::vector<std::string>{id});
  EXPECT_TRUE(FirstInformHasBootstrapAndBoot(rest().Events(id)))
      << cwmp::json::Serialize(rest().Events(id));
  // The Inform reported where to send connection requests: the agent's own listener.
  std::string cr_url = rest().Param(id, "Device.ManagementServer.ConnectionRequestURL").value_or("");
  EXPECT_EQ(cr_url.rfind("http://127.0.0.1:", 0), 0u) << cr_url;

  // GetParameterValues through a Digest connection request.
  Json gpv = RunTask(*agent,
                     R"({"name":"getParameterValues","parameterNames":[")" + kInterval +
                         R"(","Device.DeviceInfo.SerialNumber","Device.DeviceInfo.SoftwareVersion"]})");
  ASSERT_EQ(Status(gpv), "done") << cwmp::json::Serialize(gpv);
  EXPECT_EQ(ResultValue(gpv, kInterval), "3600");  // from the first-start profile
  EXPECT_EQ(ResultValue(gpv, "Device.DeviceInfo.SerialNumber"), "LIFE0001");
  EXPECT_EQ(ResultValue(gpv, "Device.DeviceInfo.SoftwareVersion"), agent->options().swver);
  EXPECT_TRUE(rest().HasEvent(id, "6 CONNECTION REQUEST"));

  // SetParameterValues, read back, persisted on the phone.
  Json spv = RunTask(*agent, R"({"name":"setParameterValues","parameterValues":[[")" + kInterval +
                                 R"(","300","xsd:unsignedInt"]],"parameterKey":"e2e-1"})");
  ASSERT_EQ(Status(spv), "done") << cwmp::json::Serialize(spv);
  EXPECT_EQ(Gpv(*agent, kInterval), "300");
  EXPECT_EQ(Gpv(*agent, "Device.ManagementServer.ParameterKey"), "e2e-1");

  // A graceful stop and a new process on the same state: 1 BOOT, no new BOOTSTRAP, value kept.
  EXPECT_EQ(agent->Terminate(), 0) << "SIGTERM must end cpe-agent run with exit 0";
  std::string error;
  ASSERT_TRUE(agent->Start(&error)) << error;
  ASSERT_TRUE(WaitUntil([&] { return rest().CountEvents(id, "1 BOOT") >= 2; }, 30s))
      << "no 1 BOOT Inform after the restart";
  ASSERT_TRUE(WaitQuiet(*agent));
  EXPECT_EQ(rest().CountEvents(id, "0 BOOTSTRAP"), 1);
  EXPECT_EQ(Gpv(*agent, kInterval), "300");
  EXPECT_EQ(agent->Terminate(), 0);
}

TEST_F(AgentLifecycle, RebootThenFactoryReset) {
  Agent* agent = StartAgent(PhoneOptions("LIFE0002"));
  ASSERT_TRUE(WaitRegistered(*agent));
  const std::string id = agent->DeviceId();
  ASSERT_EQ(Status(RunTask(*agent, R"({"name":"setParameterValues","parameterValues":[[")" +
                                       kInterval + R"(","300","xsd:unsignedInt"]]})")),
            "done");

  Json reboot = RunTask(*agent, R"({"name":"reboot","commandKey":"e2e-reboot"})");
  EXPECT_EQ(Status(reboot), "done") << cwmp::json::Serialize(reboot);
  ASSERT_TRUE(WaitUntil([&] { return rest().HasEvent(id, "M Reboot", "e2e-reboot"); }, 30s))
      << "no M Reboot after the Reboot RPC: " << cwmp::json::Serialize(rest().Events(id));
  EXPECT_EQ(rest().CountEvents(id, "1 BOOT"), 2);
  EXPECT_EQ(rest().CountEvents(id, "0 BOOTSTRAP"), 1);
  ASSERT_TRUE(WaitQuiet(*agent));
  EXPECT_EQ(Gpv(*agent, kInterval), "300");  // a reboot keeps the configuration

  Json reset = RunTask(*agent, R"({"name":"factoryReset"})");
  EXPECT_EQ(Status(reset), "done") << cwmp::json::Serialize(reset);
  ASSERT_TRUE(WaitUntil([&] { return rest().CountEvents(id, "0 BOOTSTRAP") >= 2; }, 30s))
      << "no 0 BOOTSTRAP after FactoryReset: " << cwmp::json::Serialize(rest().Events(id));
  // The ACS re-reads the data model at the new BOOTSTRAP: the catalog default is back (the
  // first-start profile is not applied again: a reset phone is a phone out of the box).
  EXPECT_TRUE(WaitUntil([&] { return rest().Param(id, kInterval) == "20"; }, 30s))
      << "PeriodicInformInterval after the reset: " << rest().Param(id, kInterval).value_or("none");
  EXPECT_TRUE(agent->Running());
}

class AgentDownload : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    std::filesystem::create_directories(dir_ / "ca");
    std::string error;
    ASSERT_TRUE(cwmp_test::TestCa::Create(dir_ / "ca", {}, &ca_, &error)) << error;
    nginx_ = cwmp_test::NginxInstance::Start(dir_ / "nginx", ca_, &error);
    ASSERT_NE(nginx_, nullptr) << error;
  }
  cwmp_test::TestCa ca_;
  std::unique_ptr<cwmp_test::NginxInstance> nginx_;
};

TEST_F(AgentDownload, VendorConfigurationFileOverHttp) {
  Agent* agent = StartAgent(PhoneOptions("DL0001"));
  ASSERT_TRUE(WaitRegistered(*agent));
  const std::string id = agent->DeviceId();
  ASSERT_TRUE(nginx_->PutFile("phone.cfg", FlatProfile({{"Station_Name", "e2e-downloaded"},
                                                        {"Periodic_Inform_Interval", "1800"}})));
  Json task = RunTask(*agent, R"({"name":"download","fileType":"3 Vendor Configuration File","url":")" +
                                  nginx_->HttpUrl("/files/phone.cfg") +
                                  R"(","commandKey":"cfg-1"})");
  ASSERT_EQ(Status(task), "done") << cwmp::json::Serialize(task);
  const Json* result = task.Find("result");
  ASSERT_NE(result, nullptr);
  EXPECT_NE(result->Find("completeTime"), nullptr) << cwmp::json::Serialize(task);
  EXPECT_TRUE(rest().HasEvent(id, "7 TRANSFER COMPLETE"));
  EXPECT_TRUE(rest().HasEvent(id, "M Download", "cfg-1"));
  EXPECT_GE(nginx_->CountRequests("/files/phone.cfg"), 1);
  EXPECT_EQ(Gpv(*agent, kStationName), "e2e-downloaded");
  EXPECT_EQ(Gpv(*agent, kInterval), "1800");
}

TEST_F(AgentDownload, FailedDownloadsFaultTheTaskAndChangeNothing) {
  Agent* agent = StartAgent(PhoneOptions("DL0002"));
  ASSERT_TRUE(WaitRegistered(*agent));
  // 404: TransferComplete with 9016 fails the task.
  Json missing = RunTask(*agent, R"({"name":"download","fileType":"3 Vendor Configuration File","url":")" +
                                     nginx_->HttpUrl("/files/missing.cfg") + R"("})");
  EXPECT_EQ(Status(missing), "fault") << cwmp::json::Serialize(missing);
  EXPECT_EQ(FaultCode(missing), 9016) << cwmp::json::Serialize(missing);
  // A file that is not a valid profile for this phone (a value the catalog refuses, after a
  // valid one): 9018, and not even the valid value is applied.
  ASSERT_TRUE(nginx_->PutFile("bad.cfg", FlatProfile({{"Station_Name", "must-not-apply"},
                                                      {"Periodic_Inform_Interval", "soon"}})));
  Json bad = RunTask(*agent, R"({"name":"download","fileType":"3 Vendor Configuration File","url":")" +
                                 nginx_->HttpUrl("/files/bad.cfg") + R"("})");
  EXPECT_EQ(Status(bad), "fault") << cwmp::json::Serialize(bad);
  EXPECT_EQ(FaultCode(bad), 9018) << cwmp::json::Serialize(bad);
  EXPECT_EQ(Gpv(*agent, kStationName), "");
  EXPECT_EQ(Gpv(*agent, kInterval), "3600");
  // The faults are listed by the API.
  Rest::Reply faults = rest().Get("/faults?device=" + acs::http::PercentEncode(agent->DeviceId()));
  ASSERT_EQ(faults.status, 200);
  EXPECT_NE(faults.body.find("9016"), std::string::npos) << faults.body;
}

}  // namespace
}  // namespace e2e
