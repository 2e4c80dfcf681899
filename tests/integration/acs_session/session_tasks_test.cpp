// Every task type through a real session: the RPC the CPE receives, the CPE's answer, and what
// is stored (task result, parameters, faults).
#include <algorithm>
#include <functional>
#include <variant>

#include "cwmp/base/json.h"
#include "serve_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

namespace soap = cwmp::soap;
using cwmp::json::Value;

class SessionTasksTest : public ServeTest {
 protected:
  Value Result(int64_t task) {
    Task t = GetTask(task);
    EXPECT_TRUE(t.result_json.has_value()) << t.name;
    auto v = cwmp::json::Parse(t.result_json.value_or("null"));
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : Value();
  }
};

// A JSON text with object keys sorted (jsonb reorders them), for comparisons.
Value Sorted(const Value& v) {
  if (v.is_array()) {
    cwmp::json::Array out;
    for (const auto& item : v.as_array()) out.push_back(Sorted(item));
    return out;
  }
  if (!v.is_object()) return v;
  cwmp::json::Object members;
  for (const auto& [k, item] : v.as_object()) members.emplace_back(k, Sorted(item));
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return members;
}
std::string Canonical(const std::string& json) {
  auto v = cwmp::json::Parse(json);
  EXPECT_TRUE(v.ok()) << json;
  return v.ok() ? cwmp::json::Serialize(Sorted(*v)) : "";
}

struct Case {
  std::string json;
  // Checks the RPC the CPE got and returns the CPE's answer.
  std::function<soap::Body(const soap::Body&)> answer;
  TaskStatus status;
  std::string result;  // expected result JSON ("" = not checked)
};

