#include "agent/rpc_handler.h"

#include <gtest/gtest.h>

#include "../agent_common/agent_test_util.h"
#include "agent/transfer_executor.h"

namespace agent {
namespace {

namespace soap = cwmp::soap;
using namespace std::chrono_literals;

class RpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = ParameterStore::Open(dir_.path());
    ASSERT_TRUE(s.ok());
    store_ = std::move(s.value());
    auto q = EventQueue::Open(dir_.path());
    ASSERT_TRUE(q.ok());
    events_ = std::move(q.value());
    DeviceIdentity id;
    id.model_name = "CP-6841-3PCC";
    id.mac_address = "001B54AABBCC";
    model_ = std::make_unique<DataModel>(*store_, id, clock_);
    rpc_ = std::make_unique<RpcHandler>(*model_, *events_, clock_);
  }
  uint32_t FaultCode(const soap::Body& b) {
    auto* f = std::get_if<soap::Fault>(&b);
    return f ? f->code : 0;
  }
  static soap::Download Dl(std::string key, std::string type = std::string(kFileTypeConfig),
                           std::string url = "http://files.example/p.xml") {
    soap::Download d;
    d.command_key = std::move(key);
    d.file_type = std::move(type);
    d.url = std::move(url);
    return d;
  }

  testing::TempDir dir_;
  FakeClock clock_{std::chrono::sys_seconds{1'800'000'000s}};
  std::unique_ptr<ParameterStore> store_;
  std::unique_ptr<EventQueue> events_;
  std::unique_ptr<DataModel> model_;
  std::unique_ptr<RpcHandler> rpc_;
};

TEST_F(RpcTest, GetRPCMethodsListsEveryHandledMethod) {
  auto r = rpc_->Handle(soap::GetRPCMethods{});
  auto* resp = std::get_if<soap::GetRPCMethodsResponse>(&r);
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(resp->methods, RpcHandler::SupportedMethods());
  EXPECT_EQ(resp->methods.size(), 17u);
}

TEST_F(RpcTest, UnsupportedMethods) {
  const soap::Body cases[] = {soap::ChangeDUState{}, soap::UnknownMethod{},
                              soap::InformResponse{}, soap::TransferCompleteResponse{}};
  for (const auto& c : cases) {
    auto r = rpc_->Handle(c);
    EXPECT_EQ(FaultCode(r), 9000u) << soap::MethodName(c);
    EXPECT_EQ(std::get<soap::Fault>(r).soap_faultcode, "Server");
  }
}

TEST_F(RpcTest, ParameterRpcsRoundTrip) {
  soap::SetParameterValues spv;
  spv.parameters = {{"Device.ManagementServer.PeriodicInformInterval", "600", "xsd:unsignedInt"},
                    {"Device.ManagementServer.Password", "pw", "xsd:string"}};
  spv.parameter_key = "pk-1";
  auto r = rpc_->Handle(spv);
  ASSERT_TRUE(std::holds_alternative<soap::SetParameterValuesResponse>(r));
  auto g = rpc_->Handle(soap::GetParameterValues{
      {"Device.ManagementServer.PeriodicInformInterval", "Device.ManagementServer.Password",
       "Device.ManagementServer.ParameterKey"}});
  auto& values = std::get<soap::GetParameterValuesResponse>(g).parameters;
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0].value, "600");
  EXPECT_EQ(values[1].value, "");  // passwords read back empty
  EXPECT_EQ(values[2].value, "pk-1");

  spv.parameters = {{"Device.ManagementServer.PeriodicInformInterval", "x", "xsd:unsignedInt"},
                    {"Device.DeviceInfo.ModelName", "y", "xsd:string"},
                    {"Device.Nope", "z", "xsd:string"}};
  spv.parameter_key = "pk-2";
  r = rpc_->Handle(spv);
  ASSERT_EQ(FaultCode(r), 9003u);
  const auto& f = std::get<soap::Fault>(r);
  ASSERT_EQ(f.set_parameter_values_faults.size(), 3u);
  EXPECT_EQ(f.set_parameter_values_faults[0].fault_code, 9007u);
  EXPECT_EQ(f.set_parameter_values_faults[1].fault_code, 9008u);
  EXPECT_EQ(f.set_parameter_values_faults[2].fault_code, 9005u);
  EXPECT_EQ(store_->Get("Parameter_Key"), "pk-1");

