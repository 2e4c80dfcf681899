// The NBI over real HTTP against a real PostgreSQL: auth, every endpoint, filters and paging,
// task validation, the connection_request+timeout wait, secrets, hostile strings.
#include <gtest/gtest.h>

#include <algorithm>

#include "nbi_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

using cwmp::json::Value;

std::string Str(const Value& v, const char* key) {
  const Value* m = v.Find(key);
  return m != nullptr && m->is_string() ? m->as_string() : "<missing " + std::string(key) + ">";
}

// `v` with object members sorted by key, recursively.
Value Canon(const Value& v) {
  if (v.is_array()) {
    cwmp::json::Array out;
    for (const auto& e : v.as_array()) out.push_back(Canon(e));
    return out;
  }
  if (!v.is_object()) return v;
  cwmp::json::Object members;
  for (const auto& [k, m] : v.as_object()) members.emplace_back(k, Canon(m));
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return members;
}

TEST_F(NbiTest, AuthRequiresAKnownBearerToken) {
  AddDevice("SN1", kT0);
  auto none = Call("GET", "/devices", "");
  EXPECT_EQ(none.status, 401);
  ASSERT_NE(none.Find("WWW-Authenticate"), nullptr);
  EXPECT_EQ(*none.Find("WWW-Authenticate"), "Bearer realm=\"acs\"");
  EXPECT_EQ(Call("GET", "/devices", "acs_not-a-real-token").status, 401);

  http::ClientRequest basic;
  basic.url = base_ + "/devices";
  basic.headers.push_back({"Authorization", "Basic YWRtaW46YWRtaW4="});
  auto b = http::Fetch(basic);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->status, 401);

  EXPECT_EQ(Call("GET", "/devices", kReadToken).status, 200);
  EXPECT_EQ(Call("GET", "/devices", kAdminToken).status, 200);
  // 401 comes before routing: an unknown path doesn't reveal itself to strangers.
  EXPECT_EQ(Call("GET", "/nowhere", "").status, 401);
  EXPECT_EQ(Call("GET", "/nowhere", kReadToken).status, 404);
}

TEST_F(NbiTest, ReadTokenCannotWrite) {
  std::string id = AddDevice("SN1", kT0);
  std::string p = "/devices/" + nbi::EncodeDeviceId(id);
  auto post = Call("POST", p + "/tasks", kReadToken, R"({"name":"reboot"})");
  EXPECT_EQ(post.status, 403);
  EXPECT_NE(Str(J(post), "error").find("admin"), std::string::npos);
  EXPECT_EQ(Call("DELETE", p, kReadToken).status, 403);
  EXPECT_EQ(Call("GET", p, kReadToken).status, 200);
  auto tasks = store_->ListTasks(id);
  ASSERT_TRUE(tasks.ok());
  EXPECT_TRUE(tasks->empty());
  EXPECT_EQ(Call("DELETE", p, kAdminToken).status, 204);
}

