#pragma once
// Helpers shared by the flat_profile tests.

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "cwmp/prov/flat_profile.h"

namespace cwmp::prov::testing {

// An expected element: name, value (nullopt = ua only), ua, and position (0 = not checked).
struct Want {
  std::string name;
  std::optional<std::string> value;
  std::optional<Access> ua;
  int line = 0;
  int column = 0;
};

inline std::string Describe(const ProfileElement& e) {
  std::ostringstream out;
  out << e.line << ":" << e.column << " <" << e.name << ">"
      << (e.ua ? " ua=" + std::string(AccessName(*e.ua)) : "")
      << (e.value ? " value=[" + *e.value + "]" : " (no value)");
  return out.str();
}

inline void ExpectElements(const FlatProfile& profile, const std::vector<Want>& want) {
  ASSERT_EQ(profile.elements.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const ProfileElement& got = profile.elements[i];
    SCOPED_TRACE("element " + std::to_string(i) + ": " + Describe(got));
    EXPECT_EQ(got.name, want[i].name);
    EXPECT_EQ(got.value, want[i].value);
    EXPECT_EQ(got.ua, want[i].ua);
    if (want[i].line != 0) {
      EXPECT_EQ(got.line, want[i].line);
      EXPECT_EQ(got.column, want[i].column);
    }
  }
}

inline std::string ReadProfileFile(const std::string& name) {
  std::string path = std::string(CWMP_SOURCE_DIR) + "/tests/data/profiles/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace cwmp::prov::testing
