#include "cwmp/content/validator.h"

#include <gtest/gtest.h>

#include <string>

namespace cwmp::content {
namespace {

struct Case {
  std::string text;
  bool valid;
};

const Case kCases[] = {
    {"<flat-profile>", true},
    {"<flat-profile/>", true},
    {"<device>\n</device>", true},
    {"<device\n  xmlns=\"x\">", true},
    {"\xEF\xBB\xBF<flat-profile>", true},
    {"  \r\n\t<flat-profile>", true},
    {"<?xml version=\"1.0\"?>\n<flat-profile>", true},
    {"<?xml version=\"1.0\"?><!-- a --><!-- b -->\n<flat-profile>", true},
    {"<!-- <device> in a comment -->\n<device>", true},
    {std::string("\x1f\x8b\x08\x00", 4), true},
    {std::string("\x1f\x8b\x08\xe0", 4), false},  // reserved gzip flag bits set
    {std::string("\x1f\x8b\x07\x00", 4), false},
    {"", false},
    {"hello", false},
    {"<flat-profiles>", false},
    {"<devices>", false},
    {"<flat-profile", false},
    {"<?xml version=\"1.0\"?>", false},
    {"<?xml version=\"1.0\" <flat-profile>", false},  // unterminated declaration
    {"<!-- unterminated <flat-profile>", false},
    {"<other/><flat-profile>", false},
    {"<Flat-Profile>", false},
};

TEST(Validator, LooksLikeProfileTable) {
  for (const Case& c : kCases) {
    EXPECT_EQ(LooksLikeProfile(c.text), c.valid) << '"' << c.text << '"';
  }
}

}  // namespace
}  // namespace cwmp::content
