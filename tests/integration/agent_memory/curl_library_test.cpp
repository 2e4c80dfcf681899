// libcurl loaded on demand (transfer/curl_library.h), against a real nginx and in.tftpd: every
// transfer kind and the ACS client's HTTPS session still work, server verification (system CAs
// + custom CA) and client certificates still apply, and with UnloadWhenUnused(true) libcurl and
// the libraries it drags in are unmapped from this process as soon as the last user is done.
// Each test runs in its own process (gtest_discover_tests), so "not loaded yet" is observable.

#include "transfer/curl_library.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/ca_store.h"
#include "agent/http_client.h"
#include "agent/transfer.h"
#include "cwmp/content/random.h"
#include "nginx_instance.h"
#include "test_ca.h"
#include "tftp_instance.h"

namespace agent {
namespace {

namespace fs = std::filesystem;
using cwmp_test::NginxInstance;
using cwmp_test::TestCa;
using cwmp_test::TftpInstance;

constexpr char kBody[] = "<flat-profile><GPP_A>1</GPP_A></flat-profile>\n";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Whether a file whose name contains `name` is mapped into this process.
bool Mapped(const std::string& name) {
  return ReadFile("/proc/self/maps").find(name) != std::string::npos;
}

// Libraries that only libcurl brings in (libcurl.so.4 → libldap → libgnutls, krb5, librtmp).
void ExpectCurlUnmapped(const std::string& after) {
  EXPECT_FALSE(curl::IsLoaded()) << after;
  for (const char* lib : {"libcurl.so", "libgnutls.so", "libldap", "libkrb5.so", "librtmp"}) {
    EXPECT_FALSE(Mapped(lib)) << lib << " still mapped after " << after;
  }
}

class CurlOnDemand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/agent_memory_curl_XXXXXX";
    dir_ = new std::string(mkdtemp(tmpl));
    fs::create_directories(*dir_ + "/ca");
    ca_ = new TestCa();
    std::string error;
    ASSERT_TRUE(TestCa::Create(*dir_ + "/ca", cwmp_test::ClientIdentity{}, ca_, &error)) << error;
    nginx_ = NginxInstance::Start(*dir_ + "/nginx", *ca_, &error).release();
    ASSERT_NE(nginx_, nullptr) << error;
    tftp_ = TftpInstance::Start(*dir_ + "/tftp", &error).release();
    ASSERT_NE(tftp_, nullptr) << error;
    ASSERT_TRUE(nginx_->PutFile("p.xml", kBody));
    ASSERT_TRUE(tftp_->PutFile("p.xml", kBody));
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
    if (dir_ != nullptr) fs::remove_all(*dir_);
    delete dir_;
  }
  void TearDown() override { curl::UnloadWhenUnused(false); }

  static FetchOptions Options() {
    FetchOptions o;
    o.user_agent = BuildUserAgent(UserAgentIdentity{});
    o.ca_store = store_;
    o.connect_timeout_ms = 3000;
    o.total_timeout_ms = 10000;
    return o;
  }

  static inline std::string* dir_ = nullptr;
  static inline TestCa* ca_ = nullptr;
  static inline NginxInstance* nginx_ = nullptr;
  static inline TftpInstance* tftp_ = nullptr;
  static inline CaStore* store_ = nullptr;
};

TEST_F(CurlOnDemand, NothingIsLoadedBeforeARequestAndTheLibraryStaysLoadedByDefault) {
  ASSERT_FALSE(Mapped("libcurl.so")) << "this test binary must not link libcurl";
  EXPECT_FALSE(curl::IsLoaded());
  FetchResult r = Fetch(nginx_->HttpUrl("/files/p.xml"), Options());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, kBody);
  // Default (fleet mode, tests): loaded once, kept.
  EXPECT_TRUE(curl::IsLoaded());
  EXPECT_TRUE(Mapped("libcurl.so.4"));
  // Switching unloading on with no transfer running unloads at once.
  curl::UnloadWhenUnused(true);
  ExpectCurlUnmapped("UnloadWhenUnused(true)");
}

