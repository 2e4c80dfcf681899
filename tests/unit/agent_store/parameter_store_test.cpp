#include "agent/parameter_store.h"

#include <gtest/gtest.h>

#include "../agent_common/agent_test_util.h"
#include "agent/state_file.h"

namespace agent {
namespace {

namespace prov = cwmp::prov;

std::unique_ptr<ParameterStore> OpenStore(const std::string& dir) {
  auto s = ParameterStore::Open(dir);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

prov::FlatProfile Parse(const std::string& xml) {
  auto p = prov::ParseFlatProfile(xml);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : prov::FlatProfile{};
}

TEST(ParameterStore, DefaultsComeFromTheCatalog) {
  testing::TempDir dir;
  auto store = OpenStore(dir.path());
  const auto& cat = prov::Catalog::Builtin();
  for (const char* name : {"Periodic_Inform_Interval", "Line_Enable_1_", "Enable_TR-069"}) {
    EXPECT_EQ(store->Get(name), cat.Find(name)->default_value) << name;
    EXPECT_FALSE(store->IsSet(name));
    EXPECT_EQ(store->GetAccess(name), cat.Find(name)->access);
  }
  EXPECT_EQ(store->Get("CWMP_Retry_Minimum_Wait_Interval"), "5");
  EXPECT_EQ(store->Get("CWMP_Retry_Interval_Multiplier"), "2000");
  EXPECT_EQ(store->Get("Parameter_Key"), "");
  EXPECT_EQ(store->Get("No_Such_Parameter"), "");
}

TEST(ParameterStore, SetValidatesAndPersists) {
  testing::TempDir dir;
  {
    auto store = OpenStore(dir.path());
    EXPECT_TRUE(store->Set("Periodic_Inform_Interval", "300", ChangeSource::kAcs).ok());
    EXPECT_EQ(store->Set("Periodic_Inform_Interval", "abc", ChangeSource::kAcs).code(),
              cwmp::StatusCode::kInvalidArgument);
    EXPECT_EQ(store->Set("Nope", "1", ChangeSource::kAcs).code(), cwmp::StatusCode::kNotFound);
    EXPECT_TRUE(store->Set("ACS_URL", "http://acs.example/cwmp\twith tab", ChangeSource::kAcs).ok());
  }
  auto again = OpenStore(dir.path());
  EXPECT_EQ(again->Get("Periodic_Inform_Interval"), "300");
  EXPECT_EQ(again->Get("ACS_URL"), "http://acs.example/cwmp\twith tab");
}

TEST(ParameterStore, CommitIsAllOrNothing) {
  testing::TempDir dir;
  auto store = OpenStore(dir.path());
  StoreEdit edit;
  edit.values = {{"Periodic_Inform_Interval", "60"}, {"Line_Enable_1_", "maybe"}};
  EXPECT_FALSE(store->Commit(edit, ChangeSource::kAcs).ok());
  EXPECT_FALSE(store->IsSet("Periodic_Inform_Interval"));
  auto reopened = OpenStore(dir.path());
  EXPECT_FALSE(reopened->IsSet("Periodic_Inform_Interval"));
}

TEST(ParameterStore, ApplyProfileTable) {
  struct Case {
    const char* name;
    const char* xml;
    bool ok;
    const char* param;
    const char* expect;  // value after the call
  } cases[] = {
      {"value", "<flat-profile><Periodic_Inform_Interval>90</Periodic_Inform_Interval></flat-profile>",
       true, "Periodic_Inform_Interval", "90"},
      {"last wins",
       "<flat-profile><Periodic_Inform_Interval>1</Periodic_Inform_Interval>"
       "<Periodic_Inform_Interval>2</Periodic_Inform_Interval></flat-profile>",
       true, "Periodic_Inform_Interval", "2"},
      {"invalid value changes nothing",
       "<flat-profile><Periodic_Inform_Interval>7</Periodic_Inform_Interval>"
       "<Line_Enable_1_>perhaps</Line_Enable_1_></flat-profile>",
       false, "Periodic_Inform_Interval", "20"},
      {"unknown ignored",
       "<flat-profile><Not_A_Param>1</Not_A_Param><Periodic_Inform_Interval>5"
       "</Periodic_Inform_Interval></flat-profile>",
       true, "Periodic_Inform_Interval", "5"},
      {"local params are not profile settable",
       "<flat-profile><Parameter_Key>x</Parameter_Key></flat-profile>", true, "Parameter_Key", ""},
  };
  for (const auto& c : cases) {
    testing::TempDir dir;
    auto store = OpenStore(dir.path());
    auto r = store->ApplyProfile(Parse(c.xml));
    EXPECT_EQ(r.ok(), c.ok) << c.name << ": " << r.status().ToString();
    EXPECT_EQ(store->Get(c.param), c.expect) << c.name;
    EXPECT_EQ(OpenStore(dir.path())->Get(c.param), c.expect) << c.name << " (reloaded)";
  }
}

TEST(ParameterStore, ApplyProfileSetsUaAndReportsUnknown) {
  testing::TempDir dir;
  auto store = OpenStore(dir.path());
  auto r = store->ApplyProfile(
      Parse("<flat-profile><Station_Name ua=\"rw\"/><Bogus>1</Bogus></flat-profile>"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unknown, std::vector<std::string>{"Bogus"});
  EXPECT_EQ(store->GetAccess("Station_Name"), prov::Access::kRw);
  EXPECT_EQ(OpenStore(dir.path())->GetAccess("Station_Name"), prov::Access::kRw);
}

TEST(ParameterStore, FactoryResetRestoresDefaults) {
  testing::TempDir dir;
  auto store = OpenStore(dir.path());
  StoreEdit edit;
  edit.values = {{"Periodic_Inform_Interval", "60"}, {"Parameter_Key", "k1"}};
  edit.attributes = {{"Periodic_Inform_Interval", 1, std::nullopt, prov::Access::kRw}};
  edit.instances = {{"wifi.2", false}};
  ASSERT_TRUE(store->Commit(edit, ChangeSource::kAcs).ok());
  EXPECT_FALSE(store->InstancePresent("wifi.2"));
  ASSERT_TRUE(store->FactoryReset().ok());
  EXPECT_EQ(store->Get("Periodic_Inform_Interval"), "20");
  EXPECT_EQ(store->Get("Parameter_Key"), "");
  EXPECT_EQ(store->GetAttributes("Periodic_Inform_Interval"), ParamAttributes{});
  EXPECT_TRUE(store->InstancePresent("wifi.2"));
  auto reopened = OpenStore(dir.path());
  EXPECT_EQ(reopened->Get("Periodic_Inform_Interval"), "20");
  EXPECT_TRUE(reopened->InstancePresent("wifi.2"));
}

TEST(ParameterStore, AttributesPersistAndValidate) {
  testing::TempDir dir;
  auto store = OpenStore(dir.path());
  StoreEdit edit;
  edit.attributes = {{"Device.DeviceInfo.SoftwareVersion", 2, std::vector<std::string>{"Subscriber"},
                      std::nullopt}};
  ASSERT_TRUE(store->Commit(edit, ChangeSource::kAcs).ok());
  StoreEdit bad;
  bad.attributes = {{"Periodic_Inform_Interval", 3, std::nullopt, std::nullopt}};
  EXPECT_FALSE(store->Commit(bad, ChangeSource::kAcs).ok());
  auto reopened = OpenStore(dir.path());
  auto attr = reopened->GetAttributes("Device.DeviceInfo.SoftwareVersion");
  EXPECT_EQ(attr.notification, 2);
  EXPECT_EQ(attr.access_list, std::vector<std::string>{"Subscriber"});
  EXPECT_EQ(reopened->GetAttributes("Periodic_Inform_Interval"), ParamAttributes{});
}

TEST(ParameterStore, ValueChangeTracking) {
  struct Case {
    const char* name;
    int notification;
    ChangeSource source;
    const char* new_value;
    bool marked;
    bool active;
  } cases[] = {
      {"passive local change", 1, ChangeSource::kLocal, "61", true, false},
      {"active local change", 2, ChangeSource::kLocal, "62", true, true},
      {"off", 0, ChangeSource::kLocal, "63", false, false},
      {"acs change never notifies", 2, ChangeSource::kAcs, "64", false, false},
      {"same value is no change", 2, ChangeSource::kLocal, "20", false, false},
  };
  for (const auto& c : cases) {
    testing::TempDir dir;
    auto store = OpenStore(dir.path());
    int active_calls = 0;
    store->SetActiveNotificationCallback([&] { ++active_calls; });
    StoreEdit attr;
    attr.attributes = {{"Periodic_Inform_Interval", c.notification, std::nullopt, std::nullopt}};
    ASSERT_TRUE(store->Commit(attr, ChangeSource::kAcs).ok());
    ASSERT_TRUE(store->Set("Periodic_Inform_Interval", c.new_value, c.source).ok());
    auto changed = store->ChangedParameters();
    EXPECT_EQ(!changed.empty(), c.marked) << c.name;
    EXPECT_EQ(active_calls > 0, c.active) << c.name;
    store->ClearChanged(changed);
    EXPECT_TRUE(store->ChangedParameters().empty());
  }
}

TEST(ParameterStore, ProfileChangeNotifies) {
  testing::TempDir dir;
  auto store = OpenStore(dir.path());
  StoreEdit attr;
  attr.attributes = {{"Station_Name", 1, std::nullopt, std::nullopt}};
  ASSERT_TRUE(store->Commit(attr, ChangeSource::kAcs).ok());
  ASSERT_TRUE(
      store->ApplyProfile(Parse("<flat-profile><Station_Name>desk</Station_Name></flat-profile>"))
          .ok());
  EXPECT_EQ(store->ChangedParameters(), std::vector<std::string>{"Station_Name"});
}

TEST(ParameterStore, ExportOmitsSecrets) {
  testing::TempDir dir;
  auto store = OpenStore(dir.path());
  StoreEdit edit;
  edit.values = {{"ACS_Password", "hunter2"}, {"ACS_Username", "bob"}};
  ASSERT_TRUE(store->Commit(edit, ChangeSource::kAcs).ok());
  auto text = prov::SerializeFlatProfile(store->ExportProfile(false));
  EXPECT_NE(text.find("bob"), std::string::npos);
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  auto all = store->ExportProfile(true);
  EXPECT_EQ(all.elements.size(), prov::Catalog::Builtin().params().size());
}

TEST(ParameterStore, CorruptFileIsAnErrorNotAReset) {
  testing::TempDir dir;
  ASSERT_TRUE(OpenStore(dir.path())->Set("Periodic_Inform_Interval", "9", ChangeSource::kAcs).ok());
  ASSERT_TRUE(WriteStateFile(dir.path(), ParameterStore::kFileName, "cpe-agent-parameters 1\n").ok());
  EXPECT_FALSE(ParameterStore::Open(dir.path()).ok());
}

}  // namespace
}  // namespace agent
