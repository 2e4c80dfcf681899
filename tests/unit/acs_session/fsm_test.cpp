// The session state machine and the data-model read plan, as tables.
#include <gtest/gtest.h>

#include "acs/session.h"

namespace acs::session {
namespace {

namespace soap = cwmp::soap;

TEST(SessionFsm, TransitionTable) {
  struct Case {
    Phase phase;
    Input input;
    Action action;
  };
  const Case cases[] = {
      {Phase::kAwaitInform, Input::kInform, Action::kStartSession},
      {Phase::kAwaitInform, Input::kEmpty, Action::kProtocolError},
      {Phase::kAwaitInform, Input::kResponse, Action::kProtocolError},
      {Phase::kAwaitInform, Input::kCpeRequest, Action::kProtocolError},
      {Phase::kCpeTurn, Input::kCpeRequest, Action::kAnswerCpeRequest},
      {Phase::kCpeTurn, Input::kEmpty, Action::kSendNextOrEnd},
      {Phase::kCpeTurn, Input::kResponse, Action::kProtocolError},
      {Phase::kCpeTurn, Input::kInform, Action::kStartSession},
      {Phase::kAwaitResponse, Input::kResponse, Action::kHandleResponse},
      {Phase::kAwaitResponse, Input::kCpeRequest, Action::kAnswerCpeRequest},
      {Phase::kAwaitResponse, Input::kEmpty, Action::kAbandonOutstanding},
      {Phase::kAwaitResponse, Input::kInform, Action::kStartSession},
      {Phase::kEnded, Input::kEmpty, Action::kProtocolError},
      {Phase::kEnded, Input::kResponse, Action::kProtocolError},
      {Phase::kEnded, Input::kInform, Action::kStartSession},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Next(c.phase, c.input), c.action)
        << PhaseName(c.phase) << " + input " << static_cast<int>(c.input);
  }
}

TEST(SessionFsm, ClassifiesBodies) {
  EXPECT_EQ(Classify(soap::Inform{}), Input::kInform);
  EXPECT_EQ(Classify(soap::TransferComplete{}), Input::kCpeRequest);
  EXPECT_EQ(Classify(soap::AutonomousTransferComplete{}), Input::kCpeRequest);
  EXPECT_EQ(Classify(soap::GetRPCMethods{}), Input::kCpeRequest);
  EXPECT_EQ(Classify(soap::Kicked{}), Input::kCpeRequest);
  EXPECT_EQ(Classify(soap::RequestDownload{}), Input::kCpeRequest);
  EXPECT_EQ(Classify(soap::UnknownMethod{"SetVouchers"}), Input::kCpeRequest);
  EXPECT_EQ(Classify(soap::GetParameterValuesResponse{}), Input::kResponse);
  EXPECT_EQ(Classify(soap::MakeFault(9005)), Input::kResponse);
}

TEST(SessionRefresh, BatchesLeavesWithinTheLimit) {
  RefreshLimits limits;
  limits.batch_size = 2;
  limits.max_parameters = 3;
  Refresh r("Device.", limits);
  EXPECT_EQ(r.NamesRequest().parameter_path, "Device.");
  EXPECT_FALSE(r.NamesRequest().next_level);
  size_t dropped = r.SetNames({{"Device.", false},
                               {"Device.A", false},
                               {"Device.B.", false},
                               {"Device.B.C", true},
                               {"Device.D", true},
                               {"Device.E", true}});
  EXPECT_EQ(dropped, 1u);
  EXPECT_EQ(r.names(), 3u);
  auto b1 = r.NextBatch();
  ASSERT_TRUE(b1);
  EXPECT_EQ(b1->names, (std::vector<std::string>{"Device.A", "Device.B.C"}));
  auto b2 = r.NextBatch();
  ASSERT_TRUE(b2);
  EXPECT_EQ(b2->names, std::vector<std::string>{"Device.D"});
  EXPECT_FALSE(r.NextBatch());
  r.CountValues(3);
  EXPECT_EQ(r.values_read(), 3u);
}

TEST(SessionRefresh, DiscoveryPathsFollowTheInformsRoot) {
  EXPECT_EQ(DiscoveryPaths({{"Device.DeviceInfo.SoftwareVersion", "1", "xsd:string"}}),
            (std::vector<std::string>{"Device.", "InternetGatewayDevice.", ""}));
  EXPECT_EQ(DiscoveryPaths({{"InternetGatewayDevice.DeviceSummary", "x", "xsd:string"}}),
            (std::vector<std::string>{"InternetGatewayDevice.", "Device.", ""}));
  EXPECT_EQ(DiscoveryPaths({}),
            (std::vector<std::string>{"Device.", "InternetGatewayDevice.", ""}));
}

}  // namespace
}  // namespace acs::session
