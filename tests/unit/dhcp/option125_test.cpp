// Option 125 (RFC 3925 V-I Vendor-Specific Information) and the TR-069 Annex F sub-options of
// enterprise 3561 = 0x00000de9.
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

// Gateway sub-options: 4 "00D09E" (8 bytes), 5 "SN1" (5), 6 "GW" (4) = 17 = 0x11 bytes.
const Bytes kGatewaySubs = Cat({B({4, 6}, "00D09E"), B({5, 3}, "SN1"), B({6, 2}, "GW")});
const Bytes kBbfBlock = Cat({B({0x00, 0x00, 0x0d, 0xe9, 0x11}), kGatewaySubs});
const Bytes kCiscoBlock = B({0x00, 0x00, 0x00, 0x09, 0x02, 0x01, 0x00});

TEST(Option125, GatewayIdentity) {
  auto r = ParseOption125(kBbfBlock);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->gateway_oui, "00D09E");
  EXPECT_EQ(r->gateway_serial, "SN1");
  EXPECT_EQ(r->gateway_product_class, "GW");
  EXPECT_FALSE(r->device_oui.has_value());
}

TEST(Option125, SeveralEnterpriseBlocks) {
  auto blocks = ParseVendorIdentifyingOption(Cat({kCiscoBlock, kBbfBlock}));
  ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ((*blocks)[0].enterprise, 9u);
  EXPECT_EQ((*blocks)[0].data, (Bytes{0x01, 0x00}));
  EXPECT_EQ((*blocks)[1].enterprise, 3561u);
  auto r = ParseOption125(Cat({kCiscoBlock, kBbfBlock}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->gateway_serial, "SN1");
}

TEST(Option125, SplitBlocksOfOneEnterpriseAreJoined) {
  // Sub-option 4 in one 3561 block (8 bytes), 5 and 6 in a second (9 bytes).
  const Bytes split = Cat({B({0, 0, 0x0d, 0xe9, 8},
                             "\x04\x06"
                             "00d09e"),
                           B({0, 0, 0x0d, 0xe9, 9}), B({5, 3}, "SN1"), B({6, 2}, "GW")});
  auto r = ParseOption125(split);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->gateway_oui, "00D09E");  // normalised to upper case
  EXPECT_EQ(r->gateway_product_class, "GW");
}

TEST(Option125, EncodeGivesTheHandComputedBytes) {
  GatewayAssociation g;
  g.gateway_oui = "00D09E";
  g.gateway_serial = "SN1";
  g.gateway_product_class = "GW";
  auto r = EncodeOption125(g);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, kBbfBlock);
  auto back = ParseOption125(*r);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, g);
}

TEST(Option125, EncodeValidates) {
  GatewayAssociation none;
  EXPECT_FALSE(EncodeOption125(none).ok());
  GatewayAssociation bad_oui;
  bad_oui.gateway_oui = "00D09";
  EXPECT_NE(EncodeOption125(bad_oui).status().message().find("6 hex digits"), std::string::npos);
  GatewayAssociation long_serial;
  long_serial.gateway_serial = std::string(65, 's');
  EXPECT_FALSE(EncodeOption125(long_serial).ok());
  EXPECT_FALSE(EncodeVendorIdentifyingOption({{9, Bytes(256, 0)}}).ok());
  EXPECT_FALSE(EncodeVendorIdentifyingOption({}).ok());
  EXPECT_EQ(*EncodeVendorIdentifyingOption({{9, {1, 0}}}), kCiscoBlock);
}

struct Bad {
  const char* name;
  Bytes value;
  StatusCode code;
  const char* needle;
};
class Option125Bad : public ::testing::TestWithParam<Bad> {};

TEST_P(Option125Bad, Rejects) {
  auto r = ParseOption125(GetParam().value);
  ASSERT_FALSE(r.ok()) << GetParam().name;
  EXPECT_EQ(r.status().code(), GetParam().code) << r.status().ToString();
  EXPECT_NE(r.status().message().find(GetParam().needle), std::string::npos)
      << r.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, Option125Bad,
    ::testing::Values(Bad{"empty", {}, StatusCode::kParseError, "empty"},
                      Bad{"wrong_enterprise", kCiscoBlock, StatusCode::kNotFound,
                          "no enterprise 3561 block (enterprises present: 9)"},
                      Bad{"truncated_header", Cat({kBbfBlock, B({0, 0, 0x0d})}),
                          StatusCode::kParseError, "at offset 22 is truncated"},
                      Bad{"data_overflow", B({0, 0, 0x0d, 0xe9, 0x05, 4, 6}),
                          StatusCode::kParseError, "data length 5 but only 2 bytes follow"},
                      Bad{"sub_option_overflow", B({0, 0, 0x0d, 0xe9, 0x03, 5, 9, 'x'}),
                          StatusCode::kParseError, "has length 9 but only 1 bytes follow"},
                      Bad{"sub_option_truncated", B({0, 0, 0x0d, 0xe9, 0x01, 5}),
                          StatusCode::kParseError, "truncated"},
                      Bad{"bad_oui", B({0, 0, 0x0d, 0xe9, 0x08, 4, 6}, "00D0XZ"),
                          StatusCode::kParseError, "6 hex digits"},
                      Bad{"serial_not_utf8", B({0, 0, 0x0d, 0xe9, 0x04, 5, 2, 'a', 0xfe}),
                          StatusCode::kParseError, "not UTF-8"},
                      Bad{"only_unknown_sub_options", B({0, 0, 0x0d, 0xe9, 0x03, 9, 1, 'x'}),
                          StatusCode::kNotFound, "no sub-option 1-6"},
                      Bad{"too_large", Bytes(kMaxOptionBytes + 1, 0), StatusCode::kLimitExceeded,
                          "limit"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace cwmp::dhcp