TEST_F(NbiTest, ListDevicesFiltersAndPages) {
  for (int i = 1; i <= 5; ++i) AddDevice("SN" + std::to_string(i), kT0 + i * 100);
  InformRecord other = Inform("X1", kT0 + 50);
  other.device.oui = "00AABB";
  other.parameters = {{"Device.DeviceInfo.SoftwareVersion", "11.0", "xsd:string"}};
  ASSERT_TRUE(store_->RecordInform(other).ok());

  auto all = J(Call("GET", "/devices"));
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.as_array().size(), 6u);
  EXPECT_EQ(Str(all.as_array()[0], "id"), "0021A0-CP-6851-3PCC-SN1");
  EXPECT_EQ(Str(all.as_array()[5], "id"), "00AABB-CP-6851-3PCC-X1");

  struct Case {
    std::string query;
    std::vector<std::string> serials;
  } cases[] = {
      {"prefix=00AABB-", {"X1"}},
      {"prefix=0021A0-CP-6851-3PCC-SN", {"SN1", "SN2", "SN3", "SN4", "SN5"}},
      {"param=Device.DeviceInfo.SoftwareVersion&value=11.0", {"X1"}},
      {"param=Device.ManagementServer.PeriodicInformInterval", {"SN1", "SN2", "SN3", "SN4", "SN5"}},
      {"informedSince=" + std::to_string(kT0 + 300), {"SN3", "SN4", "SN5"}},
      {"informedBefore=2026-01-01T00:03:20Z", {"SN1", "X1"}},
      {"informedSince=2026-01-01T00:01:40.000Z&informedBefore=2026-01-01T00:08:20Z",
       {"SN1", "SN2", "SN3", "SN4"}},
      {"limit=2", {"SN1", "SN2"}},
      {"limit=2&skip=2", {"SN3", "SN4"}},
      {"limit=2&skip=4", {"SN5", "X1"}},
      {"skip=6", {}},
      {"skip=99", {}},
      {"prefix=0021A0-&limit=10&skip=1", {"SN2", "SN3", "SN4", "SN5"}},
      {"after=0021A0-CP-6851-3PCC-SN4", {"SN5", "X1"}},
      {"prefix=nobody", {}},
  };
  for (const auto& c : cases) {
    auto resp = Call("GET", "/devices?" + c.query);
    ASSERT_EQ(resp.status, 200) << c.query << " " << resp.body;
    std::vector<std::string> got;
    Value list = J(resp);
    for (const auto& d : list.as_array()) got.push_back(Str(d, "serialNumber"));
    EXPECT_EQ(got, c.serials) << c.query;
  }
  auto page = Call("GET", "/devices?limit=2");
  ASSERT_NE(page.Find("X-Next-After"), nullptr);
  EXPECT_EQ(*page.Find("X-Next-After"), "0021A0-CP-6851-3PCC-SN2");
  EXPECT_EQ(Call("GET", "/devices?limit=6").Find("X-Next-After"), nullptr);
}

TEST_F(NbiTest, ListDevicesRejectsBadQueries) {
  struct Case {
    std::string query;
    std::string mentions;
  } cases[] = {
      {"limit=0", "limit"},
      {"limit=1001", "limit"},
      {"limit=abc", "limit"},
      {"skip=-1", "skip"},
      {"skip=100001", "skip"},
      {"value=x", "value"},
      {"informedSince=yesterday", "informedSince"},
      {"informedBefore=2026-13-01T00:00:00Z", "informedBefore"},
      {"prefx=0021A0", "prefx"},
      {"limit=1&limit=2", "limit"},
      {"param=Device.ManagementServer.ConnectionRequestPassword&value=guess", "secret"},
      {"prefix=%zz", "escape"},
  };
  for (const auto& c : cases) {
    auto resp = Call("GET", "/devices?" + c.query);
    EXPECT_EQ(resp.status, 400) << c.query;
    EXPECT_NE(Str(J(resp), "error").find(c.mentions), std::string::npos)
        << c.query << ": " << resp.body;
  }
}

