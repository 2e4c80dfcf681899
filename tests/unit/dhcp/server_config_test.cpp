// The printed DHCP server configuration carries exactly the encoded bytes.
#include <gtest/gtest.h>

#include "cwmp/dhcp/options.h"

namespace cwmp::dhcp {
namespace {

const Bytes kValue = {0x01, 0x09, 'h', 't', 't', 'p', ':', '/', '/', 'a', '/'};

TEST(ServerConfig, Dnsmasq43) {
  auto r = FormatServerConfig(ServerFormat::kDnsmasq, 43, kValue);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->find("dhcp-vendorclass=set:cwmp,dslforum.org\n"), std::string::npos);
  EXPECT_NE(r->find("dhcp-option=tag:cwmp,43,01:09:68:74:74:70:3a:2f:2f:61:2f\n"),
            std::string::npos)
      << *r;
}

TEST(ServerConfig, Isc43) {
  auto r = FormatServerConfig(ServerFormat::kIsc, 43, kValue);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->find("match if option vendor-class-identifier ~~ \"dslforum\\.org\";"),
            std::string::npos)
      << *r;
  EXPECT_NE(r->find("option vendor-encapsulated-options 01:09:68:74:74:70:3a:2f:2f:61:2f;"),
            std::string::npos)
      << *r;
}

TEST(ServerConfig, Option125AndHex) {
  const Bytes v = {0, 0, 0x0d, 0xe9, 0x02, 6, 0};
  EXPECT_NE(FormatServerConfig(ServerFormat::kDnsmasq, 125, v)
                ->find("dhcp-option=125,00:00:0d:e9:02:06:00\n"),
            std::string::npos);
  EXPECT_NE(
      FormatServerConfig(ServerFormat::kIsc, 125, v)->find("option vivso 00:00:0d:e9:02:06:00;\n"),
      std::string::npos);
  EXPECT_EQ(*FormatServerConfig(ServerFormat::kHex, 43, kValue),
            "01:09:68:74:74:70:3a:2f:2f:61:2f\n");
}

TEST(ServerConfig, RejectsOtherCodesAndSizes) {
  EXPECT_EQ(FormatServerConfig(ServerFormat::kHex, 66, kValue).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(FormatServerConfig(ServerFormat::kHex, 43, Bytes{1}).ok());
  EXPECT_FALSE(FormatServerConfig(ServerFormat::kHex, 43, Bytes(256, 1)).ok());
}

TEST(ServerConfig, HexOutputRoundTripsThroughTheParser) {
  AcsInfo info;
  info.url = "https://acs.example.com:7547/cwmp";
  info.provisioning_code = "EU-1";
  info.retry_min_wait = 30;
  info.retry_multiplier = 4000;
  auto bytes = EncodeOption43(info);
  ASSERT_TRUE(bytes.ok());
  auto text = FormatServerConfig(ServerFormat::kHex, 43, *bytes);
  ASSERT_TRUE(text.ok());
  std::string hex = *text;
  hex.pop_back();  // newline
  auto decoded = DecodeOptionText(hex, TextForm::kAuto, "option 43");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*ParseOption43(*decoded), info);
}

}  // namespace
}  // namespace cwmp::dhcp
