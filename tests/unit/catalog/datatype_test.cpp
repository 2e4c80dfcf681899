// Data types: every example from the guide's "Data Types" section, valid and invalid.

#include "cwmp/prov/datatype.h"

#include <gtest/gtest.h>

#include <string>

namespace cwmp::prov {
namespace {

struct Case {
  const char* spec;
  const char* value;
  bool valid;
};

// Valid values are the guide's own examples wherever it gives some.
const Case kCases[] = {
    // Bool — "yes" or "no" (Acronyms: also 1 and 0).
    {"Bool", "Yes", true},
    {"Bool", "no", true},
    {"Bool", "1", true},
    {"Bool", "0", true},
    {"Bool", "maybe", false},
    {"Bool", "", false},
    {"Bool", "yes ", false},
    // {a,b,c} — a choice.
    {"{Http,Https}", "Https", true},
    {"{Http,Https}", "http", true},
    {"{Http,Https}", "Ftp", false},
    {"{Http,Https}", "", false},
    {"{Manual|Manual,DHCP|DHCP,Manual}", "Manual,DHCP", true},
    {"{Manual|Manual,DHCP|DHCP,Manual}", "DHCP", false},
    // CadScript: 60(2/4) and 60(.2/.2,.2/.2,.2/.2,1/4).
    {"CadScript", "60(2/4)", true},
    {"CadScript", "60(.2/.2,.2/.2,.2/.2,1/4)", true},
    {"CadScript", "60(2/4);*(1/1)", true},
    {"CadScript", "60(.3/.2,1/.2,.3/4)", true},
    {"CadScript", "60(2/4", false},
    {"CadScript", "60(2)", false},
    {"CadScript", "abc", false},
    {"CadScript", "60(.1234/4)", false},
    {"CadScript", "60(1/1,1/1,1/1,1/1,1/1,1/1,1/1)", false},  // more than 6 segments
    {"CadScript", "1(1/1);1(1/1);1(1/1)", false},             // more than 2 sections
    // FQDN: sip.Cisco.com:5060, 109.12.14.12:12345, sip.Cisco.com, 109.12.14.12.
    {"FQDN", "sip.Cisco.com:5060", true},
    {"FQDN", "109.12.14.12:12345", true},
    {"FQDN", "sip.Cisco.com", true},
    {"FQDN", "109.12.14.12", true},
    {"FQDN", "", true},
    {"FQDN", "sip Cisco.com", false},
    {"FQDN", "sip.Cisco.com:99999", false},
    {"FQDN", "-bad.example.com", false},
    {"FQDN", "a123456789.b123456789.c123456789.d123456789.e123456789.f123456789.com", false},
    // FreqScript: 440@-10 and 350@-19,440@-19.
    {"FreqScript", "440@-10", true},
    {"FreqScript", "350@-19,440@-19", true},
    {"FreqScript", "350@-19 , 440@-19", true},
    {"FreqScript", "440@-10.5", true},
    {"FreqScript", "440", false},
    {"FreqScript", "440@-10.25", false},
    {"FreqScript", "4x0@-10", false},
    {"FreqScript", "1@1,2@1,3@1,4@1,5@1,6@1,7@1", false},  // more than 6 frequencies
    // IP: 10.1.2.100.
    {"IP", "10.1.2.100", true},
    {"IP", "", true},
    {"IP", "10.1.2.256", false},
    {"IP", "10.1.2", false},
    {"IP", "10.1.2.3.4", false},
    {"IP", "a.b.c.d", false},
    // UserID: up to 63 characters as in a URL.
    {"UserID", "4085263127", true},
    {"UserID", "AUN3127", true},
    {"UserID", "a b", false},
    {"UserID", "user@host", false},
    {"UserID", "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu", false},
    // Phone: 14081234567, *69, *72, 345678, 1234@10.10.100:5068, jsmith@Cisco.com.
    {"Phone", "14081234567", true},
    {"Phone", "*69", true},
    {"Phone", "*72", true},
    {"Phone", "345678", true},
    {"Phone", "1234@10.10.100:5068", true},
    {"Phone", "jsmith@Cisco.com", true},
    {"Phone", "408 555 1212", false},
    {"Phone", "1234567890123456789012345678901234567890", false},  // 40 > 39 characters
    // PhTmplt: "1408*, 1510*" and "1408123????, 555?1.".
    {"PhTmplt", "1408*, 1510*", true},
    {"PhTmplt", "1408123????, 555?1.", true},
    {"PhTmplt", "%2a69", true},
    {"PhTmplt", "%2", false},
    {"PhTmplt", "1408,,1510", false},
    {"PhTmplt", "1408*, 1510*, 1650*, 1415*, 1925*, 1707*, 1831*", false},  // > 39
    // Port: 0-65535, decimal or hex.
    {"Port", "5060", true},
    {"Port", "0x13c4", true},
    {"Port", "0", true},
    {"Port", "65535", true},
    {"Port", "65536", false},
    {"Port", "-1", false},
    {"Port", "50a", false},
    // PwrLevel: -13.5 or 1.5.
    {"PwrLevel", "-13.5", true},
    {"PwrLevel", "1.5", true},
    {"PwrLevel", "-13.55", false},
    {"PwrLevel", "loud", false},
    // RscTmplt: "404, 5*", "61?", "407, 408, 487, 481".
    {"RscTmplt", "404, 5*", true},
    {"RscTmplt", "61?", true},
    {"RscTmplt", "407, 408, 487, 481", true},
    {"RscTmplt", "4040", false},
    {"RscTmplt", "40a", false},
    // Sig<n>: decimal or hex, "-" for negatives, "+" optional.
    {"Sig8", "-128", true},
    {"Sig8", "+127", true},
    {"Sig8", "127", true},
    {"Sig8", "0x7f", true},
    {"Sig8", "-0x80", true},
    {"Sig8", "128", false},
    {"Sig8", "-129", false},
    {"Sig16", "--1", false},
    {"Sig16", "abc", false},
    // Star codes: *69, up to 7 characters.
    {"StarCode", "*69", true},
    {"StarCode", "*017110", true},
    {"StarCode", "*0171100", false},
    {"StarCode", "*6a", false},
    {"Star Codes", "*72", true},
    // Str<n>: up to n characters.
    {"Str8", "12345678", true},
    {"Str8", "123456789", false},
    {"Str8", "", true},
    {"Str4", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", true},  // 4 characters, 8 bytes
    {"Str64", "bell\x07", false},
    // Time<n>: seconds; extra decimals are ignored.
    {"Time3", ".5", true},
    {"Time3", "0.030", true},
    {"Time3", "16", true},
    {"Time2", "1.2345", true},
    {"Time3", "-1", false},
    {"Time3", "1s", false},
    // Float<n>: up to n decimals.
    {"Float2", "3.14", true},
    {"Float2", "-3.14", true},
    {"Float2", "3.141", false},
    {"Float2", "pi", false},
    // ToneScript: dial tone and stutter tone examples.
    {"ToneScript", "350@-19,440@-19;10(*/0/1+2)", true},
    {"ToneScript", "350@-19,440@-19;2(.1/.1/1+2);10(*/0/1+2)", true},
    {"ToneScript", "397@-19,507@-19;15(0/2/0,.2/.1/1,.1/2.1/2)", true},
    {"ToneScript", "350@-19,440@-19;10(*/0/1+3)", false},  // component 3 of 2
    {"ToneScript", "350@-19,440@-19", false},
    {"ToneScript", "10(*/0/1)", false},
    {"ToneScript", "350@-19;10(*/0)", false},
    // Uns<n>: 12 or 0x18, as long as it fits.
    {"Uns8", "12", true},
    {"Uns8", "0x18", true},
    {"Uns8", "255", true},
    {"Uns8", "256", false},
    {"Uns16", "65535", true},
    {"Uns16", "65536", false},
    {"Uns32", "4294967295", true},
    {"Uns32", "4294967296", false},
    {"Uns16", "abc", false},
    {"Uns16", "-1", false},
    {"Uns16", "", true},
    {"Uns8", "0x", false},
    // DialPlanScript / ProvisioningRuleSyntax: structure only.
    {"DialPlanScript", "(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxxxx.)", true},
    {"DialPlanScript", "( <9,:>xx.)", true},
    {"DialPlanScript", "(*xx|[34", false},
    {"DialPlanScript", "(xx))", false},
    {"ProvisioningRuleSyntax", "/$PSN.xml", true},
    {"ProvisioningRuleSyntax", "[--key \"$B\"] tftp://192.168.1.5/image/sip68xx.loads", true},
    {"ProvisioningRuleSyntax",
     "(\"$A\" ne \"Provisioned\")? (Line_Enable_1_ = \"No\";)! https://p.tel.com/init-prov", true},
    {"ProvisioningRuleSyntax", "[--key \"$B\" http://x", false},
    // Project types: Resync_Periodic and Resync_At (HHmm) forms from the parameter tables.
    {"DelayList", "3000", true},
    {"DelayList", "600, 1200, 300", true},
    {"DelayList", "2400+30", true},
    {"DelayList", "0", true},
    {"DelayList", "abc", false},
    {"DelayList", "600,,300", false},
    {"DelayList", "2400+", false},
    {"HHmm", "0959", true},
    {"HHmm", "2400", true},
    {"HHmm", "0000", true},
    {"HHmm", "2401", false},
    {"HHmm", "0960", false},
    {"HHmm", "959", false},
};

TEST(DataType, GuideExamples) {
  for (const Case& c : kCases) {
    Result<DataType> type = ParseDataType(c.spec);
    ASSERT_TRUE(type.ok()) << c.spec << ": " << type.status().ToString();
    Status st = ValidateValue(*type, c.value);
    EXPECT_EQ(st.ok(), c.valid) << c.spec << " \"" << c.value << "\": " << st.ToString();
    if (!st.ok()) {
      EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
      EXPECT_FALSE(st.message().empty());
    }
  }
}

TEST(DataType, ParseSpecs) {
  Result<DataType> uns = ParseDataType("Uns16");
  ASSERT_TRUE(uns.ok());
  EXPECT_EQ(uns->kind, TypeKind::kUns);
  EXPECT_EQ(uns->bits, 16u);
  Result<DataType> str = ParseDataType("Str64");
  ASSERT_TRUE(str.ok());
  EXPECT_EQ(str->kind, TypeKind::kStr);
  EXPECT_EQ(str->max_length, 64u);
  Result<DataType> en = ParseDataType("{Yes,No}");
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(en->kind, TypeKind::kEnum);
  EXPECT_EQ(en->choices, (std::vector<std::string>{"Yes", "No"}));
  Result<DataType> piped = ParseDataType("{Voicemail|Voicemail, Missed Call}");
  ASSERT_TRUE(piped.ok());
  EXPECT_EQ(piped->choices, (std::vector<std::string>{"Voicemail", "Voicemail, Missed Call"}));
  Result<DataType> time = ParseDataType("Time3");
  ASSERT_TRUE(time.ok());
  EXPECT_EQ(time->decimals, 3u);
  EXPECT_EQ(TypeKindName(ParseDataType("ToneScript")->kind), "ToneScript");
}

TEST(DataType, RejectsBadSpecs) {
  for (const char* spec :
       {"", "Uns12", "Uns", "Str0", "Strx", "Sig1", "Sig65", "Bogus", "{}", "Time10", "bool"}) {
    Result<DataType> t = ParseDataType(spec);
    EXPECT_FALSE(t.ok()) << spec;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), StatusCode::kParseError) << spec;
    }
  }
}