TEST_F(NbiTest, GetDeviceShowsParametersAndTimesWithSecretsMasked) {
  AddDevice("SN1", kT0, {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}});
  std::string id = AddDevice("SN1", kT0 + 60, {{"1 BOOT", ""}});
  AddDevice("SN1", kT0 + 120);
  auto resp = Call("GET", "/devices/" + nbi::EncodeDeviceId(id));
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(*resp.Find("Content-Type"), "application/json");
  Value d = J(resp);
  EXPECT_EQ(Str(d, "id"), id);
  EXPECT_EQ(Str(d, "lastInform"), "2026-01-01T00:02:00.000Z");
  EXPECT_EQ(Str(d, "lastBoot"), "2026-01-01T00:01:00.000Z");
  EXPECT_EQ(Str(d, "lastBootstrap"), "2026-01-01T00:00:00.000Z");
  const Value* params = d.Find("parameters");
  ASSERT_NE(params, nullptr);
  const Value* sw = params->Find("Device.DeviceInfo.SoftwareVersion");
  ASSERT_NE(sw, nullptr);
  EXPECT_EQ(Str(*sw, "value"), "12.0.1");
  EXPECT_EQ(Str(*sw, "type"), "xsd:string");
  const Value* pw = params->Find("Device.ManagementServer.ConnectionRequestPassword");
  ASSERT_NE(pw, nullptr);
  EXPECT_EQ(Str(*pw, "value"), "********");
  EXPECT_EQ(resp.body.find(kCrPassword), std::string::npos);

  EXPECT_EQ(Call("GET", "/devices/0021A0-CP-6851-3PCC-NOPE").status, 404);
  EXPECT_EQ(Call("GET", "/devices/" + nbi::EncodeDeviceId(id) + "/nothing").status, 404);
  EXPECT_EQ(Call("PUT", "/devices/" + nbi::EncodeDeviceId(id)).status, 405);
  auto head = Call("HEAD", "/devices/" + nbi::EncodeDeviceId(id));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(Call("HEAD", "/devices/nobody").status, 404);
}

TEST_F(NbiTest, DeviceIdsArePercentDecoded) {
  InformRecord in = Inform("A/B C%'\"", kT0);
  ASSERT_TRUE(store_->RecordInform(in).ok());
  std::string id = DeviceIdOf(in.device);
  std::string enc = nbi::EncodeDeviceId(id);
  EXPECT_EQ(enc, "0021A0-CP-6851-3PCC-A%2FB%20C%25%27%22");
  auto resp = Call("GET", "/devices/" + enc);
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(Str(J(resp), "id"), id);
  EXPECT_EQ(Call("GET", "/devices/bad%zzescape").status, 400);
}

TEST_F(NbiTest, EventsAreTheInformHistoryNewestFirst) {
  AddDevice("SN1", kT0, {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}});
  std::string id = AddDevice("SN1", kT0 + 60, {{"M Reboot", "maint-1"}, {"1 BOOT", ""}});
  auto resp = Call("GET", "/devices/" + nbi::EncodeDeviceId(id) + "/events");
  ASSERT_EQ(resp.status, 200);
  Value v = J(resp);
  ASSERT_EQ(v.as_array().size(), 2u);
  EXPECT_EQ(Str(v.as_array()[0], "receivedAt"), "2026-01-01T00:01:00.000Z");
  const auto& events = v.as_array()[0].Find("events")->as_array();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(Str(events[0], "code"), "M Reboot");
  EXPECT_EQ(Str(events[0], "commandKey"), "maint-1");
  auto one = J(Call("GET", "/devices/" + nbi::EncodeDeviceId(id) + "/events?limit=1"));
  EXPECT_EQ(one.as_array().size(), 1u);
  EXPECT_EQ(Call("GET", "/devices/nobody/events").status, 404);
}

TEST_F(NbiTest, DeleteDevice) {
  std::string id = AddDevice("SN1", kT0);
  std::string p = "/devices/" + nbi::EncodeDeviceId(id);
  EXPECT_EQ(Call("DELETE", p).status, 204);
  EXPECT_EQ(Call("GET", p).status, 404);
  EXPECT_EQ(Call("DELETE", p).status, 404);
}