TEST_F(SessionTasksTest, EveryTaskTypeIsDeliveredInOrderAndItsResultStored) {
  serve::Server& server = StartServer();
  const std::string device = std::string(kDevice) + "T1";
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "T1");
  ASSERT_EQ(cpe.Post("").status, 204);

  const std::vector<Case> cases = {
      {R"({"name":"getParameterValues","parameterNames":["Device.DeviceInfo.UpTime"]})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_EQ(std::get<soap::GetParameterValues>(b).names,
                   std::vector<std::string>{"Device.DeviceInfo.UpTime"});
         return soap::GetParameterValuesResponse{
             {{"Device.DeviceInfo.UpTime", "42", "xsd:unsignedInt"}}};
       },
       TaskStatus::kDone,
       R"({"parameterValues":[["Device.DeviceInfo.UpTime","42","xsd:unsignedInt"]]})"},
      {R"({"name":"setParameterValues","parameterValues":[["Device.ManagementServer.PeriodicInformInterval","300","xsd:unsignedInt"],["Device.ManagementServer.PeriodicInformEnable",true]],"parameterKey":"k1"})",
       [](const soap::Body& b) -> soap::Body {
         const auto& spv = std::get<soap::SetParameterValues>(b);
         EXPECT_EQ(spv.parameter_key, "k1");
         EXPECT_EQ(spv.parameters.size(), 2u);
         EXPECT_EQ(spv.parameters[1].type, "xsd:boolean");
         return soap::SetParameterValuesResponse{0};
       },
       TaskStatus::kDone, R"({"status":0})"},
      {R"({"name":"getParameterNames","parameterPath":"Device.ManagementServer.","nextLevel":true})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_TRUE(std::get<soap::GetParameterNames>(b).next_level);
         return soap::GetParameterNamesResponse{{{"Device.ManagementServer.URL", true}}};
       },
       TaskStatus::kDone, R"({"parameters":[["Device.ManagementServer.URL",true]]})"},
      {R"({"name":"getParameterAttributes","parameterNames":["Device.DeviceInfo.SoftwareVersion"]})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_TRUE(std::holds_alternative<soap::GetParameterAttributes>(b));
         return soap::GetParameterAttributesResponse{
             {{"Device.DeviceInfo.SoftwareVersion", 2, {"Subscriber"}}}};
       },
       TaskStatus::kDone,
       R"({"parameterAttributes":[["Device.DeviceInfo.SoftwareVersion",2,["Subscriber"]]]})"},
      {R"({"name":"setParameterAttributes","parameterAttributes":[{"name":"Device.DeviceInfo.UpTime","notification":1}]})",
       [](const soap::Body& b) -> soap::Body {
         const auto& spa = std::get<soap::SetParameterAttributes>(b);
         EXPECT_TRUE(spa.parameters.at(0).notification_change);
         EXPECT_FALSE(spa.parameters.at(0).access_list_change);
         return soap::SetParameterAttributesResponse{};
       },
       TaskStatus::kDone, "{}"},
      {R"({"name":"addObject","objectName":"Device.Services.VoiceService.1.VoiceProfile.","parameterKey":"k2"})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_EQ(std::get<soap::AddObject>(b).parameter_key, "k2");
         return soap::AddObjectResponse{3, 0};
       },
       TaskStatus::kDone, R"({"instanceNumber":3,"status":0})"},
      {R"({"name":"deleteObject","objectName":"Device.ManagementServer."})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_EQ(std::get<soap::DeleteObject>(b).object_name, "Device.ManagementServer.");
         return soap::DeleteObjectResponse{1};
       },
       TaskStatus::kDone, R"({"status":1})"},
      {R"({"name":"reboot","commandKey":"rb"})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_EQ(std::get<soap::Reboot>(b).command_key, "rb");
         return soap::RebootResponse{};
       },
       TaskStatus::kDone, "{}"},
      {R"({"name":"factoryReset"})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_TRUE(std::holds_alternative<soap::FactoryReset>(b));
         return soap::FactoryResetResponse{};
       },
       TaskStatus::kDone, "{}"},
      {R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"https://files.example/fw.bin","username":"u","password":"p","fileSize":1234,"targetFileName":"fw.bin","delaySeconds":5})",
       [](const soap::Body& b) -> soap::Body {
         const auto& d = std::get<soap::Download>(b);
         EXPECT_EQ(d.file_type, "1 Firmware Upgrade Image");
         EXPECT_EQ(d.password.Reveal(), "p");
         EXPECT_EQ(d.file_size, 1234u);
         EXPECT_EQ(d.delay_seconds, 5u);
         EXPECT_EQ(d.command_key.rfind("task-", 0), 0u);
         return soap::DownloadResponse{1, std::string(soap::kUnknownTime),
                                       std::string(soap::kUnknownTime)};
       },
       TaskStatus::kPending, ""},  // awaits TransferComplete
      {R"({"name":"upload","fileType":"2 Vendor Log File","url":"http://files.example/up","commandKey":"up1"})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_EQ(std::get<soap::Upload>(b).command_key, "up1");
         return soap::UploadResponse{0, "2026-11-26T12:00:00Z", "2026-11-26T12:00:05Z"};
       },
       TaskStatus::kDone,
       R"({"status":0,"startTime":"2026-11-26T12:00:00Z","completeTime":"2026-11-26T12:00:05Z"})"},
      {R"({"name":"scheduleInform","delaySeconds":60,"commandKey":"si"})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_EQ(std::get<soap::ScheduleInform>(b).delay_seconds, 60u);
         return soap::ScheduleInformResponse{};
       },
       TaskStatus::kDone, "{}"},
      {R"({"name":"scheduleDownload","fileType":"X 000E08 CA Certificate","url":"http://files.example/ca.pem","commandKey":"sd1","timeWindows":[{"windowStart":0,"windowEnd":3600,"windowMode":"1 At Any Time"}]})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_EQ(std::get<soap::ScheduleDownload>(b).time_windows.size(), 1u);
         return soap::ScheduleDownloadResponse{};
       },
       TaskStatus::kPending, ""},
      {R"({"name":"getAllQueuedTransfers"})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_TRUE(std::holds_alternative<soap::GetAllQueuedTransfers>(b));
         return soap::GetAllQueuedTransfersResponse{
             {{"sd1", 1, true, "X 000E08 CA Certificate", 0, ""}}};
       },
       TaskStatus::kDone,
       R"({"transfers":[{"commandKey":"sd1","state":1,"isDownload":true,"fileType":"X 000E08 CA Certificate","fileSize":0,"targetFileName":""}]})"},
      {R"({"name":"cancelTransfer","commandKey":"sd0"})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_EQ(std::get<soap::CancelTransfer>(b).command_key, "sd0");
         return soap::CancelTransferResponse{};
       },
       TaskStatus::kDone, "{}"},
      {R"({"name":"getRPCMethods"})",
       [](const soap::Body& b) -> soap::Body {
         EXPECT_TRUE(std::holds_alternative<soap::GetRPCMethods>(b));
         return soap::GetRPCMethodsResponse{{"GetRPCMethods", "Reboot"}};
       },
       TaskStatus::kDone, R"({"methods":["GetRPCMethods","Reboot"]})"},
  };
  std::vector<int64_t> ids;
  for (const auto& c : cases) ids.push_back(Enqueue(device, c.json));

  Inform(cpe, "T1");
  HttpReply r = cpe.Post("");
  for (size_t i = 0; i < cases.size(); ++i) {
    ASSERT_EQ(r.status, 200) << "task " << i << ": " << r.body;
    soap::Envelope env = r.Envelope();
    SCOPED_TRACE(cases[i].json);
    soap::Body answer = cases[i].answer(env.body);
    r = cpe.PostBody(answer, env.id);
  }
  EXPECT_EQ(r.status, 204) << r.body;
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].json);
    Task t = GetTask(ids[i]);
    EXPECT_EQ(t.status, cases[i].status) << TaskStatusName(t.status);
    if (!cases[i].result.empty()) {
      EXPECT_EQ(Canonical(t.result_json.value_or("null")), Canonical(cases[i].result));
    }
  }
  // Stored side effects.
  EXPECT_EQ(ParamValue(device, "Device.DeviceInfo.UpTime"), "42");
  EXPECT_EQ(Scalar("SELECT notification FROM parameters WHERE name = 'Device.DeviceInfo.UpTime'"),
            "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM parameters WHERE name LIKE 'Device.ManagementServer.%'"),
            "0");  // deleteObject removed the subtree (and the values set before it)
  EXPECT_EQ(Scalar("SELECT access_list::text FROM parameters WHERE name = "
                   "'Device.DeviceInfo.SoftwareVersion'"),
            "{Subscriber}");
  EXPECT_EQ(Scalar("SELECT count(*) FROM tasks WHERE awaiting_transfer"), "2");

  // The transfers finish in a later session (after the reboot): download succeeds,
  // the scheduled download fails.
  const std::string download_key = "task-" + std::to_string(ids[9]);
  HttpReply tr = cpe.Post(ReadData("inform_periodic.xml", {{"SERIAL", "T1"}}));
  ASSERT_EQ(tr.status, 200);
  tr = cpe.Post(
      ReadData("transfer_complete.xml", {{"CMDKEY", download_key}, {"CODE", "0"}, {"TEXT", ""}}));
  ASSERT_EQ(tr.status, 200) << tr.body;
  EXPECT_TRUE(std::holds_alternative<soap::TransferCompleteResponse>(tr.Envelope().body));
  tr = cpe.Post(ReadData("transfer_complete.xml",
                         {{"CMDKEY", "sd1"}, {"CODE", "9016"}, {"TEXT", "unable to access file"}}));
  ASSERT_EQ(tr.status, 200) << tr.body;
  EXPECT_EQ(cpe.Post("").status, 204);  // nothing is sent again
  EXPECT_EQ(GetTask(ids[9]).status, TaskStatus::kDone);
  EXPECT_EQ(Result(ids[9]).Find("completeTime")->as_string(), "2026-11-26T12:02:30Z");
  EXPECT_EQ(GetTask(ids[12]).status, TaskStatus::kFault);
  EXPECT_EQ(Result(ids[12]).Find("fault")->Find("code")->as_int(), 9016);
  // The download's password was sent, never stored in a result.
  EXPECT_EQ(GetTask(ids[9]).result_json->find("\"p\""), std::string::npos);
}

