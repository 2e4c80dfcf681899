// resync.state round trip and corruption, the --alias map syntax.
#include <gtest/gtest.h>

#include "resync/alias_map.h"
#include "resync/resync_state.h"

namespace agent::resync_internal {
namespace {

TEST(ResyncState, RoundTripKeepsEveryField) {
  PersistedState s;
  s.last_attempt = 1700000000;
  s.last_finish = 1700000003;
  s.last_success = 1699990000;
  s.last_succeeded = false;
  s.last_error = "http_get failed: 500 Internal Server Error\twith\ttabs\nand newline";
  s.prvst = -1;
  s.consecutive_failures = 3;
  s.periodic_index = 2;
  s.failure_reported = true;
  s.next_due = 1700001800;
  s.next_trigger = ResyncTrigger::kRetry;
  s.digests["Profile_Rule"] = 0xdeadbeefcafef00dULL;
  s.digests["Profile_Rule_C"] = 1;
  auto back = ParseState(SerializeState(s));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->last_attempt, s.last_attempt);
  EXPECT_EQ(back->last_finish, s.last_finish);
  EXPECT_EQ(back->last_success, s.last_success);
  EXPECT_EQ(back->last_succeeded, s.last_succeeded);
  EXPECT_EQ(back->last_error, s.last_error);
  EXPECT_EQ(back->prvst, -1);
  EXPECT_EQ(back->consecutive_failures, 3);
  EXPECT_EQ(back->periodic_index, 2);
  EXPECT_TRUE(back->failure_reported);
  EXPECT_EQ(back->next_due, s.next_due);
  EXPECT_EQ(back->next_trigger, ResyncTrigger::kRetry);
  EXPECT_EQ(back->digests, s.digests);
}

TEST(ResyncState, EmptyStateRoundTrips) {
  auto back = ParseState(SerializeState(PersistedState{}));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->last_attempt);
  EXPECT_FALSE(back->next_due);
}

TEST(ResyncState, CorruptFilesAreErrors) {
  std::string good = SerializeState(PersistedState{});
  EXPECT_FALSE(ParseState(good.substr(0, good.size() - 4)).ok());  // end line cut
  EXPECT_FALSE(ParseState("resync-state 1\nprvst\tx\nend 1\n").ok());
  EXPECT_FALSE(ParseState("resync-state 1\nnext\t5\tsometimes\nend 1\n").ok());
  EXPECT_FALSE(ParseState("resync-state 1\nwhat\t5\nend 1\n").ok());
  EXPECT_FALSE(ParseState("other-magic 1\nend 0\n").ok());
}

TEST(ResyncState, DigestSeesEveryByte) {
  EXPECT_EQ(ContentDigest("abc"), ContentDigest("abc"));
  EXPECT_NE(ContentDigest("abc"), ContentDigest("abd"));
  EXPECT_NE(ContentDigest(""), ContentDigest(std::string(1, '\0')));
}

TEST(AliasMap, ParsesPairsWithAnySeparator) {
  auto m = ParseAliasMap(" user=User_ID_1_; pw=Password_1_,\n dn=Display_Name_1_ ");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->size(), 3u);
  EXPECT_EQ(m->at("user"), "User_ID_1_");
  EXPECT_EQ(m->at("pw"), "Password_1_");
  EXPECT_EQ(m->at("dn"), "Display_Name_1_");
  EXPECT_TRUE(ParseAliasMap("").ok());
}

TEST(AliasMap, RejectsMalformedEntries) {
  for (const char* bad : {"user", "=X", "user=", "a=b=c", "ok=Fine; broken"}) {
    auto m = ParseAliasMap(bad);
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_NE(m.status().message().find("expected source=Target"), std::string::npos);
  }
}

TEST(AliasMap, RenamesOnlyMappedElements) {
  cwmp::prov::FlatProfile p;
  p.elements.push_back({"user", "alice", std::nullopt, 1, 1});
  p.elements.push_back({"GPP_A", "x", std::nullopt, 2, 1});
  auto m = ParseAliasMap("user=User_ID_1_");
  ASSERT_TRUE(m.ok());
  ApplyAliases(*m, &p);
  EXPECT_EQ(p.elements[0].name, "User_ID_1_");
  EXPECT_EQ(p.elements[1].name, "GPP_A");
}

}  // namespace
}  // namespace agent::resync_internal
