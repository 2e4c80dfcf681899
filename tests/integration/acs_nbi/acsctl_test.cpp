// acsctl as a real binary against the NBI (HttpServer on loopback, real PostgreSQL).
#include <gtest/gtest.h>

#include "nbi_fixture.h"
#include "run_program.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

const std::string kUnset = "\x01unset";

class AcsctlTest : public NbiTest {
 protected:
  Outcome Ctl(std::vector<std::string> args, const std::string& token = kAdminToken) {
    args.insert(args.begin(), {ACSCTL_BINARY, "--url", base_});
    return RunProgram(args,
                      {{"ACSCTL_TOKEN", token.empty() ? kUnset : token}, {"ACSCTL_URL", kUnset}});
  }
};

TEST_F(AcsctlTest, HelpEverywhere) {
  auto main_help = RunProgram({ACSCTL_BINARY, "--help"});
  EXPECT_EQ(main_help.exit_code, 0);
  EXPECT_NE(main_help.out.find("Commands:"), std::string::npos);
  for (const char* c :
       {"devices", "get", "set", "reboot", "factory-reset", "download", "tasks", "faults"}) {
    auto h = RunProgram({ACSCTL_BINARY, c, "--help"});
    EXPECT_EQ(h.exit_code, 0) << c;
    EXPECT_NE(h.out.find(std::string("acsctl ") + c), std::string::npos) << c << h.out;
  }
  auto none = RunProgram({ACSCTL_BINARY});
  EXPECT_EQ(none.exit_code, 2);
  auto bad = Ctl({"frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown command \"frobnicate\""), std::string::npos) << bad.err;
  auto bad_opt = Ctl({"devices", "--bogus"});
  EXPECT_EQ(bad_opt.exit_code, 2);
  EXPECT_NE(bad_opt.err.find("--bogus"), std::string::npos);
}

