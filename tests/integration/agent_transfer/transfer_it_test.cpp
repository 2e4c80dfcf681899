// Fetch/Upload against the real nginx and in.tftpd: every row of the guide's Table 2, TFTP with
// and without a host (DHCP option 66), HTTPS trust (custom CA, wrong CA, host name mismatch),
// client certificates (required, optional, the "Client Filtering and Dynamic Content" reflector),
// HTTP/1.0 and chunked bodies, size caps, timeouts, several A records, servers that are down.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "agent/ca_store.h"
#include "agent/transfer.h"
#include "nginx_instance.h"
#include "test_ca.h"
#include "tftp_instance.h"

namespace agent {
namespace {

namespace fs = std::filesystem;
using cwmp_test::NginxInstance;
using cwmp_test::TestCa;
using cwmp_test::TftpInstance;

constexpr char kBasic[] = "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n";

std::string MakeTempDir(const char* name) {
  std::string tmpl = std::string("/tmp/") + name + "_XXXXXX";
  char* made = mkdtemp(tmpl.data());
  return made ? std::string(made) : std::string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TransferIt : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(MakeTempDir("agent_transfer_it"));
    ASSERT_FALSE(dir_->empty());
    fs::create_directories(*dir_ + "/ca");
    ca_ = new TestCa();
    std::string error;
    ASSERT_TRUE(TestCa::Create(*dir_ + "/ca", cwmp_test::ClientIdentity{}, ca_, &error)) << error;
    nginx_ = NginxInstance::Start(*dir_ + "/nginx", *ca_, &error).release();
    ASSERT_NE(nginx_, nullptr) << error;
    tftp_ = TftpInstance::Start(*dir_ + "/tftp", &error).release();
    ASSERT_NE(tftp_, nullptr) << error;
    ASSERT_TRUE(nginx_->PutFile("basic.txt", kBasic));
    ASSERT_TRUE(tftp_->PutFile("basic.txt", kBasic));
    ASSERT_TRUE(tftp_->PutFile("cisco/config/CP-6841-3PCC.cfg", kBasic));
    auto store = CaStore::Open(*dir_ + "/state");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE(store->InstallCustomCa(ReadFile(ca_->ca_cert()), 1764158400).ok());
    store_ = new CaStore(std::move(store.value()));
  }
  static void TearDownTestSuite() {
    delete nginx_;
    delete tftp_;
    delete store_;
    delete ca_;
    if (dir_ && !dir_->empty()) fs::remove_all(*dir_);
    delete dir_;
  }

  FetchOptions Options() const {
    FetchOptions o;
    o.user_agent = BuildUserAgent(UserAgentIdentity{});
    o.ca_store = store_;
    o.connect_timeout_ms = 3000;
    o.total_timeout_ms = 10000;
    return o;
  }

  static std::string* dir_;
  static TestCa* ca_;
  static NginxInstance* nginx_;
  static TftpInstance* tftp_;
  static CaStore* store_;
};

std::string* TransferIt::dir_ = nullptr;
TestCa* TransferIt::ca_ = nullptr;
NginxInstance* TransferIt::nginx_ = nullptr;
TftpInstance* TransferIt::tftp_ = nullptr;
CaStore* TransferIt::store_ = nullptr;

TEST_F(TransferIt, HttpGetResyncServesTheFileWithTheGuidesUserAgent) {
  FetchResult r = Fetch(nginx_->HttpUrl("/files/basic.txt"), Options());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, kBasic);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.server_ip, "127.0.0.1");
  EXPECT_TRUE(r.error.empty());
  FetchResult ua = Fetch(nginx_->HttpUrl("/echo/ua"), Options());
  ASSERT_TRUE(ua.ok()) << ua.error;
  EXPECT_EQ(ua.body, "Cisco-CP-6841-3PCC/11.0 (00562b043615)");
  EXPECT_NE(nginx_->ReadAccessLog().find("ua=Cisco-CP-6841-3PCC/11.0 (00562b043615)"),
            std::string::npos);
}

struct Table2Row {
  const char* path;
  FetchOutcome outcome;
  long last_status;
  int redirects;
  const char* error;  // the whole $ERR text ("" for success)
};

