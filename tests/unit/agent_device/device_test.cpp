#include "agent/device.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "../agent_common/agent_test_util.h"
#include "../agent_common/memory_executor.h"
#include "cwmp/content/content.h"
#include "cwmp/soap/codec.h"

namespace agent {
namespace {

namespace soap = cwmp::soap;
using namespace std::chrono_literals;

constexpr const char* kConfigXml =
    "<flat-profile><Station_Name>Lobby</Station_Name>"
    "<Periodic_Inform_Interval>3600</Periodic_Inform_Interval>"
    "<ACS_Password>topsecret</ACS_Password></flat-profile>";

class DeviceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Boot();
    // The phone's default is an Inform every 20 s; most tests want a quiet clock.
    ASSERT_TRUE(device_->store().Set("Periodic_Inform_Enable", "No", ChangeSource::kAcs).ok());
  }

  // (Re)starts the device on the same state directory, as a reboot of the phone would.
  void Boot() {
    device_.reset();
    DeviceOptions opt;
    opt.state_dir = dir_.path();
    opt.identity.model_name = "CP-6841-3PCC";
    opt.identity.serial_number = "FCH1234";
    opt.identity.mac_address = "00:1b:54:01:02:03";
    opt.identity.software_version = software_version_;
    opt.identity.hardware_version = "V01";
    opt.executor = &executor_;
    opt.clock = &clock_;
    opt.config_decode.key = cwmp::Secret("profile-key");
    opt.request_session = [this] { ++session_requests_; };
    opt.reboot = [this] { ++reboots_; };
    opt.schedule_tick = [this](std::chrono::sys_seconds t) { next_tick_ = t; };
    auto d = Device::Start(std::move(opt));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    device_ = std::move(d.value());
  }

  static std::vector<std::string> Codes(const soap::Inform& inform) {
    std::vector<std::string> out;
    for (const auto& e : inform.events) {
      out.push_back(e.command_key.empty() ? e.event_code : e.event_code + "/" + e.command_key);
    }
    return out;
  }
  static const soap::ParameterValue* Param(const soap::Inform& inform, std::string_view name) {
    for (const auto& p : inform.parameters) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }

  // One successful session: Inform accepted, every CPE request acknowledged, ACS requests
  // answered, session end. Returns the Inform.
  soap::Inform Session(const std::vector<soap::Body>& acs_requests = {},
                       std::vector<soap::Body>* cpe_requests = nullptr,
                       std::vector<soap::Body>* answers = nullptr) {
    soap::Inform inform = device_->BuildInform(0);
    device_->OnInformAccepted(inform);
    while (auto req = device_->NextCpeRequest()) {
      if (cpe_requests) cpe_requests->push_back(*req);
      soap::Body resp = std::holds_alternative<soap::TransferComplete>(*req)
                            ? soap::Body(soap::TransferCompleteResponse{})
                            : soap::Body(soap::AutonomousTransferCompleteResponse{});
      device_->OnCpeRequestAnswered(*req, resp);
    }
    for (const auto& r : acs_requests) {
      soap::Body a = device_->HandleAcsRequest(r);
      if (answers) answers->push_back(a);
    }
    device_->OnSessionEnd(true);
    EXPECT_TRUE(device_->last_error().ok()) << device_->last_error().ToString();
    return inform;
  }

  soap::Download ConfigDownload(std::string key, std::string url) {
    soap::Download d;
    d.command_key = std::move(key);
    d.file_type = std::string(kFileTypeConfig);
    d.url = std::move(url);
    return d;
  }

