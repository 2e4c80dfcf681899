// Devices, parameters and the Inform history in the PostgreSQL store.
#include <algorithm>
#include <thread>

#include "store_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

const Parameter* Find(const DeviceWithParameters& d, const std::string& name) {
  for (const auto& p : d.parameters) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

TEST_F(StoreTest, FirstInformCreatesDeviceHistoryAndParameters) {
  InformRecord in = Inform("SN1", kT0, {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}, {"M Reboot", "ck1"}});
  in.cpe_time = At(kT0 - 3);
  in.retry_count = 2;
  in.parameters = {{"Device.DeviceInfo.SoftwareVersion", "11.3.7", "xsd:string"},
                   {"Device.ManagementServer.ParameterKey", "", "xsd:string"}};
  ASSERT_TRUE(store_->RecordInform(in).ok());

  auto dev = store_->GetDevice("0021A0-CP-6851-3PCC-SN1");
  ASSERT_TRUE(dev.ok()) << dev.status().ToString();
  EXPECT_EQ(dev->device.identity.manufacturer, "Cisco");
  EXPECT_EQ(dev->device.identity.serial_number, "SN1");
  EXPECT_EQ(dev->device.last_inform_at, At(kT0));
  EXPECT_EQ(dev->device.last_boot_at, At(kT0));
  EXPECT_EQ(dev->device.last_bootstrap_at, At(kT0));
  ASSERT_EQ(dev->parameters.size(), 2u);
  EXPECT_EQ(dev->parameters[0].name, "Device.DeviceInfo.SoftwareVersion");  // sorted by name
  EXPECT_EQ(dev->parameters[0].value, "11.3.7");
  EXPECT_EQ(dev->parameters[0].type, "xsd:string");
  EXPECT_EQ(dev->parameters[0].updated_at, At(kT0));
  EXPECT_FALSE(dev->parameters[0].writable.has_value());
  EXPECT_EQ(dev->parameters[1].value, "");  // empty, not NULL

  auto history = store_->ListInforms("0021A0-CP-6851-3PCC-SN1", 10);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].received_at, At(kT0));
  EXPECT_EQ((*history)[0].cpe_time, At(kT0 - 3));
  EXPECT_EQ((*history)[0].retry_count, 2);
  ASSERT_EQ((*history)[0].events.size(), 3u);
  EXPECT_EQ((*history)[0].events[0].code, "0 BOOTSTRAP");
  EXPECT_EQ((*history)[0].events[2].code, "M Reboot");
  EXPECT_EQ((*history)[0].events[2].command_key, "ck1");
}

TEST_F(StoreTest, LaterInformsUpdateValuesAndKeepBootTimes) {
  InformRecord first = Inform("SN2", kT0, {{"1 BOOT", ""}});
  first.parameters = {{"A.x", "1", "xsd:int"}, {"A.y", "keep", "xsd:string"}};
  ASSERT_TRUE(store_->RecordInform(first).ok());
  InformRecord second = Inform("SN2", kT0 + 60);  // 2 PERIODIC, no cpe_time
  second.parameters = {{"A.x", "2", "xsd:int"}, {"A.x", "3", "xsd:unsignedInt"}};
  ASSERT_TRUE(store_->RecordInform(second).ok());

  auto dev = store_->GetDevice("0021A0-CP-6851-3PCC-SN2");
  ASSERT_TRUE(dev.ok()) << dev.status().ToString();
  EXPECT_EQ(dev->device.last_inform_at, At(kT0 + 60));
  EXPECT_EQ(dev->device.last_boot_at, At(kT0));
  EXPECT_FALSE(dev->device.last_bootstrap_at.has_value());
  EXPECT_EQ(dev->device.created_at, At(kT0));
  ASSERT_NE(Find(*dev, "A.x"), nullptr);
  EXPECT_EQ(Find(*dev, "A.x")->value, "3");  // the last of a repeated name wins
  EXPECT_EQ(Find(*dev, "A.x")->type, "xsd:unsignedInt");
  EXPECT_EQ(Find(*dev, "A.x")->updated_at, At(kT0 + 60));
  EXPECT_EQ(Find(*dev, "A.y")->value, "keep");
  EXPECT_EQ(Find(*dev, "A.y")->updated_at, At(kT0));

  auto history = store_->ListInforms("0021A0-CP-6851-3PCC-SN2", 10);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].received_at, At(kT0 + 60));  // newest first
  EXPECT_FALSE((*history)[0].cpe_time.has_value());
  EXPECT_EQ((*history)[1].events[0].code, "1 BOOT");
  auto one = store_->ListInforms("0021A0-CP-6851-3PCC-SN2", 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
}

