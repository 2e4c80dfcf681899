// Linked into a test program to run all its tests with the network worker on, as `cpe-agent run`
// does: every ACS session and transfer goes through a real `cpe-agent net-worker` process
// (CPE_AGENT_BINARY). When the tests are done, every worker must have been stopped and reaped
// and libcurl must never have been loaded into the test process itself.
#include <gtest/gtest.h>

#include "agent/network_worker.h"
#include "transfer/curl_library.h"

namespace agent_test {
namespace {

class NetworkWorkerMode : public ::testing::Environment {
 public:
  void SetUp() override { agent::EnableNetworkWorker(CPE_AGENT_BINARY); }
  void TearDown() override {
    EXPECT_EQ(agent::LiveNetworkWorkers(), 0) << "a network worker outlived its session";
    EXPECT_FALSE(agent::curl::IsLoaded()) << "libcurl was loaded outside the network worker";
    agent::DisableNetworkWorker();
  }
};

[[maybe_unused]] const auto* const kRegistered =
    ::testing::AddGlobalTestEnvironment(new NetworkWorkerMode());

}  // namespace
}  // namespace agent_test