// One valid body per task type (the examples of docs/acs-tasks.md and more).
const char* const kValidTasks[] = {
    R"({"name":"getParameterValues","parameterNames":["Device.DeviceInfo.SoftwareVersion","Device.ManagementServer."]})",
    R"({"name":"setParameterValues","parameterValues":[["Device.ManagementServer.PeriodicInformInterval","300","xsd:unsignedInt"],["Device.ManagementServer.PeriodicInformEnable",true],["Device.X.Count",-3]],"parameterKey":"k1"})",
    R"({"name":"getParameterNames","parameterPath":"","nextLevel":true})",
    R"({"name":"getParameterNames","parameterPath":"Device.DeviceInfo."})",
    R"({"name":"refreshObject","objectName":"Device.Services.VoiceService."})",
    R"({"name":"refreshObject","objectName":""})",
    R"({"name":"getParameterAttributes","parameterNames":["Device.DeviceInfo.SoftwareVersion"]})",
    R"({"name":"setParameterAttributes","parameterAttributes":[{"name":"Device.DeviceInfo.SoftwareVersion","notification":2},{"name":"Device.ManagementServer.","accessList":["Subscriber"]}]})",
    R"({"name":"addObject","objectName":"Device.Services.VoiceService.1.VoiceProfile.","parameterKey":"k2"})",
    R"({"name":"deleteObject","objectName":"Device.Services.VoiceService.1.VoiceProfile.2."})",
    R"({"name":"reboot","commandKey":"maint-42"})",
    R"({"name":"reboot"})",
    R"({"name":"factoryReset"})",
    R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"https://acs.example.net/files/fw-12.0.1.bin","fileSize":31457280,"targetFileName":"fw-12.0.1.bin"})",
    R"({"name":"download","fileType":"X 000E08 CA Certificate","url":"https://acs.example.net/files/ca.pem"})",
    R"({"name":"download","fileType":"3 Vendor Configuration File","url":"tftp://10.0.0.1/cfg.xml","username":"u","password":"p","delaySeconds":0,"successUrl":"http://x/ok","failureUrl":"http://x/ko","commandKey":"c"})",
    R"({"name":"upload","fileType":"2 Vendor Log File","url":"https://acs.example.net/upload/log1","username":"up","password":"secret"})",
    R"({"name":"upload","fileType":"4 Vendor Log File 2","url":"ftp://h/x","delaySeconds":10})",
    R"({"name":"scheduleInform","delaySeconds":60,"commandKey":"later"})",
    R"({"name":"scheduleDownload","fileType":"3 Vendor Configuration File","url":"http://acs.example.net/cfg.xml","timeWindows":[{"windowStart":0,"windowEnd":3600,"windowMode":"1 At Any Time"},{"windowStart":3600,"windowEnd":7200,"windowMode":"4 Confirmation Needed","userMessage":"ok?","maxRetries":-1}]})",
    R"({"name":"getAllQueuedTransfers"})",
    R"({"name":"cancelTransfer","commandKey":"task-17"})",
    R"({"name":"getRPCMethods"})",
};

TEST_F(NbiTest, CreatesEveryTaskTypeAndStoresTheBody) {
  std::string id = AddDevice("SN1", kT0);
  for (const char* body : kValidTasks) {
    auto resp = Call("POST", "/devices/" + nbi::EncodeDeviceId(id) + "/tasks", kAdminToken, body);
    ASSERT_EQ(resp.status, 202) << body << "\n" << resp.body;
    Value v = J(resp);
    ASSERT_TRUE(v.Find("id") != nullptr && v.Find("id")->is_int()) << resp.body;
    EXPECT_EQ(Str(v, "status"), "pending");
    auto task = store_->GetTask(v.Find("id")->as_int());
    ASSERT_TRUE(task.ok());
    auto parsed = cwmp::json::Parse(body);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(task->name, parsed->Find("name")->as_string());
    auto stored = cwmp::json::Parse(task->args_json);
    ASSERT_TRUE(stored.ok());
    // jsonb reorders object keys; compare with keys sorted.
    EXPECT_EQ(Canon(*stored), Canon(*parsed)) << body;
    ASSERT_NE(resp.Find("Location"), nullptr);
    EXPECT_EQ(*resp.Find("Location"), "/tasks/" + std::to_string(task->id));
  }
  auto list = J(Call("GET", "/devices/" + nbi::EncodeDeviceId(id) + "/tasks", kReadToken));
  EXPECT_EQ(list.as_array().size(), std::size(kValidTasks));
}