  auto n = rpc_->Handle(soap::GetParameterNames{"Device.ManagementServer.", true});
  EXPECT_GT(std::get<soap::GetParameterNamesResponse>(n).parameters.size(), 10u);
  auto a = rpc_->Handle(soap::SetParameterAttributes{
      {{"Device.DeviceInfo.SoftwareVersion", true, 0, false, {}}}});
  EXPECT_EQ(FaultCode(a), 9009u);
  auto ga = rpc_->Handle(soap::GetParameterAttributes{{"Device.DeviceInfo.SoftwareVersion"}});
  EXPECT_EQ(std::get<soap::GetParameterAttributesResponse>(ga).parameters[0].notification, 2);
  auto add = rpc_->Handle(soap::AddObject{"Device.WiFi.EndPoint.1.Profile.", "k"});
  EXPECT_EQ(FaultCode(add), 9004u);
  auto del = rpc_->Handle(soap::DeleteObject{"Device.WiFi.EndPoint.1.Profile.4.", "k"});
  EXPECT_TRUE(std::holds_alternative<soap::DeleteObjectResponse>(del));
  add = rpc_->Handle(soap::AddObject{"Device.WiFi.EndPoint.1.Profile.", "k"});
  EXPECT_EQ(std::get<soap::AddObjectResponse>(add).instance_number, 4u);
}

TEST_F(RpcTest, DownloadValidation) {
  struct Case {
    const char* name;
    soap::Download d;
    uint32_t fault;
  } cases[] = {
      {"config", Dl("a"), 0},
      {"firmware", Dl("b", std::string(kFileTypeFirmware), "https://f/img.bin"), 0},
      {"custom CA", Dl("c", std::string(kFileTypeCustomCa), "tftp://f/ca.pem"), 0},
      {"web content", Dl("d", "2 Web Content"), 9003},
      {"ringer", Dl("e", "5 Ringer File"), 9003},
      {"ftp", Dl("f", std::string(kFileTypeConfig), "ftp://f/x"), 9013},
      {"no scheme", Dl("g", std::string(kFileTypeConfig), "files/x"), 9013},
      {"empty url", Dl("h", std::string(kFileTypeConfig), ""), 9003},
      {"long key", Dl(std::string(33, 'k')), 9003},
  };
  for (const auto& c : cases) {
    auto r = rpc_->Handle(c.d);
    EXPECT_EQ(FaultCode(r), c.fault) << c.name;
    if (c.fault == 0) {
      auto& resp = std::get<soap::DownloadResponse>(r);
      EXPECT_EQ(resp.status, 1) << c.name;
      EXPECT_EQ(resp.start_time, soap::kUnknownTime);
    }
  }
  EXPECT_EQ(events_->state().transfers.size(), 3u);
}

