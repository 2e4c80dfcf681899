// Conditional expressions (guide lines 923-976) and Resync_Trigger_1/2 (1186-1194).
#include "cwmp/prov/condition.h"

#include <gtest/gtest.h>

#include "guide_examples.h"
#include "test_context.h"

namespace cwmp::prov {
namespace {

struct Case {
  std::string_view text;
  bool expected;
};

TEST(Condition, GuideExamples) {
  MacroVariables v = testing::GuidePhone();
  v.SetParameter("GPP_A", "Provisioned");
  v.SetParameter("GPP_F", "beta-customer");
  const Case cases[] = {
      // 1190: UPGTMR 1200 > 300 and PRVTMR 900 >= 600
      {guide::kTrigger, true},
      // 955
      {"sip68xx.11-0-0MPP-BN <= sip68xx.11-0-1MPP-BN", true},
      // 973: running 11-0-1MPP, so it differs from 11-0-0MPP
      {"$SWVER ne sip68xx.11-0-0MPP", true},
      // 1289
      {"\"$CCERT\" eq \"Installed\"", true},
      // 1303
      {"\"$A\" ne \"Provisioned\"", false},
      // 1347
      {"\"$F\" ne \"beta-customer\"", false},
      // 1282
      {"$PRVTMR ge 600", true},
  };
  for (const Case& c : cases) {
    Result<bool> r = EvaluateCondition(c.text, v);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
    EXPECT_EQ(r.value(), c.expected) << c.text;
  }
  (void)v.Set("PRVTMR", "599");
  EXPECT_FALSE(EvaluateCondition(guide::kTrigger, v).value());
  (void)v.Set("SWVER", "sip68xx.11-0-0MPP");
  EXPECT_FALSE(EvaluateCondition("$SWVER ne sip68xx.11-0-0MPP", v).value());
}

TEST(Condition, EveryOperatorOnIntegers) {
  const Case cases[] = {
      {"1 = 1", true},   {"1 eq 2", false}, {"1 != 2", true},
      {"1 ne 1", false}, {"1 < 2", true},   {"2 lt 2", false},
      {"2 <= 2", true},  {"3 le 2", false}, {"3 > 2", true},
      {"2 gt 2", false}, {"2 >= 2", true},  {"1 ge 2", false},
      {"-1 lt 0", true}, {"-1 = -1", true}, {"007 eq 7", true},
      {"1<2", true},     {"2>=1", true},    {"1 EQ 1", true},
      {"1 Ne 2", true},  {"1 == 1", true},  {"9223372036854775807 gt -9223372036854775808", true},
  };
  for (const Case& c : cases) {
    Result<bool> r = EvaluateExpandedCondition(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
    EXPECT_EQ(r.value(), c.expected) << c.text;
  }
}

TEST(Condition, EveryOperatorOnVersions) {
  const Case cases[] = {
      {"sip68xx.11-0-1MPP = sip68xx.11-0-1MPP", true},
      {"sip68xx.11-0-1MPP eq sip68xx.11-0-2MPP", false},
      {"sip68xx.11-0-1MPP != sip68xx.11-0-2MPP", true},
      {"sip68xx.11-0-1MPP ne sip68xx.11-0-1MPP", false},
      {"sip68xx.11-0-1MPP < sip68xx.11-1-0MPP", true},
      {"sip68xx.11-0-1MPP lt sip68xx.11-0-1MPP", false},
      {"sip68xx.11-0-1MPP <= sip68xx.11-0-1MPP", true},
      {"sip68xx.11-0-10MPP le sip68xx.11-0-9MPP", false},  // numbers, not text
      {"sip68xx.12-0-0MPP > sip68xx.11-9-9MPP", true},
      {"sip68xx.11-0-1MPP gt sip68xx.11-0-1MPP", false},
      {"sip68xx.11-0-1MPP >= sip68xx.11-0-1MPP", true},
      {"sip68xx.11-0-1MPP ge sip68xx.11-0-2MPP", false},
      {"sip68xx.11-0-1MPQ gt sip68xx.11-0-1MPP", true},       // then letters
      {"sip68xx.11-0-1MPP eq sip68xx.11-0-1MPP-0042", true},  // missing build number
      {"sip68xx.11-0-1MPP eq sip78xx.11-0-1MPP", false},      // other product
      {"sip68xx.11-0-1MPP ne sip78xx.11-0-1MPP", true},
  };
  for (const Case& c : cases) {
    Result<bool> r = EvaluateExpandedCondition(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
    EXPECT_EQ(r.value(), c.expected) << c.text;
  }
}

TEST(Condition, StringsAndAnd) {
  const Case cases[] = {
      {"\"a\" = \"a\"", true},
      {"\"a\" eq \"b\"", false},
      {"\"a\" != \"b\"", true},
      {"\"\" ne \"\"", false},
      {"\"a b\" eq \"a b\"", true},
      {"\"A\" eq \"a\"", false},
      {"\"x\"=\"x\"", true},
      {"1 eq 1 and 2 eq 2", true},
      {"1 eq 1 and 2 eq 3", false},
      {"1 eq 2 and 2 eq 2", false},
      {"1 eq 1 AND \"a\" eq \"a\" and sip68xx.1-0 lt sip68xx.2-0", true},
      {"  1 eq 1  ", true},
  };
  for (const Case& c : cases) {
    Result<bool> r = EvaluateExpandedCondition(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
    EXPECT_EQ(r.value(), c.expected) << c.text;
  }
}

struct ErrorCase {
  const char* text;
  StatusCode code;
  const char* message_part;
};

TEST(Condition, Errors) {
  const ErrorCase cases[] = {
      {"", StatusCode::kParseError, "empty"},
      {"   ", StatusCode::kParseError, "empty"},
      {"1 eq \"abc", StatusCode::kParseError, "unterminated quoted string starting at column 6"},
      {"\"abc eq 1", StatusCode::kParseError, "unterminated quoted string starting at column 1"},
      {"\"abc eq \"abc\"", StatusCode::kParseError, "unknown operator \"abc\" at column 10"},
      {"1 ~ 2", StatusCode::kParseError, "unknown operator \"~\" at column 3"},
      {"1 =< 2", StatusCode::kParseError, "unknown operator \"=<\""},
      {"1 is 2", StatusCode::kParseError, "unknown operator \"is\""},
      {"1 eq", StatusCode::kParseError, "missing operand"},
      {"eq 1", StatusCode::kParseError, "not an integer"},
      {"1", StatusCode::kParseError, "missing operator"},
      {"1 eq 1 or 2 eq 2", StatusCode::kParseError, "expected \"and\""},
      {"1 eq 1 and", StatusCode::kParseError, "missing comparison"},
      {"1 eq 1 2", StatusCode::kParseError, "expected \"and\""},
      {"(1 eq 1)", StatusCode::kParseError, "parentheses"},
      {"Provisioned eq \"Provisioned\"", StatusCode::kParseError, "not an integer"},
      {"11.0.0 lt 12.0.0", StatusCode::kParseError, "not an integer, a version"},
      {"\"a\" lt \"b\"", StatusCode::kInvalidArgument, "only be compared with = or !="},
      {"\"a\" ge \"b\"", StatusCode::kInvalidArgument, "only be compared"},
      {"1 eq \"1\"", StatusCode::kInvalidArgument, "cannot compare integer"},
      {"sip68xx.11-0-1MPP eq \"sip68xx.11-0-1MPP\"", StatusCode::kInvalidArgument,
       "cannot compare version \"sip68xx.11-0-1MPP\" with quoted string"},
      {"sip68xx.11-0-1MPP gt 11", StatusCode::kInvalidArgument, "cannot compare version"},
      {"sip68xx.11-0-1MPP lt sip78xx.11-0-1MPP", StatusCode::kInvalidArgument,
       "different products"},
      {"9223372036854775808 gt 1", StatusCode::kInvalidArgument, "out of range"},
      // a type error is reported even when an earlier comparison is already false
      {"1 eq 2 and \"a\" lt \"b\"", StatusCode::kInvalidArgument, "only be compared"},
  };
  for (const ErrorCase& c : cases) {
    Result<bool> r = EvaluateExpandedCondition(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), c.code) << c.text << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << c.text << ": " << r.status().ToString();
    EXPECT_EQ(CheckExpandedCondition(c.text).code(), c.code) << c.text;
  }
}

TEST(Condition, MacrosExpandBeforeEvaluation) {
  MacroVariables v;
  (void)v.Set("PRVST", "-1");
  EXPECT_TRUE(EvaluateCondition("$PRVST eq -1", v).value());
  // An empty variable where a number is expected is an error, not "0".
  Result<bool> r = EvaluateCondition("$UPGTMR gt 300", v);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  // Quoted, it is an empty string.
  EXPECT_TRUE(EvaluateCondition("\"$EXTIP\" eq \"\"", v).value());
  // $SA-$SD are not expanded in conditions.
  v.SetParameter("GPP_SA", "secret");
  EXPECT_TRUE(EvaluateCondition("\"$SA\" eq \"$$SA\"", v).value());
}

TEST(Condition, ResyncTriggers) {
  MacroVariables v = testing::GuidePhone();  // PRVTMR 900, UPGTMR 1200
  struct TriggerCase {
    std::string_view t1;
    const char* t2;
    bool ok;
    bool allow;
  };
  const TriggerCase cases[] = {
      {"", "", true, true},  // no trigger set: periodic resync goes ahead
      {"  ", "", true, true},
      {guide::kTrigger, "", true, true},
      {"$PRVTMR ge 1000", "", true, false},
      {"", "$PRVTMR ge 1000", true, false},
      {"$PRVTMR ge 1000", "$UPGTMR gt 300", true, true},
      {"$PRVTMR ge 1000", "$UPGTMR gt 3000", true, false},
      {"\"x\" lt \"y\"", "$UPGTMR gt 300", true, true},
      {"\"x\" lt \"y\"", "$UPGTMR gt 3000", false, false},
      {"", "1 ~ 1", false, false},
  };
  for (const TriggerCase& c : cases) {
    Result<bool> r = ResyncTriggersAllow(c.t1, c.t2, v);
    ASSERT_EQ(r.ok(), c.ok) << c.t1 << " | " << c.t2 << ": " << r.status().ToString();
    if (c.ok) {
      EXPECT_EQ(r.value(), c.allow) << c.t1 << " | " << c.t2;
    }
  }
  Result<bool> r = ResyncTriggersAllow("", "1 ~ 1", v);
  EXPECT_NE(r.status().message().find("Resync_Trigger_2"), std::string::npos);
}

}  // namespace
}  // namespace cwmp::prov