TEST_F(NbiTest, RejectsInvalidTaskBodiesNamingTheField) {
  std::string id = AddDevice("SN1", kT0);
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {R"(not json)", "task body"},
      {R"([1,2])", "object"},
      {R"({})", "name"},
      {R"({"name":42})", "name"},
      {R"({"name":"launchMissiles"})", "name"},
      {R"({"name":"reboot","comandKey":"x"})", "comandKey"},
      {R"({"name":"reboot","commandKey":"0123456789012345678901234567890123"})", "commandKey"},
      {R"({"name":"getParameterValues"})", "parameterNames"},
      {R"({"name":"getParameterValues","parameterNames":[]})", "parameterNames"},
      {R"({"name":"getParameterValues","parameterNames":["Device..X"]})", "parameterNames[0]"},
      {R"({"name":"getParameterValues","parameterNames":["ok.x", 5]})", "parameterNames[1]"},
      {R"({"name":"setParameterValues","parameterValues":[["Device.A","1","xsd:float"]]})",
       "parameterValues[0][2]"},
      {R"({"name":"setParameterValues","parameterValues":[["Device.A."]]})", "parameterValues[0]"},
      {R"({"name":"setParameterValues","parameterValues":[["Device.A.","1"]]})",
       "parameterValues[0][0]"},
      {R"({"name":"setParameterValues","parameterValues":[["Device.A",1.5]]})",
       "parameterValues[0][1]"},
      {R"({"name":"setParameterValues","parameterValues":[["Device.A",null]]})",
       "parameterValues[0][1]"},
      {R"({"name":"getParameterNames","parameterPath":"x y"})", "parameterPath"},
      {R"({"name":"getParameterNames","parameterPath":"Device.","nextLevel":"yes"})", "nextLevel"},
      {R"({"name":"refreshObject"})", "objectName"},
      {R"({"name":"refreshObject","objectName":"Device.DeviceInfo"})", "objectName"},
      {R"({"name":"setParameterAttributes","parameterAttributes":[{"name":"Device.A","notification":7}]})",
       "parameterAttributes[0].notification"},
      {R"({"name":"setParameterAttributes","parameterAttributes":[{"notification":1}]})",
       "parameterAttributes[0].name"},
      {R"({"name":"setParameterAttributes","parameterAttributes":[{"name":"Device.A","notify":1}]})",
       "parameterAttributes[0].notify"},
      {R"({"name":"addObject","objectName":"Device.X"})", "objectName"},
      {R"({"name":"deleteObject"})", "objectName"},
      {R"({"name":"factoryReset","now":true})", "now"},
      {R"({"name":"download","url":"http://x/f"})", "fileType"},
      {R"({"name":"download","fileType":"7 Something","url":"http://x/f"})", "fileType"},
      {R"({"name":"download","fileType":"X 000e08 lower","url":"http://x/f"})", "fileType"},
      {R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"file:///etc/passwd"})",
       "url"},
      {R"({"name":"download","fileType":"1 Firmware Upgrade Image"})", "url"},
      {R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"http://x/f","fileSize":-1})",
       "fileSize"},
      {R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"http://x/f","fileSize":4294967296})",
       "fileSize"},
      {R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"http://x/f","delaySeconds":1.0})",
       "delaySeconds"},
      {R"({"name":"upload","fileType":"1 Firmware Upgrade Image","url":"http://x/f"})", "fileType"},
      {R"({"name":"upload","fileType":"3 Vendor Configuration File x","url":"http://x/f"})",
       "fileType"},
      {R"({"name":"scheduleInform"})", "delaySeconds"},
      {R"({"name":"scheduleInform","delaySeconds":0})", "delaySeconds"},
      {R"({"name":"scheduleDownload","fileType":"1 Firmware Upgrade Image","url":"http://x/f"})",
       "timeWindows"},
      {R"({"name":"scheduleDownload","fileType":"1 Firmware Upgrade Image","url":"http://x/f","timeWindows":[]})",
       "timeWindows"},
      {R"({"name":"scheduleDownload","fileType":"1 Firmware Upgrade Image","url":"http://x/f","timeWindows":[{"windowStart":10,"windowEnd":5,"windowMode":"2 Immediately"}]})",
       "timeWindows[0].windowEnd"},
      {R"({"name":"scheduleDownload","fileType":"1 Firmware Upgrade Image","url":"http://x/f","timeWindows":[{"windowStart":0,"windowEnd":5,"windowMode":"5 Never"}]})",
       "timeWindows[0].windowMode"},
      {R"({"name":"scheduleDownload","fileType":"1 Firmware Upgrade Image","url":"http://x/f","timeWindows":[{"windowStart":0,"windowEnd":5}]})",
       "timeWindows[0].windowMode"},
      {R"({"name":"cancelTransfer"})", "commandKey"},
      {R"({"name":"getRPCMethods","x":1})", "x"},
      {R"({"name":"getAllQueuedTransfers","name":"getAllQueuedTransfers"})", "task body"},
  };
  for (const auto& c : cases) {
    auto resp = Call("POST", "/devices/" + nbi::EncodeDeviceId(id) + "/tasks", kAdminToken, c.body);
    EXPECT_EQ(resp.status, 400) << c.body << "\n" << resp.body;
    std::string err = Str(J(resp), "error");
    EXPECT_NE(err.find(c.field), std::string::npos) << c.body << " -> " << err;
  }
  auto tasks = store_->ListTasks(id);
  ASSERT_TRUE(tasks.ok());
  EXPECT_TRUE(tasks->empty()) << "an invalid body must not be queued";
  // Unknown device: 404 after validation.
  EXPECT_EQ(Call("POST", "/devices/nobody/tasks", kAdminToken, R"({"name":"reboot"})").status, 404);
}

