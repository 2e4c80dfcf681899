#include "agent/data_model.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "../agent_common/agent_test_util.h"

namespace agent {
namespace {

namespace soap = cwmp::soap;
using namespace std::chrono_literals;

DeviceIdentity TestIdentity() {
  DeviceIdentity id;
  id.model_name = "CP-6841-3PCC";
  id.serial_number = "FCH1234ABCD";
  id.mac_address = "00:1b:54:aa:bb:cc";
  id.hardware_version = "V01";
  id.software_version = "sip68xx.11-3-7";
  return id;
}

class DataModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = ParameterStore::Open(dir_.path());
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    model_ = std::make_unique<DataModel>(*store_, TestIdentity(), clock_);
  }
  template <typename T>
  static const T& Ok(const FaultOr<T>& r) {
    static const T empty{};
    if (auto* f = std::get_if<soap::Fault>(&r)) {
      ADD_FAILURE() << "fault " << f->code << " " << f->string;
      return empty;
    }
    return std::get<T>(r);
  }
  template <typename T>
  static uint32_t FaultCode(const FaultOr<T>& r) {
    auto* f = std::get_if<soap::Fault>(&r);
    return f ? f->code : 0;
  }
  std::string Value(const std::string& path) {
    auto r = model_->GetValues({path});
    auto& v = Ok(r);
    return v.size() == 1 ? v[0].value : "<" + std::to_string(v.size()) + " values>";
  }

