// ImageSlots::ActivateInactive, which the upgrade engine uses when Upgrade_Rule names the image
// already in the inactive slot: switch only to an intact image, and persist the switch.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "agent/firmware.h"

namespace agent {
namespace {

namespace fs = std::filesystem;

FirmwareBundle MakeBundle(const std::string& version, const std::string& payload) {
  auto packed = PackFirmwareBundle(version, {"CP-6841-3PCC"}, payload);
  EXPECT_TRUE(packed.ok());
  auto parsed = ParseFirmwareBundle(packed.ok() ? packed.value() : std::string());
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? parsed.value() : FirmwareBundle{};
}

class ActivateInactiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/agent_activate_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(ActivateInactiveTest, NothingToSwitchToIsNotFound) {
  auto slots = ImageSlots::Open(dir_);
  ASSERT_TRUE(slots.ok());
  EXPECT_EQ(slots->ActivateInactive().code(), cwmp::StatusCode::kNotFound);
  ASSERT_TRUE(slots->Install(MakeBundle("sip68xx.11-2-1MPP-0001", "old image")).ok());
  EXPECT_EQ(slots->ActivateInactive().code(), cwmp::StatusCode::kNotFound);
}

TEST_F(ActivateInactiveTest, SwitchesToAnIntactImageAndPersists) {
  auto slots = ImageSlots::Open(dir_);
  ASSERT_TRUE(slots.ok());
  ASSERT_TRUE(slots->Install(MakeBundle("sip68xx.11-2-1MPP-0001", "old image")).ok());
  ASSERT_TRUE(slots->Install(MakeBundle("sip68xx.11-2-4MPP-0002", "new image")).ok());
  ASSERT_EQ(slots->Active()->slot, 'b');
  ASSERT_TRUE(slots->ActivateInactive().ok());
  EXPECT_EQ(slots->Active()->version, "sip68xx.11-2-1MPP-0001");
  auto reopened = ImageSlots::Open(dir_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->Active()->version, "sip68xx.11-2-1MPP-0001");
  EXPECT_EQ(*reopened->ReadActiveImage(), "old image");
  EXPECT_EQ(reopened->Inactive()->version, "sip68xx.11-2-4MPP-0002");
}

TEST_F(ActivateInactiveTest, RefusesADamagedImage) {
  auto slots = ImageSlots::Open(dir_);
  ASSERT_TRUE(slots.ok());
  ASSERT_TRUE(slots->Install(MakeBundle("sip68xx.11-2-1MPP-0001", "old image")).ok());
  ASSERT_TRUE(slots->Install(MakeBundle("sip68xx.11-2-4MPP-0002", "new image")).ok());
  std::ofstream(dir_ + "/firmware/slot-a.img", std::ios::binary | std::ios::trunc) << "old imagX";
  EXPECT_EQ(slots->ActivateInactive().code(), cwmp::StatusCode::kIoError);
  EXPECT_EQ(slots->Active()->version, "sip68xx.11-2-4MPP-0002");
  auto reopened = ImageSlots::Open(dir_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->Active()->version, "sip68xx.11-2-4MPP-0002");
}

}  // namespace
}  // namespace agent
