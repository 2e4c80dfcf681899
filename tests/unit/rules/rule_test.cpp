// Profile_Rule* and Upgrade_Rule: every example of the guide's "Profile Rules" (1243-1314),
// "Upgrade Rule" (1316-1350), "Optional Resync Arguments" (1032-1071), the encryption
// examples (883, 2419) and the "(expr)?" example of "Conditional Expressions" (973).
#include "cwmp/prov/rule.h"

#include <gtest/gtest.h>

#include "guide_examples.h"
#include "test_context.h"

namespace cwmp::prov {
namespace {

RuleSelection Select(std::string_view text, RuleKind kind, const MacroContext& ctx) {
  Result<std::optional<RuleSelection>> r = EvaluateRuleText(text, kind, ctx);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  if (!r.ok() || !r.value()) {
    ADD_FAILURE() << "nothing selected: " << text;
    return {};
  }
  return std::move(*r.value());
}

bool NoneSelected(std::string_view text, RuleKind kind, const MacroContext& ctx) {
  Result<std::optional<RuleSelection>> r = EvaluateRuleText(text, kind, ctx);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() && !r.value();
}

TEST(ProfileRule, Example1Unconditional) {
  MacroVariables v = testing::GuidePhone();
  RuleSelection s = Select(guide::kProfileExample1, RuleKind::kProfile, v);
  EXPECT_EQ(s.alternative, 0u);
  EXPECT_EQ(s.expanded_url, "http://remote.server.com/cisco/000e08012345.cfg");
  ASSERT_TRUE(s.url);
  EXPECT_EQ(s.url->scheme, UrlScheme::kHttp);
  EXPECT_EQ(s.url->host, "remote.server.com");
  EXPECT_EQ(s.url->port, 80);
  EXPECT_EQ(s.url->path, "/cisco/000e08012345.cfg");
  EXPECT_TRUE(s.assignments.empty());
  EXPECT_FALSE(s.options.key || s.options.uid || s.options.pwd || s.options.post_parameter);
}

TEST(ProfileRule, Example2PostOnLostRegistration) {
  std::string_view rule = guide::kProfileExample2;
  MacroVariables v = testing::GuidePhone();
  v.SetParameter("GPP_A", "mac=$MA");
  RuleSelection s = Select(rule, RuleKind::kProfile, v);
  EXPECT_EQ(s.alternative, 0u);
  EXPECT_EQ(s.url->path, "/has-reg.cfg");
  EXPECT_FALSE(s.options.post_parameter);

  (void)v.Set("PRVTMR", "599");
  s = Select(rule, RuleKind::kProfile, v);
  EXPECT_EQ(s.alternative, 1u);
  EXPECT_EQ(s.url->path, "/lost-reg?");
  ASSERT_TRUE(s.options.post_parameter);
  EXPECT_EQ(*s.options.post_parameter, "GPP_A");
  EXPECT_EQ(s.options.post_body, "mac=000e08012345");  // "macro expanded GPP A"
}

TEST(ProfileRule, Example3CertificateState) {
  std::string_view rule = guide::kProfileExample3;
  MacroVariables v = testing::GuidePhone();
  RuleSelection s = Select(rule, RuleKind::kProfile, v);
  EXPECT_EQ(s.alternative, 0u);
  EXPECT_EQ(s.url->path, "/config?");
  EXPECT_EQ(s.url->port, 443);
  (void)v.Set("CCERT", "Not Installed");
  s = Select(rule, RuleKind::kProfile, v);
  EXPECT_EQ(s.alternative, 1u);
  EXPECT_EQ(s.url->path, "/config?cisco000E08012345");
}

TEST(ProfileRule, Example4AssignmentUntilProvisioned) {
  std::string_view rule = guide::kProfileExample4;
  MacroVariables v = testing::GuidePhone();
  RuleSelection s = Select(rule, RuleKind::kProfile, v);
  EXPECT_EQ(s.alternative, 0u);
  ASSERT_EQ(s.assignments.size(), 1u);
  EXPECT_EQ(s.assignments[0], (RuleAssignment{"Line_Enable_1_", "No"}));
  EXPECT_EQ(s.url->path, "/init-prov");
  v.SetParameter("GPP_A", "Provisioned");
  s = Select(rule, RuleKind::kProfile, v);
  EXPECT_EQ(s.alternative, 1u);
  EXPECT_TRUE(s.assignments.empty());
  EXPECT_EQ(s.url->path, "/configs");
}

TEST(ProfileRule, Example5Alias) {
  MacroVariables v = testing::GuidePhone();
  v.SetParameter("GPP_B", "/flat/a=Line_Enable_1_;/flat/b=$SA");
  RuleSelection s = Select(guide::kProfileExample5, RuleKind::kProfile, v);
  ASSERT_TRUE(s.options.alias_parameter);
  EXPECT_EQ(*s.options.alias_parameter, "GPP_B");
  EXPECT_EQ(s.options.alias_map, "/flat/a=Line_Enable_1_;/flat/b=$SA");
  EXPECT_EQ(s.url->path, "/account/CP-6841-3PCC000e08012345.xml");
}

TEST(ProfileRule, KeyUidPwdOptions) {
  MacroVariables v = testing::GuidePhone();
  v.SetParameter("GPP_SA", "MyUserID");
  v.SetParameter("GPP_SB", "MySecretPassword");
  v.SetParameter("GPP_SC", "sc-key");
  v.SetParameter("GPP_SD", "sd key");
  struct Case {
    std::string rule;
    const char* key;  // nullptr: no --key
    const char* uid;
    const char* pwd;
    const char* url;
  };
  const Case cases[] = {
      {std::string(guide::kKeyQuotedUrl), "SecretPhrase1234", nullptr, nullptr,
       "http://prov.telco.com:80/path/profile.cfg"},  // 883
      {std::string(guide::kKeyPlain) + " /p.cfg", "VerySecretValue", nullptr, nullptr,
       "tftp:///p.cfg"},
      {std::string(guide::kKeyPhrase) + " /p.cfg", "my secret phrase", nullptr, nullptr,
       "tftp:///p.cfg"},
      {std::string(guide::kKeyHex) + " /p.cfg", "a37d2fb9055c1d04883a0745eb0917a4", nullptr,
       nullptr, "tftp:///p.cfg"},
      {std::string(guide::kKeySc) + " /p.cfg", "sc-key", nullptr, nullptr, "tftp:///p.cfg"},
      {std::string(guide::kKeySd) + " /p.cfg", "sd key", nullptr, nullptr, "tftp:///p.cfg"},
      {std::string(guide::kUidPwd), nullptr, "MyUserID", "MySecretPassword",
       "https://provisioning_server_url:443/path_to_your_config/your_config.xml"},  // 1066
      {std::string(guide::kKeyOwnSecret), "MyOwnSecret", nullptr, nullptr,
       "tftp://192.168.1.200:69/basic.cfg"},                           // 2419
      {"[key \"k\"] /p.cfg", "k", nullptr, nullptr, "tftp:///p.cfg"},  // 2560 form
      {"[ --uid u$(MA:0:4)  --key $$SA ] /p.cfg", "$SA", "u000e", nullptr, "tftp:///p.cfg"},
  };
  for (const Case& c : cases) {
    RuleSelection s = Select(c.rule, RuleKind::kProfile, v);
    EXPECT_EQ(s.options.key.has_value(), c.key != nullptr) << c.rule;
    if (c.key && s.options.key) {
      EXPECT_EQ(s.options.key->Reveal(), c.key) << c.rule;
    }
    EXPECT_EQ(s.options.uid.has_value(), c.uid != nullptr) << c.rule;
    if (c.uid && s.options.uid) {
      EXPECT_EQ(*s.options.uid, c.uid) << c.rule;
    }
    EXPECT_EQ(s.options.pwd.has_value(), c.pwd != nullptr) << c.rule;
    if (c.pwd && s.options.pwd) {
      EXPECT_EQ(s.options.pwd->Reveal(), c.pwd) << c.rule;
    }
    ASSERT_TRUE(s.url) << c.rule;
    EXPECT_EQ(s.url->ToString(), c.url) << c.rule;
  }
}

TEST(ProfileRule, CredentialMacrosStayOutOfUrlsAndAssignments) {
  MacroVariables v = testing::GuidePhone();
  v.SetParameter("GPP_SA", "secret");
  RuleSelection s = Select("(GPP_A = \"$SA\")! http://h/$SA?$(SA)", RuleKind::kProfile, v);
  EXPECT_EQ(s.assignments[0].value, "$SA");
  EXPECT_EQ(s.url->path, "/$SA?$(SA)");
}

TEST(ProfileRule, DefaultRuleUsesDhcpServer) {
  // Profile_Rule default "/$PSN.xml" (guide 2559): TFTP from the DHCP option 66 server.
  MacroVariables v = testing::GuidePhone();
  RuleSelection s = Select(guide::kProfileRuleDefault, RuleKind::kProfile, v);
  EXPECT_TRUE(s.url->uses_dhcp_server());
  EXPECT_EQ(s.url->scheme, UrlScheme::kTftp);
  EXPECT_EQ(s.url->port, 69);
  EXPECT_EQ(s.url->path, "/6841-3PCC.xml");
}

TEST(ProfileRule, NoneSelected) {
  MacroVariables v = testing::GuidePhone();
  EXPECT_TRUE(NoneSelected("", RuleKind::kProfile, v));
  EXPECT_TRUE(NoneSelected("   \n", RuleKind::kProfile, v));
  EXPECT_TRUE(NoneSelected("(1 eq 2)? /a | (2 eq 3)? /b", RuleKind::kProfile, v));
  EXPECT_TRUE(NoneSelected("(1 eq 2)? /a", RuleKind::kProfile, v));
}

TEST(ProfileRule, ComponentsAreOptional) {
  MacroVariables v = testing::GuidePhone();
  // A condition and assignments with no URL: assignments only.
  RuleSelection s = Select("(1 eq 1)? (GPP_A = done; GPP_B=\"$MA\")!", RuleKind::kProfile, v);
  EXPECT_FALSE(s.url);
  EXPECT_EQ(s.expanded_url, "");
  ASSERT_EQ(s.assignments.size(), 2u);
  EXPECT_EQ(s.assignments[0], (RuleAssignment{"GPP_A", "done"}));
  EXPECT_EQ(s.assignments[1], (RuleAssignment{"GPP_B", "000e08012345"}));
  // A last alternative that is empty: selected, does nothing.
  s = Select("(1 eq 2)? /a |", RuleKind::kProfile, v);
  EXPECT_EQ(s.alternative, 1u);
  EXPECT_FALSE(s.url);
  // Macros inside "$(...)" do not confuse the parenthesis matching.
  s = Select("(\"$(MA:0:4)\" eq \"000e\" and $(PRVTMR) gt 1)? /x", RuleKind::kProfile, v);
  EXPECT_EQ(s.url->path, "/x");
  // An empty assignment list is allowed.
  s = Select("()! /y", RuleKind::kProfile, v);
  EXPECT_TRUE(s.assignments.empty());
}

TEST(ProfileRule, ExpandedValuesCannotChangeTheStructure) {
  MacroVariables v = testing::GuidePhone();
  v.SetParameter("GPP_A", "x | http://evil/");
  Result<std::optional<RuleSelection>> r = EvaluateRuleText("http://h/$A", RuleKind::kProfile, v);
  ASSERT_FALSE(r.ok());  // the expanded URL has spaces; no new alternative appears
  EXPECT_NE(r.status().message().find("alternative 1"), std::string::npos);
  v.SetParameter("GPP_A", "1 eq 1)? /evil | (1");
  r = EvaluateRuleText("(\"$A\" eq \"z\")? /a | /b", RuleKind::kProfile, v);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value()->url->path, "/b");
}

TEST(UpgradeRule, GuideExamples) {
  MacroVariables v = testing::GuidePhone();  // SWVER sip68xx.11-0-1MPP
  // 973
  std::string_view rule973 = guide::kUpgradeRuleSwver;
  RuleSelection s = Select(rule973, RuleKind::kUpgrade, v);
  EXPECT_EQ(s.url->host, "ps.tell.com");
  EXPECT_EQ(s.url->path, "/sw/sip68xx.11-0-0MPP-BN.loads");
  (void)v.Set("SWVER", "sip68xx.11-0-0MPP");
  EXPECT_TRUE(NoneSelected(rule973, RuleKind::kUpgrade, v));
  // 1339, 2588
  s = Select(guide::kUpgradeExample1, RuleKind::kUpgrade, v);
  EXPECT_EQ(s.url->ToString(), "http://p.tel.com:80/firmware/sip68xx.11-1-0MPP-BN.loads");
  s = Select(guide::kUpgradeTableExample, RuleKind::kUpgrade, v);
  EXPECT_EQ(s.url->port, 69);
  // 1347 (without the guide's trailing prose "where BN==Build Number")
  std::string_view rule1347 = guide::kUpgradeExample2;
  s = Select(rule1347, RuleKind::kUpgrade, v);
  EXPECT_EQ(s.alternative, 0u);
  v.SetParameter("GPP_F", "beta-customer");
  s = Select(rule1347, RuleKind::kUpgrade, v);
  EXPECT_EQ(s.alternative, 1u);
  // The guide's text with its prose left in is rejected, at the prose.
  Result<Rule> prose =
      ParseRule(std::string(rule1347) + " where BN==Build Number", RuleKind::kUpgrade);
  ASSERT_FALSE(prose.ok());
  EXPECT_NE(prose.status().message().find("column 136: unexpected text after the URL"),
            std::string::npos)
      << prose.status().ToString();
  // Assignments are allowed in upgrade rules.
  s = Select("(GPP_P = \"upgrading\")! http://h/x.loads", RuleKind::kUpgrade, v);
  EXPECT_EQ(s.assignments[0], (RuleAssignment{"GPP_P", "upgrading"}));
}

struct ErrorCase {
  const char* rule;
  RuleKind kind;
  const char* message_part;
};

TEST(Rule, ParseErrorsNameThePosition) {
  const ErrorCase cases[] = {
      {"(1 eq 1? http://h/x", RuleKind::kProfile, "column 1: unterminated '('"},
      {"/a | ($(A eq 1)? /b", RuleKind::kProfile, "column 6: unterminated '('"},
      {"[--key a http://h/x", RuleKind::kProfile, "column 1: unterminated '['"},
      {"(\"abc eq 1)? /x", RuleKind::kProfile, "column 2: unterminated '\"'"},
      {"[--key \"abc] /x", RuleKind::kProfile, "column 8: unterminated '\"'"},
      {"(A = \"x)! /x", RuleKind::kProfile, "column 6: unterminated '\"'"},
      {"(1 xx 1)? /x", RuleKind::kProfile,
       "column 2: condition: unknown operator \"xx\" at column 3"},
      {"(\"a\" lt \"b\")? /x", RuleKind::kProfile, "only be compared"},
      {"(1 eq 1) /x", RuleKind::kProfile, "column 10: expected '?' (condition) or '!'"},
      {"( )? /x", RuleKind::kProfile, "column 1: empty condition"},
      {"(A = 1)! (1 eq 1)? /x", RuleKind::kProfile, "must come first"},
      {"(1 eq 1)? (1 eq 1)? /x", RuleKind::kProfile, "must come first"},
      {"(A=1)! (B=2)! /x", RuleKind::kProfile, "more than one assignment"},
      {"(=1)! /x", RuleKind::kProfile, "column 2: expected a parameter name"},
      {"(A 1)! /x", RuleKind::kProfile, "column 4: expected '=' after \"A\""},
      {"(A =)! /x", RuleKind::kProfile, "missing value for \"A\""},
      {"(A = 1 B = 2)! /x", RuleKind::kProfile, "expected ';' between assignments"},
      {"/a | /b", RuleKind::kProfile, "column 1: alternative 1 has no condition"},
      {"(1 eq 1)? /a | /b | /c", RuleKind::kProfile, "column 16: alternative 2 has no condition"},
      {"(1 eq 1)? /a /b", RuleKind::kProfile, "column 14: unexpected text after the URL"},
      {"[--foo x] /a", RuleKind::kProfile, "column 2: unknown option \"--foo\""},
      {"[--key] /a", RuleKind::kProfile, "option \"--key\" needs a value"},
      {"[--key a --key b] /a", RuleKind::kProfile, "option --key given twice"},
      {"[--post z] /a", RuleKind::kProfile, "takes a GPP letter a-p"},
      {"[--alias bb] /a", RuleKind::kProfile, "takes a GPP letter a-p"},
      {"[--key a]", RuleKind::kProfile, "URL options must be followed by a URL"},
      {"ftp://h/a", RuleKind::kProfile, "scheme \"ftp\""},
      {"http://h", RuleKind::kProfile, "no file path"},
      {"/x )", RuleKind::kProfile, "unexpected"},
      {"[--key k] http://h/x.loads", RuleKind::kUpgrade, "not supported in Upgrade_Rule"},
      {"/sip68xx.loads", RuleKind::kUpgrade, "needs a server"},
      {"(1 eq 1)? (A=1)!", RuleKind::kUpgrade, "needs a URL"},
      {"(1 eq 2)? http://h/x |", RuleKind::kUpgrade, "needs a URL"},
  };
  for (const ErrorCase& c : cases) {
    Result<Rule> r = ParseRule(c.rule, c.kind);
    ASSERT_FALSE(r.ok()) << c.rule;
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << c.rule << ": " << r.status().ToString();
  }
  EXPECT_EQ(ParseRule(std::string(9000, 'a'), RuleKind::kProfile).status().code(),
            StatusCode::kLimitExceeded);
}

TEST(Rule, EvaluationErrorsNameTheAlternative) {
  MacroVariables v = testing::GuidePhone();
  const ErrorCase cases[] = {
      {"(1 eq 2)? /a | ($A gt 3)? /b", RuleKind::kProfile, "alternative 2 (column 16)"},
      {"(\"$A\" lt \"x\")? /a", RuleKind::kProfile, "only be compared"},
      {"($SWVER eq \"x\")? /a", RuleKind::kProfile, "cannot compare version"},
      {"http://$A/x", RuleKind::kUpgrade, "needs a server"},
      {"http://h:$A/x", RuleKind::kProfile, "port must be 1-65535"},
  };
  for (const ErrorCase& c : cases) {
    Result<Rule> rule = ParseRule(c.rule, c.kind);
    ASSERT_TRUE(rule.ok()) << c.rule << ": " << rule.status().ToString();
    Result<std::optional<RuleSelection>> r = EvaluateRule(rule.value(), v);
    ASSERT_FALSE(r.ok()) << c.rule;
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << c.rule << ": " << r.status().ToString();
  }
}

TEST(Rule, ParsedStructureKeepsRawText) {
  Result<Rule> r = ParseRule("($A eq 1)? (X = \"$B\")! [--key $SA --post c] http://h/$MA | /d",
                             RuleKind::kProfile);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->alternatives.size(), 2u);
  const RuleAlternative& a = r->alternatives[0];
  EXPECT_EQ(a.offset, 0u);
  EXPECT_EQ(*a.condition, "$A eq 1");
  EXPECT_EQ(a.assignments[0], (RuleAssignment{"X", "$B"}));
  EXPECT_EQ(*a.options.key, "$SA");
  EXPECT_EQ(*a.options.post, 'c');
  EXPECT_EQ(a.url, "http://h/$MA");
  EXPECT_EQ(r->alternatives[1].offset, 59u);
  EXPECT_FALSE(r->alternatives[1].condition);
  EXPECT_EQ(r->alternatives[1].url, "/d");
}

