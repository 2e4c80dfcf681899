// HTTPS towards the ACS: a throwaway CA made with the openssl program, a TLS scripted ACS.
// Verification is on by default; the phone's custom CA (extra_ca_file) makes the ACS trusted.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "acs_script.h"
#include "agent/cwmp_client.h"
#include "agent/http_client.h"
#include "agent/network_worker.h"
#include "scripted_http_server.h"
#include "test_delegate.h"

namespace agent_test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new fs::path(fs::temp_directory_path() / ("agent_client_tls_" + std::to_string(getpid())));
    fs::create_directories(*dir_);
    std::ofstream(*dir_ / "ext.cnf") << "subjectAltName=IP:127.0.0.1\n"
                                        "basicConstraints=CA:FALSE\n";
    const std::string d = dir_->string();
    const std::string cmds[] = {
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + d + "/ca.key -out " + d +
            "/ca.pem -subj /CN=Phone-Custom-CA -days 2 -addext basicConstraints=critical,CA:TRUE",
        "openssl req -newkey rsa:2048 -nodes -keyout " + d + "/acs.key -out " + d +
            "/acs.csr -subj /CN=127.0.0.1",
        "openssl x509 -req -in " + d + "/acs.csr -CA " + d + "/ca.pem -CAkey " + d +
            "/ca.key -CAcreateserial -out " + d + "/acs.pem -days 2 -extfile " + d + "/ext.cnf",
        "openssl req -newkey rsa:2048 -nodes -keyout " + d + "/phone.key -out " + d +
            "/phone.csr -subj /CN=FCH1234ABCD",
        "openssl x509 -req -in " + d + "/phone.csr -CA " + d + "/ca.pem -CAkey " + d +
            "/ca.key -CAcreateserial -out " + d + "/phone.pem -days 2",
    };
    for (const auto& c : cmds) {
      if (std::system((c + " >/dev/null 2>&1").c_str()) != 0) {
        FAIL() << "openssl failed: " << c;
      }
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string File(const char* name) { return (*dir_ / name).string(); }

  agent::SessionOutcome RunOne(ScriptedHttpServer& acs, agent::HttpClientOptions http) {
    agent::SessionOptions options;
    options.acs_url = acs.Url();
    options.session_timeout = 5s;
    auto client = agent::MakeAcsHttpClient(std::move(http));
    auto session = client->StartSession();
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    if (!session.ok()) return {};
    return agent::RunSession(**session, device, options, 0, {});
  }

  RecordingDelegate device;
  static fs::path* dir_;
};
fs::path* Tls::dir_ = nullptr;

TEST_F(Tls, CustomCaMakesTheAcsTrusted) {
  ScriptedHttpServer acs(Script({InformResponseStep(), NoContent()}), File("acs.pem"),
                         File("acs.key"));
  ASSERT_EQ(acs.Url().rfind("https://", 0), 0u);
  agent::HttpClientOptions http;
  http.extra_ca_file = File("ca.pem");
  auto outcome = RunOne(acs, std::move(http));
  EXPECT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  EXPECT_EQ(acs.requests().size(), 2u);
  EXPECT_EQ(acs.connections(), 1);
}

TEST_F(Tls, UntrustedAcsIsRefusedBeforeAnyRequest) {
  ScriptedHttpServer acs(Script({InformResponseStep(), NoContent()}), File("acs.pem"),
                         File("acs.key"));
  auto outcome = RunOne(acs, {});  // system CAs only
  EXPECT_EQ(outcome.status.code(), cwmp::StatusCode::kIoError);
  EXPECT_NE(outcome.status.message().find("certificate"), std::string::npos)
      << outcome.status.ToString();
  EXPECT_TRUE(acs.requests().empty());
  EXPECT_EQ(device.calls.back(), "OnSessionEnd(false)");
}

TEST_F(Tls, VerificationCanBeSwitchedOff) {
  ScriptedHttpServer acs(Script({InformResponseStep(), NoContent()}), File("acs.pem"),
                         File("acs.key"));
  agent::HttpClientOptions http;
  http.verify_server = false;
  auto outcome = RunOne(acs, std::move(http));
  EXPECT_TRUE(outcome.status.ok()) << outcome.status.ToString();
}

TEST_F(Tls, BasicIsOfferedOverTls) {
  ScriptedHttpServer acs(
      Script(
          {Reply(ScriptedResponse{401, {{"WWW-Authenticate", "Basic realm=\"acs\""}}, "", false}),
           InformResponseStep(), NoContent()}),
      File("acs.pem"), File("acs.key"));
  agent::HttpClientOptions http;
  http.extra_ca_file = File("ca.pem");
  http.username = "cpe";
  http.password = cwmp::Secret("secret");
  auto outcome = RunOne(acs, std::move(http));
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  EXPECT_EQ(acs.requests().at(1).Header("Authorization"), "Basic Y3BlOnNlY3JldA==");
}

TEST_F(Tls, ClientCertificateIsPresentedWhenConfigured) {
  ScriptedHttpServer acs(Script({InformResponseStep(), NoContent()}), File("acs.pem"),
                         File("acs.key"), File("ca.pem"));
  agent::HttpClientOptions http;
  http.extra_ca_file = File("ca.pem");
  http.client_cert_file = File("phone.pem");
  http.client_key_file = File("phone.key");
  auto outcome = RunOne(acs, std::move(http));
  EXPECT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  EXPECT_EQ(acs.requests().size(), 2u);
  EXPECT_EQ(acs.tls_handshake_failures(), 0);
}

TEST_F(Tls, AcsRequiringAClientCertificateRefusesAPhoneWithout) {
  ScriptedHttpServer acs(Script({InformResponseStep(), NoContent()}), File("acs.pem"),
                         File("acs.key"), File("ca.pem"));
  agent::HttpClientOptions http;
  http.extra_ca_file = File("ca.pem");
  auto outcome = RunOne(acs, std::move(http));
  EXPECT_EQ(outcome.status.code(), cwmp::StatusCode::kIoError) << outcome.status.ToString();
  EXPECT_TRUE(acs.requests().empty());
}

}  // namespace
}  // namespace agent_test
