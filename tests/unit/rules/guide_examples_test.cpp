// Every example the rules tests use is quoted verbatim from the guide.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "guide_examples.h"

namespace cwmp::prov {
namespace {

std::string LoadGuide() {
  std::ifstream in(CWMP_GUIDE_FILE, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  // The text renders "$" as "\$" outside code blocks.
  std::string text = ss.str(), out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '$') continue;
    out.push_back(text[i]);
  }
  return out;
}

TEST(GuideExamples, AreVerbatim) {
  std::string guide = LoadGuide();
  if (guide.empty()) GTEST_SKIP() << "guide text not found at " << CWMP_GUIDE_FILE;
  for (std::string_view example : guide::kAll) {
    EXPECT_NE(guide.find(example), std::string::npos) << "not in the guide: " << example;
  }
}

}  // namespace
}  // namespace cwmp::prov