TEST_F(RpcTest, DownloadDelayAndQueueLimit) {
  auto d = Dl("delayed");
  d.delay_seconds = 90;
  d.password = cwmp::Secret("pw");
  ASSERT_EQ(FaultCode(rpc_->Handle(d)), 0u);
  const auto& t = events_->state().transfers.at(0);
  EXPECT_EQ(t.not_before, 1'800'000'090);
  EXPECT_EQ(t.password.Reveal(), "pw");
  for (size_t i = 1; i < kMaxQueuedTransfers; ++i) {
    ASSERT_EQ(FaultCode(rpc_->Handle(Dl("k" + std::to_string(i)))), 0u);
  }
  EXPECT_EQ(FaultCode(rpc_->Handle(Dl("overflow"))), 9004u);
}

TEST_F(RpcTest, ScheduleDownloadWindows) {
  auto make = [](std::vector<soap::TimeWindow> w) {
    soap::ScheduleDownload sd;
    sd.command_key = "sd";
    sd.file_type = std::string(kFileTypeFirmware);
    sd.url = "http://f/img";
    sd.time_windows = std::move(w);
    return sd;
  };
  struct Case {
    const char* name;
    std::vector<soap::TimeWindow> windows;
    uint32_t fault;
  } cases[] = {
      {"one window", {{60, 600, "1 At Any Time", "", -1}}, 0},
      {"two windows", {{0, 60, "2 Immediately", "", 0}, {3600, 7200, "3 When Idle", "", 0}}, 0},
      {"none", {}, 9003},
      {"three",
       {{0, 1, "1 At Any Time", "", 0}, {2, 3, "1 At Any Time", "", 0},
        {4, 5, "1 At Any Time", "", 0}},
       9003},
      {"empty window", {{60, 60, "1 At Any Time", "", 0}}, 9003},
      {"overlap", {{0, 100, "1 At Any Time", "", 0}, {50, 200, "1 At Any Time", "", 0}}, 9003},
      {"confirmation", {{0, 100, "4 Confirmation Needed", "ok?", 0}}, 9003},
  };
  for (const auto& c : cases) {
    auto r = rpc_->Handle(make(c.windows));
    EXPECT_EQ(FaultCode(r), c.fault) << c.name;
  }
  ASSERT_EQ(events_->state().transfers.size(), 2u);
  EXPECT_EQ(events_->state().transfers[0].not_before, 1'800'000'060);
  EXPECT_EQ(events_->state().transfers[0].deadline, 1'800'000'600);
  EXPECT_EQ(events_->state().transfers[1].deadline, 1'800'007'200);
}

TEST_F(RpcTest, UploadTypes) {
  struct Case {
    const char* type;
    uint32_t fault;
  } cases[] = {{"1 Vendor Configuration File", 0},
               {"2 Vendor Log File", 0},
               {"3 Vendor Configuration File 1", 9003},
               {"X 00562B Custom CA", 9003}};
  for (const auto& c : cases) {
    soap::Upload u;
    u.command_key = c.type;
    u.file_type = c.type;
    u.url = "http://upload.example/x";
    auto r = rpc_->Handle(u);
    EXPECT_EQ(FaultCode(r), c.fault) << c.type;
    if (!c.fault) {
      EXPECT_EQ(std::get<soap::UploadResponse>(r).status, 1);
    }
  }
}

TEST_F(RpcTest, QueuedTransfersAndCancel) {
  ASSERT_EQ(FaultCode(rpc_->Handle(Dl("one"))), 0u);
  ASSERT_EQ(FaultCode(rpc_->Handle(Dl("two", std::string(kFileTypeFirmware)))), 0u);
  soap::Upload u;
  u.command_key = "up";
  u.file_type = "2 Vendor Log File";
  u.url = "http://u/x";
  ASSERT_EQ(FaultCode(rpc_->Handle(u)), 0u);
  ASSERT_TRUE(events_->SetTransferState(events_->state().transfers[1].id, 2).ok());

  auto q = std::get<soap::GetQueuedTransfersResponse>(rpc_->Handle(soap::GetQueuedTransfers{}));
  EXPECT_EQ(q.transfers, (std::vector<soap::QueuedTransfer>{{"one", 1}, {"two", 2}, {"up", 1}}));
  auto all =
      std::get<soap::GetAllQueuedTransfersResponse>(rpc_->Handle(soap::GetAllQueuedTransfers{}));
  ASSERT_EQ(all.transfers.size(), 3u);
  EXPECT_TRUE(all.transfers[0].is_download);
  EXPECT_EQ(all.transfers[1].file_type, kFileTypeFirmware);
  EXPECT_FALSE(all.transfers[2].is_download);

  EXPECT_EQ(FaultCode(rpc_->Handle(soap::CancelTransfer{"two"})), 9021u);
  EXPECT_EQ(FaultCode(rpc_->Handle(soap::CancelTransfer{"none"})), 9003u);
  EXPECT_EQ(FaultCode(rpc_->Handle(soap::CancelTransfer{"one"})), 0u);
  EXPECT_EQ(events_->state().transfers.size(), 2u);
}

TEST_F(RpcTest, RebootFactoryResetScheduleInformAreRecorded) {
  EXPECT_TRUE(std::holds_alternative<soap::RebootResponse>(rpc_->Handle(soap::Reboot{"rk"})));
  EXPECT_TRUE(events_->state().reboot_requested);
  EXPECT_EQ(events_->state().reboot_command_key, "rk");
  EXPECT_TRUE(
      std::holds_alternative<soap::FactoryResetResponse>(rpc_->Handle(soap::FactoryReset{})));
  EXPECT_TRUE(events_->state().factory_reset_requested);
  EXPECT_EQ(FaultCode(rpc_->Handle(soap::ScheduleInform{0, "x"})), 9003u);
  EXPECT_TRUE(std::holds_alternative<soap::ScheduleInformResponse>(
      rpc_->Handle(soap::ScheduleInform{30, "si"})));
  ASSERT_EQ(events_->state().scheduled_informs.size(), 1u);
  EXPECT_EQ(events_->state().scheduled_informs[0].at, 1'800'000'030);
  // Everything is on disk before the answer.
  auto reloaded = EventQueue::Open(dir_.path());
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ((*reloaded)->state(), events_->state());
}

}  // namespace
}  // namespace agent