TEST_F(TransferIt, Table2PhoneBehaviorForHttpResponses) {
  const Table2Row rows[] = {
      {"/r301/basic.txt", FetchOutcome::kOk, 200, 1, ""},
      {"/r302/basic.txt", FetchOutcome::kOk, 200, 1, ""},
      {"/r303/basic.txt", FetchOutcome::kFailed, 303, 0, "http_get failed: 303 See Other"},
      {"/r307/basic.txt", FetchOutcome::kFailed, 307, 0, "http_get failed: 307 Temporary Redirect"},
      {"/loop/x", FetchOutcome::kFailed, 302, 5, "http_get failed: too many redirects (5)"},
      {"/status/400", FetchOutcome::kFailed, 400, 0, "http_get failed: 400 Bad Request"},
      {"/status/403", FetchOutcome::kFailed, 403, 0, "http_get failed: 403 Forbidden"},
      {"/status/404", FetchOutcome::kFileNotFound, 404, 0, "http_get failed: 404 Not Found"},
      {"/files/missing.cfg", FetchOutcome::kFileNotFound, 404, 0, "http_get failed: 404 Not Found"},
      {"/status/405", FetchOutcome::kFailed, 405, 0, "http_get failed: 405 Not Allowed"},
      {"/status/410", FetchOutcome::kFailed, 410, 0, "http_get failed: 410 Gone"},
      {"/status/418", FetchOutcome::kFailed, 418, 0, "http_get failed: 418"},
      {"/status/500", FetchOutcome::kFailed, 500, 0, "http_get failed: 500 Internal Server Error"},
      {"/status/501", FetchOutcome::kFailed, 501, 0, "http_get failed: 501 Not Implemented"},
      {"/status/502", FetchOutcome::kFailed, 502, 0, "http_get failed: 502 Bad Gateway"},
      {"/status/503", FetchOutcome::kFailed, 503, 0,
       "http_get failed: 503 Service Temporarily Unavailable"},
      {"/status/504", FetchOutcome::kFailed, 504, 0, "http_get failed: 504 Gateway Time-out"},
  };
  for (const Table2Row& row : rows) {
    SCOPED_TRACE(row.path);
    FetchResult r = Fetch(nginx_->HttpUrl(row.path), Options());
    EXPECT_EQ(FetchOutcomeName(r.outcome), std::string(FetchOutcomeName(row.outcome)));
    EXPECT_EQ(r.http_status, row.last_status);
    EXPECT_EQ(r.redirects, row.redirects);
    EXPECT_EQ(r.error, row.error);
    if (row.outcome == FetchOutcome::kOk) {
      EXPECT_EQ(r.body, kBasic);
      EXPECT_EQ(r.final_url, nginx_->HttpUrl("/files/basic.txt"));
    }
  }
}

TEST_F(TransferIt, UnauthorizedIsRetriedWithCredentialsAtMostTwice) {
  struct Case {
    const char* user;
    const char* password;
    FetchOutcome outcome;
    int auth_retries;
    int requests;  // as nginx logged them
  } cases[] = {
      {NginxInstance::kAuthUser, NginxInstance::kAuthPassword, FetchOutcome::kOk, 1, 2},
      {NginxInstance::kAuthUser, "wrong", FetchOutcome::kFailed, 2, 3},
      {"", "", FetchOutcome::kFailed, 0, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.user) + ":" + c.password);
    int before = nginx_->CountRequests("/auth/");
    FetchOptions o = Options();
    o.username = c.user;
    o.password = cwmp::Secret(c.password);
    FetchResult r = Fetch(nginx_->HttpUrl("/auth/basic.txt"), o);
    EXPECT_EQ(r.outcome, c.outcome) << r.error;
    EXPECT_EQ(r.auth_retries, c.auth_retries);
    EXPECT_EQ(nginx_->CountRequests("/auth/") - before, c.requests);
    if (c.outcome == FetchOutcome::kOk) {
      EXPECT_EQ(r.body, kBasic);
    } else {
      EXPECT_EQ(r.error, "http_get failed: 401 Unauthorized");
    }
  }
}

