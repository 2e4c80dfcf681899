// Macro expansion: every example of the guide's "Macro Expansion" (lines 892-921), "General
// Purpose Parameters" (1135-1150), "Macro Expansion Variables" (2618-2680) and the URL
// examples that carry macros (998-1006, 2038, 2096, 2106, 2559).
#include "cwmp/prov/macro.h"

#include <gtest/gtest.h>

#include "guide_examples.h"
#include "test_context.h"

namespace cwmp::prov {
namespace {

struct ExpandCase {
  std::string_view text;
  const char* expected;
  MacroScope scope = MacroScope::kGeneral;
};

MacroVariables Phone() {
  MacroVariables v = testing::GuidePhone();
  EXPECT_TRUE(v.SetParameter("GPP_A", "ABCDEF"));
  EXPECT_TRUE(v.SetParameter("GPP_B", "123"));
  EXPECT_TRUE(v.SetParameter("GPP_D", "dir"));
  EXPECT_TRUE(v.SetParameter("GPP_E", "file"));
  EXPECT_TRUE(v.SetParameter("GPP_SA", "MyUserID"));
  EXPECT_TRUE(v.SetParameter("GPP_SB", "MySecretPassword"));
  return v;
}

TEST(Macro, GuideExamples) {
  const ExpandCase cases[] = {
      // guide 907-909 (the "$ (MAU)" space is a typesetting artifact)
      {"$(MAU)config.cfg", "000E08012345config.cfg"},
      // 913-915: an unknown name stays as written
      {guide::kStrangeMau, "$STRANGE000E08012345.cfg"},
      // 917: no recursion, "$$" is one '$'
      {guide::kDollarDollarMau, "$MAU"},
      // 2631: substrings
      {guide::kSubstringFrom, "CDEF"},
      {guide::kSubstringFromLength, "CDE"},
      // 998-1006
      {guide::kUrlMa, "/000e08012345.cfg"},
      {guide::kUrlTftp, "tftp://prov.call.com/cpe/cisco000e08012345.cfg"},
      {guide::kUrlHttpPort, "http://neptune.speak.net:8080/prov/dir/file.cfg"},
      // 1311
      {"https://p.tel.com/account/$PN$MA.xml",
       "https://p.tel.com/account/CP-6841-3PCC000e08012345.xml"},
      // 2038, 2096, 2106
      {guide::kUrlTftpPn, "tftp://192.168.1.200/CP-6841-3PCC000e08012345.cfg"},
      {guide::kUrlTftpPort, "tftp://prov.telco.com:6900/cisco/config/CP-6841-3PCC.cfg"},
      {guide::kUrlTftpGpp, "tftp://prov.telco.com/cisco/123/000e08012345.cfg"},
      // 2559, 2967: Profile_Rule default and a variant; PSN derives from PN
      {guide::kProfileRuleDefault, "/6841-3PCC.xml"},
      {"/$PSN-a.xml", "/6841-3PCC-a.xml"},
      // 2566, 2572
      {guide::kLogRequestDefault, "CP-6841-3PCC 00:0e:08:01:23:45 -Requesting"},
      {guide::kLogFailureDefault, "CP-6841-3PCC 00:0e:08:01:23:45 Resync failed: "},
      // 1062-1070: $SA-$SD only as --key/--uid/--pwd arguments
      {"$SA", "$SA"},
      {"$(SB)", "$(SB)"},
      {"$SA", "MyUserID", MacroScope::kCredential},
      {"$(SB:2:6)", "Secret", MacroScope::kCredential},
      {"$SC", "", MacroScope::kCredential},
  };
  MacroVariables v = Phone();
  for (const ExpandCase& c : cases) {
    EXPECT_EQ(ExpandMacros(c.text, v, c.scope), c.expected) << c.text;
  }
}

TEST(Macro, GppConcatenation) {
  // guide 1150: GPP_A = ABC and GPP_B = 123 make $A$B expand into ABC123.
  MacroVariables v;
  v.SetParameter("GPP_A", "ABC");
  v.SetParameter("GPP_B", "123");
  EXPECT_EQ(ExpandMacros(guide::kGppConcat, v), "ABC123");
}

TEST(Macro, EdgeCases) {
  const ExpandCase cases[] = {
      {"", ""},
      {"no macros here", "no macros here"},
      {"$", "$"},
      {"a$", "a$"},
      {"$$", "$"},
      {"$$$$", "$$"},
      {"$$$A", "$ABCDEF"},
      {"$a", "$a"},  // names are upper case
      {"$1", "$1"},
      {"$ A", "$ A"},
      {"$(", "$("},
      {"$()", "$()"},
      {"$(A", "$(A"},
      {"$(A:", "$(A:"},
      {"$(A:x)", "$(A:x)"},
      {"$(A:1:)", "$(A:1:)"},
      {"$(A:1:2:3)", "$(A:1:2:3)"},
      {"$(a)", "$(a)"},
      {"$(STRANGE)", "$(STRANGE)"},
      {"$(STRANGE:1:2)x", "$(STRANGE:1:2)x"},
      {"$(A)", "ABCDEF"},
      {"$(A:0)", "ABCDEF"},
      {"$(A:0:0)", ""},
      {"$(A:6)", ""},
      {"$(A:99999999999999999999999999)", ""},
      {"$(A:5:99999999999999999999999)", "F"},
      {"$AB", "$AB"},  // greedy: AB is not a variable
      {"$A.b", "ABCDEF.b"},
      {"$A_b", "ABCDEF_b"},
      {"$Q", "$Q"},  // GPP letters stop at P
      {"$P", ""},    // recognised, empty
      {"$UID0", "$UID0"},
      {"$UID1", ""},
      {"$GPP_A", "$GPP_A"},
  };
  MacroVariables v = Phone();
  for (const ExpandCase& c : cases) {
    EXPECT_EQ(ExpandMacros(c.text, v, c.scope), c.expected) << c.text;
  }
}

TEST(Macro, NoRecursion) {
  MacroVariables v;
  v.SetParameter("GPP_A", "$B");
  v.SetParameter("GPP_B", "bee");
  v.SetParameter("GPP_C", "$(B)$$");
  EXPECT_EQ(ExpandMacros("$A", v), "$B");
  EXPECT_EQ(ExpandMacros("$C", v), "$(B)$$");
}

TEST(Macro, EveryVariableOfTheTable) {
  MacroVariables v;
  ASSERT_TRUE(v.SetMac("00:0E:08:AA:BB:CC").ok());
  struct Var {
    const char* name;
    const char* value;
  };
  const Var vars[] = {
      {"PN", "CP-6841-3PCC"},
      {"PSN", "6841-3PCC"},
      {"SN", "88012BA01234"},
      {"CCERT", "Not Installed"},
      {"IP", "192.168.1.100"},
      {"EXTIP", "66.43.16.52"},
      {"SWVER", "sip68xx.11-0-1MPP"},
      {"HWVER", "2.0.1"},
      {"PRVST", "-1"},
      {"UPGST", "2"},
      {"UPGERR", "http_get failed"},
      {"PRVTMR", "601"},
      {"UPGTMR", "301"},
      {"REGTMR1", "11"},
      {"REGTMR2", "12"},
      {"UPGCOND", "legacy"},
      {"SCHEME", "https"},
      {"SERV", "prov.example.com"},
      {"SERVIP", "10.0.0.1"},
      {"PORT", "443"},
      {"PATH", "/cfg.xml"},
      {"ERR", "ok"},
      {"UID1", "1001"},
      {"UID2", "1002"},
      {"EMS", "Logged In"},
      {"MUID", "alice"},
      {"MPWD", "pw"},
      {"A", "a"},
      {"P", "p"},
      {"SA", "sa"},
      {"SD", "sd"},
  };
  for (const Var& var : vars) {
    ASSERT_TRUE(v.Set(var.name, var.value).ok()) << var.name;
    EXPECT_TRUE(MacroVariables::IsVariableName(var.name)) << var.name;
  }
  EXPECT_EQ(ExpandMacros("$MA", v), "000e08aabbcc");
  EXPECT_EQ(ExpandMacros("$MAU", v), "000E08AABBCC");
  EXPECT_EQ(ExpandMacros("$MAC", v), "00:0e:08:aa:bb:cc");
  for (const Var& var : vars) {
    std::string expr = std::string("<$(") + var.name + ")>";
    EXPECT_EQ(ExpandMacros(expr, v, MacroScope::kCredential), std::string("<") + var.value + ">")
        << var.name;
  }
  // The Log_Success_Msg default (guide 2568).
  EXPECT_EQ(ExpandMacros(guide::kLogSuccessDefault, v),
            "CP-6841-3PCC 00:0e:08:aa:bb:cc -Successful Resync % https://10.0.0.1:443/cfg.xml ok");
}

TEST(Macro, RecognisedButUnsetExpandsToEmpty) {
  MacroVariables v;
  EXPECT_EQ(ExpandMacros("[$EXTIP][$PSN][$UID7][$SWVER]", v), "[][][][]");
  EXPECT_EQ(ExpandMacros("[$EXTIPX]", v), "[$EXTIPX]");
}

TEST(Macro, SetMacForms) {
  const char* good[] = {"000e08aabbcc", "000E08AABBCC", "00:0e:08:aa:bb:cc", "00-0E-08-AA-BB-CC"};
  for (const char* mac : good) {
    MacroVariables v;
    ASSERT_TRUE(v.SetMac(mac).ok()) << mac;
    EXPECT_EQ(ExpandMacros("$MA $MAU $MAC", v), "000e08aabbcc 000E08AABBCC 00:0e:08:aa:bb:cc");
  }
  const char* bad[] = {"",
                       "000e08aabb",
                       "000e08aabbccdd",
                       "000e08aabbcg",
                       ":000e08aabbcc",
                       "000e08aabbcc:",
                       "0:00e08aabbcc"};
  for (const char* mac : bad) {
    MacroVariables v;
    Status s = v.SetMac(mac);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << mac;
    EXPECT_EQ(ExpandMacros("$MA", v), "") << mac;
  }
  MacroVariables v;
  EXPECT_TRUE(v.Set("MAC", "00:0e:08:aa:bb:cc").ok());
  EXPECT_EQ(ExpandMacros("$MAU", v), "000E08AABBCC");
}

TEST(Macro, SetRejectsUnknownNames) {
  MacroVariables v;
  for (const char* name : {"STRANGE", "Q", "SE", "UID0", "UID100", "ma", "", "GPP_A"}) {
    EXPECT_EQ(v.Set(name, "x").code(), StatusCode::kInvalidArgument) << name;
  }
}

TEST(Macro, SetParameterMapsPhoneParameters) {
  MacroVariables v;
  EXPECT_TRUE(v.SetParameter("GPP_P", "p"));
  EXPECT_TRUE(v.SetParameter("GPP_SD", "sd"));
  EXPECT_TRUE(v.SetParameter("User_ID_3_", "1003"));
  EXPECT_FALSE(v.SetParameter("GPP_Q", "q"));
  EXPECT_FALSE(v.SetParameter("GPP_SE", "q"));
  EXPECT_FALSE(v.SetParameter("Resync_Periodic", "3600"));
  EXPECT_FALSE(v.SetParameter("User_ID_0_", "x"));
  EXPECT_FALSE(v.SetParameter("User_ID__", "x"));
  EXPECT_EQ(ExpandMacros("$P $UID3", v), "p 1003");
  EXPECT_EQ(ExpandMacros("$SD", v, MacroScope::kCredential), "sd");
}

TEST(Macro, ExplicitPsnWinsOverDerived) {
  MacroVariables v;
  (void)v.Set("PN", "CP-6841-3PCC");
  EXPECT_EQ(ExpandMacros("$PSN", v), "6841-3PCC");
  (void)v.Set("PSN", "6841");
  EXPECT_EQ(ExpandMacros("$PSN", v), "6841");
}

// A caller-supplied context: only the names it knows are expanded.
class OneVariable : public MacroContext {
 public:
  std::optional<std::string_view> Lookup(std::string_view name) const override {
    if (name == "X") return std::string_view("x");
    return std::nullopt;
  }
};

TEST(Macro, CustomContext) {
  OneVariable ctx;
  EXPECT_EQ(ExpandMacros("$X$(X:0:1)$MA$(X:1)", ctx), "xx$MA");
}

TEST(Macro, AppendKeepsExistingText) {
  MacroVariables v = Phone();
  std::string out = "prefix:";
  ExpandMacrosAppend("$B", v, MacroScope::kGeneral, &out);
  EXPECT_EQ(out, "prefix:123");
}

}  // namespace
}  // namespace cwmp::prov