TEST_F(CurlOnDemand, EveryTransferKindWorksAndLibcurlIsUnmappedAfterEach) {
  static std::atomic<int> unloads{0};
  curl::UnloadWhenUnused(true, [] { ++unloads; });
  ASSERT_FALSE(Mapped("libcurl.so"));

  FetchResult http = Fetch(nginx_->HttpUrl("/files/p.xml"), Options());
  ASSERT_TRUE(http.ok()) << http.error;
  EXPECT_EQ(http.body, kBody);
  ExpectCurlUnmapped("HTTP");

  // HTTPS trusting the custom CA (the system bundle is read when the request needs it).
  FetchResult https = Fetch(nginx_->HttpsUrl("/files/p.xml"), Options());
  ASSERT_TRUE(https.ok()) << https.error;
  EXPECT_EQ(https.body, kBody);
  ExpectCurlUnmapped("HTTPS");

  // Without the custom CA the server is still rejected: verification survives the reloads.
  FetchOptions system_only = Options();
  system_only.ca_store = nullptr;
  FetchResult rejected = Fetch(nginx_->HttpsUrl("/files/p.xml"), system_only);
  EXPECT_EQ(rejected.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(rejected.error.rfind("https_get failed: server certificate rejected", 0), 0u)
      << rejected.error;
  ExpectCurlUnmapped("a rejected HTTPS request");

  // HTTPS with a required client certificate.
  FetchOptions with_cert = Options();
  with_cert.client_cert_file = ca_->client_cert();
  with_cert.client_key_file = ca_->client_key();
  FetchResult mtls = Fetch(nginx_->HttpsMtlsUrl("/files/p.xml"), with_cert);
  ASSERT_TRUE(mtls.ok()) << mtls.error;
  EXPECT_EQ(mtls.body, kBody);
  ExpectCurlUnmapped("HTTPS with a client certificate");

  FetchResult tftp = Fetch(tftp_->Url("/p.xml"), Options());
  ASSERT_TRUE(tftp.ok()) << tftp.error;
  EXPECT_EQ(tftp.body, kBody);
  ExpectCurlUnmapped("TFTP");

  FetchResult upload =
      Upload(nginx_->HttpsUrl("/echo/body"), kBody, UploadMethod::kPost, Options());
  ASSERT_TRUE(upload.ok()) << upload.error;
  EXPECT_EQ(upload.body, kBody);
  ExpectCurlUnmapped("an HTTPS upload");
  EXPECT_EQ(unloads.load(), 6) << "the after-unload hook runs once per unload";
}

TEST_F(CurlOnDemand, AnAcsSessionKeepsTheLibraryUntilItEnds) {
  curl::UnloadWhenUnused(true);
  HttpClientOptions options;
  options.extra_ca_file = ca_->ca_cert();
  auto client = MakeCurlHttpClient(options);
  EXPECT_FALSE(curl::IsLoaded()) << "a client without a session needs no libcurl";
  auto session = client->StartSession();
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_TRUE(curl::IsLoaded());
  for (int i = 0; i < 2; ++i) {  // two POSTs of one session
    HttpRequest request;
    request.url = nginx_->HttpsUrl("/echo/body");
    request.body = kBody + std::to_string(i);
    auto response = (*session)->Post(request);
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, request.body);
    EXPECT_TRUE(curl::IsLoaded());
  }
  session->reset();
  ExpectCurlUnmapped("the session");

  // The next session loads it again; an untrusted server is still refused.
  auto untrusting = MakeCurlHttpClient(HttpClientOptions{});
  auto second = untrusting->StartSession();
  ASSERT_TRUE(second.ok());
  HttpRequest request;
  request.url = nginx_->HttpsUrl("/echo/body");
  auto refused = (*second)->Post(request);
  EXPECT_FALSE(refused.ok());
  second->reset();
  ExpectCurlUnmapped("the second session");
}

TEST_F(CurlOnDemand, ConcurrentTransfersShareOneLoadAndLeaveNothingMapped) {
  curl::UnloadWhenUnused(true);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([t, &ok] {
      for (int i = 0; i < 10; ++i) {
        FetchResult r = Fetch(nginx_->HttpUrl("/files/p.xml"), Options());
        if (r.ok() && r.body == kBody) ++ok[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int n : ok) EXPECT_EQ(n, 10);
  ExpectCurlUnmapped("40 concurrent transfers");
}

TEST(KernelRandom, FillsLargeBuffersWithFreshBytes) {
  std::string a(1 << 20, '\0'), b(1 << 20, '\0');
  ASSERT_TRUE(cwmp::content::SystemRandomBytes(reinterpret_cast<uint8_t*>(a.data()), a.size()).ok());
  ASSERT_TRUE(cwmp::content::SystemRandomBytes(reinterpret_cast<uint8_t*>(b.data()), b.size()).ok());
  EXPECT_NE(a, b);
  // Every byte value turns up in 1 MiB of random bytes; a buffer left (partly) unfilled would
  // be dominated by zeros.
  std::vector<size_t> counts(256, 0);
  for (unsigned char c : a) ++counts[c];
  for (size_t n : counts) {
    EXPECT_GT(n, 3000u);
    EXPECT_LT(n, 5200u);
  }
  EXPECT_TRUE(cwmp::content::SystemRandomBytes(nullptr, 0).ok());
}

}  // namespace
}  // namespace agent
