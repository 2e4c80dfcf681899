// Option 43 (TR-069 sub-options 1-4 and the legacy bare URL), option 60, with byte vectors
// computed by hand: code, length, value.
#include <gtest/gtest.h>

#include "cwmp/dhcp/options.h"

namespace cwmp::dhcp {
namespace {

Bytes B(std::initializer_list<int> head, std::string_view tail = {}) {
  Bytes out;
  for (int v : head) out.push_back(static_cast<uint8_t>(v));
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}
Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// "http://acs.com/" is 15 bytes.
const Bytes kUrl = B({0x01, 0x0f}, "http://acs.com/");
const Bytes kCode = B({0x02, 0x03}, "PC1");
const Bytes kMin = B({0x03, 0x02}, "10");
const Bytes kMul = B({0x04, 0x04}, "2500");

TEST(Option43, AllFourSubOptions) {
  auto r = ParseOption43(Cat({kUrl, kCode, kMin, kMul}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->url, "http://acs.com/");
  EXPECT_EQ(r->provisioning_code, "PC1");
  EXPECT_EQ(r->retry_min_wait, 10u);
  EXPECT_EQ(r->retry_multiplier, 2500u);
  EXPECT_FALSE(r->legacy_bare_url);
}

TEST(Option43, EncodeGivesTheHandComputedBytes) {
  AcsInfo info;
  info.url = "http://acs.com/";
  info.provisioning_code = "PC1";
  info.retry_min_wait = 10;
  info.retry_multiplier = 2500;
  auto r = EncodeOption43(info);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Cat({kUrl, kCode, kMin, kMul}));
  info.provisioning_code.reset();
  info.retry_min_wait.reset();
  info.retry_multiplier.reset();
  EXPECT_EQ(*EncodeOption43(info), kUrl);
}

TEST(Option43, AnyOrderPadEndAndUnknownSubOptions) {
  // Sub-options in reverse order, pad bytes, a vendor's sub-option 9, and bytes after "end".
  auto r =
      ParseOption43(Cat({B({0x00, 0x00}), kMul, B({0x09, 0x01, 0x7f}), kUrl, B({0xff, 0x01})}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->url, "http://acs.com/");
  EXPECT_EQ(r->retry_multiplier, 2500u);
  EXPECT_FALSE(r->provisioning_code.has_value());
}

TEST(Option43, BinaryRetryValues) {
  // 00 0a is not ASCII digits, so it is a big-endian integer: 10; 4 bytes 00 00 0b b8 = 3000.
  auto r =
      ParseOption43(Cat({kUrl, B({0x03, 0x02, 0x00, 0x0a}), B({0x04, 0x04, 0, 0, 0x0b, 0xb8})}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->retry_min_wait, 10u);
  EXPECT_EQ(r->retry_multiplier, 3000u);
}

TEST(Option43, LegacyBareUrl) {
  auto r = ParseOption43(B({}, "https://acs.example.com:7547/cwmp"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->url, "https://acs.example.com:7547/cwmp");
  EXPECT_TRUE(r->legacy_bare_url);
  // Some servers send a C string: trailing NULs are dropped.
  auto z = ParseOption43(B({}, std::string_view("http://a/\0\0", 11)));
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  EXPECT_EQ(z->url, "http://a/");
}

TEST(Option43, OtherVendorsOptionIsNotFound) {
  auto r = ParseOption43(B({0x01 + 9, 0x01, 0x00}));  // sub-option 10 only
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

struct Bad {
  const char* name;
  Bytes value;
  StatusCode code;
  const char* needle;
};
class Option43Bad : public ::testing::TestWithParam<Bad> {};

TEST_P(Option43Bad, Rejects) {
  auto r = ParseOption43(GetParam().value);
  ASSERT_FALSE(r.ok()) << GetParam().name;
  EXPECT_EQ(r.status().code(), GetParam().code) << r.status().ToString();
  EXPECT_NE(r.status().message().find(GetParam().needle), std::string::npos)
      << r.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, Option43Bad,
    ::testing::Values(
        Bad{"empty", {}, StatusCode::kParseError, "empty"},
        Bad{"truncated_no_length", Cat({kUrl, B({0x02})}), StatusCode::kParseError,
            "sub-option 2 at offset 17 is truncated"},
        Bad{"length_overflow", B({0x01, 0x10}, "http://acs.com/"), StatusCode::kParseError,
            "has length 16 but only 15 bytes follow"},
        Bad{"length_255_overflow", B({0x02, 0xff}, "x"), StatusCode::kParseError, "has length 255"},
        Bad{"duplicate", Cat({kUrl, kUrl}), StatusCode::kParseError, "appears twice"},
        Bad{"url_without_scheme", B({0x01, 0x07}, "acs.com"), StatusCode::kInvalidArgument,
            "does not start with http:// or https://"},
        Bad{"url_ftp_scheme", B({0x01, 0x08}, "ftp://a/"), StatusCode::kInvalidArgument,
            "does not start with http"},
        Bad{"url_no_host", B({0x01, 0x08}, "http:///"), StatusCode::kInvalidArgument,
            "has no host"},
        Bad{"url_not_utf8", B({0x01, 0x0a}, "http://a\xff/"), StatusCode::kParseError,
            "is not UTF-8"},
        Bad{"url_overlong_utf8", B({0x01, 0x0b}, "http://\xc0\xafx/"), StatusCode::kParseError,
            "is not UTF-8"},
        Bad{"url_with_space", B({0x01, 0x0a}, "http://a b"), StatusCode::kParseError,
            "spaces or control"},
        Bad{"url_empty", B({0x01, 0x00}), StatusCode::kParseError, "is empty"},
        Bad{"legacy_without_scheme", B({}, "acs.example.com"), StatusCode::kInvalidArgument,
            "does not start with http"},
        Bad{"code_control_char", Cat({kUrl, B({0x02, 0x02, 'a', 0x07})}), StatusCode::kParseError,
            "control characters"},
        Bad{"code_too_long", Cat({kUrl, B({0x02, 65}, std::string(65, 'c'))}),
            StatusCode::kLimitExceeded, "limit is 64"},
        Bad{"min_wait_zero", Cat({kUrl, B({0x03, 0x01}, "0")}), StatusCode::kParseError,
            "outside 1..65535"},
        Bad{"min_wait_too_big", Cat({kUrl, B({0x03, 0x05}, "65536")}), StatusCode::kParseError,
            "outside 1..65535"},
        Bad{"multiplier_999", Cat({kUrl, B({0x04, 0x03}, "999")}), StatusCode::kParseError,
            "outside 1000..65535"},
        Bad{"retry_three_bytes", Cat({kUrl, B({0x03, 0x03, 0, 1, 'x'})}), StatusCode::kParseError,
            "neither decimal"},
        Bad{"too_large", Bytes(kMaxOptionBytes + 1, 0x01), StatusCode::kLimitExceeded, "limit"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Option43, EncodeValidates) {
  AcsInfo none;
  EXPECT_EQ(EncodeOption43(none).status().code(), StatusCode::kInvalidArgument);
  AcsInfo bad_url;
  bad_url.url = "acs.example.com";
  EXPECT_FALSE(EncodeOption43(bad_url).ok());
  AcsInfo bad_min;
  bad_min.url = "http://a/";
  bad_min.retry_min_wait = 0;
  EXPECT_NE(EncodeOption43(bad_min).status().message().find("retry minimum wait 0"),
            std::string::npos);
  AcsInfo bad_mul;
  bad_mul.url = "http://a/";
  bad_mul.retry_multiplier = 999;
  EXPECT_FALSE(EncodeOption43(bad_mul).ok());
  AcsInfo long_code;
  long_code.url = "http://a/";
  long_code.provisioning_code = std::string(65, 'x');
  EXPECT_FALSE(EncodeOption43(long_code).ok());
  AcsInfo too_big;  // 2 + 250 + 2 + 10 > 255
  too_big.url = "http://" + std::string(243, 'a');
  too_big.provisioning_code = "0123456789";
  auto r = EncodeOption43(too_big);
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded) << r.status().ToString();
}

TEST(Option43, RoundTrip) {
  std::vector<AcsInfo> cases(4);
  cases[0].url = "http://acs.com/";
  cases[1].url = "https://user@acs.example.com:7547/cwmp?x=1";
  cases[1].provisioning_code = "Zone 7 \xc3\xa9";  // spaces and UTF-8 are allowed in codes
  cases[2].url = "HTTPS://ACS/";
  cases[2].retry_min_wait = 65535;
  cases[2].retry_multiplier = 1000;
  cases[3].url = "http://[2001:db8::1]:7547/";
  cases[3].retry_min_wait = 1;
  cases[3].retry_multiplier = 65535;
  for (const AcsInfo& c : cases) {
    auto bytes = EncodeOption43(c);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    auto back = ParseOption43(*bytes);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, c);
    // And through the textual forms the DHCP clients use.
    for (const std::string& text : {FormatHex(*bytes), FormatColonHex(*bytes)}) {
      auto decoded = DecodeOptionText(text, TextForm::kAuto, "option 43");
      ASSERT_TRUE(decoded.ok());
      EXPECT_EQ(*decoded, *bytes);
    }
  }
}

TEST(AcsUrl, Validation) {
  EXPECT_TRUE(ValidateAcsUrl("http://a", "u").ok());
  EXPECT_TRUE(ValidateAcsUrl("https://a:1/", "u").ok());
  EXPECT_FALSE(ValidateAcsUrl("http://:80/", "u").ok());
  EXPECT_FALSE(ValidateAcsUrl("http://user@/", "u").ok());
  EXPECT_FALSE(ValidateAcsUrl("", "u").ok());
  EXPECT_FALSE(ValidateAcsUrl("http//a/", "u").ok());
  auto long_url = ValidateAcsUrl("http://" + std::string(250, 'a'), "u");
  EXPECT_EQ(long_url.code(), StatusCode::kLimitExceeded);
  EXPECT_TRUE(ValidateAcsUrl("http://" + std::string(249, 'a'), "u").ok());  // 256 exactly
}

TEST(Option60, VendorClass) {
  auto vc = [](std::string_view s) { return IsTr069VendorClass(Bytes(s.begin(), s.end())); };
  EXPECT_TRUE(vc("dslforum.org"));
  EXPECT_TRUE(vc("CP-8851 dslforum.org"));
  EXPECT_TRUE(vc("DSLForum.Org"));
  EXPECT_FALSE(vc("dslforum"));
  EXPECT_FALSE(vc("dslforum_org"));
  EXPECT_FALSE(vc(""));
}

}  // namespace
}  // namespace cwmp::dhcp