  testing::TempDir dir_;
  FakeClock clock_{std::chrono::sys_seconds{1'700'000'000s}};
  std::unique_ptr<ParameterStore> store_;
  std::unique_ptr<DataModel> model_;
};

TEST(OuiFromMac, Forms) {
  EXPECT_EQ(OuiFromMac("00:1b:54:aa:bb:cc"), "001B54");
  EXPECT_EQ(OuiFromMac("001B54AABBCC"), "001B54");
  EXPECT_EQ(OuiFromMac("00-1b-54-aa-bb-cc"), "001B54");
  EXPECT_EQ(OuiFromMac("0:1"), "");
}

TEST_F(DataModelTest, LiveAndStoreValues) {
  struct Case {
    const char* path;
    const char* value;
  } cases[] = {
      {"Device.DeviceInfo.Manufacturer", "Cisco"},
      {"Device.DeviceInfo.ManufacturerOUI", "001B54"},
      {"Device.DeviceInfo.ProductClass", "CP-6841-3PCC"},
      {"Device.DeviceInfo.SerialNumber", "FCH1234ABCD"},
      {"Device.DeviceInfo.SoftwareVersion", "sip68xx.11-3-7"},
      {"Device.DeviceInfo.UpTime", "0"},
      {"Device.ManagementServer.PeriodicInformEnable", "true"},
      {"Device.ManagementServer.PeriodicInformInterval", "20"},
      {"Device.ManagementServer.EnableCWMP", "false"},
      {"Device.ManagementServer.CWMPRetryMinimumWaitInterval", "5"},
      {"Device.ManagementServer.CWMPRetryIntervalMultiplier", "2000"},
      {"Device.ManagementServer.PeriodicInformTime", "0001-01-01T00:00:00Z"},
      {"Device.ManagementServer.ParameterKey", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(Value(c.path), c.value) << c.path;
  clock_.Advance(42s);
  EXPECT_EQ(Value("Device.DeviceInfo.UpTime"), "42");
}

TEST_F(DataModelTest, TypesFollowTheCatalog) {
  struct Case {
    const char* path;
    const char* xsd;
  } cases[] = {
      {"Device.ManagementServer.PeriodicInformEnable", "xsd:boolean"},
      {"Device.ManagementServer.PeriodicInformInterval", "xsd:unsignedInt"},
      {"Device.ManagementServer.URL", "xsd:string"},
      {"Device.Services.VoiceService.1.SIP.Network.1.UserAgentPort", "xsd:unsignedInt"},
      {"Device.ManagementServer.PeriodicInformTime", "xsd:dateTime"},
      {"Device.DeviceInfo.UpTime", "xsd:unsignedInt"},
  };
  for (const auto& c : cases) {
    auto r = model_->GetValues({c.path});
    ASSERT_EQ(Ok(r).size(), 1u) << c.path;
    EXPECT_EQ(Ok(r)[0].type, c.xsd) << c.path;
  }
}

TEST_F(DataModelTest, PartialPathsAndUnknownNames) {
  auto r = model_->GetValues({"Device.DeviceInfo."});
  EXPECT_GE(Ok(r).size(), 10u);
  for (const auto& pv : Ok(r)) EXPECT_TRUE(pv.name.starts_with("Device.DeviceInfo.")) << pv.name;
  EXPECT_EQ(FaultCode(model_->GetValues({"Device.NoSuch."})), 9005u);
  EXPECT_EQ(FaultCode(model_->GetValues({"Device.DeviceInfo.Nope"})), 9005u);
  EXPECT_EQ(FaultCode(model_->GetValues({"Device.DeviceInfo"})), 9005u);
  auto all = model_->GetValues({"Device."});
  EXPECT_GT(Ok(all).size(), 500u);
}

TEST_F(DataModelTest, HexNumbersReadInDecimal) {
  ASSERT_TRUE(store_->Set("Periodic_Inform_Interval", "0x1F", ChangeSource::kLocal).ok());
  EXPECT_EQ(Value("Device.ManagementServer.PeriodicInformInterval"), "31");
}

TEST_F(DataModelTest, RemovedInstancesLeaveGetParameterNames) {
  ASSERT_EQ(FaultCode(model_->DeleteObject("Device.Services.VoiceService.1.SIP.Client.2.", "k")),
            0u);
  auto r = model_->GetNames("Device.Services.VoiceService.1.SIP.Client.", true);
  std::vector<std::string> names;
  for (const auto& i : Ok(r)) names.push_back(i.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Device.Services.VoiceService.1.SIP.Client.1.",
                                             "Device.Services.VoiceService.1.SIP.Client.3.",
                                             "Device.Services.VoiceService.1.SIP.Client.4."}));
  // The whole line is gone, in every table of the group.
  EXPECT_EQ(FaultCode(model_->GetValues({"Device.X_TR069PHONE_Phone.Line.2."})), 9005u);
  EXPECT_EQ(FaultCode(model_->GetValues({"Device.Services.VoiceService.1.CallControl.Line.2."})),
            9005u);
  EXPECT_EQ(FaultCode(model_->GetNames("Device.Services.VoiceService.1.SIP.Client.2.", false)),
            9005u);
}

TEST_F(DataModelTest, PasswordsReadEmpty) {
  ASSERT_TRUE(store_->Set("ACS_Password", "s3cret", ChangeSource::kAcs).ok());
  EXPECT_EQ(Value("Device.ManagementServer.Password"), "");
  EXPECT_EQ(Value("Device.Services.VoiceService.1.SIP.Client.1.AuthPassword"), "");
  EXPECT_EQ(store_->Get("ACS_Password"), "s3cret");
}

TEST_F(DataModelTest, GetNamesNextLevel) {
  auto top = model_->GetNames("", true);
  ASSERT_EQ(Ok(top).size(), 1u);
  EXPECT_EQ(Ok(top)[0].name, "Device.");

  auto dev = model_->GetNames("Device.", true);
  std::vector<std::string> names;
  for (const auto& i : Ok(dev)) names.push_back(i.name);
  for (const char* want : {"Device.DeviceInfo.", "Device.ManagementServer.", "Device.Services.",
                           "Device.RootDataModelVersion"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
  for (const auto& n : names) {
    std::string_view rest = std::string_view(n).substr(7);
    size_t dot = rest.find('.');
    EXPECT_TRUE(dot == std::string_view::npos || dot == rest.size() - 1) << n;
  }

  auto ms = model_->GetNames("Device.ManagementServer.URL", false);
  ASSERT_EQ(Ok(ms).size(), 1u);
  EXPECT_TRUE(Ok(ms)[0].writable);
  EXPECT_EQ(FaultCode(model_->GetNames("Device.ManagementServer.URL", true)), 9003u);
  EXPECT_EQ(FaultCode(model_->GetNames("Device.Bogus.", false)), 9005u);
}

TEST_F(DataModelTest, GetNamesFullSubtree) {
  auto r = model_->GetNames("Device.WiFi.", false);
  const auto& v = Ok(r);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0].name, "Device.WiFi.");
  auto find = [&](const std::string& n) {
    return std::find_if(v.begin(), v.end(), [&](const auto& i) { return i.name == n; });
  };
  ASSERT_NE(find("Device.WiFi.EndPoint.1.Profile."), v.end());
  EXPECT_TRUE(find("Device.WiFi.EndPoint.1.Profile.")->writable);
  ASSERT_NE(find("Device.WiFi.EndPoint.1.Profile.2."), v.end());
  EXPECT_TRUE(find("Device.WiFi.EndPoint.1.Profile.2.")->writable);
  ASSERT_NE(find("Device.WiFi.EndPoint.1.Profile.2.Security."), v.end());
  EXPECT_FALSE(find("Device.WiFi.EndPoint.1.Profile.2.Security.")->writable);
  EXPECT_NE(find("Device.WiFi.EndPoint.1.Profile.2.SSID"), v.end());
  EXPECT_FALSE(find("Device.WiFi.EndPoint.")->writable);
}

TEST_F(DataModelTest, SetValuesTable) {
  struct Case {
    const char* name;
    std::vector<soap::ParameterValue> values;
    uint32_t fault;                     // 0: success
    std::vector<uint32_t> param_faults; // per-parameter codes when fault == 9003
  } cases[] = {
      {"ok", {{"Device.ManagementServer.PeriodicInformInterval", "300", "xsd:unsignedInt"}}, 0, {}},
      {"bool", {{"Device.ManagementServer.PeriodicInformEnable", "0", "xsd:boolean"}}, 0, {}},
      {"unknown", {{"Device.ManagementServer.Nope", "1", "xsd:string"}}, 9003, {9005}},
      {"type", {{"Device.ManagementServer.PeriodicInformInterval", "3", "xsd:string"}}, 9003, {9006}},
      {"value", {{"Device.ManagementServer.PeriodicInformInterval", "-3", "xsd:unsignedInt"}},
       9003, {9007}},
      {"bool value", {{"Device.ManagementServer.PeriodicInformEnable", "yes", "xsd:boolean"}},
       9003, {9007}},
      {"range", {{"Device.ManagementServer.CWMPRetryIntervalMultiplier", "999", "xsd:unsignedInt"}},
       9003, {9007}},
      {"read-only", {{"Device.DeviceInfo.SerialNumber", "x", "xsd:string"}}, 9003, {9008}},
      {"param key read-only", {{"Device.ManagementServer.ParameterKey", "x", "xsd:string"}}, 9003,
       {9008}},
      {"all or nothing",
       {{"Device.ManagementServer.PeriodicInformInterval", "77", "xsd:unsignedInt"},
        {"Device.ManagementServer.URL", std::string(2000, 'a'), "xsd:string"}},
       9003, {9007}},
      {"dateTime", {{"Device.ManagementServer.PeriodicInformTime", "not a time", "xsd:dateTime"}},
       9003, {9007}},
  };
  for (const auto& c : cases) {
    auto r = model_->SetValues(c.values, std::string("key-") + c.name);
    EXPECT_EQ(FaultCode(r), c.fault) << c.name;
    if (auto* f = std::get_if<soap::Fault>(&r)) {
      std::vector<uint32_t> codes;
      for (const auto& p : f->set_parameter_values_faults) codes.push_back(p.fault_code);
      EXPECT_EQ(codes, c.param_faults) << c.name;
      EXPECT_NE(Value("Device.ManagementServer.ParameterKey"), std::string("key-") + c.name);
    } else {
      EXPECT_EQ(Value("Device.ManagementServer.ParameterKey"), std::string("key-") + c.name);
    }
  }
  EXPECT_EQ(Value("Device.ManagementServer.PeriodicInformInterval"), "300");
  EXPECT_EQ(store_->Get("Periodic_Inform_Enable"), "No");
}

TEST_F(DataModelTest, AttributesTable) {
  struct Case {
    const char* name;
    soap::SetParameterAttributesStruct set;
    uint32_t fault;
    int notification_after;
  } cases[] = {
      {"passive", {"Device.ManagementServer.URL", true, 1, false, {}}, 0, 1},
      {"active", {"Device.ManagementServer.URL", true, 2, false, {}}, 0, 2},
      {"off", {"Device.ManagementServer.URL", true, 0, false, {}}, 0, 0},
      {"lightweight unsupported", {"Device.ManagementServer.URL", true, 3, false, {}}, 9009, 0},
      {"force enabled", {"Device.DeviceInfo.SoftwareVersion", true, 0, false, {}}, 9009, 2},
      {"force enabled stays", {"Device.DeviceInfo.SoftwareVersion", true, 2, false, {}}, 0, 2},
      {"uptime can deny", {"Device.DeviceInfo.UpTime", true, 2, false, {}}, 9009, 0},
      {"default enabled", {"Device.ManagementServer.ConnectionRequestURL", false, 0, false, {}}, 0,
       2},
      {"default enabled may go off",
       {"Device.ManagementServer.ConnectionRequestURL", true, 0, false, {}}, 0, 0},
      {"unknown", {"Device.Nope", true, 1, false, {}}, 9005, -1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FaultCode(model_->SetAttributes({c.set})), c.fault) << c.name;
    if (c.notification_after < 0) continue;
    auto r = model_->GetAttributes({c.set.name});
    ASSERT_EQ(Ok(r).size(), 1u) << c.name;
    EXPECT_EQ(Ok(r)[0].notification, c.notification_after) << c.name;
  }
}

TEST_F(DataModelTest, AccessListMapsToUa) {
  soap::SetParameterAttributesStruct s{"Device.ManagementServer.URL", false, 0, true, {"Subscriber"}};
  ASSERT_EQ(FaultCode(model_->SetAttributes({s})), 0u);
  EXPECT_EQ(store_->GetAccess("ACS_URL"), cwmp::prov::Access::kRw);
  auto r = model_->GetAttributes({"Device.ManagementServer.URL"});
  EXPECT_EQ(Ok(r)[0].access_list, std::vector<std::string>{"Subscriber"});
  s.access_list.clear();
  ASSERT_EQ(FaultCode(model_->SetAttributes({s})), 0u);
  EXPECT_EQ(store_->GetAccess("ACS_URL"), cwmp::prov::Access::kRo);
  s.access_list = {"Everyone"};
  EXPECT_EQ(FaultCode(model_->SetAttributes({s})), 9003u);
}

TEST_F(DataModelTest, PartialPathAttributesSkipForcedParameters) {
  soap::SetParameterAttributesStruct s{"Device.DeviceInfo.", true, 1, false, {}};
  ASSERT_EQ(FaultCode(model_->SetAttributes({s})), 0u);
  auto r = model_->GetAttributes({"Device.DeviceInfo.SerialNumber", "Device.DeviceInfo.UpTime",
                                  "Device.DeviceInfo.SoftwareVersion"});
  ASSERT_EQ(Ok(r).size(), 3u);
  EXPECT_EQ(Ok(r)[0].notification, 1);
  EXPECT_EQ(Ok(r)[1].notification, 0);
  EXPECT_EQ(Ok(r)[2].notification, 2);
}

TEST_F(DataModelTest, AddDeleteObjects) {
  const std::string table = "Device.WiFi.EndPoint.1.Profile.";
  EXPECT_EQ(FaultCode(model_->AddObject(table, "k")), 9004u);  // all four present
  ASSERT_TRUE(store_->Set("Network_Name_3_", "office", ChangeSource::kAcs).ok());
  EXPECT_EQ(FaultCode(model_->DeleteObject(table + "3.", "del")), 0u);
  EXPECT_EQ(store_->Get("Network_Name_3_"), "");
  EXPECT_EQ(Value("Device.ManagementServer.ParameterKey"), "del");
  EXPECT_EQ(FaultCode(model_->GetValues({table + "3.SSID"})), 9005u);
  EXPECT_EQ(FaultCode(model_->GetValues({"Device.X_TR069PHONE_Phone.WiFiProfile.3."})), 9005u);
  EXPECT_EQ(FaultCode(model_->DeleteObject(table + "3.", "again")), 9005u);
  EXPECT_EQ(FaultCode(model_->DeleteObject(table + "9.", "k")), 9005u);
  EXPECT_EQ(FaultCode(model_->DeleteObject("Device.DeviceInfo.", "k")), 9005u);
  EXPECT_EQ(FaultCode(model_->AddObject("Device.DeviceInfo.", "k")), 9005u);
  // Another table of the same group brings the instance back.
  auto added = model_->AddObject("Device.X_TR069PHONE_Phone.WiFiProfile.", "add");
  EXPECT_EQ(Ok(added), 3u);
  EXPECT_EQ(Value(table + "3.SSID"), "");
  EXPECT_EQ(Value("Device.ManagementServer.ParameterKey"), "add");
  EXPECT_EQ(FaultCode(model_->AddObject(table, "k")), 9004u);
}

TEST_F(DataModelTest, SpeedDialCapacityStartsAtTwo) {
  const std::string table = "Device.X_TR069PHONE_Phone.SpeedDial.";
  EXPECT_EQ(FaultCode(model_->DeleteObject(table + "1.", "k")), 9005u);
  EXPECT_EQ(FaultCode(model_->DeleteObject(table + "9.", "k")), 0u);
  EXPECT_EQ(FaultCode(model_->DeleteObject(table + "2.", "k")), 0u);
  EXPECT_EQ(Ok(model_->AddObject(table, "k")), 2u);
  EXPECT_EQ(Ok(model_->AddObject(table, "k")), 9u);
}

TEST_F(DataModelTest, ForcedInformParameters) {
  model_->SetConnectionRequestUrl("http://10.0.0.5:7547/abc");
  auto forced = model_->ForcedInformParameters();
  std::vector<std::string> names;
  for (const auto& pv : forced) names.push_back(pv.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "Device.RootDataModelVersion", "Device.DeviceInfo.HardwareVersion",
                       "Device.DeviceInfo.SoftwareVersion", "Device.DeviceInfo.ProvisioningCode",
                       "Device.ManagementServer.ParameterKey",
                       "Device.ManagementServer.ConnectionRequestURL"}));
  EXPECT_EQ(forced.back().value, "http://10.0.0.5:7547/abc");
}

}  // namespace
}  // namespace agent
