// Task JSON -> RPC (every task type, and the rules of docs/acs-tasks.md as a table of rejects)
// and RPC response -> outcome.
#include "acs/tasks.h"

#include <gtest/gtest.h>

#include "cwmp/base/json.h"
#include "cwmp/soap/codec.h"

namespace acs::tasks {
namespace {

namespace soap = cwmp::soap;

Task MakeTask(const std::string& json, int64_t id = 7) {
  auto v = cwmp::json::Parse(json);
  EXPECT_TRUE(v.ok()) << json;
  Task t;
  t.id = id;
  t.name = v.ok() && v->Find("name") ? v->Find("name")->as_string() : "";
  t.args_json = json;
  return t;
}

TEST(TasksBuild, EveryDocumentedNameBuildsItsRpc) {
  struct Case {
    const char* json;
    const char* method;
  };
  const Case cases[] = {
      {R"({"name":"getParameterValues","parameterNames":["Device."]})", "GetParameterValues"},
      {R"({"name":"setParameterValues","parameterValues":[["Device.A.B","1"]]})",
       "SetParameterValues"},
      {R"({"name":"getParameterNames","parameterPath":""})", "GetParameterNames"},
      {R"({"name":"refreshObject","objectName":""})", "GetParameterNames"},
      {R"({"name":"getParameterAttributes","parameterNames":["Device.A"]})",
       "GetParameterAttributes"},
      {R"({"name":"setParameterAttributes","parameterAttributes":[{"name":"Device.A","accessList":[]}]})",
       "SetParameterAttributes"},
      {R"({"name":"addObject","objectName":"Device.X."})", "AddObject"},
      {R"({"name":"deleteObject","objectName":"Device.X.1."})", "DeleteObject"},
      {R"({"name":"reboot"})", "Reboot"},
      {R"({"name":"factoryReset"})", "FactoryReset"},
      {R"({"name":"download","fileType":"3 Vendor Configuration File","url":"tftp://h/f"})",
       "Download"},
      {R"({"name":"upload","fileType":"4 Vendor Log File 2","url":"ftp://h/f"})", "Upload"},
      {R"({"name":"scheduleInform","delaySeconds":1})", "ScheduleInform"},
      {R"({"name":"scheduleDownload","fileType":"1 Firmware Upgrade Image","url":"http://h/f","timeWindows":[{"windowStart":0,"windowEnd":0,"windowMode":"2 Immediately"},{"windowStart":10,"windowEnd":20,"windowMode":"X 000E08 Night","userMessage":"m","maxRetries":-1}]})",
       "ScheduleDownload"},
      {R"({"name":"getAllQueuedTransfers"})", "GetAllQueuedTransfers"},
      {R"({"name":"cancelTransfer","commandKey":"k"})", "CancelTransfer"},
      {R"({"name":"getRPCMethods"})", "GetRPCMethods"},
  };
  EXPECT_EQ(TaskNames().size(), std::size(cases));
  for (const auto& c : cases) {
    auto rpc = BuildRequest(MakeTask(c.json));
    ASSERT_TRUE(rpc.ok()) << c.json << ": " << rpc.status().ToString();
    EXPECT_EQ(soap::MethodName(*rpc), c.method) << c.json;
    EXPECT_TRUE(Validate(MakeTask(c.json).name, c.json).ok());
    // Whatever the translation builds, the codec can send.
    soap::Envelope env;
    env.id = "1";
    env.body = *rpc;
    EXPECT_TRUE(soap::Encode(env, soap::CwmpVersion::k1_4).ok()) << c.json;
  }
}

TEST(TasksBuild, ValuesAndDefaults) {
  auto rpc = BuildRequest(MakeTask(
      R"({"name":"setParameterValues","parameterValues":[["A.s","x"],["A.b",false],["A.u",5],["A.i",-5],["A.t","1","xsd:unsignedInt"]],"parameterKey":"pk"})"));
  ASSERT_TRUE(rpc.ok()) << rpc.status().ToString();
  const auto& spv = std::get<soap::SetParameterValues>(*rpc);
  ASSERT_EQ(spv.parameters.size(), 5u);
  EXPECT_EQ(spv.parameters[0], (soap::ParameterValue{"A.s", "x", "xsd:string"}));
  EXPECT_EQ(spv.parameters[1], (soap::ParameterValue{"A.b", "false", "xsd:boolean"}));
  EXPECT_EQ(spv.parameters[2], (soap::ParameterValue{"A.u", "5", "xsd:unsignedInt"}));
  EXPECT_EQ(spv.parameters[3], (soap::ParameterValue{"A.i", "-5", "xsd:int"}));
  EXPECT_EQ(spv.parameters[4].type, "xsd:unsignedInt");
  EXPECT_EQ(spv.parameter_key, "pk");

  Task dl = MakeTask(
      R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"http://h/f"})", 42);
  rpc = BuildRequest(dl);
  ASSERT_TRUE(rpc.ok());
  EXPECT_EQ(std::get<soap::Download>(*rpc).command_key, "task-42");
  EXPECT_EQ(TransferCommandKey(dl), "task-42");
  Task keyed = MakeTask(
      R"({"name":"upload","fileType":"1 Vendor Configuration File","url":"http://h/f","commandKey":"mine"})");
  EXPECT_EQ(TransferCommandKey(keyed), "mine");
  EXPECT_TRUE(IsTransferTask("scheduleDownload"));
  EXPECT_FALSE(IsTransferTask("reboot"));
}

TEST(TasksBuild, RejectsWhatTheDocForbids) {
  struct Case {
    const char* json;
    const char* names;  // text the message must contain
  };
  const Case cases[] = {
      {R"([1])", "object"},
      {R"({"name":"reboot","comandKey":"x"})", "comandKey"},
      {R"({"name":"nonsense"})", "unknown task name"},
      {R"({"name":"getParameterValues"})", "parameterNames"},
      {R"({"name":"getParameterValues","parameterNames":[]})", "1..1000"},
      {R"({"name":"getParameterValues","parameterNames":[""]})", "non-empty"},
      {R"({"name":"getParameterValues","parameterNames":"Device."})", "array"},
      {R"({"name":"setParameterValues","parameterValues":[["A.b"]]})", "[name, value]"},
      {R"({"name":"setParameterValues","parameterValues":[["A.",""]]})", "full name"},
      {R"({"name":"setParameterValues","parameterValues":[["A.b",1.5]]})",
       "string, boolean or integer"},
      {R"({"name":"setParameterValues","parameterValues":[["A.b","1","xsd:float"]]})",
       "unknown type"},
      {R"({"name":"setParameterValues","parameterValues":[["A.b","1"]],"parameterKey":"123456789012345678901234567890123"})",
       "32"},
      {R"({"name":"addObject","objectName":"Device.X"})", "end in '.'"},
      {R"({"name":"addObject","objectName":""})", "end in '.'"},
      {R"({"name":"setParameterAttributes","parameterAttributes":[{"name":"A.b","notification":7}]})",
       "0..6"},
      {R"({"name":"setParameterAttributes","parameterAttributes":[{"notification":1}]})", "name"},
      {R"({"name":"setParameterAttributes","parameterAttributes":[{"name":"A.b","extra":1}]})",
       "extra"},
      {R"({"name":"download","url":"http://h/f"})", "fileType"},
      {R"({"name":"download","fileType":"7 Other","url":"http://h/f"})", "download file type"},
      {R"({"name":"download","fileType":"X 000e08 lower","url":"http://h/f"})",
       "download file type"},
      {R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"file:///etc/passwd"})",
       "http, https, ftp or tftp"},
      {R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"http://h/f","fileSize":-1})",
       "outside"},
      {R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"http://h/f","fileSize":4294967296})",
       "outside"},
      {R"({"name":"upload","fileType":"1 Firmware Upgrade Image","url":"http://h/f"})",
       "upload file type"},
      {R"({"name":"upload","fileType":"3 Vendor Configuration File x","url":"http://h/f"})",
       "upload file type"},
      {R"({"name":"scheduleInform"})", "delaySeconds"},
      {R"({"name":"scheduleInform","delaySeconds":0})", "outside"},
      {R"({"name":"scheduleDownload","fileType":"1 Firmware Upgrade Image","url":"http://h/f","timeWindows":[]})",
       "1..2"},
      {R"({"name":"scheduleDownload","fileType":"1 Firmware Upgrade Image","url":"http://h/f","timeWindows":[{"windowStart":5,"windowEnd":1,"windowMode":"1 At Any Time"}]})",
       "after windowEnd"},
      {R"({"name":"scheduleDownload","fileType":"1 Firmware Upgrade Image","url":"http://h/f","timeWindows":[{"windowStart":0,"windowEnd":1,"windowMode":"5 Whenever"}]})",
       "windowMode"},
      {R"({"name":"cancelTransfer"})", "commandKey"},
      {R"({"name":"reboot","commandKey":5})", "string"},
      {R"({"name":"getParameterNames","parameterPath":"Device.","nextLevel":"yes"})",
       "true or false"},
  };
  for (const auto& c : cases) {
    Task t = MakeTask(c.json);
    if (t.name.empty()) t.name = "reboot";
    auto rpc = BuildRequest(t);
    ASSERT_FALSE(rpc.ok()) << "accepted: " << c.json;
    EXPECT_EQ(rpc.status().code(), cwmp::StatusCode::kInvalidArgument);
    EXPECT_NE(rpc.status().message().find(c.names), std::string::npos)
        << c.json << " -> " << rpc.status().message();
  }
  // The name in the body must be the task's.
  Task t = MakeTask(R"({"name":"reboot"})");
  t.name = "factoryReset";
  EXPECT_FALSE(BuildRequest(t).ok());
  // Not JSON at all.
  t.args_json = "{";
  EXPECT_FALSE(BuildRequest(t).ok());
}

