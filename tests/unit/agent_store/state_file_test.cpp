#include "agent/state_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "../agent_common/agent_test_util.h"

namespace agent {
namespace {

TEST(StateFile, EscapeRoundTrips) {
  const char* cases[] = {"", "plain", "tab\there", "line\nbreak\r", "100%", "%41", "\x01\x7f",
                         "ünï"};
  for (const char* raw : cases) {
    std::string esc = EscapeField(raw);
    EXPECT_EQ(esc.find('\t'), std::string::npos) << raw;
    EXPECT_EQ(esc.find('\n'), std::string::npos) << raw;
    auto back = UnescapeField(esc);
    ASSERT_TRUE(back.ok()) << raw;
    EXPECT_EQ(*back, raw);
  }
}

TEST(StateFile, BadEscapesRejected) {
  for (const char* bad : {"%", "%4", "%G0", "ab%zz"}) {
    EXPECT_FALSE(UnescapeField(bad).ok()) << bad;
  }
}

TEST(StateFile, RecordsRoundTrip) {
  StateWriter w("magic", 3);
  w.Record({"a", "b\tc"});
  w.Record({"x"});
  w.Record({"", "", "z"});
  std::string text = w.Finish();
  auto recs = ParseStateRecords(text, "magic", 3, "f");
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ(recs->size(), 3u);
  EXPECT_EQ((*recs)[0], (std::vector<std::string>{"a", "b\tc"}));
  EXPECT_EQ((*recs)[1], (std::vector<std::string>{"x"}));
  EXPECT_EQ((*recs)[2], (std::vector<std::string>{"", "", "z"}));
}

TEST(StateFile, IncompleteOrForeignFilesRejected) {
  StateWriter w("magic", 1);
  w.Record({"a", "b"});
  w.Record({"c", "d"});
  const std::string good = w.Finish();
  struct Case {
    std::string text;
    const char* why;
  } cases[] = {
      {"", "empty"},
      {good.substr(0, good.size() - 1), "last line unterminated"},
      {good.substr(0, good.find("end")), "end line missing"},
      {"magic 1\na\tb\nend 2\n", "record count wrong"},
      {"other 1\nend 0\n", "wrong magic"},
      {"magic 2\nend 0\n", "wrong version"},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(ParseStateRecords(c.text, "magic", 1, "f").ok()) << c.why;
  }
  EXPECT_TRUE(ParseStateRecords(good, "magic", 1, "f").ok());
}

TEST(StateFile, WriteReplacesAtomicallyAndLeavesNoTemp) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteStateFile(dir.path(), "s", "one").ok());
  ASSERT_TRUE(WriteStateFile(dir.path(), "s", "two").ok());
  auto read = ReadStateFile(dir.path(), "s");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "two");
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/s.tmp"));
  EXPECT_EQ(ReadStateFile(dir.path(), "missing").status().code(), cwmp::StatusCode::kNotFound);
}

TEST(StateFile, WriteIntoMissingDirectoryFails) {
  EXPECT_FALSE(WriteStateFile("/nonexistent-agent-dir", "s", "x").ok());
}

}  // namespace
}  // namespace agent