TEST_F(NbiTest, TaskLifecycleGetRetryDelete) {
  std::string id = AddDevice("SN1", kT0);
  std::string dev = "/devices/" + nbi::EncodeDeviceId(id);
  int64_t t1 = J(Call("POST", dev + "/tasks", kAdminToken,
                      R"({"name":"getParameterValues","parameterNames":["Device.DeviceInfo."]})"))
                   .Find("id")
                   ->as_int();
  std::string p1 = "/tasks/" + std::to_string(t1);
  EXPECT_EQ(Str(J(Call("GET", p1, kReadToken)), "status"), "pending");
  // Retrying a pending task is a conflict.
  EXPECT_EQ(Call("POST", p1 + "/retry").status, 409);

  ASSERT_TRUE(
      store_
          ->CompleteTask(
              t1,
              R"({"parameterValues":[["Device.DeviceInfo.SoftwareVersion","12","xsd:string"],["Device.Users.User.1.Password","hunter2","xsd:string"]]})",
              At(kT0 + 5))
          .ok());
  Value done = J(Call("GET", p1, kReadToken));
  EXPECT_EQ(Str(done, "status"), "done");
  ASSERT_NE(done.Find("result"), nullptr);
  const auto& pv = done.Find("result")->Find("parameterValues")->as_array();
  EXPECT_EQ(pv[0].as_array()[1].as_string(), "12");
  EXPECT_EQ(pv[1].as_array()[1].as_string(), "********");

  int64_t t2 =
      J(Call("POST", dev + "/tasks", kAdminToken, R"({"name":"reboot"})")).Find("id")->as_int();
  ASSERT_TRUE(store_->FailTask(t2, TaskFault{9001, "Request denied", "null"}, At(kT0 + 6)).ok());
  std::string p2 = "/tasks/" + std::to_string(t2);
  Value faulted = J(Call("GET", p2));
  EXPECT_EQ(Str(faulted, "status"), "fault");
  ASSERT_NE(faulted.Find("fault"), nullptr);
  EXPECT_EQ(faulted.Find("fault")->Find("code")->as_int(), 9001);
  EXPECT_EQ(faulted.Find("attempts")->as_int(), 1);

  auto faults = J(Call("GET", "/faults", kReadToken));
  ASSERT_EQ(faults.as_array().size(), 1u);
  EXPECT_EQ(faults.as_array()[0].Find("code")->as_int(), 9001);
  EXPECT_EQ(faults.as_array()[0].Find("task")->as_int(), t2);
  EXPECT_EQ(Str(faults.as_array()[0], "device"), id);
  EXPECT_EQ(J(Call("GET", "/faults?device=" + nbi::EncodeDeviceId(id))).as_array().size(), 1u);
  EXPECT_EQ(J(Call("GET", "/faults?device=nobody")).as_array().size(), 0u);
  EXPECT_EQ(Call("GET", "/faults?limit=0").status, 400);

  auto retried = Call("POST", p2 + "/retry");
  EXPECT_EQ(retried.status, 200);
  EXPECT_EQ(Str(J(retried), "status"), "pending");
  EXPECT_EQ(Call("POST", p2 + "/retry", kReadToken).status, 403);

  EXPECT_EQ(Call("DELETE", p2).status, 204);
  EXPECT_EQ(Call("GET", p2).status, 404);
  EXPECT_EQ(Call("DELETE", p2).status, 404);
  EXPECT_EQ(Call("POST", p2 + "/retry").status, 404);
  EXPECT_EQ(Call("GET", "/tasks/abc").status, 404);
  EXPECT_EQ(Call("GET", "/tasks/0").status, 404);
  EXPECT_EQ(Call("GET", "/tasks/99999999999999999999").status, 404);
  EXPECT_EQ(Call("PUT", p1).status, 405);
}

