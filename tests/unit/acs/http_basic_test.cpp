// HTTP Basic credentials (RFC 7617).
#include <gtest/gtest.h>

#include "acs/http_basic.h"

namespace acs::http {
namespace {

TEST(HttpBasic, Rfc7617Example) {
  auto c = ParseBasicAuthorization("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->username, "Aladdin");
  EXPECT_TRUE(PasswordsEqual(c->password, cwmp::Secret("open sesame")));
  EXPECT_FALSE(PasswordsEqual(c->password, cwmp::Secret("open sesamE")));
  EXPECT_FALSE(PasswordsEqual(c->password, cwmp::Secret("open")));
}

TEST(HttpBasic, PasswordMayHoldColonsAndBeEmpty) {
  auto c = ParseBasicAuthorization("basic dTpwOnc6");  // "u:p:w:"
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->username, "u");
  EXPECT_EQ(c->password.Reveal(), "p:w:");
  c = ParseBasicAuthorization("Basic dTo=");  // "u:"
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->password.empty());
}

TEST(HttpBasic, Rejects) {
  struct Case {
    std::string header;
    cwmp::StatusCode code;
  } cases[] = {
      {"Digest username=\"a\"", cwmp::StatusCode::kParseError},
      {"Basic", cwmp::StatusCode::kParseError},
      {"BasicQWxh", cwmp::StatusCode::kParseError},
      {"Basic QWxhZGRpbg==", cwmp::StatusCode::kParseError},                // "Aladdin": no colon
      {"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ", cwmp::StatusCode::kParseError},  // no padding
      {"Basic QWxh=GRp", cwmp::StatusCode::kParseError},
      {"Basic QW!hZGRp", cwmp::StatusCode::kParseError},
      {"Basic " + std::string(5000, 'A'), cwmp::StatusCode::kLimitExceeded},
  };
  for (const auto& k : cases) {
    auto r = ParseBasicAuthorization(k.header);
    ASSERT_FALSE(r.ok()) << k.header;
    EXPECT_EQ(r.status().code(), k.code) << k.header;
  }
}

TEST(HttpBasic, Challenge) {
  EXPECT_EQ(BasicChallenge("acs"), "Basic realm=\"acs\", charset=\"UTF-8\"");
  EXPECT_EQ(BasicChallenge("a\"b"), "Basic realm=\"a\\\"b\", charset=\"UTF-8\"");
}

}  // namespace
}  // namespace acs::http