TEST_F(StoreTest, LargeInformWithAwkwardTextRoundTrips) {
  InformRecord in = Inform("SN\"3\\", kT0);
  const std::string awkward[] = {"",           "a,b",         "{x}",
                                 "\"quoted\"", "back\\slash", "NULL",
                                 "ünïcödé ✓",  "line\nbreak", std::string(5000, 'v')};
  for (int i = 0; i < 2000; ++i) {
    in.parameters.push_back({"Device.X." + std::to_string(i) + ".Value",
                             awkward[i % std::size(awkward)], "xsd:string"});
  }
  for (int i = 0; i < 64; ++i) in.events.push_back({"M X_" + std::to_string(i), "k,\"}"});
  ASSERT_TRUE(store_->RecordInform(in).ok());
  auto dev = store_->GetDevice(DeviceIdOf(in.device));
  ASSERT_TRUE(dev.ok()) << dev.status().ToString();
  ASSERT_EQ(dev->parameters.size(), 2000u);
  for (int i = 0; i < 2000; ++i) {
    const Parameter* p = Find(*dev, "Device.X." + std::to_string(i) + ".Value");
    ASSERT_NE(p, nullptr) << i;
    EXPECT_EQ(p->value, awkward[i % std::size(awkward)]) << i;
  }
  auto history = store_->ListInforms(DeviceIdOf(in.device), 1);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ((*history)[0].events.size(), 65u);
  EXPECT_EQ((*history)[0].events[64].command_key, "k,\"}");
}

