// ParseFlatProfile: the rules of the guide's "Provisioning Formats" chapter, one row each.

#include <gtest/gtest.h>

#include "cwmp/prov/flat_profile.h"
#include "test_util.h"

namespace cwmp::prov {
namespace {

using testing::ExpectElements;
using testing::ReadProfileFile;
using testing::Want;

constexpr auto kNa = Access::kNa;
constexpr auto kRo = Access::kRo;
constexpr auto kRw = Access::kRw;

struct RuleCase {
  const char* rule;
  std::string xml;
  std::vector<Want> want;
};
void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.rule; }

class ParseRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(ParseRuleTest, Elements) {
  const RuleCase& c = GetParam();
  Result<FlatProfile> parsed = ParseFlatProfile(c.xml);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ExpectElements(*parsed, c.want);
}

const RuleCase kRuleCases[] = {
    {"value_trimmed",  // String Formats: leading/trailing white space removed
     "<flat-profile>\n<Resync_Periodic> 7200 </Resync_Periodic>\n</flat-profile>",
     {{"Resync_Periodic", "7200", {}, 2, 1}}},
    {"tabs_and_newlines_trimmed",
     "<flat-profile><GPP_A>\n\t  12345678\n  \t</GPP_A></flat-profile>",
     {{"GPP_A", "12345678", {}, 1, 15}}},
    {"newline_inside_value_becomes_space",
     "<flat-profile><GPP_D>a\nb\r\nc</GPP_D></flat-profile>",
     {{"GPP_D", "a b c", {}}}},
    {"inner_spaces_kept",
     "<flat-profile><IP_Mode>Dual  Mode</IP_Mode></flat-profile>",
     {{"IP_Mode", "Dual  Mode", {}}}},
    {"ua_absent_keeps_access", "<flat-profile><A>1</A></flat-profile>", {{"A", "1", {}}}},
    {"ua_na_ro_rw",
     "<flat-profile><A ua=\"na\">1</A><B ua=\"ro\">2</B><C ua=\"rw\">3</C></flat-profile>",
     {{"A", "1", kNa}, {"B", "2", kRo}, {"C", "3", kRw}}},
    {"ua_single_quotes_are_xml",
     "<flat-profile><A ua='ro'>1</A></flat-profile>",
     {{"A", "1", kRo}}},
    {"ua_only_empty_element_tag",
     "<flat-profile><Station_Name ua=\"ro\"/></flat-profile>",
     {{"Station_Name", std::nullopt, kRo, 1, 15}}},
    {"ua_only_with_space_before_slash",
     "<flat-profile><Station_Name ua=\"rw\" /></flat-profile>",
     {{"Station_Name", std::nullopt, kRw}}},
    {"empty_element_tag_sets_empty",
     "<flat-profile><Profile_Rule_B /></flat-profile>",
     {{"Profile_Rule_B", "", {}}}},
    {"open_close_sets_empty", "<flat-profile><GPP_A></GPP_A></flat-profile>", {{"GPP_A", "", {}}}},
    {"open_close_with_ua_sets_empty_and_access",
     "<flat-profile><GPP_A ua=\"na\"></GPP_A></flat-profile>",
     {{"GPP_A", "", kNa}}},
    {"white_space_only_is_empty",
     "<flat-profile><GPP_A>\n   \n</GPP_A></flat-profile>",
     {{"GPP_A", "", {}}}},
    {"quoted_empty_string_is_empty",
     "<flat-profile><GPP_A> \"\" </GPP_A></flat-profile>",
     {{"GPP_A", "", {}}}},
    {"quotes_inside_a_value_kept",
     "<flat-profile><GPP_A>\"\"x</GPP_A></flat-profile>",
     {{"GPP_A", "\"\"x", {}}}},
    {"xml_escapes",
     "<flat-profile><A>&amp;&lt;&gt;&apos;&quot;</A></flat-profile>",
     {{"A", "&<>'\"", {}}}},
    {"numeric_escapes",
     "<flat-profile><A>&#x41;&#65;&#x28;&#41;</A></flat-profile>",
     {{"A", "AA()", {}}}},
    {"numeric_escape_newline_becomes_space",
     "<flat-profile><A>a&#10;b</A></flat-profile>",
     {{"A", "a b", {}}}},
    {"escapes_in_ua_attribute",
     "<flat-profile><A ua=\"r&#119;\">1</A></flat-profile>",
     {{"A", "1", kRw}}},
    {"cdata_section",
     "<flat-profile><A><![CDATA[(<:1>)]]></A></flat-profile>",
     {{"A", "(<:1>)", {}}}},
    {"comments_ignored",
     "<!-- head -->\n<flat-profile>\n<!-- My comment is typed here -->\n<A>1<!-- in -->2</A>\n"
     "<!-- <B ua=\"na\"/> -->\n</flat-profile>\n<!-- tail -->",
     {{"A", "12", {}, 4, 1}}},
    {"xml_declaration_ignored",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile><A>1</A></flat-profile>",
     {{"A", "1", {}, 2, 15}}},
    {"declaration_encoding_utf8_spellings",
     "<?xml version='1.0' encoding='utf8' standalone='yes'?><flat-profile><A>1</A></flat-profile>",
     {{"A", "1", {}}}},
    {"processing_instruction_ignored",
     "<flat-profile><?app x?><A>1</A></flat-profile>",
     {{"A", "1", {}}}},
    {"utf8_bom_accepted",
     "\xEF\xBB\xBF<flat-profile><A>1</A></flat-profile>",
     {{"A", "1", {}, 1, 15}}},
    {"utf8_value_kept",
     "<flat-profile><Station_Name>Caf\xC3\xA9</Station_Name></flat-profile>",
     {{"Station_Name", "Caf\xC3\xA9", {}}}},
    {"columns_count_characters",
     "<flat-profile><A>\xC3\xA9</A><B>1</B></flat-profile>",
     {{"A", "\xC3\xA9", {}, 1, 15}, {"B", "1", {}, 1, 23}}},
    {"duplicates_kept_in_order",
     "<flat-profile>\n<GPP_A>1</GPP_A>\n<GPP_B>x</GPP_B>\n<GPP_A>2</GPP_A>\n</flat-profile>",
     {{"GPP_A", "1", {}, 2, 1}, {"GPP_B", "x", {}, 3, 1}, {"GPP_A", "2", {}, 4, 1}}},
    {"names_are_case_sensitive",
     "<flat-profile><gpp_a>1</gpp_a><GPP_A>2</GPP_A></flat-profile>",
     {{"gpp_a", "1", {}}, {"GPP_A", "2", {}}}},
    {"names_with_dash_and_dot",
     "<flat-profile><Phone-UI-User-Mode>No</Phone-UI-User-Mode>"
     "<Enable_802.1X_Authentication>No</Enable_802.1X_Authentication></flat-profile>",
     {{"Phone-UI-User-Mode", "No", {}}, {"Enable_802.1X_Authentication", "No", {}}}},
    {"other_attributes_ignored",
     "<flat-profile><A note=\"x\" ua=\"ro\">1</A></flat-profile>",
     {{"A", "1", kRo}}},
    {"text_between_parameters_ignored",
     "<flat-profile>available options: AUTO|10 HALF<A>1</A>stray</flat-profile>",
     {{"A", "1", {}}}},
    {"device_wrapper",
     "<device>\n<flat-profile>\n<A>1</A>\n</flat-profile>\n</device>",
     {{"A", "1", {}, 3, 1}}},
    {"device_other_children_skipped",
     "<device><deviceProtocol>SIP<x><y>1</y></x></deviceProtocol>"
     "<flat-profile><A>1</A></flat-profile><other/></device>",
     {{"A", "1", {}}}},
    {"device_two_flat_profiles",
     "<device><flat-profile><A>1</A></flat-profile><flat-profile><A>2</A></flat-profile></device>",
     {{"A", "1", {}}, {"A", "2", {}}}},
    {"default_namespace_ignored",
     "<flat-profile xmlns=\"urn:x\"><A>1</A></flat-profile>",
     {{"A", "1", {}}}},
    {"empty_flat_profile", "<flat-profile/>", {}},
    {"empty_device", "<device></device>", {}},
    {"attribute_on_new_line",
     "<flat-profile>\n<A\n ua=\"rw\"\n/><B>2</B></flat-profile>",
     {{"A", std::nullopt, kRw, 2, 1}, {"B", "2", {}, 4, 3}}},
    {"crlf_line_ends",
     "<flat-profile>\r\n<A> 1\r\n2 </A>\r\n<B>3</B>\r\n</flat-profile>\r\n",
     {{"A", "1 2", {}, 2, 1}, {"B", "3", {}, 4, 1}}},
};

INSTANTIATE_TEST_SUITE_P(Rules, ParseRuleTest, ::testing::ValuesIn(kRuleCases),
                         [](const auto& info) { return std::string(info.param.rule); });

// The guide's own examples, as files under tests/data/profiles.
struct FileCase {
  const char* file;
  std::vector<Want> want;
};
void PrintTo(const FileCase& c, std::ostream* os) { *os << c.file; }

class GuideExampleTest : public ::testing::TestWithParam<FileCase> {};

TEST_P(GuideExampleTest, Elements) {
  const FileCase& c = GetParam();
  Result<FlatProfile> parsed = ParseFlatProfile(ReadProfileFile(c.file));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ExpectElements(*parsed, c.want);
}

std::vector<Want> SpeedDialWant() {
  std::vector<Want> want;
  int line = 2;
  for (int n = 2; n <= 9; ++n) {
    for (const char* part : {"Name", "Number"}) {
      want.push_back(
          {"Speed_Dial_" + std::to_string(n) + "_" + part, std::nullopt, kRw, line++, 1});
    }
  }
  return want;
}

const FileCase kFileCases[] = {
    // Guide lines 645-649, "Example: Open Profile Format".
    {"open_profile_example.xml",
     {{"Resync_On_Reset", "Yes", {}, 2, 1},
      {"Resync_Periodic", "7200", {}, 3, 1},
      {"Profile_Rule", "tftp://prov.telco.com:6900/cisco/config/CP_xxxx_MPP.cfg", {}, 4, 1}}},
    // Guide lines 497-508, activation code onboarding (<device> wrapper, declaration).
    {"activation_code_device.xml",
     {{"Profile_Rule", "gds://", kNa, 5, 1},
      {"Upgrade_Enable", "yes", kNa, 7, 1},
      {"Upgrade_Error_Retry_Delay", "3600", kNa, 8, 1},
      {"Upgrade_Rule", "http://192.0.2.10/sip88xx.11-2-3MSR1-1.loads", kNa, 9, 1}}},
    // Guide lines 694-712: empty element tags with ua keep the user's speed dials.
    {"speed_dial_ua_only.xml", SpeedDialWant()},
    // Guide lines 744-749, "User Access Attribute".
    {"user_access.xml",
     {{"SIP_TOS_DiffServ_Value_1_", std::nullopt, kNa, 2, 3},
      {"Dial_Plan_1_", std::nullopt, kRo, 3, 3},
      {"Dial_Plan_2_", std::nullopt, kRw, 4, 3}}},
    // Guide lines 703-724 (<Profile_Rule_B />, empty GPP_A) and 1515 ("").
    {"empty_values.xml",
     {{"Profile_Rule_B", "", {}, 2, 1}, {"GPP_A", "", {}, 3, 1}, {"GPP_B", "", {}, 5, 1}}},
    // Guide lines 805-810: escapes in a dial plan.
    {"dial_plan_escapes.xml", {{"Dial_Plan_1_", "(S0 <:18005551212>)", {}, 2, 1}}},
    // Guide lines 2237-2242: a multi-line GPP_D value from a CGI script.
    {"gpp_multiline.xml", {{"GPP_D", "OU=Engineering, L=San Jose, S=CA", {}, 1, 15}}},
    // Guide line 2698 on, "XML Open Format Sample" (names repaired).
    {"system_sample.xml",
     {{"Restricted_Access_Domains", std::nullopt, kNa, 6, 1},
      {"Enable_Web_Server", "Yes", kNa, 7, 1},
      {"Enable_Protocol", "Http", kNa, 8, 1},
      {"Enable_Direct_Action_Url", "Yes", kNa, 10, 1},
      {"Session_Max_Timeout", "3600", kNa, 11, 1},
      {"Session_Idle_Timeout", "3600", kNa, 12, 1},
      {"Web_Server_Port", "80", kNa, 13, 1},
      {"Enable_Web_Admin_Access", "Yes", kNa, 14, 1},
      {"Phone-UI-readonly", "No", kNa, 17, 1},
      {"Phone-UI-User-Mode", "No", kNa, 18, 1},
      {"User_Password_Prompt", "Yes", kNa, 19, 1},
      {"Block_Nonproxy_SIP", "No", kNa, 20, 1},
      {"IP_Mode", "Dual Mode", kRw, 22, 1},
      {"Connection_Type", "DHCP", kRw, 24, 1},
      {"Static_IP", std::nullopt, kRw, 25, 1},
      {"NetMask", std::nullopt, kRw, 26, 1},
      {"Enable_802.1X_Authentication", "No", kRw, 27, 1},
      {"DNS_Server_Order", "Manual,DHCP", kNa, 28, 1},
      {"Enable_LLDP-MED", "Yes", kNa, 29, 1},
      {"Network_Startup_Delay", "3", kNa, 30, 1},
      {"Security_Mode_1_", "Auto", kRw, 31, 1},
      {"Syslog_Identifier", "$MA", kNa, 32, 1}}},
};

INSTANTIATE_TEST_SUITE_P(Guide, GuideExampleTest, ::testing::ValuesIn(kFileCases),
                         [](const auto& info) {
                           std::string name = info.param.file;
                           for (char& c : name) {
                             if (c == '.') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace cwmp::prov