TEST_F(AcsctlTest, DevicesAndGet) {
  std::string id = AddDevice("SN1", kT0);
  AddDevice("SN2", kT0 + 10);
  auto list = Ctl({"devices"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out,
            "0021A0-CP-6851-3PCC-SN1  last inform 2026-01-01T00:00:00.000Z\n"
            "0021A0-CP-6851-3PCC-SN2  last inform 2026-01-01T00:00:10.000Z\n");
  auto paged = Ctl({"devices", "--limit", "1", "--skip", "1"});
  EXPECT_EQ(paged.out, "0021A0-CP-6851-3PCC-SN2  last inform 2026-01-01T00:00:10.000Z\n");
  auto filtered = Ctl({"devices", "--param", "Device.DeviceInfo.SoftwareVersion=12.0.1", "--prefix",
                       "0021A0-CP-6851-3PCC-SN2"});
  EXPECT_EQ(filtered.out, "0021A0-CP-6851-3PCC-SN2  last inform 2026-01-01T00:00:10.000Z\n");
  auto json = Ctl({"devices", "--json"});
  ASSERT_EQ(json.exit_code, 0);
  auto parsed = cwmp::json::Parse(json.out);
  ASSERT_TRUE(parsed.ok()) << json.out;
  EXPECT_EQ(parsed->as_array().size(), 2u);

  auto get = Ctl({"get", id, "Device.DeviceInfo.SoftwareVersion",
                  "Device.ManagementServer.ConnectionRequestPassword"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_NE(get.out.find("lastInform     2026-01-01T00:00:00.000Z\n"), std::string::npos);
  EXPECT_NE(get.out.find("Device.DeviceInfo.SoftwareVersion = 12.0.1 (xsd:string)\n"),
            std::string::npos)
      << get.out;
  EXPECT_NE(get.out.find("ConnectionRequestPassword = ******** (xsd:string)"), std::string::npos);
  EXPECT_EQ(get.out.find("PeriodicInformInterval"), std::string::npos);
  auto subtree = Ctl({"get", id, "Device.ManagementServer."});
  EXPECT_NE(subtree.out.find("PeriodicInformInterval = 3600"), std::string::npos);
  EXPECT_EQ(subtree.out.find("SoftwareVersion"), std::string::npos);
  auto missing_param = Ctl({"get", id, "Device.Nope"});
  EXPECT_EQ(missing_param.exit_code, 1);
  EXPECT_NE(missing_param.err.find("Device.Nope"), std::string::npos);
}

TEST_F(AcsctlTest, ClearErrors) {
  AddDevice("SN1", kT0);
  auto no_device = Ctl({"get", "0021A0-CP-6851-3PCC-NOPE"});
  EXPECT_EQ(no_device.exit_code, 1);
  EXPECT_NE(no_device.err.find("device 0021A0-CP-6851-3PCC-NOPE not found"), std::string::npos)
      << no_device.err;
  auto bad_token = Ctl({"devices"}, "acs_wrong");
  EXPECT_EQ(bad_token.exit_code, 1);
  EXPECT_NE(bad_token.err.find("rejected the API token (401"), std::string::npos) << bad_token.err;
  auto no_token = Ctl({"devices"}, "");
  EXPECT_EQ(no_token.exit_code, 2);
  EXPECT_NE(no_token.err.find("no API token"), std::string::npos);
  auto read_write =
      Ctl({"reboot", "0021A0-CP-6851-3PCC-SN1", "--no-connection-request"}, kReadToken);
  EXPECT_EQ(read_write.exit_code, 1);
  EXPECT_NE(read_write.err.find("403"), std::string::npos) << read_write.err;

  server_->Stop();
  auto down = Ctl({"devices"});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.err.find("cannot reach the ACS at " + base_), std::string::npos) << down.err;
}

TEST_F(AcsctlTest, TokenFile) {
  AddDevice("SN1", kT0);
  std::string path = ::testing::TempDir() + "/acsctl-token";
  {
    std::ofstream f(path);
    f << kReadToken << "\n";
  }
  auto r = RunProgram({ACSCTL_BINARY, "devices", "--url", base_, "--token-file", path},
                      {{"ACSCTL_TOKEN", kUnset}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("SN1"), std::string::npos);
  std::filesystem::remove(path);
}

TEST_F(AcsctlTest, SetRebootFactoryResetDownloadQueueTasks) {
  std::string id = AddDevice("SN1", kT0);
  auto set = Ctl({"set", id, "Device.ManagementServer.PeriodicInformInterval=300:xsd:unsignedInt",
                  "Device.ManagementServer.URL=http://acs.example:7547/cwmp",
                  "Device.X.Flag=true:boolean", "--no-connection-request", "--wait", "0"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(set.out.find("setParameterValues on " + id + ": pending"), std::string::npos)
      << set.out;
  auto tasks = store_->ListTasks(id);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  auto args = cwmp::json::Parse((*tasks)[0].args_json);
  ASSERT_TRUE(args.ok());
  const auto& pv = args->Find("parameterValues")->as_array();
  ASSERT_EQ(pv.size(), 3u);
  EXPECT_EQ(cwmp::json::Serialize(pv[0]),
            R"(["Device.ManagementServer.PeriodicInformInterval","300","xsd:unsignedInt"])");
  EXPECT_EQ(cwmp::json::Serialize(pv[1]),
            R"(["Device.ManagementServer.URL","http://acs.example:7547/cwmp"])");
  EXPECT_EQ(cwmp::json::Serialize(pv[2]), R"(["Device.X.Flag","true","xsd:boolean"])");

  std::string pwfile = ::testing::TempDir() + "/acsctl-dl-pw";
  {
    std::ofstream f(pwfile);
    f << "dl-Secret-99\n";
  }
  auto dl = Ctl({"download", id, "--file-type", "3 Vendor Configuration File", "--url",
                 "http://files.example/cfg.xml", "--username", "dl", "--password-file", pwfile,
                 "--no-connection-request", "--wait", "0", "--json"});
  ASSERT_EQ(dl.exit_code, 0) << dl.err;
  EXPECT_EQ(dl.out.find("dl-Secret-99"), std::string::npos) << dl.out;
  EXPECT_NE(dl.out.find("\"url\":\"http://files.example/cfg.xml\""), std::string::npos) << dl.out;
  std::filesystem::remove(pwfile);
  auto bad_dl = Ctl({"download", id, "--url", "http://x/y"});
  EXPECT_EQ(bad_dl.exit_code, 2);
  EXPECT_NE(bad_dl.err.find("--file-type"), std::string::npos);
  auto bad_type = Ctl(
      {"download", id, "--file-type", "9 Nope", "--url", "http://x/y", "--no-connection-request"});
  EXPECT_EQ(bad_type.exit_code, 1);
  EXPECT_NE(bad_type.err.find("fileType"), std::string::npos) << bad_type.err;

  device_for_cr_ = id;
  complete_on_poke_ = true;
  auto reboot = Ctl({"reboot", id, "--command-key", "maint"});
  ASSERT_EQ(reboot.exit_code, 0) << reboot.err;
  EXPECT_NE(reboot.out.find("reboot on " + id + ": done"), std::string::npos) << reboot.out;
  EXPECT_NE(reboot.out.find("connection request ok"), std::string::npos) << reboot.out;
  auto fr = Ctl({"factory-reset", id, "--wait", "2000"});
  ASSERT_EQ(fr.exit_code, 0) << fr.err;
  EXPECT_NE(fr.out.find("factoryReset on " + id + ": done"), std::string::npos) << fr.out;
}

TEST_F(AcsctlTest, TasksAndFaults) {
  std::string id = AddDevice("SN1", kT0);
  auto t =
      store_->EnqueueTask(NewTask{id, "reboot", R"({"name":"reboot"})", std::nullopt}, At(kT0));
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(store_->FailTask(*t, TaskFault{9002, "Internal error", "null"}, At(kT0 + 1)).ok());
  std::string tid = std::to_string(*t);
  auto get = Ctl({"tasks", "get", tid});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_NE(get.out.find("task " + tid + " reboot on " + id + ": fault"), std::string::npos)
      << get.out;
  EXPECT_NE(get.out.find("fault 9002 Internal error"), std::string::npos);
  auto faults = Ctl({"faults"}, kReadToken);
  ASSERT_EQ(faults.exit_code, 0) << faults.err;
  EXPECT_NE(faults.out.find(id + "  task " + tid + "  9002 Internal error"), std::string::npos)
      << faults.out;
  auto retry = Ctl({"tasks", "retry", tid});
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_NE(retry.out.find(": pending"), std::string::npos);
  auto again = Ctl({"tasks", "retry", tid});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("409"), std::string::npos) << again.err;
  auto del = Ctl({"tasks", "delete", tid});
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_EQ(del.out, "task " + tid + " deleted\n");
  auto gone = Ctl({"tasks", "get", tid});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.err.find("not found"), std::string::npos);
  auto bad_verb = Ctl({"tasks", "explode", tid});
  EXPECT_EQ(bad_verb.exit_code, 2);
}

}  // namespace
}  // namespace acs::testing