TEST(DataType, ReasonsNameTheProblem) {
  EXPECT_EQ(ValidateValue(*ParseDataType("Uns32"), "abc").message(), "is not an unsigned integer");
  EXPECT_EQ(ValidateValue(*ParseDataType("Uns8"), "300").message(),
            "does not fit in 8 bits (max 255)");
  EXPECT_EQ(ValidateValue(*ParseDataType("Str4"), "12345").message(),
            "is longer than 4 characters");
  EXPECT_EQ(ValidateValue(*ParseDataType("{Http,Https}"), "Ftp").message(),
            "is not one of Http|Https");
}

TEST(DataType, EmptyRule) {
  for (const char* spec : {"Uns8",
                           "Sig8",
                           "Port",
                           "IP",
                           "FQDN",
                           "UserID",
                           "Phone",
                           "Str8",
                           "Time1",
                           "Float1",
                           "CadScript",
                           "FreqScript",
                           "ToneScript",
                           "PhTmplt",
                           "RscTmplt",
                           "PwrLevel",
                           "StarCode",
                           "DialPlanScript",
                           "ProvisioningRuleSyntax",
                           "DelayList",
                           "HHmm"}) {
    EXPECT_TRUE(ValidateValue(*ParseDataType(spec), "").ok()) << spec;
  }
  EXPECT_FALSE(ValidateValue(*ParseDataType("Bool"), "").ok());
  EXPECT_FALSE(ValidateValue(*ParseDataType("{a,b}"), "").ok());
  EXPECT_TRUE(ValidateValue(*ParseDataType("{a,,b}"), "").ok());
}

}  // namespace
}  // namespace cwmp::prov