TEST_F(StoreTest, InformWithoutOuiOrSerialIsRejected) {
  InformRecord in = Inform("", kT0);
  EXPECT_EQ(store_->RecordInform(in).code(), cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(Scalar("SELECT count(*) FROM devices"), "0");
}

TEST_F(StoreTest, UpdateParametersMergesOnlyTheGivenFields) {
  InformRecord in = Inform("SN4", kT0);
  in.parameters = {{"P.a", "1", "xsd:int"}};
  ASSERT_TRUE(store_->RecordInform(in).ok());
  const std::string id = DeviceIdOf(in.device);

  ParameterUpdate names{"P.a", std::nullopt, std::nullopt, true, std::nullopt, std::nullopt};
  ParameterUpdate attrs{"P.a",
                        std::nullopt,
                        std::nullopt,
                        std::nullopt,
                        2,
                        std::vector<std::string>{"Subscriber", "a\"b,c"}};
  ParameterUpdate fresh{"P.b.", std::nullopt, std::nullopt, false, std::nullopt, std::nullopt};
  ASSERT_TRUE(store_->UpdateParameters(id, {names, attrs, fresh}, At(kT0 + 5)).ok());

  auto dev = store_->GetDevice(id);
  ASSERT_TRUE(dev.ok());
  const Parameter* a = Find(*dev, "P.a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->value, "1");
  EXPECT_EQ(a->type, "xsd:int");
  EXPECT_EQ(a->writable, true);
  EXPECT_EQ(a->notification, 2);
  ASSERT_TRUE(a->access_list.has_value());
  EXPECT_EQ(*a->access_list, (std::vector<std::string>{"Subscriber", "a\"b,c"}));
  EXPECT_EQ(a->updated_at, At(kT0 + 5));
  const Parameter* b = Find(*dev, "P.b.");
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(b->value.has_value());
  EXPECT_EQ(b->writable, false);

  ParameterUpdate empty_acl{"P.a",        std::nullopt, std::nullopt,
                            std::nullopt, std::nullopt, std::vector<std::string>{}};
  ASSERT_TRUE(store_->UpdateParameters(id, {empty_acl}, At(kT0 + 6)).ok());
  dev = store_->GetDevice(id);
  ASSERT_TRUE(dev.ok());
  EXPECT_EQ(Find(*dev, "P.a")->access_list, std::vector<std::string>{});
  EXPECT_EQ(Find(*dev, "P.a")->notification, 2);

  EXPECT_EQ(store_->UpdateParameters("nope", {names}, At(kT0)).code(), cwmp::StatusCode::kNotFound);
  ParameterUpdate bad{"P.a", std::nullopt, std::nullopt, std::nullopt, 7, std::nullopt};
  EXPECT_EQ(store_->UpdateParameters(id, {bad}, At(kT0)).code(),
            cwmp::StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, GetAndDeleteUnknownDevice) {
  EXPECT_EQ(store_->GetDevice("0021A0-X-none").status().code(), cwmp::StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteDevice("0021A0-X-none").code(), cwmp::StatusCode::kNotFound);
  InformRecord in = Inform("SN5", kT0);
  in.parameters = {{"A", "1", "xsd:int"}};
  ASSERT_TRUE(store_->RecordInform(in).ok());
  ASSERT_TRUE(store_->DeleteDevice(DeviceIdOf(in.device)).ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM parameters"), "0");
  EXPECT_EQ(Scalar("SELECT count(*) FROM informs"), "0");
}

TEST_F(StoreTest, DeleteDeviceRemovesItsReleasedLeaseButNotALiveOne) {
  // Lease rows stay between sessions (migration 206): a released one goes with its device;
  // the live lease of a session in progress stays until that session ends.
  for (const char* serial : {"SN8", "SN9"}) {
    ASSERT_TRUE(store_->RecordInform(Inform(serial, kT0)).ok());
  }
  const std::string released = DeviceIdOf(Inform("SN8", kT0).device);
  const std::string live = DeviceIdOf(Inform("SN9", kT0).device);
  ASSERT_EQ(pg_->ExecSql(db_, "INSERT INTO cwmp_sessions VALUES ('" + released +
                                  "', 'p', '', now(), '-infinity'), ('" + live +
                                  "', 'p', 'p.1', now(), now() + interval '1 minute')"),
            "");
  ASSERT_TRUE(store_->DeleteDevice(released).ok());
  ASSERT_TRUE(store_->DeleteDevice(live).ok());
  EXPECT_EQ(Scalar("SELECT string_agg(session_id, ',') FROM cwmp_sessions"), "p.1");
}

TEST_F(StoreTest, DeleteParametersRemovesASubtreeOnly) {
  InformRecord in = Inform("SN6", kT0);
  in.parameters = {{"Device.Services.VoiceService.1.Line.1.Enable", "1", "xsd:boolean"},
                   {"Device.Services.VoiceService.1.Line.10.Enable", "1", "xsd:boolean"},
                   {"Device.Services.VoiceService.1.Line.2.Enable", "0", "xsd:boolean"},
                   {"Device.Services.VoiceService.1.Line_.x", "0", "xsd:boolean"}};
  ASSERT_TRUE(store_->RecordInform(in).ok());
  InformRecord other = Inform("SN7", kT0);
  other.parameters = {{"Device.Services.VoiceService.1.Line.1.Enable", "1", "xsd:boolean"}};
  ASSERT_TRUE(store_->RecordInform(other).ok());

  auto n =
      store_->DeleteParameters(DeviceIdOf(in.device), "Device.Services.VoiceService.1.Line.1.");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  // "_" is not a wildcard: Line_.x stays when deleting "Line." and vice versa.
  n = store_->DeleteParameters(DeviceIdOf(in.device), "Device.Services.VoiceService.1.Line.");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  auto dev = store_->GetDevice(DeviceIdOf(in.device));
  ASSERT_TRUE(dev.ok());
  ASSERT_EQ(dev->parameters.size(), 1u);
  EXPECT_EQ(dev->parameters[0].name, "Device.Services.VoiceService.1.Line_.x");
  EXPECT_EQ(store_->GetDevice(DeviceIdOf(other.device))->parameters.size(), 1u);
  EXPECT_EQ(store_->DeleteParameters(DeviceIdOf(in.device), "").status().code(),
            cwmp::StatusCode::kInvalidArgument);
}

// A re-read subtree: the names the CPE still reports keep their values; only the rest go.
TEST_F(StoreTest, DeleteParametersKeepsTheNamesStillReported) {
  InformRecord in = Inform("SN8", kT0);
  in.parameters = {{"Device.ManagementServer.URL", "http://acs/", "xsd:string"},
                   {"Device.ManagementServer.ConnectionRequestURL", "http://cpe/x", "xsd:string"},
                   {"Device.ManagementServer.Gone", "1", "xsd:boolean"}};
  ASSERT_TRUE(store_->RecordInform(in).ok());
  auto n = store_->DeleteParameters(DeviceIdOf(in.device), "Device.",
                                    {"Device.ManagementServer.URL",
                                     "Device.ManagementServer.ConnectionRequestURL", "O'Brien'); --"});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  auto dev = store_->GetDevice(DeviceIdOf(in.device));
  ASSERT_TRUE(dev.ok());
  ASSERT_EQ(dev->parameters.size(), 2u);
  for (const auto& p : dev->parameters) {
    EXPECT_NE(p.name, "Device.ManagementServer.Gone");
    if (p.name == "Device.ManagementServer.ConnectionRequestURL") {
      EXPECT_EQ(p.value, "http://cpe/x");
    }
  }
}

TEST_F(StoreTest, PruneInformsKeepsRecentHistoryAndDevices) {
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(store_->RecordInform(Inform("P1", kT0 + i * 3600, {{"2 PERIODIC", ""}})).ok());
  }
  auto n = store_->PruneInforms(At(kT0 + 20 * 3600));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 20);
  EXPECT_EQ(Scalar("SELECT count(*) FROM informs"), "10");
  EXPECT_EQ(Scalar("SELECT count(*) FROM inform_events"), "10");
  auto history = store_->ListInforms("0021A0-CP-6851-3PCC-P1", 100);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 10u);
  EXPECT_EQ(history->back().received_at, At(kT0 + 20 * 3600));
  EXPECT_TRUE(store_->GetDevice("0021A0-CP-6851-3PCC-P1").ok());
  EXPECT_EQ(*store_->PruneInforms(At(kT0 + 20 * 3600)), 0);
}

TEST_F(StoreTest, PruneInformsWorksInBatches) {
  ASSERT_TRUE(store_->RecordInform(Inform("B1", kT0)).ok());
  ASSERT_EQ(pg_->ExecSql(db_,
                         "INSERT INTO informs (device_id, received_at) "
                         "SELECT '0021A0-CP-6851-3PCC-B1', to_timestamp(1000 + g) "
                         "FROM generate_series(1, 25000) g"),
            "");
  auto n = store_->PruneInforms(At(kT0));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 25000);
  EXPECT_EQ(Scalar("SELECT count(*) FROM informs"), "1");
}