TEST_F(NbiTest, ConnectionRequestAndTimeoutReturnTheResult) {
  std::string id = AddDevice("SN1", kT0);
  device_for_cr_ = id;
  complete_on_poke_ = true;
  auto resp =
      Call("POST", "/devices/" + nbi::EncodeDeviceId(id) + "/tasks?connection_request&timeout=3000",
           kAdminToken, R"({"name":"reboot","commandKey":"now"})");
  ASSERT_EQ(resp.status, 200) << resp.body;
  Value v = J(resp);
  EXPECT_EQ(Str(v, "status"), "done");
  EXPECT_EQ(v.Find("result")->Find("status")->as_int(), 0);
  EXPECT_EQ(Str(*v.Find("connectionRequest"), "outcome"), "ok");
  EXPECT_EQ(v.Find("connectionRequest")->Find("httpStatus")->as_int(), 204);
  EXPECT_EQ(pokes_.load(), 2);  // challenge, then the Digest answer
  EXPECT_EQ(accepted_.load(), 1);
}

TEST_F(NbiTest, TimeoutWithoutCompletionAnswers202) {
  std::string id = AddDevice("SN1", kT0);
  device_for_cr_ = id;
  complete_on_poke_ = false;
  auto start = std::chrono::steady_clock::now();
  auto resp =
      Call("POST", "/devices/" + nbi::EncodeDeviceId(id) + "/tasks?connection_request&timeout=300",
           kAdminToken, R"({"name":"factoryReset"})");
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(resp.status, 202) << resp.body;
  EXPECT_EQ(Str(J(resp), "status"), "pending");
  EXPECT_EQ(Str(*J(resp).Find("connectionRequest"), "outcome"), "ok");
  EXPECT_GE(took, std::chrono::milliseconds(300));
  EXPECT_EQ(accepted_.load(), 1);
  for (const char* bad : {"timeout=-1", "timeout=soon", "timeout=86400001", "timeout="}) {
    auto r = Call("POST", "/devices/" + nbi::EncodeDeviceId(id) + "/tasks?" + bad, kAdminToken,
                  R"({"name":"reboot"})");
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(Str(J(r), "error").find("timeout"), std::string::npos) << bad;
  }
}