TEST_F(SessionTasksTest, CpeFaultsFailTheTaskAndTheSessionGoesOn) {
  serve::Server& server = StartServer();
  const std::string device = std::string(kDevice) + "F1";
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "F1");
  int64_t gpv =
      Enqueue(device, R"({"name":"getParameterValues","parameterNames":["Device.Nope"]})");
  int64_t spv = Enqueue(
      device,
      R"({"name":"setParameterValues","parameterValues":[["Device.ManagementServer.PeriodicInformInterval","-1","xsd:int"]]})");
  int64_t reboot = Enqueue(device, R"({"name":"reboot"})");
  HttpReply r = cpe.Post("");
  soap::Envelope env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::GetParameterValues>(env.body));
  r = cpe.Post(ReadData("fault_9005.xml", {{"ID", env.id}}));
  env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::SetParameterValues>(env.body));
  r = cpe.Post(ReadData("fault_spv.xml", {{"ID", env.id}}));
  env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::Reboot>(env.body));
  EXPECT_EQ(cpe.PostBody(soap::RebootResponse{}, env.id).status, 204);

  EXPECT_EQ(GetTask(gpv).status, TaskStatus::kFault);
  EXPECT_EQ(GetTask(gpv).attempts, 1);
  Value f = Result(spv);
  EXPECT_EQ(f.Find("fault")->Find("code")->as_int(), 9003);
  const Value* detail = f.Find("fault")->Find("detail")->Find("setParameterValuesFaults");
  ASSERT_NE(detail, nullptr);
  EXPECT_EQ(detail->as_array().at(0).Find("faultCode")->as_int(), 9007);
  EXPECT_EQ(GetTask(reboot).status, TaskStatus::kDone);
  auto faults = server.store().ListFaults(device);
  ASSERT_TRUE(faults.ok());
  EXPECT_EQ(faults->size(), 2u);
  EXPECT_EQ(server.metrics().Value(metrics::kFaults, {{"code", "9005"}}), 1);
}

