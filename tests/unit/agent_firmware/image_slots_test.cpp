// A/B image slots: installs alternate slots, the active image always verifies, and a process
// killed with SIGKILL at any step of an install (between any two of its system calls) leaves the
// previously active image active and intact.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agent/firmware.h"

namespace agent {
namespace {

namespace fs = std::filesystem;

FirmwareBundle Bundle(const std::string& version, size_t size, char seed) {
  std::string payload(size, '\0');
  for (size_t i = 0; i < size; ++i) payload[i] = static_cast<char>(seed + i * 31 % 251);
  auto packed = PackFirmwareBundle(version, {"CP-6841-3PCC"}, payload);
  EXPECT_TRUE(packed.ok());
  auto parsed = ParseFirmwareBundle(*packed);
  EXPECT_TRUE(parsed.ok());
  return *parsed;
}

class ImageSlotsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/image_slots_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(ImageSlotsTest, InstallsAlternateSlots) {
  auto slots = ImageSlots::Open(dir_);
  ASSERT_TRUE(slots.ok()) << slots.status().ToString();
  EXPECT_FALSE(slots->Active().has_value());
  EXPECT_EQ(slots->ReadActiveImage().status().code(), cwmp::StatusCode::kNotFound);
  const char* versions[] = {"sip68xx.11-2-3MPP-0001", "sip68xx.11-2-4MPP-0002",
                            "sip68xx.11-2-5MPP-0003"};
  const char expected_slot[] = {'a', 'b', 'a'};
  for (int i = 0; i < 3; ++i) {
    FirmwareBundle b = Bundle(versions[i], 100000 + i, static_cast<char>('A' + i));
    ASSERT_TRUE(slots->Install(b).ok());
    ASSERT_TRUE(slots->Active().has_value());
    EXPECT_EQ(slots->Active()->slot, expected_slot[i]);
    EXPECT_EQ(slots->Active()->version, versions[i]);
    auto reopened = ImageSlots::Open(dir_);
    ASSERT_TRUE(reopened.ok());
    EXPECT_EQ(reopened->Active()->version, versions[i]);
    auto image = reopened->ReadActiveImage();
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    EXPECT_EQ(*image, b.payload);
    if (i > 0) {
      ASSERT_TRUE(reopened->Inactive().has_value());
      EXPECT_EQ(reopened->Inactive()->version, versions[i - 1]);
    }
  }
}

TEST_F(ImageSlotsTest, CorruptActiveImageIsDetected) {
  auto slots = ImageSlots::Open(dir_);
  ASSERT_TRUE(slots.ok());
  ASSERT_TRUE(slots->Install(Bundle("sip68xx.11-2-3MPP-0001", 5000, 'x')).ok());
  {
    std::fstream f(dir_ + "/firmware/slot-a.img", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('!');
  }
  EXPECT_EQ(slots->ReadActiveImage().status().message(),
            "slot a: image does not match its SHA-256");
}

TEST_F(ImageSlotsTest, InstallRefusesAPayloadThatDoesNotMatchItsManifest) {
  auto slots = ImageSlots::Open(dir_);
  ASSERT_TRUE(slots.ok());
  FirmwareBundle b = Bundle("sip68xx.11-2-3MPP-0001", 5000, 'x');
  b.payload[10] ^= 1;
  EXPECT_EQ(slots->Install(b).code(), cwmp::StatusCode::kInvalidArgument);
  EXPECT_FALSE(slots->Active().has_value());
}

TEST_F(ImageSlotsTest, BrokenActivePointerIsAnError) {
  fs::create_directories(dir_ + "/firmware");
  std::ofstream(dir_ + "/firmware/active") << "c\n";
  EXPECT_EQ(ImageSlots::Open(dir_).status().code(), cwmp::StatusCode::kParseError);
}

// Runs an install of `next` in a child that SIGKILLs itself at hook step number `kill_at`
// (1-based; 0 = never). Returns true if the child was killed, false if it finished.
bool InstallInChild(const std::string& dir, const FirmwareBundle& next, int kill_at) {
  pid_t pid = fork();
  if (pid == 0) {
    auto slots = ImageSlots::Open(dir);
    if (!slots.ok()) _exit(3);
    int step = 0;
    cwmp::Status st = slots->Install(next, [&](std::string_view) {
      if (++step == kill_at) raise(SIGKILL);
    });
    _exit(st.ok() ? 0 : 4);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
    return true;
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  return false;
}

// The state after a crash: the active image verifies and is either the old or the new one.
std::string BootableVersion(const std::string& dir, const FirmwareBundle& old_b,
                            const FirmwareBundle& new_b) {
  auto slots = ImageSlots::Open(dir);
  EXPECT_TRUE(slots.ok()) << slots.status().ToString();
  if (!slots.ok() || !slots->Active()) return "";
  auto image = slots->ReadActiveImage();
  EXPECT_TRUE(image.ok()) << image.status().ToString();
  if (!image.ok()) return "";
  const std::string v = slots->Active()->version;
  EXPECT_EQ(*image, v == new_b.manifest.version ? new_b.payload : old_b.payload);
  return v;
}

TEST_F(ImageSlotsTest, KillDuringAnyStepOfAnInstallKeepsTheOldImageBootable) {
  const FirmwareBundle old_b = Bundle("sip68xx.11-2-3MPP-0001", 300000, 'o');
  const FirmwareBundle new_b = Bundle("sip68xx.11-2-4MPP-0002", 400000, 'n');
  // The step sequence of one install, recorded in-process on a scratch copy.
  std::vector<std::string> steps;
  {
    std::string scratch = dir_ + "/scratch";
    auto s = ImageSlots::Open(scratch);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(s->Install(old_b).ok());
    ASSERT_TRUE(s->Install(new_b, [&](std::string_view step) { steps.emplace_back(step); }).ok());
  }
  // Index (1-based) of the last step before the active pointer is renamed into place.
  size_t switch_at = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i] == "switch") switch_at = i + 1;
  }
  ASSERT_GT(switch_at, 0u);
  ASSERT_GT(steps.size(), 10u);  // several image chunks, so kills land mid-image

  const std::string state = dir_ + "/state";
  for (int kill_at = 1;; ++kill_at) {
    SCOPED_TRACE("kill at step " + std::to_string(kill_at));
    fs::remove_all(state);
    auto slots = ImageSlots::Open(state);
    ASSERT_TRUE(slots.ok());
    ASSERT_TRUE(slots->Install(old_b).ok());
    bool killed = InstallInChild(state, new_b, kill_at);
    std::string version = BootableVersion(state, old_b, new_b);
    if (!killed) {
      EXPECT_EQ(version, new_b.manifest.version);
      EXPECT_EQ(static_cast<size_t>(kill_at), steps.size() + 1);
      break;
    }
    // Until the pointer's rename (the step after "switch": open, chunk, fsync, rename happen
    // before it), the old image is the one that boots.
    size_t rename_of_pointer = switch_at + 4;
    if (static_cast<size_t>(kill_at) <= rename_of_pointer) {
      EXPECT_EQ(version, old_b.manifest.version);
    } else {
      EXPECT_EQ(version, new_b.manifest.version);
    }
    // And the next install after the crash works.
    auto after = ImageSlots::Open(state);
    ASSERT_TRUE(after.ok());
    ASSERT_TRUE(after->Install(new_b).ok());
    ASSERT_TRUE(after->ReadActiveImage().ok());
    ASSERT_LT(kill_at, 1000);
  }
}

}  // namespace
}  // namespace agent
