// `cpe-agent firmware pack|inspect` through the command's entry point (the same function the
// binary dispatches to).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/firmware.h"
#include "cli/firmware_cli.h"

namespace agent::cli {
namespace {

namespace fs = std::filesystem;

std::string DataPath(const std::string& name) {
  return std::string(CWMP_SOURCE_DIR) + "/tests/unit/agent_firmware/data/" + name;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FirmwareCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/firmware_cli_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::ofstream(dir_ + "/image.bin", std::ios::binary) << std::string(70000, '\x5a');
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(FirmwareCli, PackThenInspect) {
  const std::string out = dir_ + "/sip68xx.11-2-4MPP-0002.loads";
  ASSERT_EQ(RunFirmwareCommand({"pack", "--version", "sip68xx.11-2-4MPP-0002", "--payload",
                                dir_ + "/image.bin", "--model", "CP-6841-3PCC", "--model",
                                "CP-6861-3PCC", "--sign-key", DataPath("ed25519.key"), "-o", out}),
            0);
  auto bundle = agent::ParseFirmwareBundle(Read(out));
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  EXPECT_EQ(bundle->manifest.version, "sip68xx.11-2-4MPP-0002");
  EXPECT_EQ(bundle->manifest.models, (std::vector<std::string>{"CP-6841-3PCC", "CP-6861-3PCC"}));
  EXPECT_EQ(bundle->payload, std::string(70000, '\x5a'));
  EXPECT_EQ(bundle->manifest.signature_algorithm, "ed25519");

  EXPECT_EQ(RunFirmwareCommand({"inspect", out}), 0);
  EXPECT_EQ(RunFirmwareCommand({"inspect", out, "--public-key", DataPath("ed25519.pub")}), 0);
  EXPECT_EQ(RunFirmwareCommand({"inspect", out, "--public-key", DataPath("other_ed25519.pub")}), 1);
  EXPECT_EQ(RunFirmwareCommand({"inspect", out, "--model", "CP-6861-3PCC"}), 0);
  EXPECT_EQ(RunFirmwareCommand({"inspect", out, "--model", "CP-7841-3PCC"}), 1);
  EXPECT_EQ(RunFirmwareCommand({"inspect", out, "--downgrade-rev-limit", "sip68xx.11-2-1MPP"}), 0);
  EXPECT_EQ(RunFirmwareCommand({"inspect", out, "--downgrade-rev-limit", "sip68xx.11-3-1MPP"}), 1);
  std::string damaged = Read(out);
  damaged.back() ^= 1;
  std::ofstream(dir_ + "/damaged.loads", std::ios::binary) << damaged;
  EXPECT_EQ(RunFirmwareCommand({"inspect", dir_ + "/damaged.loads"}), 1);
}

TEST_F(FirmwareCli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunFirmwareCommand({}), 2);
  EXPECT_EQ(RunFirmwareCommand({"frobnicate"}), 2);
  EXPECT_EQ(RunFirmwareCommand({"pack", "--payload", dir_ + "/image.bin", "-o", dir_ + "/x"}), 2);
  EXPECT_EQ(RunFirmwareCommand({"pack", "--bogus"}), 2);
  EXPECT_EQ(RunFirmwareCommand({"inspect"}), 2);
  EXPECT_EQ(RunFirmwareCommand({"--help"}), 0);
  EXPECT_EQ(RunFirmwareCommand({"pack", "--help"}), 0);
}

TEST_F(FirmwareCli, BadInputExitsOne) {
  EXPECT_EQ(RunFirmwareCommand({"pack", "--version", "11.0.0", "--payload", dir_ + "/image.bin",
                                "-o", dir_ + "/x.loads"}),
            1);
  EXPECT_FALSE(fs::exists(dir_ + "/x.loads"));
  EXPECT_EQ(RunFirmwareCommand({"pack", "--version", "sip68xx.11-2-4MPP-0002", "--payload",
                                dir_ + "/missing.bin", "-o", dir_ + "/x.loads"}),
            1);
  EXPECT_EQ(RunFirmwareCommand({"inspect", dir_ + "/image.bin"}), 1);
}

}  // namespace
}  // namespace agent::cli