TEST_F(TransferIt, ProxyAuthenticationRequiredIsRetriedTwiceThenFails) {
  int before = nginx_->CountRequests("/status/407");
  FetchOptions o = Options();
  o.username = "phone";
  o.password = cwmp::Secret("pw");
  FetchResult r = Fetch(nginx_->HttpUrl("/status/407"), o);
  EXPECT_EQ(r.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(r.auth_retries, 2);
  EXPECT_EQ(nginx_->CountRequests("/status/407") - before, 3);
  // nginx sends no reason phrase for 407; the status code alone is the $ERR detail.
  EXPECT_EQ(r.error, "http_get failed: 407");
}

TEST_F(TransferIt, PostSendsTheBody) {
  FetchOptions o = Options();
  o.post = true;
  o.post_body = "mac=000e08abcdef&state=idle";
  FetchResult r = Fetch(nginx_->HttpUrl("/echo/body"), o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, o.post_body);
  FetchResult m = Fetch(nginx_->HttpUrl("/echo/method"), o);
  ASSERT_TRUE(m.ok()) << m.error;
  EXPECT_EQ(m.body, "POST 27 HTTP/1.1");
}

TEST_F(TransferIt, Http10AndChunkedHttp11Bodies) {
  FetchOptions o = Options();
  FetchResult chunked = Fetch(nginx_->HttpUrl("/chunked"), o);
  ASSERT_TRUE(chunked.ok()) << chunked.error;
  EXPECT_EQ(chunked.body, "first chunk\nsecond chunk\n");
  EXPECT_EQ(chunked.headers["transfer-encoding"], "chunked");

  o.http_version = HttpVersion::k1_0;
  FetchResult old = Fetch(nginx_->HttpUrl("/chunked"), o);
  ASSERT_TRUE(old.ok()) << old.error;
  EXPECT_EQ(old.body, "first chunk\nsecond chunk\n");
  EXPECT_EQ(old.headers.count("transfer-encoding"), 0u);
  FetchResult method = Fetch(nginx_->HttpUrl("/echo/method"), o);
  ASSERT_TRUE(method.ok()) << method.error;
  EXPECT_EQ(method.body, "GET  HTTP/1.0");
}

TEST_F(TransferIt, ContentEncodingHeaderIsExposed) {
  FetchResult r = Fetch(nginx_->HttpUrl("/aes128gcm/basic.txt"), Options());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.content_encoding, "aes128gcm");
  EXPECT_EQ(r.body, kBasic);
  FetchResult plain = Fetch(nginx_->HttpUrl("/files/basic.txt"), Options());
  EXPECT_EQ(plain.content_encoding, "");
}

