// API token generation and hashing (no database).
#include "acs/api_token.h"
#include "acs/store.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace acs {
namespace {

TEST(ApiToken, FormatAndUniqueness) {
  std::set<std::string> seen;
  const std::regex format("^acs_[A-Za-z0-9_-]{43}$");
  for (int i = 0; i < 200; ++i) {
    auto t = GenerateApiToken();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_TRUE(std::regex_match(t->Reveal(), format)) << i;
    EXPECT_TRUE(seen.insert(t->Reveal()).second) << "duplicate token";
  }
}

TEST(ApiToken, Sha256MatchesFips180Vectors) {
  EXPECT_EQ(ApiTokenSha256Hex(cwmp::Secret("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ApiTokenSha256Hex(cwmp::Secret("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ApiScope, ParseAndName) {
  EXPECT_EQ(*ParseApiScope("admin"), ApiScope::kAdmin);
  EXPECT_EQ(*ParseApiScope("read"), ApiScope::kRead);
  EXPECT_STREQ(ApiScopeName(ApiScope::kAdmin), "admin");
  EXPECT_STREQ(ApiScopeName(ApiScope::kRead), "read");
  for (const char* bad : {"", "Admin", "write", "read "}) {
    EXPECT_EQ(ParseApiScope(bad).status().code(), cwmp::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(DeviceId, JoinsOuiProductClassSerial) {
  EXPECT_EQ(DeviceIdOf(DeviceIdentity{"Cisco", "0021A0", "CP-6851-3PCC", "FCH1234"}),
            "0021A0-CP-6851-3PCC-FCH1234");
}

}  // namespace
}  // namespace acs