TEST(TasksResponse, OutcomesPerResponse) {
  Task gpv = MakeTask(R"({"name":"getParameterValues","parameterNames":["A."]})");
  Outcome o = InterpretResponse(gpv, soap::GetParameterValuesResponse{{{"A.b", "1", ""}}});
  EXPECT_EQ(o.kind, Outcome::Kind::kDone);
  EXPECT_EQ(o.result_json, R"({"parameterValues":[["A.b","1",""]]})");
  ASSERT_EQ(o.updates.size(), 1u);
  EXPECT_EQ(o.updates[0].type, "xsd:string");  // untyped values are strings

  // A response of another RPC is an ACS-side 8002 fault.
  o = InterpretResponse(gpv, soap::RebootResponse{});
  EXPECT_EQ(o.kind, Outcome::Kind::kFault);
  EXPECT_EQ(o.fault.code, kFaultInternal);
  EXPECT_NE(o.fault.message.find("RebootResponse"), std::string::npos);

  // CWMP faults carry their SetParameterValuesFaults as detail.
  soap::Fault f = soap::MakeFault(9003);
  f.set_parameter_values_faults.push_back({"A.b", 9007, "bad"});
  Task spv = MakeTask(R"({"name":"setParameterValues","parameterValues":[["A.b","x"]]})");
  o = InterpretResponse(spv, f);
  EXPECT_EQ(o.kind, Outcome::Kind::kFault);
  EXPECT_EQ(o.fault.code, 9003);
  EXPECT_EQ(
      o.fault.detail_json,
      R"({"setParameterValuesFaults":[{"parameterName":"A.b","faultCode":9007,"faultString":"bad"}]})");
  o = InterpretResponse(spv, soap::SetParameterValuesResponse{1});
  EXPECT_EQ(o.result_json, R"({"status":1})");
  ASSERT_EQ(o.updates.size(), 1u);
  EXPECT_EQ(o.updates[0].value, "x");

  Task del = MakeTask(R"({"name":"deleteObject","objectName":"Device.X.2."})");
  o = InterpretResponse(del, soap::DeleteObjectResponse{0});
  EXPECT_EQ(o.delete_prefix, "Device.X.2.");

  Task dl =
      MakeTask(R"({"name":"download","fileType":"1 Firmware Upgrade Image","url":"http://h/f"})");
  EXPECT_EQ(InterpretResponse(dl, soap::DownloadResponse{1}).kind, Outcome::Kind::kAwaitTransfer);
  o = InterpretResponse(dl,
                        soap::DownloadResponse{0, "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z"});
  EXPECT_EQ(o.kind, Outcome::Kind::kDone);
  EXPECT_EQ(
      o.result_json,
      R"({"status":0,"startTime":"2026-01-01T00:00:00Z","completeTime":"2026-01-01T00:00:01Z"})");
  EXPECT_EQ(InterpretResponse(dl, soap::UploadResponse{0}).kind, Outcome::Kind::kFault);

  Task refresh = MakeTask(R"({"name":"refreshObject","objectName":"A."})");
  o = InterpretResponse(refresh, soap::GetParameterNamesResponse{{{"A.", false}, {"A.b", true}}});
  EXPECT_EQ(o.kind, Outcome::Kind::kRefresh);
  EXPECT_EQ(o.refresh_names, std::vector<std::string>{"A.b"});

  soap::TransferComplete tc;
  tc.command_key = "k";
  tc.fault = {9010, ""};
  o = TransferOutcome(tc);
  EXPECT_EQ(o.kind, Outcome::Kind::kFault);
  EXPECT_EQ(o.fault.code, 9010);
  EXPECT_FALSE(o.fault.message.empty());  // the standard text when the CPE gave none
  tc.fault = {0, ""};
  EXPECT_EQ(TransferOutcome(tc).kind, Outcome::Kind::kDone);
}

}  // namespace
}  // namespace acs::tasks