TEST_F(TransferIt, BodiesOverTheCapAreRefused) {
  ASSERT_TRUE(nginx_->PutFile("big.bin", std::string(200000, 'x')));
  FetchOptions o = Options();
  o.max_bytes = 100000;
  FetchResult r = Fetch(nginx_->HttpUrl("/files/big.bin"), o);
  EXPECT_EQ(r.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(r.error, "http_get failed: response larger than 100000 bytes");
  o.max_bytes = 15;  // chunked: no Content-Length, so the cap applies while reading
  FetchResult c = Fetch(nginx_->HttpUrl("/chunked"), o);
  EXPECT_EQ(c.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(c.error, "http_get failed: response larger than 15 bytes");
  o.max_bytes = 200000;
  EXPECT_TRUE(Fetch(nginx_->HttpUrl("/files/big.bin"), o).ok());
}

TEST_F(TransferIt, SlowServerTimesOut) {
  FetchOptions o = Options();
  o.total_timeout_ms = 500;
  FetchResult r = Fetch(nginx_->HttpUrl("/slow"), o);
  EXPECT_EQ(r.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(r.error, "http_get failed: timed out");
}

TEST_F(TransferIt, EveryARecordIsTriedUntilOneAnswers) {
  FetchOptions o = Options();
  // 127.0.0.2 is loopback too, but nothing listens there on nginx's port.
  o.hosts["prov.test"] = {"127.0.0.2", "127.0.0.1"};
  std::string port = std::to_string(nginx_->http_port());
  FetchResult r = Fetch("http://prov.test:" + port + "/files/basic.txt", o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.server_ip, "127.0.0.1");
  EXPECT_EQ(r.body, kBasic);

  o.hosts["prov.test"] = {"127.0.0.2", "127.0.0.3"};
  FetchResult none = Fetch("http://prov.test:" + port + "/files/basic.txt", o);
  EXPECT_EQ(none.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(none.error, "http_get failed: cannot connect to 127.0.0.2:" + port +
                            "; cannot connect to 127.0.0.3:" + port);
  FetchResult unknown = Fetch("http://no-such-host.invalid/x.cfg", o);
  EXPECT_EQ(unknown.error, "http_get failed: cannot resolve no-such-host.invalid");
}

TEST_F(TransferIt, BasicHttpsResyncTrustsTheCustomCa) {
  FetchResult r = Fetch(nginx_->HttpsUrl("/files/basic.txt"), Options());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, kBasic);
  // Also by IP address: the server certificate names 127.0.0.1 in its subjectAltName.
  FetchResult ip = Fetch(
      "https://127.0.0.1:" + std::to_string(nginx_->https_port()) + "/files/basic.txt", Options());
  EXPECT_TRUE(ip.ok()) << ip.error;
}

TEST_F(TransferIt, HttpsWithoutTheRightCaFails) {
  FetchOptions none = Options();
  none.ca_store = nullptr;  // system CAs only
  FetchResult r = Fetch(nginx_->HttpsUrl("/files/basic.txt"), none);
  EXPECT_EQ(r.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(r.error.rfind("https_get failed: server certificate rejected", 0), 0u) << r.error;

  auto other = CaStore::Open(*dir_ + "/state-other");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other->InstallCustomCa(ReadFile(ca_->other_ca_cert()), 1).ok());
  FetchOptions wrong = Options();
  wrong.ca_store = &other.value();
  FetchResult w = Fetch(nginx_->HttpsUrl("/files/basic.txt"), wrong);
  EXPECT_EQ(w.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(w.error.rfind("https_get failed: server certificate rejected", 0), 0u) << w.error;
}

TEST_F(TransferIt, HttpsHostNameMismatchFails) {
  FetchOptions o = Options();
  o.hosts["wrong.test"] = {"127.0.0.1"};
  FetchResult r =
      Fetch("https://wrong.test:" + std::to_string(nginx_->https_port()) + "/files/basic.txt", o);
  EXPECT_EQ(r.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(r.error.rfind("https_get failed: server certificate rejected", 0), 0u) << r.error;
  EXPECT_NE(r.error.find("wrong.test"), std::string::npos) << r.error;
  // The same server under a name its certificate carries is fine.
  o.hosts["prov.test"] = {"127.0.0.1"};
  EXPECT_TRUE(
      Fetch("https://prov.test:" + std::to_string(nginx_->https_port()) + "/files/basic.txt", o)
          .ok());
}

TEST_F(TransferIt, HttpsWithClientCertificateAuthentication) {
  FetchOptions without = Options();
  FetchResult refused = Fetch(nginx_->HttpsMtlsUrl("/files/basic.txt"), without);
  EXPECT_EQ(refused.outcome, FetchOutcome::kFailed) << refused.body;
  EXPECT_EQ(ClientCertificateMacro(without), "Not Installed");

  FetchOptions with = Options();
  with.client_cert_file = ca_->client_cert();
  with.client_key_file = ca_->client_key();
  EXPECT_EQ(ClientCertificateMacro(with), "Installed");
  FetchResult r = Fetch(nginx_->HttpsMtlsUrl("/files/basic.txt"), with);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, kBasic);

  FetchOptions foreign = Options();
  foreign.client_cert_file = ca_->other_client_cert();
  foreign.client_key_file = ca_->other_client_key();
  FetchResult f = Fetch(nginx_->HttpsMtlsUrl("/files/basic.txt"), foreign);
  EXPECT_EQ(f.outcome, FetchOutcome::kFailed) << f.body;

  // Optional verification, enforced per location.
  FetchResult loc_without = Fetch(nginx_->HttpsUrl("/client-required/basic.txt"), without);
  EXPECT_EQ(loc_without.error, "https_get failed: 403 Forbidden");
  FetchResult loc_with = Fetch(nginx_->HttpsUrl("/client-required/basic.txt"), with);
  EXPECT_TRUE(loc_with.ok()) << loc_with.error;
}

TEST_F(TransferIt, HttpsClientFilteringAndDynamicContent) {
  FetchOptions with = Options();
  with.client_cert_file = ca_->client_cert();
  with.client_key_file = ca_->client_key();
  FetchResult r = Fetch(nginx_->HttpsMtlsUrl("/reflect"), with);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body,
            "<flat-profile><GPP_D>" + ca_->ClientSubjectRfc2253() + "</GPP_D></flat-profile>");
  EXPECT_EQ(ca_->ClientSubjectRfc2253(),
            "CN=000e08abcdef,ST=000e08abcdef,L=88012BA01234,"
            "OU=CP-6841-3PCC");
  FetchResult anonymous = Fetch(nginx_->HttpsUrl("/echo/verify"), Options());
  ASSERT_TRUE(anonymous.ok()) << anonymous.error;
  EXPECT_EQ(anonymous.body, "NONE");
}

TEST_F(TransferIt, TftpResync) {
  FetchResult r = Fetch(tftp_->Url("/basic.txt"), Options());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, kBasic);
  EXPECT_EQ(r.http_status, 0);

  FetchResult missing = Fetch(tftp_->Url("/missing.cfg"), Options());
  EXPECT_EQ(missing.outcome, FetchOutcome::kFileNotFound);
  EXPECT_EQ(missing.error, "tftp_get failed: file not found");

  // No host in the URL: the DHCP option 66 server.
  FetchOptions o = Options();
  o.dhcp_tftp_server = tftp_->server();
  FetchResult dhcp = Fetch("/cisco/config/CP-6841-3PCC.cfg", o);
  ASSERT_TRUE(dhcp.ok()) << dhcp.error;
  EXPECT_EQ(dhcp.body, kBasic);
  FetchResult no_dhcp = Fetch("/basic.txt", Options());
  EXPECT_EQ(no_dhcp.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(no_dhcp.error,
            "tftp_get failed: /basic.txt: no server in the URL and no DHCP option 66 server");
}

TEST_F(TransferIt, UploadWithPutAndPost) {
  const std::string report = "<flat-profile><GPP_A>1</GPP_A></flat-profile>";
  FetchResult put =
      Upload(nginx_->HttpUrl("/upload/000e08abcdef.xml"), report, UploadMethod::kPut, Options());
  ASSERT_TRUE(put.ok()) << put.error;
  EXPECT_EQ(put.http_status, 201);
  EXPECT_EQ(ReadFile(nginx_->upload_dir() + "/000e08abcdef.xml"), report);
  FetchResult post = Upload(nginx_->HttpsUrl("/echo/body"), report, UploadMethod::kPost, Options());
  ASSERT_TRUE(post.ok()) << post.error;
  EXPECT_EQ(post.body, report);
  FetchResult tftp = Upload(tftp_->Url("/x"), report, UploadMethod::kPut, Options());
  EXPECT_EQ(tftp.error, "tftp_put failed: TFTP supports downloads only");
}

TEST(TransferServersDown, HttpAndTftpServersThatAreDownFail) {
  std::string dir = MakeTempDir("agent_transfer_down");
  ASSERT_FALSE(dir.empty());
  fs::create_directories(dir + "/ca");
  TestCa ca;
  std::string error;
  ASSERT_TRUE(TestCa::Create(dir + "/ca", cwmp_test::ClientIdentity{}, &ca, &error)) << error;
  auto nginx = NginxInstance::Start(dir + "/nginx", ca, &error);
  ASSERT_NE(nginx, nullptr) << error;
  auto tftp = TftpInstance::Start(dir + "/tftp", &error);
  ASSERT_NE(tftp, nullptr) << error;
  ASSERT_TRUE(nginx->PutFile("basic.txt", kBasic));
  ASSERT_TRUE(tftp->PutFile("basic.txt", kBasic));
  FetchOptions o;
  o.total_timeout_ms = 3000;
  ASSERT_TRUE(Fetch(nginx->HttpUrl("/files/basic.txt"), o).ok());
  ASSERT_TRUE(Fetch(tftp->Url("/basic.txt"), o).ok());
  nginx->Stop();
  tftp->Stop();
  FetchResult http = Fetch(nginx->HttpUrl("/files/basic.txt"), o);
  EXPECT_EQ(http.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(http.error,
            "http_get failed: cannot connect to 127.0.0.1:" + std::to_string(nginx->http_port()));
  FetchResult t = Fetch(tftp->Url("/basic.txt"), o);
  EXPECT_EQ(t.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(t.error.rfind("tftp_get failed: ", 0), 0u) << t.error;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace agent
