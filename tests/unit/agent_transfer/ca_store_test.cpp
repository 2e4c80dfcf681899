// CaStore: install, persist, report the guide's "Custom CA Status" texts, refuse bad bundles
// without losing the installed CA.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/ca_store.h"

namespace agent {
namespace {

namespace fs = std::filesystem;

std::string Data(const std::string& name) {
  std::ifstream in(std::string(CWMP_SOURCE_DIR) + "/tests/unit/agent_transfer/data/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ca_store_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

// 2026-11-26 12:04:38 UTC
constexpr std::time_t kNow = 1795694678;

TEST_F(CaStoreTest, StartsEmpty) {
  auto store = CaStore::Open(dir_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_FALSE(store->has_custom_ca());
  EXPECT_EQ(store->CustomCaInfo(), "Not Installed");
  EXPECT_EQ(store->ProvisioningStatus(), "");
}

TEST_F(CaStoreTest, InstallPersistsAcrossReopen) {
  {
    auto store = CaStore::Open(dir_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->InstallCustomCa(Data("custom_ca.pem"), kNow).ok());
    EXPECT_EQ(store->CustomCaInfo(), "Installed - Example Provisioning CA");
    EXPECT_EQ(store->ProvisioningStatus(), "Last provisioning succeeded on 11/26/2026 12:04:38");
  }
  auto again = CaStore::Open(dir_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->CustomCaInfo(), "Installed - Example Provisioning CA");
  EXPECT_EQ(again->ProvisioningStatus(), "Last provisioning succeeded on 11/26/2026 12:04:38");
  EXPECT_EQ(again->custom_ca_pem(), Data("custom_ca.pem"));
}

TEST_F(CaStoreTest, BundleInfoNamesTheFirstCertificate) {
  auto store = CaStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->InstallCustomCa(Data("second_ca.pem") + Data("custom_ca.pem"), kNow).ok());
  EXPECT_EQ(store->CustomCaInfo(), "Installed - Second CA");
}

TEST_F(CaStoreTest, BadBundleKeepsTheInstalledCaAndRecordsFailure) {
  auto store = CaStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->InstallCustomCa(Data("custom_ca.pem"), kNow).ok());
  std::string pem = Data("second_ca.pem");
  std::string corrupt = pem.substr(0, 40) + "!!!!" + pem.substr(44);
  struct Case {
    std::string text;
    cwmp::StatusCode code;
  } cases[] = {
      {"", cwmp::StatusCode::kParseError},
      {"not a certificate", cwmp::StatusCode::kParseError},
      {corrupt, cwmp::StatusCode::kParseError},
      {std::string(70000, 'A'), cwmp::StatusCode::kLimitExceeded},
  };
  for (const Case& c : cases) {
    cwmp::Status st = store->InstallCustomCa(c.text, kNow + 60);
    EXPECT_EQ(st.code(), c.code) << st.ToString();
    EXPECT_EQ(store->CustomCaInfo(), "Installed - Example Provisioning CA");
    EXPECT_EQ(store->ProvisioningStatus(), "Last provisioning failed on 11/26/2026 12:05:38");
  }
  auto again = CaStore::Open(dir_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->CustomCaInfo(), "Installed - Example Provisioning CA");
  EXPECT_EQ(again->ProvisioningStatus(), "Last provisioning failed on 11/26/2026 12:05:38");
}

TEST_F(CaStoreTest, RemoveForgetsEverything) {
  auto store = CaStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->InstallCustomCa(Data("custom_ca.pem"), kNow).ok());
  ASSERT_TRUE(store->RemoveCustomCa().ok());
  EXPECT_EQ(store->CustomCaInfo(), "Not Installed");
  auto again = CaStore::Open(dir_);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_custom_ca());
  EXPECT_EQ(again->ProvisioningStatus(), "");
}

}  // namespace
}  // namespace agent
