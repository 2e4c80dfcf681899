// Options 66/150/159/160 and choosing the provisioning server in DHCP_Option_To_Use order.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cwmp/dhcp/options.h"
#include "cwmp/prov/catalog.h"

namespace cwmp::dhcp {
namespace {

Bytes T(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(ServerText, AcceptsNamesUrlsAndCStrings) {
  EXPECT_EQ(*ParseServerText(T("tftp.example.com"), "option 66"), "tftp.example.com");
  EXPECT_EQ(*ParseServerText(T(std::string_view("10.0.0.5\0", 9)), "option 66"), "10.0.0.5");
  EXPECT_EQ(*ParseServerText(T("https://p.example.com/$MA.xml"), "option 160"),
            "https://p.example.com/$MA.xml");
}

TEST(ServerText, Rejects) {
  EXPECT_NE(ParseServerText(T(""), "option 66").status().message().find("option 66 is empty"),
            std::string::npos);
  EXPECT_FALSE(ParseServerText(T("a b"), "option 66").ok());
  EXPECT_FALSE(ParseServerText(T("a\x01"), "option 66").ok());
  EXPECT_FALSE(ParseServerText(T("\xff\xfe"), "option 160").ok());
  EXPECT_EQ(ParseServerText(Bytes(256, 'a'), "option 159").status().code(),
            StatusCode::kLimitExceeded);
}

TEST(Option150, AddressList) {
  auto r = ParseOption150(Bytes{10, 0, 0, 1, 192, 168, 1, 2});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"10.0.0.1", "192.168.1.2"}));
  EXPECT_FALSE(ParseOption150(Bytes{}).ok());
  EXPECT_NE(ParseOption150(Bytes{10, 0, 0}).status().message().find("3 bytes"), std::string::npos);
  EXPECT_FALSE(ParseOption150(Bytes{10, 0, 0, 1, 2}).ok());
}

TEST(OptionOrder, Parses) {
  EXPECT_EQ(*ParseOptionOrder(kDefaultOptionOrder),
            (std::vector<int>{66, 160, 159, 150, 60, 43, 125}));
  EXPECT_EQ(*ParseOptionOrder(" 160 , 66 "), (std::vector<int>{160, 66}));
  EXPECT_TRUE(ParseOptionOrder("").value().empty());
  EXPECT_TRUE(ParseOptionOrder("  ").value().empty());
  for (const char* bad : {"66,,43", "0", "255", "66,66", "abc", "66;43", "6 6", "-1", ","}) {
    EXPECT_FALSE(ParseOptionOrder(bad).ok()) << bad;
  }
  std::string many;
  for (int i = 1; i <= 33; ++i) many += (i > 1 ? "," : "") + std::to_string(i);
  EXPECT_EQ(ParseOptionOrder(many).status().code(), StatusCode::kLimitExceeded);
}

TEST(OptionOrder, DefaultMatchesTheCatalog) {
  const prov::ParamDef* def = prov::Catalog::Builtin().Find("DHCP_Option_To_Use");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->default_value, kDefaultOptionOrder);
}

TEST(OptionOrder, DefaultMatchesTheGuide) {
  std::ifstream in(CWMP_GUIDE_FILE);
  if (!in) GTEST_SKIP() << "guide text not found at " << CWMP_GUIDE_FILE;
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find("The default value is " + std::string(kDefaultOptionOrder) + "."),
            std::string::npos);
}

struct SelectCase {
  const char* name;
  std::string order;
  int want_option;  // 0 = none
  std::string want_url;
};

DhcpLease FullLease() {
  DhcpLease l;
  l.option66 = "tftp.example.com";
  l.option160 = "https://prov.example.com/$PSN.xml";
  l.option159 = "10.1.1.1:6969";
  l.option150 = {"10.0.0.7", "10.0.0.8"};
  AcsInfo acs;
  acs.url = "http://acs.example.com/";
  l.option43 = acs;
  GatewayAssociation g;
  g.gateway_serial = "X";
  l.option125 = g;
  return l;
}

class Select : public ::testing::TestWithParam<SelectCase> {};

TEST_P(Select, FollowsOrder) {
  const SelectCase& c = GetParam();
  auto order = ParseOptionOrder(c.order);
  ASSERT_TRUE(order.ok());
  auto s = SelectProvisioningServer(FullLease(), *order);
  if (c.want_option == 0) {
    EXPECT_FALSE(s.has_value());
    return;
  }
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->option, c.want_option);
  EXPECT_EQ(s->url, c.want_url);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Select,
    ::testing::Values(
        SelectCase{"default_takes_66", "66,160,159,150,60,43,125", 66, "tftp://tftp.example.com"},
        SelectCase{"160_keeps_its_scheme", "160,66", 160, "https://prov.example.com/$PSN.xml"},
        SelectCase{"159_gets_tftp", "159", 159, "tftp://10.1.1.1:6969"},
        SelectCase{"150_first_address", "150", 150, "tftp://10.0.0.7"},
        SelectCase{"60_is_option_43", "60", 43, "http://acs.example.com/"},
        SelectCase{"43", "43,66", 43, "http://acs.example.com/"},
        SelectCase{"125_names_no_server", "125", 0, ""},
        SelectCase{"unknown_codes_skipped", "7,125,150", 150, "tftp://10.0.0.7"},
        SelectCase{"empty_order", "", 0, ""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Select, SkipsMissingOptions) {
  DhcpLease l;
  l.option159 = "prov.example.com";
  auto s = SelectProvisioningServer(l, *ParseOptionOrder(kDefaultOptionOrder));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->option, 159);
  EXPECT_EQ(s->server, "prov.example.com");
  EXPECT_EQ(s->url, "tftp://prov.example.com");
  EXPECT_FALSE(SelectProvisioningServer(DhcpLease{}, *ParseOptionOrder(kDefaultOptionOrder)));
}

}  // namespace
}  // namespace cwmp::dhcp
