#pragma once
// NbiTest: a migrated database (StoreTest), two API tokens (admin, read), the NBI on an
// HttpServer on 127.0.0.1:0, and a connection-request responder that plays the CPE: it checks
// Digest credentials and, when poked, completes the device's pending tasks in the database the
// way the session engine would (the engine itself is tested elsewhere).

#include <atomic>
#include <memory>
#include <string>

#include "acs/connection_request.h"
#include "acs/http_client.h"
#include "acs/http_digest.h"
#include "acs/http_server.h"
#include "acs/nbi_api.h"
#include "cwmp/base/json.h"
#include "store_fixture.h"

namespace acs::testing {

inline const std::string kAdminToken = "acs_test-admin-token-0123456789abcdefghijklmnopq";
inline const std::string kReadToken = "acs_test-read-token-0123456789abcdefghijklmnopqr";
inline const std::string kCrUser = "cr-user";
inline const std::string kCrPassword = "cr-Secret-pw-42";

class NbiTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->AddApiToken(cwmp::Secret(kAdminToken), ApiScope::kAdmin, "t").ok());
    ASSERT_TRUE(store_->AddApiToken(cwmp::Secret(kReadToken), ApiScope::kRead, "t").ok());

    // The CPE's connection-request server.
    auth_ = std::make_unique<http::DigestAuthenticator>(
        cwmp::Secret("responder-secret"), "cpe", std::chrono::seconds(60), http::SystemRandom());
    auto cr = http::HttpServer::Start(
        {}, [this](const http::Request& r, const http::ConnectionInfo&) { return Responder(r); });
    ASSERT_TRUE(cr.ok()) << cr.status().ToString();
    responder_ = std::move(cr).value();

    ConnectionRequestOptions cro;
    cro.http_timeout = std::chrono::milliseconds(2000);
    requester_ = std::make_unique<StoreConnectionRequester>(*store_, cro);
    nbi::ApiOptions o;
    o.now = [] { return At(kT0 + 1000); };
    o.poll_interval = std::chrono::milliseconds(20);
    o.max_wait = std::chrono::milliseconds(5000);
    api_ = std::make_unique<nbi::Api>(*store_, *requester_, o);
    auto srv =
        http::HttpServer::Start({}, [this](const http::Request& r, const http::ConnectionInfo& c) {
          return api_->Handle(r, c);
        });
    ASSERT_TRUE(srv.ok()) << srv.status().ToString();
    server_ = std::move(srv).value();
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (responder_) responder_->Stop();
  }

  http::Response Responder(const http::Request& r) {
    pokes_++;
    http::Response resp;
    const std::string* a = r.Find("Authorization");
    auto now = std::chrono::system_clock::now();
    if (a == nullptr) {
      resp.status = 401;
      for (const auto& c : auth_->Challenges(now, false)) {
        resp.headers.push_back({"WWW-Authenticate", c});
      }
      return resp;
    }
    auto cred = http::ParseDigestAuthorization(*a);
    if (!cred.ok() || cred->username != kCrUser ||
        auth_->Verify(*cred, r.method, r.target, cwmp::Secret(kCrPassword), now) !=
            http::DigestAuthenticator::Verdict::kOk) {
      resp.status = 401;
      return resp;
    }
    accepted_++;
    if (complete_on_poke_) {
      // Simulates the session engine: run the pending tasks right away.
      for (;;) {
        auto t = store_->NextPendingTask(device_for_cr_, At(kT0 + 1001));
        if (!t.ok() || !t->has_value()) break;
        EXPECT_TRUE(store_->CompleteTask((*t)->id, R"({"status":0})", At(kT0 + 1002)).ok());
      }
    }
    resp.status = 204;
    return resp;
  }

  // Records an Inform for serial `serial` with the connection-request parameters pointing at
  // the responder.
  std::string AddDevice(const std::string& serial, int64_t at,
                        std::vector<InformEvent> events = {{"2 PERIODIC", ""}}) {
    InformRecord in = Inform(serial, at, std::move(events));
    in.parameters = {
        {"Device.ManagementServer.ConnectionRequestURL",
         "http://127.0.0.1:" + std::to_string(responder_->port()) + "/cr/" + serial, "xsd:string"},
        {"Device.ManagementServer.ConnectionRequestUsername", kCrUser, "xsd:string"},
        {"Device.ManagementServer.ConnectionRequestPassword", kCrPassword, "xsd:string"},
        {"Device.DeviceInfo.SoftwareVersion", "12.0.1", "xsd:string"},
        {"Device.ManagementServer.PeriodicInformInterval", "3600", "xsd:unsignedInt"},
    };
    EXPECT_TRUE(store_->RecordInform(in).ok());
    return DeviceIdOf(in.device);
  }

  http::ClientResponse Call(const std::string& method, const std::string& path,
                            const std::string& token = kAdminToken, const std::string& body = "") {
    http::ClientRequest r;
    r.method = method;
    r.url = base_ + path;
    if (!token.empty()) r.headers.push_back({"Authorization", "Bearer " + token});
    if (!body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    r.body = body;
    r.timeout = std::chrono::milliseconds(15000);
    auto resp = http::Fetch(r);
    EXPECT_TRUE(resp.ok()) << resp.status().ToString();
    return resp.ok() ? *resp : http::ClientResponse{};
  }

  static cwmp::json::Value J(const http::ClientResponse& r) {
    auto v = cwmp::json::Parse(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() ? *v : cwmp::json::Value();
  }

  std::unique_ptr<http::DigestAuthenticator> auth_;
  std::unique_ptr<http::HttpServer> responder_;
  std::unique_ptr<StoreConnectionRequester> requester_;
  std::unique_ptr<nbi::Api> api_;
  std::unique_ptr<http::HttpServer> server_;
  std::string base_;
  std::atomic<int> pokes_{0};
  std::atomic<int> accepted_{0};
  std::atomic<bool> complete_on_poke_{false};
  std::string device_for_cr_;
};

}  // namespace acs::testing