std::vector<std::string> Ids(const DevicePage& page) {
  std::vector<std::string> out;
  for (const auto& d : page.devices) out.push_back(d.id);
  return out;
}

TEST_F(StoreTest, ListDevicesFiltersAndPages) {
  for (int i = 0; i < 25; ++i) {
    char serial[16];
    std::snprintf(serial, sizeof(serial), "S%02d", i);
    InformRecord in = Inform(serial, kT0 + i);
    in.parameters = {
        {"Device.DeviceInfo.SoftwareVersion", i % 5 == 0 ? "2.0" : "1.0", "xsd:string"}};
    ASSERT_TRUE(store_->RecordInform(in).ok());
  }
  InformRecord other = Inform("X%_1", kT0);
  other.device.product_class = "CP%8800";
  ASSERT_TRUE(store_->RecordInform(other).ok());

  DeviceFilter all;
  all.limit = 10;
  std::vector<std::string> seen;
  for (int page_no = 0; page_no < 5; ++page_no) {
    auto page = store_->ListDevices(all);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (auto& id : Ids(*page)) seen.push_back(id);
    if (page->next_after_id.empty()) break;
    all.after_id = page->next_after_id;
  }
  ASSERT_EQ(seen.size(), 26u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  DeviceFilter prefix;
  prefix.id_prefix = "0021A0-CP-6851-3PCC-S1";
  auto p = store_->ListDevices(prefix);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->devices.size(), 10u);  // S10..S19
  EXPECT_TRUE(p->next_after_id.empty());

  DeviceFilter literal;  // % and _ in a prefix are literal characters
  literal.id_prefix = "0021A0-CP%";
  p = store_->ListDevices(literal);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Ids(*p), std::vector<std::string>{"0021A0-CP%8800-X%_1"});

  DeviceFilter by_value;
  by_value.parameter_name = "Device.DeviceInfo.SoftwareVersion";
  by_value.parameter_value = "2.0";
  p = store_->ListDevices(by_value);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Ids(*p), (std::vector<std::string>{"0021A0-CP-6851-3PCC-S00", "0021A0-CP-6851-3PCC-S05",
                                               "0021A0-CP-6851-3PCC-S10", "0021A0-CP-6851-3PCC-S15",
                                               "0021A0-CP-6851-3PCC-S20"}));

  DeviceFilter window;
  window.informed_since = At(kT0 + 20);
  window.informed_before = At(kT0 + 23);
  p = store_->ListDevices(window);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Ids(*p), (std::vector<std::string>{"0021A0-CP-6851-3PCC-S20", "0021A0-CP-6851-3PCC-S21",
                                               "0021A0-CP-6851-3PCC-S22"}));

  DeviceFilter bad;
  bad.limit = 0;
  EXPECT_EQ(store_->ListDevices(bad).status().code(), cwmp::StatusCode::kInvalidArgument);
  bad.limit = 10;
  bad.parameter_value = "x";
  EXPECT_EQ(store_->ListDevices(bad).status().code(), cwmp::StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, ConcurrentInformsThroughASmallPool) {
  auto store = Open(3);
  ASSERT_NE(store, nullptr);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        InformRecord in = Inform("T" + std::to_string(t) + "-" + std::to_string(i), kT0 + i);
        in.parameters = {{"A", std::to_string(i), "xsd:int"}};
        if (!store->RecordInform(in).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM devices"), "160");
  EXPECT_EQ(Scalar("SELECT count(*) FROM informs"), "160");
  // The pool never opened more than its 3 connections (+1: the fixture's own store).
  EXPECT_EQ(Scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'acsd' "
                   "AND datname = current_database()"),
            "4");
}

