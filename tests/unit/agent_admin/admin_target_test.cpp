// Request targets of the guide's commands: "?<rule>", "&xuser=…&xpassword=…" after a query or
// straight after the path (the guide's curl example), %-escapes.
#include <gtest/gtest.h>

#include "admin/admin_router.h"

namespace {

using agent::internal::ParseAdminTarget;
using agent::internal::PercentDecode;

TEST(AdminTarget, GuideResyncWithCredentials) {
  // Guide: http://192.168.15.1/admin/resync?tftp://192.168.15.100/my
  // config.xml&xuser=admin&xpassword=admin
  auto t = ParseAdminTarget(
      "/admin/resync?tftp://192.168.15.100/my%20config.xml&xuser=admin&xpassword=admin");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/admin/resync");
  EXPECT_EQ(t->query.value_or("?"), "tftp://192.168.15.100/my%20config.xml");
  EXPECT_EQ(t->xuser.value_or(""), "admin");
  EXPECT_EQ(t->xpassword.value_or(""), "admin");
}

TEST(AdminTarget, GuideCurlConfigPostForm) {
  // Guide: curl -d @my_config.xml
  // "http://192.168.15.1/admin/config.xml&xuser=admin&xpassword=admin"
  auto t = ParseAdminTarget("/admin/config.xml&xuser=admin&xpassword=p%26w");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/admin/config.xml");
  EXPECT_FALSE(t->query);
  EXPECT_EQ(t->xuser.value_or(""), "admin");
  EXPECT_EQ(t->xpassword.value_or(""), "p&w");
}

TEST(AdminTarget, RuleKeepsItsOwnAmpersands) {
  auto t = ParseAdminTarget("/admin/resync?http://h/cfg?a=1&b=2&xpassword=x&xuser=user");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->query.value_or(""), "http://h/cfg?a=1&b=2");
  EXPECT_EQ(t->xuser.value_or(""), "user");
  EXPECT_EQ(t->xpassword.value_or(""), "x");
}

TEST(AdminTarget, PlainPathsAndQueries) {
  auto t = ParseAdminTarget("/admin/resync");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->query);
  t = ParseAdminTarget("/admin/resync?");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->query.value_or("x"), "");
  t = ParseAdminTarget("http://192.168.1.102/admin/status");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/admin/status");
  t = ParseAdminTarget("/admin/call?xuser=user&line=1&state=busy");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->query.value_or(""), "line=1&state=busy");
  EXPECT_EQ(t->xuser.value_or(""), "user");
  EXPECT_FALSE(ParseAdminTarget("*"));
  EXPECT_FALSE(ParseAdminTarget(""));
  EXPECT_FALSE(ParseAdminTarget("/admin/x?xuser=%zz"));
}

TEST(AdminTarget, PercentDecoding) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc+d").value_or(""), "a b/c+d");
  EXPECT_FALSE(PercentDecode("%"));
  EXPECT_FALSE(PercentDecode("%2"));
  EXPECT_FALSE(PercentDecode("%g0"));
  EXPECT_EQ(PercentDecode("").value_or("x"), "");
}

}  // namespace
