// SerializeFlatProfile: exact output, options, and serialize -> parse round trips.

#include <gtest/gtest.h>

#include <string>

#include "cwmp/prov/flat_profile.h"
#include "test_util.h"

namespace cwmp::prov {
namespace {

using testing::ReadProfileFile;

ProfileElement El(std::string name, std::optional<std::string> value,
                  std::optional<Access> ua = {}) {
  ProfileElement e;
  e.name = std::move(name);
  e.value = std::move(value);
  e.ua = ua;
  return e;
}

void ExpectSameContent(const FlatProfile& a, const FlatProfile& b) {
  ASSERT_EQ(a.elements.size(), b.elements.size());
  for (size_t i = 0; i < a.elements.size(); ++i) {
    EXPECT_TRUE(a.elements[i].SameContent(b.elements[i]))
        << testing::Describe(a.elements[i]) << " vs " << testing::Describe(b.elements[i]);
  }
}

TEST(SerializeTest, ExactOutput) {
  FlatProfile profile;
  profile.elements = {El("Resync_Periodic", "7200", Access::kNa),
                      El("Station_Name", {}, Access::kRo), El("GPP_A", ""),
                      El("GPP_B", "", Access::kRw),
                      El("Dial_Plan_1_", "(S0 <:18005551212>) & 'x' \"y\"")};
  EXPECT_EQ(SerializeFlatProfile(profile),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<flat-profile>\n"
            "  <Resync_Periodic ua=\"na\">7200</Resync_Periodic>\n"
            "  <Station_Name ua=\"ro\"/>\n"
            "  <GPP_A></GPP_A>\n"
            "  <GPP_B ua=\"rw\"></GPP_B>\n"
            "  <Dial_Plan_1_>(S0 &lt;:18005551212&gt;) &amp; 'x' \"y\"</Dial_Plan_1_>\n"
            "</flat-profile>\n");
}

TEST(SerializeTest, DeviceWrapperWithoutDeclaration) {
  FlatProfile profile;
  profile.elements = {El("A", "1")};
  SerializeOptions options;
  options.xml_declaration = false;
  options.device_wrapper = true;
  EXPECT_EQ(SerializeFlatProfile(profile, options),
            "<device>\n<flat-profile>\n  <A>1</A>\n</flat-profile>\n</device>\n");
}

TEST(SerializeTest, WithoutUaDropsAccessOnlyElements) {
  FlatProfile profile;
  profile.elements = {El("A", "1", Access::kRo), El("B", {}, Access::kRw),
                      El("C", "", Access::kNa)};
  SerializeOptions options;
  options.xml_declaration = false;
  options.include_ua = false;
  EXPECT_EQ(SerializeFlatProfile(profile, options),
            "<flat-profile>\n  <A>1</A>\n  <C></C>\n</flat-profile>\n");
}

TEST(SerializeTest, SecretsOmittedByDefault) {
  FlatProfile profile;
  profile.elements = {El("Admin_Password", "hunter2", Access::kNa), El("User_Password", "pw"),
                      El("Station_Name", "Lobby")};
  SerializeOptions options;
  options.xml_declaration = false;
  options.is_secret = [](std::string_view name) { return name.ends_with("_Password"); };
  std::string out = SerializeFlatProfile(profile, options);
  EXPECT_EQ(out,
            "<flat-profile>\n  <Admin_Password ua=\"na\"/>\n  <Station_Name>Lobby</Station_Name>\n"
            "</flat-profile>\n");
  EXPECT_EQ(out.find("hunter2"), std::string::npos);
}

TEST(SerializeTest, SecretsMasked) {
  FlatProfile profile;
  profile.elements = {El("Admin_Password", "hunter2", Access::kNa), El("User_Password", "pw")};
  SerializeOptions options;
  options.xml_declaration = false;
  options.is_secret = [](std::string_view name) { return name.ends_with("_Password"); };
  options.secret_mode = SerializeOptions::SecretMode::kMask;
  EXPECT_EQ(SerializeFlatProfile(profile, options),
            "<flat-profile>\n  <Admin_Password ua=\"na\">********</Admin_Password>\n"
            "  <User_Password>********</User_Password>\n</flat-profile>\n");
}

struct TextCase {
  const char* name;
  std::string value;
  std::string written;  // between the tags
};
void PrintTo(const TextCase& c, std::ostream* os) { *os << c.name; }

class SerializeTextTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(SerializeTextTest, Escaped) {
  FlatProfile profile;
  profile.elements = {El("A", GetParam().value)};
  SerializeOptions options;
  options.xml_declaration = false;
  EXPECT_EQ(SerializeFlatProfile(profile, options),
            "<flat-profile>\n  <A>" + GetParam().written + "</A>\n</flat-profile>\n");
}

const TextCase kTextCases[] = {
    {"plain", "abc", "abc"},
    {"markup", "<&>", "&lt;&amp;&gt;"},
    {"cdata_end", "]]>", "]]&gt;"},
    {"tab_kept", "a\tb", "a\tb"},
    {"controls_become_spaces", std::string("a\x01\nb\0c", 6), "a  b c"},
    {"utf8_kept", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"},
    {"invalid_byte",
     "a\xFF"
     "b",
     "a\xEF\xBF\xBD"
     "b"},
    {"truncated_sequence", "a\xE2\x82", "a\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"overlong", "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"surrogate", "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"non_character", "\xEF\xBF\xBF", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
};

INSTANTIATE_TEST_SUITE_P(Text, SerializeTextTest, ::testing::ValuesIn(kTextCases),
                         [](const auto& info) { return std::string(info.param.name); });

class RoundTripFileTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RoundTripFileTest, SerializeThenParseGivesSameElements) {
  Result<FlatProfile> first = ParseFlatProfile(ReadProfileFile(GetParam()));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  for (bool device : {false, true}) {
    SerializeOptions options;
    options.device_wrapper = device;
    std::string text = SerializeFlatProfile(*first, options);
    Result<FlatProfile> second = ParseFlatProfile(text);
    ASSERT_TRUE(second.ok()) << second.status().ToString() << "\n" << text;
    ExpectSameContent(*first, *second);
    // Serializing is stable: the second text equals the first.
    EXPECT_EQ(SerializeFlatProfile(*second, options), text);
  }
}

INSTANTIATE_TEST_SUITE_P(Files, RoundTripFileTest,
                         ::testing::Values("open_profile_example.xml", "activation_code_device.xml",
                                           "speed_dial_ua_only.xml", "user_access.xml",
                                           "empty_values.xml", "dial_plan_escapes.xml",
                                           "gpp_multiline.xml", "layer_base.xml",
                                           "layer_override.xml", "system_sample.xml"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '.') c = '_';
                           }
                           return name;
                         });

TEST(RoundTripTest, AwkwardValues) {
  FlatProfile profile;
  profile.elements = {El("A", "x&amp;y"),       El("B", "<![CDATA[x]]>"), El("C", "-->"),
                      El("D", "a  b\tc"),       El("E", "\"\"x"),         El("F", "&#65;"),
                      El("G", "", Access::kRo), El("H", {}, Access::kNa), El("A", "again")};
  Result<FlatProfile> parsed = ParseFlatProfile(SerializeFlatProfile(profile));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ExpectSameContent(profile, *parsed);
}

TEST(RoundTripTest, ValuesTheFormatCannotCarryComeBackNormalised) {
  FlatProfile profile;
  profile.elements = {El("A", "  padded "), El("B", "two\nlines"), El("C", "\"\"")};
  Result<FlatProfile> parsed = ParseFlatProfile(SerializeFlatProfile(profile));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->elements.size(), 3u);
  EXPECT_EQ(parsed->elements[0].value, "padded");
  EXPECT_EQ(parsed->elements[1].value, "two lines");
  EXPECT_EQ(parsed->elements[2].value, "");
}

}  // namespace
}  // namespace cwmp::prov