TEST(Rule, FormatSelectionMasksSecrets) {
  MacroVariables v = testing::GuidePhone();
  v.SetParameter("GPP_SB", "MySecretPassword");
  v.SetParameter("GPP_A", "state=$MA");
  RuleSelection s = Select(
      "(1 eq 2)? /a | (Line_Enable_1_ = \"No\";)! [--key k1 --uid u --pwd $SB --post a --alias b] "
      "https://p.tel.com/init-prov",
      RuleKind::kProfile, v);
  EXPECT_EQ(FormatRuleSelection(s),
            "alternative: 2\n"
            "assign: Line_Enable_1_ = \"No\"\n"
            "key: ********\n"
            "uid: u\n"
            "pwd: ********\n"
            "post: GPP_A = \"state=000e08012345\"\n"
            "alias: GPP_B\n"
            "url: https://p.tel.com:443/init-prov\n"
            "scheme: https\n"
            "host: p.tel.com\n"
            "port: 443\n"
            "path: /init-prov\n");
  s = Select(guide::kProfileRuleDefault, RuleKind::kProfile, v);
  EXPECT_NE(FormatRuleSelection(s).find("host: (DHCP option 66)\n"), std::string::npos);
  s = Select("(A = 1)!", RuleKind::kProfile, v);
  EXPECT_EQ(FormatRuleSelection(s), "alternative: 1\nassign: A = \"1\"\nurl: (none)\n");
}

}  // namespace
}  // namespace cwmp::prov
