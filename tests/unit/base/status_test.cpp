#include "cwmp/base/status.h"
#include "cwmp/base/secret.h"

#include <gtest/gtest.h>

namespace cwmp {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return InvalidArgument("not positive: " + std::to_string(v));
  return v;
}

Status Chain(int v) {
  auto r = ParsePositive(v);
  if (!r.ok()) return r.status().WithPrefix("chain");
  return Status::Ok();
}

TEST(Status, OkAndError) {
  EXPECT_TRUE(Status::Ok().ok());
  EXPECT_EQ(Status::Ok().ToString(), "ok");
  Status s = ParseError("line 3: bad");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kParseError);
  EXPECT_EQ(s.ToString(), "parse_error: line 3: bad");
}

TEST(Status, ResultCarriesValueOrError) {
  auto good = ParsePositive(4);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 4);
  auto bad = ParsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "not positive: -1");
  EXPECT_EQ(Chain(0).message(), "chain: not positive: 0");
}

TEST(Secret, MovesWipeTheSource) {
  Secret a("hunter2");
  Secret b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the wipe contract
  EXPECT_EQ(b.Reveal(), "hunter2");
}

}  // namespace
}  // namespace cwmp
