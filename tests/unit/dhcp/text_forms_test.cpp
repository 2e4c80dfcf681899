// Every accepted textual form of an option value, and the ways each one is rejected.
#include <gtest/gtest.h>

#include "cwmp/dhcp/options.h"

namespace cwmp::dhcp {
namespace {

struct FormCase {
  const char* name;
  std::string text;
  TextForm form;
  Bytes want;
};

class TextFormOk : public ::testing::TestWithParam<FormCase> {};

TEST_P(TextFormOk, Decodes) {
  const FormCase& c = GetParam();
  auto r = DecodeOptionText(c.text, c.form, "option 43");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Table, TextFormOk,
    ::testing::Values(
        FormCase{"plain_hex_lower", "010f68", TextForm::kHex, {0x01, 0x0f, 0x68}},
        FormCase{"plain_hex_upper", "0A0B", TextForm::kHex, {0x0a, 0x0b}},
        // ISC dhclient prints bytes with %x: one digit below 0x10.
        FormCase{"colon_hex_isc", "1:f:68:0", TextForm::kColonHex, {0x01, 0x0f, 0x68, 0x00}},
        FormCase{"colon_hex_two_digit", "01:0f:FF", TextForm::kColonHex, {0x01, 0x0f, 0xff}},
        FormCase{"escaped_octal", "a\\042b", TextForm::kEscaped, {'a', '"', 'b'}},
        FormCase{"escaped_char", "\\$x\\\\y", TextForm::kEscaped, {'$', 'x', '\\', 'y'}},
        FormCase{"escaped_nul_and_high", "\\000\\377", TextForm::kEscaped, {0x00, 0xff}},
        FormCase{"ip_list_space",
                 "10.0.0.1 192.168.1.2",
                 TextForm::kIpList,
                 {10, 0, 0, 1, 192, 168, 1, 2}},
        FormCase{
            "ip_list_comma", "10.0.0.1, 0.0.0.0", TextForm::kIpList, {10, 0, 0, 1, 0, 0, 0, 0}},
        FormCase{"literal", "a\\0", TextForm::kLiteral, {'a', '\\', '0'}},
        FormCase{"auto_colon", "1:2", TextForm::kAuto, {1, 2}},
        FormCase{"auto_hex", "0a0b", TextForm::kAuto, {0x0a, 0x0b}},
        FormCase{"auto_text_url",
                 "http://a/",
                 TextForm::kAuto,
                 {'h', 't', 't', 'p', ':', '/', '/', 'a', '/'}},
        FormCase{"auto_odd_hex_is_text", "abc", TextForm::kAuto, {'a', 'b', 'c'}}),
    [](const auto& info) { return std::string(info.param.name); });

struct BadCase {
  const char* name;
  std::string text;
  TextForm form;
  StatusCode code;
  const char* needle;
};

class TextFormBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(TextFormBad, Rejects) {
  const BadCase& c = GetParam();
  auto r = DecodeOptionText(c.text, c.form, "option 43");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), c.code) << r.status().ToString();
  EXPECT_NE(r.status().message().find(c.needle), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().message().rfind("option 43", 0), 0u) << r.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, TextFormBad,
    ::testing::Values(
        BadCase{"empty", "", TextForm::kAuto, StatusCode::kParseError, "empty"},
        BadCase{"odd_hex", "abc", TextForm::kHex, StatusCode::kParseError, "odd number"},
        BadCase{"bad_hex_digit", "0g", TextForm::kHex, StatusCode::kParseError, "'g'"},
        BadCase{"colon_group_too_long", "01:123", TextForm::kColonHex, StatusCode::kParseError,
                "1-2 digit"},
        BadCase{"colon_empty_group", "01::02", TextForm::kColonHex, StatusCode::kParseError,
                "1-2 digit"},
        BadCase{"colon_trailing", "01:", TextForm::kColonHex, StatusCode::kParseError, "1-2 digit"},
        BadCase{"lone_backslash", "abc\\", TextForm::kEscaped, StatusCode::kParseError,
                "lone backslash"},
        BadCase{"short_octal", "a\\12", TextForm::kEscaped, StatusCode::kParseError, "3 digits"},
        BadCase{"octal_non_digit", "\\1x9", TextForm::kEscaped, StatusCode::kParseError,
                "3 digits"},
        BadCase{"octal_above_byte", "\\400", TextForm::kEscaped, StatusCode::kParseError, "above"},
        BadCase{"ip_octet_256", "256.0.0.1", TextForm::kIpList, StatusCode::kParseError,
                "dotted-quad"},
        BadCase{"ip_three_parts", "10.0.1", TextForm::kIpList, StatusCode::kParseError,
                "dotted-quad"},
        BadCase{"ip_trailing_junk", "10.0.0.1x", TextForm::kIpList, StatusCode::kParseError,
                "dotted-quad"},
        BadCase{"ip_none", " , ", TextForm::kIpList, StatusCode::kParseError, "no IPv4"},
        BadCase{"too_long_text", std::string(kMaxTextChars + 1, 'a'), TextForm::kAuto,
                StatusCode::kLimitExceeded, "limit"},
        BadCase{"too_many_bytes", std::string(2 * (kMaxOptionBytes + 1), 'a'), TextForm::kHex,
                StatusCode::kLimitExceeded, "limit"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TaggedValue, PrefixOverridesDefaultForm) {
  EXPECT_EQ(*DecodeTaggedValue("hex:01:02", TextForm::kEscaped, "x"), (Bytes{1, 2}));
  EXPECT_EQ(*DecodeTaggedValue("hex:0102", TextForm::kEscaped, "x"), (Bytes{1, 2}));
  EXPECT_EQ(*DecodeTaggedValue("str:\\101", TextForm::kHex, "x"), (Bytes{'A'}));
  EXPECT_EQ(*DecodeTaggedValue("ip:1.2.3.4", TextForm::kHex, "x"), (Bytes{1, 2, 3, 4}));
  EXPECT_EQ(*DecodeTaggedValue("raw:\\1", TextForm::kHex, "x"), (Bytes{'\\', '1'}));
  EXPECT_EQ(*DecodeTaggedValue("0102", TextForm::kAuto, "x"), (Bytes{1, 2}));
  EXPECT_FALSE(DecodeTaggedValue("hex:zz", TextForm::kAuto, "x").ok());
}

TEST(Format, HexAndColonHex) {
  const Bytes b{0x01, 0xab, 0x00};
  EXPECT_EQ(FormatHex(b), "01ab00");
  EXPECT_EQ(FormatColonHex(b), "01:ab:00");
  EXPECT_EQ(FormatColonHex(Bytes{}), "");
  EXPECT_EQ(*DecodeOptionText(FormatColonHex(b), TextForm::kAuto, "x"), b);
  EXPECT_EQ(*DecodeOptionText(FormatHex(b), TextForm::kAuto, "x"), b);
}

}  // namespace
}  // namespace cwmp::dhcp