TEST_F(SessionTasksTest, AnInvalidTaskFailsWith8003WithoutReachingTheCpe) {
  serve::Server& server = StartServer();
  const std::string device = std::string(kDevice) + "I1";
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "I1");
  int64_t bad1 = Enqueue(device, R"({"name":"reboot","comandKey":"typo"})");
  int64_t bad2 =
      Enqueue(device, R"({"name":"download","fileType":"7 Nonsense","url":"http://x/y"})");
  int64_t good = Enqueue(device, R"({"name":"getRPCMethods"})");
  HttpReply r = cpe.Post("");
  soap::Envelope env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::GetRPCMethods>(env.body)) << soap::MethodName(env.body);
  EXPECT_EQ(cpe.PostBody(soap::GetRPCMethodsResponse{{"Inform"}}, env.id).status, 204);
  EXPECT_EQ(Result(bad1).Find("fault")->Find("code")->as_int(), 8003);
  EXPECT_NE(Result(bad1).Find("fault")->Find("message")->as_string().find("comandKey"),
            std::string::npos);
  EXPECT_EQ(GetTask(bad2).status, TaskStatus::kFault);
  EXPECT_EQ(GetTask(good).status, TaskStatus::kDone);
}

TEST_F(SessionTasksTest, RefreshObjectRereadsTheSubtree) {
  serve::Server& server = StartServer();
  const std::string device = std::string(kDevice) + "RO";
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "RO");
  int64_t task = Enqueue(device, R"({"name":"refreshObject","objectName":"Device.DeviceInfo."})");
  HttpReply r = cpe.Post("");
  soap::Envelope env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::GetParameterNames>(env.body));
  EXPECT_EQ(std::get<soap::GetParameterNames>(env.body).parameter_path, "Device.DeviceInfo.");
  r = cpe.PostBody(soap::GetParameterNamesResponse{{{"Device.DeviceInfo.", false},
                                                    {"Device.DeviceInfo.UpTime", false},
                                                    {"Device.DeviceInfo.ModelName", false}}},
                   env.id);
  env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::GetParameterValues>(env.body));
  r = cpe.PostBody(
      soap::GetParameterValuesResponse{{{"Device.DeviceInfo.UpTime", "7", "xsd:unsignedInt"},
                                        {"Device.DeviceInfo.ModelName", "CP-6861", "xsd:string"}}},
      env.id);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(Canonical(GetTask(task).result_json.value_or("null")), R"({"parameters":2})");
  // SoftwareVersion (from the Inform) is gone: the CPE no longer reports it under the subtree.
  EXPECT_EQ(ParamValue(device, "Device.DeviceInfo.SoftwareVersion"), std::nullopt);
  EXPECT_EQ(ParamValue(device, "Device.DeviceInfo.ModelName"), "CP-6861");
}

}  // namespace
}  // namespace acs::testing
