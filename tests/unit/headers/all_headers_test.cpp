// Every public header of the project in one translation unit: two modules that declare the same
// name in one namespace (an ODR violation waiting for the first program that uses both) fail
// to compile here. Keep the list complete: the test below also checks it against the tree.
#include "cwmp/base/http_reason.h"
#include "cwmp/base/json.h"
#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"
#include "cwmp/content/aes128gcm.h"
#include "cwmp/content/base64.h"
#include "cwmp/content/content.h"
#include "cwmp/content/gzip.h"
#include "cwmp/content/hash.h"
#include "cwmp/content/openssl_enc.h"
#include "cwmp/content/random.h"
#include "cwmp/content/validator.h"
#include "cwmp/dhcp/options.h"
#include "cwmp/dhcp/state.h"
#include "cwmp/prov/access.h"
#include "cwmp/prov/catalog.h"
#include "cwmp/prov/condition.h"
#include "cwmp/prov/datatype.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/parameter_set.h"
#include "cwmp/prov/profile_check.h"
#include "cwmp/prov/rule.h"
#include "cwmp/prov/schedule.h"
#include "cwmp/prov/url.h"
#include "cwmp/prov/version.h"
#include "cwmp/soap/codec.h"
#include "cwmp/soap/messages.h"
#include "agent/admin_server.h"
#include "agent/ca_store.h"
#include "agent/cli.h"
#include "agent/clock.h"
#include "agent/connection_request.h"
#include "agent/connection_request_udp.h"
#include "agent/cwmp_client.h"
#include "agent/custom_ca.h"
#include "agent/cwmp_client_clock.h"
#include "agent/data_model.h"
#include "agent/device.h"
#include "agent/event_queue.h"
#include "agent/firmware.h"
#include "agent/http_client.h"
#include "agent/network_executor.h"
#include "agent/network_worker.h"
#include "agent/parameter_store.h"
#include "agent/phone.h"
#include "agent/phone_host.h"
#include "agent/phone_services.h"
#include "agent/resync_engine.h"
#include "agent/retry_policy.h"
#include "agent/rpc_handler.h"
#include "agent/runtime_log.h"
#include "agent/session_delegate.h"
#include "agent/sip_listener.h"
#include "agent/state_file.h"
#include "agent/stun.h"
#include "agent/syslog.h"
#include "agent/transfer.h"
#include "agent/transfer_executor.h"
#include "agent/upgrade_engine.h"
#include "acs/api_token.h"
#include "acs/cli.h"
#include "acs/config.h"
#include "acs/connection_request.h"
#include "acs/cwmp_endpoint.h"
#include "acs/http_basic.h"
#include "acs/http_client.h"
#include "acs/http_digest.h"
#include "acs/http_request.h"
#include "acs/http_server.h"
#include "acs/log.h"
#include "acs/metrics.h"
#include "acs/nbi_api.h"
#include "acs/serve.h"
#include "acs/session.h"
#include "acs/session_store.h"
#include "acs/store.h"
#include "acs/tasks.h"
#include "acs/tls.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

TEST(PublicHeaders, AllAreIncludedAbove) {
  // Not __FILE__: with ccache's base_dir it is relative to the build directory.
  const std::string self_path = std::string(CWMP_SOURCE_DIR) + "/tests/unit/headers/all_headers_test.cpp";
  std::ifstream self(self_path);
  ASSERT_TRUE(self.good()) << self_path;
  std::stringstream text;
  text << self.rdbuf();
  const std::string source = text.str();
  const std::filesystem::path root(CWMP_SOURCE_DIR);
  for (const char* dir : {"shared/include", "cpe-agent/include", "acs/include"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
      if (entry.path().extension() != ".h") continue;
      const std::string rel = std::filesystem::relative(entry.path(), root / dir).string();
      EXPECT_NE(source.find("#include \"" + rel + "\""), std::string::npos)
          << rel << " is missing from " << self_path;
    }
  }
}

}  // namespace