TEST_F(NbiTest, ConnectionRequestFailureIsReportedAndNotWaitedFor) {
  InformRecord in = Inform("SN9", kT0);
  in.parameters = {{"Device.ManagementServer.ConnectionRequestURL",
                    "http://127.0.0.1:" + std::to_string(responder_->port()) + "/cr", "xsd:string"},
                   {"Device.ManagementServer.ConnectionRequestUsername", kCrUser, "xsd:string"},
                   {"Device.ManagementServer.ConnectionRequestPassword", "wrong", "xsd:string"}};
  ASSERT_TRUE(store_->RecordInform(in).ok());
  auto start = std::chrono::steady_clock::now();
  auto resp = Call("POST",
                   "/devices/" + nbi::EncodeDeviceId(DeviceIdOf(in.device)) +
                       "/tasks?connection_request&timeout=5000",
                   kAdminToken, R"({"name":"reboot"})");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(4000));
  ASSERT_EQ(resp.status, 202);
  Value cr = *J(resp).Find("connectionRequest");
  EXPECT_EQ(Str(cr, "outcome"), "auth_failed");
  EXPECT_EQ(resp.body.find("wrong"), std::string::npos);
}

TEST_F(NbiTest, SecretsNeverAppearInResponses) {
  std::string id = AddDevice("SN1", kT0);
  std::string dev = "/devices/" + nbi::EncodeDeviceId(id);
  const std::string secret = "Sup3r-S3cret-Value";
  std::vector<std::string> bodies = {
      R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"http://f/x","username":"u","password":")" +
          secret + R"("})",
      R"({"name":"upload","fileType":"1 Vendor Configuration File","url":"http://f/x","password":")" +
          secret + R"("})",
      R"({"name":"setParameterValues","parameterValues":[["Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthPassword",")" +
          secret + R"("]]})",
  };
  for (const auto& body : bodies) {
    auto created = Call("POST", dev + "/tasks", kAdminToken, body);
    ASSERT_EQ(created.status, 202) << created.body;
    EXPECT_EQ(created.body.find(secret), std::string::npos) << created.body;
    int64_t tid = J(created).Find("id")->as_int();
    auto got = Call("GET", "/tasks/" + std::to_string(tid), kReadToken);
    EXPECT_EQ(got.body.find(secret), std::string::npos) << got.body;
    EXPECT_NE(got.body.find("********"), std::string::npos) << got.body;
    // The device still gets it: the stored task has the real value.
    auto task = store_->GetTask(tid);
    ASSERT_TRUE(task.ok());
    EXPECT_NE(task->args_json.find(secret), std::string::npos);
  }
  auto list = Call("GET", dev + "/tasks");
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(Call("GET", dev).body.find(kCrPassword), std::string::npos);
}

TEST_F(NbiTest, SqlLookingStringsAreJustData) {
  AddDevice("SN1", kT0);
  AddDevice("SN2", kT0);
  const std::string hostile[] = {"'; DROP TABLE devices; --",
                                 "x' OR '1'='1",
                                 "%_",
                                 "\\",
                                 "0021A0-%",
                                 "' UNION SELECT token_sha256 FROM api_tokens --"};
  for (const auto& h : hostile) {
    std::string e = http::PercentEncode(h);
    EXPECT_EQ(Call("GET", "/devices/" + e).status, 404) << h;
    EXPECT_EQ(J(Call("GET", "/devices?prefix=" + e)).as_array().size(), 0u) << h;
    EXPECT_EQ(J(Call("GET", "/devices?param=" + e + "&value=" + e)).as_array().size(), 0u) << h;
    EXPECT_EQ(J(Call("GET", "/devices?after=" + e)).is_array(), true) << h;
    EXPECT_EQ(Call("DELETE", "/devices/" + e).status, 404) << h;
    EXPECT_EQ(Call("POST", "/devices/" + e + "/tasks", kAdminToken, R"({"name":"reboot"})").status,
              404);
    EXPECT_EQ(Call("GET", "/tasks/" + e).status, 404) << h;
    EXPECT_EQ(J(Call("GET", "/faults?device=" + e)).as_array().size(), 0u) << h;
  }
  EXPECT_EQ(J(Call("GET", "/devices")).as_array().size(), 2u);
  EXPECT_EQ(Call("GET", "/devices", "' OR '1'='1").status, 401);
}

}  // namespace
}  // namespace acs::testing
