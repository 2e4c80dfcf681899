#include "agent/network_executor.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/firmware.h"
#include "nginx_instance.h"
#include "test_ca.h"

namespace agent {
namespace {

namespace fs = std::filesystem;
using cwmp_test::NginxInstance;
using cwmp_test::TestCa;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class NetworkExecutorIt : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/agent_executor_it_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = new std::string(tmpl);
    fs::create_directories(*dir_ + "/ca");
    ca_ = new TestCa();
    std::string error;
    ASSERT_TRUE(TestCa::Create(*dir_ + "/ca", cwmp_test::ClientIdentity{}, ca_, &error)) << error;
    nginx_ = NginxInstance::Start(*dir_ + "/nginx", *ca_, &error).release();
    ASSERT_NE(nginx_, nullptr) << error;
  }
  static void TearDownTestSuite() {
    delete nginx_;
    delete ca_;
    if (dir_ != nullptr) fs::remove_all(*dir_);
    delete dir_;
  }

  std::unique_ptr<TransferExecutor> Make(const std::string& state) {
    NetworkExecutorOptions o;
    o.state_dir = *dir_ + "/" + state;
    o.fetch.total_timeout_ms = 10000;
    o.policy.model = "CP-6841-3PCC";
    auto made = MakeNetworkTransferExecutor(o);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? std::move(made).value() : nullptr;
  }

  static TransferRequest Request(const std::string& url) {
    TransferRequest r;
    r.url = url;
    r.file_type = std::string(kFileTypeConfig);
    return r;
  }

  static std::string* dir_;
  static TestCa* ca_;
  static NginxInstance* nginx_;
};

std::string* NetworkExecutorIt::dir_ = nullptr;
TestCa* NetworkExecutorIt::ca_ = nullptr;
NginxInstance* NetworkExecutorIt::nginx_ = nullptr;

TEST_F(NetworkExecutorIt, DownloadsOverHttp) {
  ASSERT_TRUE(nginx_->PutFile("cfg.xml", "<flat-profile/>\n"));
  auto ex = Make("dl");
  DownloadResult r = ex->Fetch(Request(nginx_->HttpUrl("/files/cfg.xml")));
  EXPECT_EQ(r.fault.fault_code, 0u) << r.fault.fault_string;
  EXPECT_EQ(r.content, "<flat-profile/>\n");
}

TEST_F(NetworkExecutorIt, EachFailureHasItsTransferCompleteFault) {
  auto ex = Make("faults");
  EXPECT_EQ(ex->Fetch(Request(nginx_->HttpUrl("/files/missing.xml"))).fault.fault_code, 9016u);
  EXPECT_EQ(ex->Fetch(Request(nginx_->HttpUrl("/auth/basic.txt"))).fault.fault_code, 9012u);
  EXPECT_EQ(ex->Fetch(Request("http://127.0.0.1:1/cfg.xml")).fault.fault_code, 9015u);
  EXPECT_EQ(ex->Fetch(Request(nginx_->HttpUrl("/status/500"))).fault.fault_code, 9016u);
  DownloadResult r = ex->Fetch(Request(nginx_->HttpUrl("/files/missing.xml")));
  EXPECT_NE(r.fault.fault_string.find("404"), std::string::npos) << r.fault.fault_string;
}

TEST_F(NetworkExecutorIt, HttpsTrustsTheCustomCaOnceInstalled) {
  ASSERT_TRUE(nginx_->PutFile("secure.xml", "<flat-profile/>\n"));
  auto ex = Make("https");
  const std::string url = nginx_->HttpsUrl("/files/secure.xml");
  EXPECT_NE(ex->Fetch(Request(url)).fault.fault_code, 0u);  // not trusted yet
  EXPECT_EQ(ex->InstallCustomCa(ReadFile(ca_->ca_cert())).fault_code, 0u);
  DownloadResult r = ex->Fetch(Request(url));
  EXPECT_EQ(r.fault.fault_code, 0u) << r.fault.fault_string;
  EXPECT_EQ(ex->InstallCustomCa("not a certificate").fault_code, 9018u);
}

TEST_F(NetworkExecutorIt, UploadsWithPut) {
  auto ex = Make("up");
  EXPECT_EQ(ex->Put(Request(nginx_->HttpUrl("/upload/log1.txt")), "log line\n").fault_code, 0u);
  EXPECT_EQ(ReadFile(nginx_->upload_dir() + "/log1.txt"), "log line\n");
  EXPECT_EQ(ex->Put(Request("http://127.0.0.1:1/upload/x"), "x").fault_code, 9015u);
}

TEST_F(NetworkExecutorIt, FirmwareGoesToTheImageSlotsOnlyWhenValid) {
  auto ex = Make("fw");
  auto bundle = PackFirmwareBundle("sip68xx.11-2-4MPP-0002", {"CP-6841-3PCC"}, "image bytes");
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(ex->InstallFirmware(Request(""), *bundle).fault_code, 0u);
  auto slots = ImageSlots::Open(*dir_ + "/fw");
  ASSERT_TRUE(slots.ok());
  ASSERT_TRUE(slots->Active().has_value());
  EXPECT_EQ(slots->Active()->version, "sip68xx.11-2-4MPP-0002");

  std::string corrupt = *bundle;
  corrupt.back() ^= 0x01;
  EXPECT_EQ(ex->InstallFirmware(Request(""), corrupt).fault_code, 9018u);
  auto other_model = PackFirmwareBundle("sip68xx.11-2-5MPP-0001", {"CP-6871-3PCC"}, "x");
  ASSERT_TRUE(other_model.ok());
  EXPECT_EQ(ex->InstallFirmware(Request(""), *other_model).fault_code, 9018u);
  auto again = ImageSlots::Open(*dir_ + "/fw");
  EXPECT_EQ(again->Active()->version, "sip68xx.11-2-4MPP-0002");  // unchanged
}

}  // namespace
}  // namespace agent