  testing::TempDir dir_;
  FakeClock clock_{std::chrono::sys_seconds{1'790'000'000s}};
  testing::MemoryExecutor executor_;
  std::string software_version_ = "sip68xx.11-3-7";
  std::unique_ptr<Device> device_;
  int session_requests_ = 0;
  int reboots_ = 0;
  std::chrono::sys_seconds next_tick_{};
};

TEST_F(DeviceTest, FirstBootInformsBootstrapAndBoot) {
  soap::Inform inform = device_->BuildInform(3);
  EXPECT_EQ(Codes(inform), (std::vector<std::string>{"0 BOOTSTRAP", "1 BOOT"}));
  EXPECT_EQ(inform.device_id.oui, "001B54");
  EXPECT_EQ(inform.device_id.product_class, "CP-6841-3PCC");
  EXPECT_EQ(inform.device_id.serial_number, "FCH1234");
  EXPECT_EQ(inform.device_id.manufacturer, "Cisco");
  EXPECT_EQ(inform.retry_count, 3u);
  EXPECT_EQ(inform.current_time, soap::FormatDateTime(clock_.Now()));
  ASSERT_NE(Param(inform, "Device.DeviceInfo.SoftwareVersion"), nullptr);
  EXPECT_EQ(Param(inform, "Device.DeviceInfo.SoftwareVersion")->value, "sip68xx.11-3-7");
  EXPECT_NE(Param(inform, "Device.ManagementServer.ParameterKey"), nullptr);
  EXPECT_NE(Param(inform, "Device.ManagementServer.ConnectionRequestURL"), nullptr);
  // The codec accepts what the device builds.
  soap::Envelope env;
  env.id = "1";
  env.body = inform;
  EXPECT_TRUE(soap::Encode(env, soap::CwmpVersion::k1_2).ok());

  device_->OnInformAccepted(inform);
  device_->OnSessionEnd(true);
  EXPECT_TRUE(device_->BuildInform(0).events.empty());
  Boot();
  EXPECT_EQ(Codes(device_->BuildInform(0)), (std::vector<std::string>{"1 BOOT"}));
}

TEST_F(DeviceTest, FailedInformKeepsEventsButNotConnectionRequest) {
  Session();
  ASSERT_TRUE(device_->OnConnectionRequest().ok());
  EXPECT_EQ(session_requests_, 1);
  EXPECT_EQ(Codes(device_->BuildInform(0)), (std::vector<std::string>{"6 CONNECTION REQUEST"}));
  device_->OnSessionEnd(false);
  EXPECT_TRUE(device_->BuildInform(1).events.empty());
}

TEST_F(DeviceTest, NewAcsUrlBootstraps) {
  Session();
  soap::SetParameterValues spv;
  spv.parameters = {{"Device.ManagementServer.URL", "https://acs2.example/cwmp", "xsd:string"}};
  spv.parameter_key = "move";
  Session({spv});
  EXPECT_EQ(Codes(Session()), (std::vector<std::string>{"0 BOOTSTRAP"}));
  EXPECT_TRUE(Session().events.empty());
}

TEST_F(DeviceTest, SetParameterValuesStoresParameterKeyInForcedParams) {
  Session();
  soap::SetParameterValues spv;
  spv.parameters = {{"Device.ManagementServer.PeriodicInformInterval", "120", "xsd:unsignedInt"}};
  spv.parameter_key = "pk-77";
  std::vector<soap::Body> answers;
  Session({spv}, nullptr, &answers);
  EXPECT_TRUE(std::holds_alternative<soap::SetParameterValuesResponse>(answers.at(0)));
  soap::Inform next = Session();
  EXPECT_EQ(Param(next, "Device.ManagementServer.ParameterKey")->value, "pk-77");
  // An ACS change never raises VALUE CHANGE, even with notification on.
  EXPECT_TRUE(next.events.empty());
}

TEST_F(DeviceTest, LocalChangeRaisesValueChange) {
  Session();
  soap::SetParameterAttributes spa;
  spa.parameters = {{"Device.X_TR069PHONE_Phone.Station_Name", true, 1, false, {}},
                    {"Device.ManagementServer.PeriodicInformInterval", true, 2, false, {}}};
  Session({spa});
  auto p = cwmp::prov::ParseFlatProfile(
      "<flat-profile><Station_Name>Desk 7</Station_Name></flat-profile>");
  ASSERT_TRUE(p.ok());
  int before = session_requests_;
  ASSERT_TRUE(device_->ApplyLocalProfile(*p).ok());
  EXPECT_EQ(session_requests_, before);  // passive: no immediate session
  soap::Inform inform = Session();
  EXPECT_EQ(Codes(inform), (std::vector<std::string>{"4 VALUE CHANGE"}));
  ASSERT_NE(Param(inform, "Device.X_TR069PHONE_Phone.Station_Name"), nullptr);
  EXPECT_EQ(Param(inform, "Device.X_TR069PHONE_Phone.Station_Name")->value, "Desk 7");
  EXPECT_TRUE(Session().events.empty());

  p = cwmp::prov::ParseFlatProfile(
      "<flat-profile><Periodic_Inform_Interval>99</Periodic_Inform_Interval></flat-profile>");
  ASSERT_TRUE(device_->ApplyLocalProfile(*p).ok());
  EXPECT_EQ(session_requests_, before + 1);  // active: a session now
}

TEST_F(DeviceTest, ConfigDownloadGoesThroughDecodeAndApply) {
  Session();
  cwmp::content::EncodeOptions enc;
  enc.gzip = true;
  enc.key = cwmp::Secret("profile-key");
  auto encoded = cwmp::content::EncodeContent(kConfigXml, enc);
  ASSERT_TRUE(encoded.ok());
  executor_.files["https://files.example/cfg.xml.enc"] = *encoded;
  auto dl = ConfigDownload("cfg-1", "https://files.example/cfg.xml.enc");
  dl.delay_seconds = 30;
  std::vector<soap::Body> answers;
  Session({dl}, nullptr, &answers);
  EXPECT_EQ(std::get<soap::DownloadResponse>(answers.at(0)).status, 1);
  EXPECT_EQ(next_tick_, clock_.Now() + 30s);

  device_->Tick();  // not due yet
  EXPECT_EQ(device_->store().Get("Station_Name"), "");
  clock_.Advance(30s);
  int before = session_requests_;
  device_->Tick();
  EXPECT_EQ(session_requests_, before + 1);
  EXPECT_EQ(device_->store().Get("Station_Name"), "Lobby");
  EXPECT_EQ(device_->store().Get("ACS_Password"), "topsecret");

  std::vector<soap::Body> cpe;
  soap::Inform inform = Session({}, &cpe);
  EXPECT_EQ(Codes(inform), (std::vector<std::string>{"7 TRANSFER COMPLETE", "M Download/cfg-1"}));
  ASSERT_EQ(cpe.size(), 1u);
  const auto& tc = std::get<soap::TransferComplete>(cpe[0]);
  EXPECT_EQ(tc.command_key, "cfg-1");
  EXPECT_EQ(tc.fault.fault_code, 0u);
  EXPECT_EQ(tc.start_time, soap::FormatDateTime(clock_.Now()));
  EXPECT_EQ(tc.complete_time, soap::FormatDateTime(clock_.Now()));
  EXPECT_TRUE(Session().events.empty());
}

TEST_F(DeviceTest, DownloadFailuresBecomeTransferFaults) {
  struct Case {
    const char* name;
    std::string file_type;
    const char* url;
    std::string content;  // nothing stored when empty
    uint32_t fault;
  } cases[] = {
      {"missing file", std::string(kFileTypeConfig), "http://f/missing", "", 9016},
      {"not a profile", std::string(kFileTypeConfig), "http://f/junk", "<html>nope", 9018},
      {"invalid value", std::string(kFileTypeConfig), "http://f/bad",
       "<flat-profile><Periodic_Inform_Interval>soon</Periodic_Inform_Interval></flat-profile>",
       9018},
      {"encrypted with another key", std::string(kFileTypeConfig), "http://f/enc", "", 9018},
      {"CA without certificate", std::string(kFileTypeCustomCa), "http://f/ca", "hello", 9018},
  };
  cwmp::content::EncodeOptions enc;
  enc.key = cwmp::Secret("wrong-key");
  executor_.files["http://f/enc"] = *cwmp::content::EncodeContent(kConfigXml, enc);
  Session();
  for (const auto& c : cases) {
    if (!c.content.empty()) executor_.files[c.url] = c.content;
    auto dl = ConfigDownload(c.name, c.url);
    dl.file_type = c.file_type;
    Session({dl});
    device_->Tick();
    std::vector<soap::Body> cpe;
    Session({}, &cpe);
    ASSERT_EQ(cpe.size(), 1u) << c.name;
    const auto& tc = std::get<soap::TransferComplete>(cpe[0]);
    EXPECT_EQ(tc.fault.fault_code, c.fault) << c.name;
    EXPECT_FALSE(tc.fault.fault_string.empty()) << c.name;
    EXPECT_EQ(tc.fault.fault_string.find("topsecret"), std::string::npos);
  }
  EXPECT_EQ(device_->store().Get("Periodic_Inform_Interval"), "20");  // nothing applied
}

TEST_F(DeviceTest, FirmwareDownloadRebootsThenReports) {
  Session();
  executor_.files["http://f/fw.bin"] = "IMAGE";
  auto dl = ConfigDownload("fw-1", "http://f/fw.bin");
  dl.file_type = std::string(kFileTypeFirmware);
  Session({dl});
  device_->Tick();
  EXPECT_EQ(executor_.installed_firmware, std::vector<std::string>{"IMAGE"});
  EXPECT_EQ(reboots_, 1);
  software_version_ = "sip68xx.12-0-1";
  Boot();
  std::vector<soap::Body> cpe;
  soap::Inform inform = Session({}, &cpe);
  EXPECT_EQ(Codes(inform),
            (std::vector<std::string>{"7 TRANSFER COMPLETE", "M Download/fw-1", "1 BOOT",
                                      "4 VALUE CHANGE"}));
  EXPECT_EQ(Param(inform, "Device.DeviceInfo.SoftwareVersion")->value, "sip68xx.12-0-1");
  ASSERT_EQ(cpe.size(), 1u);
  EXPECT_EQ(std::get<soap::TransferComplete>(cpe[0]).command_key, "fw-1");
  EXPECT_EQ(reboots_, 1);
}

TEST_F(DeviceTest, CustomCaDownload) {
  Session();
  executor_.files["http://f/ca.pem"] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  auto dl = ConfigDownload("ca", "http://f/ca.pem");
  dl.file_type = std::string(kFileTypeCustomCa);
  Session({dl});
  device_->Tick();
  EXPECT_EQ(executor_.installed_ca.size(), 1u);
}

TEST_F(DeviceTest, TransferCompleteRefusedIsRetriedNextSession) {
  Session();
  executor_.files["http://f/c"] = "<flat-profile/>";
  Session({ConfigDownload("k", "http://f/c")});
  device_->Tick();
  device_->BuildInform(0);
  auto req = device_->NextCpeRequest();
  ASSERT_TRUE(req.has_value());
  device_->OnCpeRequestAnswered(*req, soap::MakeFault(8002));
  EXPECT_FALSE(device_->NextCpeRequest().has_value());  // not again in this session
  device_->OnSessionEnd(true);
  Boot();  // and it survives a restart
  std::vector<soap::Body> cpe;
  Session({}, &cpe);
  EXPECT_EQ(cpe.size(), 1u);
  EXPECT_TRUE(device_->events().state().results.empty());
}

TEST_F(DeviceTest, RebootRpcThenMReboot) {
  Session();
  Session({soap::Reboot{"rb-9"}});
  EXPECT_EQ(reboots_, 1);
  Boot();
  EXPECT_EQ(Codes(Session()), (std::vector<std::string>{"M Reboot/rb-9", "1 BOOT"}));
}

TEST_F(DeviceTest, FactoryResetRestoresDefaultsAndBootstraps) {
  Session();
  soap::SetParameterValues spv;
  spv.parameters = {{"Device.ManagementServer.PeriodicInformInterval", "120", "xsd:unsignedInt"}};
  spv.parameter_key = "pk";
  Session({spv, soap::FactoryReset{}});
  EXPECT_EQ(reboots_, 1);
  EXPECT_EQ(device_->store().Get("Periodic_Inform_Interval"), "20");
  Boot();
  soap::Inform inform = Session();
  EXPECT_EQ(Codes(inform), (std::vector<std::string>{"0 BOOTSTRAP", "1 BOOT"}));
  EXPECT_EQ(Param(inform, "Device.ManagementServer.ParameterKey")->value, "");
}

TEST_F(DeviceTest, FactoryResetInterruptedByCrashIsFinishedAtBoot) {
  Session();
  ASSERT_TRUE(device_->store().Set("Station_Name", "x", ChangeSource::kLocal).ok());
  device_->HandleAcsRequest(soap::FactoryReset{});
  Boot();  // crash before the session ended
  EXPECT_EQ(device_->store().Get("Station_Name"), "");
  EXPECT_EQ(Codes(Session()), (std::vector<std::string>{"0 BOOTSTRAP", "1 BOOT"}));
}

TEST_F(DeviceTest, UploadsOmitSecrets) {
  Session();
  ASSERT_TRUE(device_->store().Set("ACS_Password", "topsecret", ChangeSource::kAcs).ok());
  ASSERT_TRUE(device_->store().Set("Station_Name", "Hall", ChangeSource::kAcs).ok());
  soap::Upload cfg{"up-cfg", "1 Vendor Configuration File", "http://u/cfg", "", {}, 0};
  soap::Upload log{"up-log", "2 Vendor Log File", "http://u/log", "", {}, 0};
  soap::Upload bad{"up-bad", "2 Vendor Log File", "http://u/denied", "", {}, 0};
  Session({cfg, log, bad});
  device_->Tick();
  const std::string& text = executor_.uploads.at("http://u/cfg");
  EXPECT_NE(text.find("<Station_Name"), std::string::npos);
  EXPECT_NE(text.find("Hall"), std::string::npos);
  EXPECT_EQ(text.find("topsecret"), std::string::npos);
  EXPECT_TRUE(cwmp::prov::ParseFlatProfile(text).ok());
  EXPECT_EQ(executor_.uploads.at("http://u/log"), executor_.log);
  std::vector<soap::Body> cpe;
  soap::Inform inform = Session({}, &cpe);
  EXPECT_EQ(Codes(inform),
            (std::vector<std::string>{"7 TRANSFER COMPLETE", "M Upload/up-cfg", "M Upload/up-log",
                                      "M Upload/up-bad"}));
  ASSERT_EQ(cpe.size(), 3u);
  EXPECT_EQ(std::get<soap::TransferComplete>(cpe[2]).fault.fault_code, 9011u);
}

TEST_F(DeviceTest, ScheduleInformFiresWhenDue) {
  Session();
  Session({soap::ScheduleInform{600, "si-1"}});
  EXPECT_EQ(next_tick_, clock_.Now() + 600s);
  clock_.Advance(599s);
  device_->Tick();
  EXPECT_TRUE(device_->BuildInform(0).events.empty());
  clock_.Advance(1s);
  int before = session_requests_;
  device_->Tick();
  EXPECT_EQ(session_requests_, before + 1);
  EXPECT_EQ(Codes(Session()), (std::vector<std::string>{"3 SCHEDULED", "M ScheduleInform/si-1"}));
}

TEST_F(DeviceTest, ScheduleDownloadOutsideWindowFails9020) {
  Session();
  executor_.files["http://f/c"] = "<flat-profile/>";
  soap::ScheduleDownload sd;
  sd.command_key = "sd";
  sd.file_type = std::string(kFileTypeConfig);
  sd.url = "http://f/c";
  sd.time_windows = {{10, 20, "1 At Any Time", "", 0}};
  Session({sd});
  clock_.Advance(25s);  // the daemon slept through the window
  device_->Tick();
  std::vector<soap::Body> cpe;
  soap::Inform inform = Session({}, &cpe);
  EXPECT_EQ(Codes(inform),
            (std::vector<std::string>{"7 TRANSFER COMPLETE", "M ScheduleDownload/sd"}));
  EXPECT_EQ(std::get<soap::TransferComplete>(cpe.at(0)).fault.fault_code, 9020u);
}

TEST_F(DeviceTest, PeriodicInform) {
  Session();
  soap::SetParameterValues spv;
  spv.parameters = {{"Device.ManagementServer.PeriodicInformEnable", "true", "xsd:boolean"},
                    {"Device.ManagementServer.PeriodicInformInterval", "300", "xsd:unsignedInt"},
                    {"Device.ManagementServer.PeriodicInformTime", "2026-01-01T00:00:00Z",
                     "xsd:dateTime"}};
  Session({spv});
  auto next = device_->Tick();
  EXPECT_GT(next, clock_.Now());
  EXPECT_LE(next, clock_.Now() + 300s);
  EXPECT_EQ((next.time_since_epoch().count() - 1'767'225'600) % 300, 0);
  clock_.Set(next);
  device_->Tick();
  EXPECT_EQ(Codes(Session()), (std::vector<std::string>{"2 PERIODIC"}));
}

TEST_F(DeviceTest, AutonomousTransferComplete) {
  Session();
  TransferResult r;
  r.announce_url = "";
  r.transfer_url = "http://prov/cfg.xml";
  r.file_type = "3 Vendor Configuration File";
  r.start_time = "2026-11-26T10:00:00Z";
  r.complete_time = "2026-11-26T10:00:01Z";
  ASSERT_TRUE(device_->RecordAutonomousTransfer(r).ok());
  std::vector<soap::Body> cpe;
  soap::Inform inform = Session({}, &cpe);
  EXPECT_EQ(Codes(inform), (std::vector<std::string>{"10 AUTONOMOUS TRANSFER COMPLETE"}));
  ASSERT_EQ(cpe.size(), 1u);
  EXPECT_EQ(std::get<soap::AutonomousTransferComplete>(cpe[0]).transfer_url,
            "http://prov/cfg.xml");
  EXPECT_TRUE(Session().events.empty());
}

TEST_F(DeviceTest, ConnectionRequestUrlChangeIsActive) {
  device_->SetConnectionRequestUrl("http://10.0.0.2:7547/a");
  Session();
  int before = session_requests_;
  device_->SetConnectionRequestUrl("http://10.0.0.3:7547/a");
  EXPECT_EQ(session_requests_, before + 1);
  soap::Inform inform = Session();
  EXPECT_EQ(Codes(inform), (std::vector<std::string>{"4 VALUE CHANGE"}));
  EXPECT_EQ(Param(inform, "Device.ManagementServer.ConnectionRequestURL")->value,
            "http://10.0.0.3:7547/a");
}

}  // namespace
}  // namespace agent