TEST_F(StoreTest, ListDevicesFilterUsesIndexesAtScale) {
  // The planner's choice on a large table: the filters must not need a sequential scan.
  ASSERT_EQ(pg_->ExecSql(db_,
                         "INSERT INTO devices (id, oui, product_class, serial_number, "
                         "last_inform_at) SELECT '0021A0-P-' || lpad(g::text, 7, '0'), '0021A0', "
                         "'P', g::text, now() - g * interval '1 second' "
                         "FROM generate_series(1, 50000) g; ANALYZE devices"),
            "");
  std::string plan;
  ASSERT_EQ(pg_->QueryValue(
                db_,
                "EXPLAIN (FORMAT JSON) SELECT id FROM devices WHERE id LIKE '0021A0-P-00012%' "
                "ORDER BY id LIMIT 11",
                &plan),
            "");
  EXPECT_NE(plan.find("Index"), std::string::npos) << plan;
  ASSERT_EQ(
      pg_->QueryValue(db_,
                      "EXPLAIN (FORMAT JSON) SELECT id FROM devices WHERE last_inform_at < now() - "
                      "interval '49990 seconds'",
                      &plan),
      "");
  EXPECT_NE(plan.find("devices_last_inform_at"), std::string::npos) << plan;
}

TEST_F(StoreTest, ParameterValueFilterUsesItsIndexAtScale) {
  ASSERT_EQ(pg_->ExecSql(db_,
                         "INSERT INTO devices (id, oui, product_class, serial_number) "
                         "SELECT 'D' || g, '0021A0', 'P', g::text FROM generate_series(1, 20000) g;"
                         "INSERT INTO parameters (device_id, name, value) "
                         "SELECT 'D' || g, n, 'v' || (g % 1000) FROM generate_series(1, 20000) g, "
                         "(VALUES ('Device.DeviceInfo.SoftwareVersion'), ('Device.X.A'), "
                         "('Device.X.B')) AS names(n); ANALYZE devices; ANALYZE parameters"),
            "");
  std::string plan;
  ASSERT_EQ(pg_->QueryValue(db_,
                            "EXPLAIN (FORMAT JSON) SELECT d.id FROM devices d WHERE EXISTS "
                            "(SELECT 1 FROM parameters p WHERE p.device_id = d.id AND p.name = "
                            "'Device.X.A' AND md5(p.value) = md5('v7') AND p.value = 'v7') "
                            "ORDER BY d.id LIMIT 101",
                            &plan),
            "");
  EXPECT_NE(plan.find("parameters_name_value_md5"), std::string::npos) << plan;
  auto page = store_->ListDevices([] {
    DeviceFilter f;
    f.parameter_name = "Device.X.A";
    f.parameter_value = "v7";
    return f;
  }());
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->devices.size(), 20u);
}

TEST_F(StoreTest, RecoversAfterTheServerDropsItsConnections) {
  ASSERT_TRUE(store_->RecordInform(Inform("R1", kT0)).ok());
  std::string killed;
  ASSERT_EQ(pg_->QueryValue(db_,
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE application_name = 'acsd' AND datname = current_database()",
                            &killed),
            "");
  ASSERT_NE(killed, "0");
  // The pooled connection is dead: the first call may fail (kIoError, the caller retries),
  // after which the pool has replaced it.
  cwmp::Status first = store_->RecordInform(Inform("R1", kT0 + 1));
  if (!first.ok()) {
    EXPECT_EQ(first.code(), cwmp::StatusCode::kIoError) << first.ToString();
  }
  EXPECT_TRUE(store_->RecordInform(Inform("R1", kT0 + 2)).ok());
  auto dev = store_->GetDevice("0021A0-CP-6851-3PCC-R1");
  ASSERT_TRUE(dev.ok()) << dev.status().ToString();
  EXPECT_EQ(dev->device.last_inform_at, At(kT0 + 2));
}

}  // namespace
}  // namespace acs::testing
