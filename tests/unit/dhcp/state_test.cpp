// dhcp.json: serialisation, parsing, and the bootstrap bookkeeping of ApplyLease.
#include <gtest/gtest.h>

#include "cwmp/dhcp/state.h"

namespace cwmp::dhcp {
namespace {

DhcpLease LeaseWithUrl(const std::string& url) {
  DhcpLease l;
  AcsInfo a;
  a.url = url;
  a.provisioning_code = "PC";
  a.retry_min_wait = 7;
  l.option43 = a;
  return l;
}

const std::vector<int> kOrder = {66, 160, 159, 150, 60, 43, 125};

TEST(ApplyLease, FirstUrlMakesBootstrapDue) {
  DhcpState s = ApplyLease(std::nullopt, LeaseWithUrl("http://a/"), kOrder, 0, "T1");
  EXPECT_EQ(s.acs_url, "http://a/");
  EXPECT_EQ(s.acs_url_generation, 1u);
  EXPECT_TRUE(s.bootstrap_due);
  EXPECT_FALSE(s.previous_acs_url.has_value());
  EXPECT_EQ(s.provisioning_code, "PC");
  EXPECT_EQ(s.retry_min_wait, 7u);
  EXPECT_EQ(s.updated, "T1");
}

TEST(ApplyLease, LostStateStillMakesBootstrapDue) {
  // dhcp.json gone, the daemon's ack says 5: the rediscovered URL must be past it.
  DhcpState s = ApplyLease(std::nullopt, LeaseWithUrl("http://a/"), kOrder, 5, "T1");
  EXPECT_EQ(s.acs_url_generation, 6u);
  EXPECT_TRUE(s.bootstrap_due);
}

TEST(ApplyLease, SameUrlAfterAckIsNotDue) {
  DhcpState s1 = ApplyLease(std::nullopt, LeaseWithUrl("http://a/"), kOrder, 0, "T1");
  DhcpState s2 = ApplyLease(s1, LeaseWithUrl("http://a/"), kOrder, 0, "T2");
  EXPECT_EQ(s2.acs_url_generation, 1u);
  EXPECT_TRUE(s2.bootstrap_due);  // not yet acknowledged
  DhcpState s3 = ApplyLease(s2, LeaseWithUrl("http://a/"), kOrder, 1, "T3");
  EXPECT_EQ(s3.acs_url_generation, 1u);
  EXPECT_FALSE(s3.bootstrap_due);
}

TEST(ApplyLease, ChangedUrlBumpsGeneration) {
  DhcpState s1 = ApplyLease(std::nullopt, LeaseWithUrl("http://a/"), kOrder, 0, "T1");
  DhcpState s2 = ApplyLease(s1, LeaseWithUrl("http://b/"), kOrder, 1, "T2");
  EXPECT_EQ(s2.acs_url, "http://b/");
  EXPECT_EQ(s2.previous_acs_url, "http://a/");
  EXPECT_EQ(s2.acs_url_generation, 2u);
  EXPECT_TRUE(s2.bootstrap_due);
  // Case matters: the comparison is byte for byte.
  DhcpState s3 = ApplyLease(s2, LeaseWithUrl("http://B/"), kOrder, 2, "T3");
  EXPECT_EQ(s3.acs_url_generation, 3u);
}

TEST(ApplyLease, LeaseWithoutOption43KeepsAcsButNotServers) {
  DhcpLease l1 = LeaseWithUrl("http://a/");
  l1.option66 = "tftp1";
  l1.option150 = {"10.0.0.1"};
  DhcpState s1 = ApplyLease(std::nullopt, l1, kOrder, 0, "T1");
  ASSERT_TRUE(s1.provisioning_server.has_value());
  EXPECT_EQ(s1.provisioning_server->url, "tftp://tftp1");
  DhcpLease l2;
  GatewayAssociation g;
  g.gateway_oui = "00D09E";
  g.device_serial = "ignored: device-to-gateway";
  l2.option125 = g;
  DhcpState s2 = ApplyLease(s1, l2, kOrder, 1, "T2");
  EXPECT_EQ(s2.acs_url, "http://a/");
  EXPECT_EQ(s2.acs_url_generation, 1u);
  EXPECT_FALSE(s2.bootstrap_due);
  EXPECT_EQ(s2.provisioning_code, "PC");
  EXPECT_FALSE(s2.provisioning_server.has_value());
  EXPECT_TRUE(s2.tftp_servers.empty());
  ASSERT_TRUE(s2.gateway.has_value());
  EXPECT_EQ(s2.gateway->gateway_oui, "00D09E");
  EXPECT_FALSE(s2.gateway->device_serial.has_value());
}

TEST(State, RoundTrip) {
  DhcpState s;
  s.updated = "2026-11-26T12:00:00Z";
  s.acs_url = "https://acs.example.com/c\"w\\mp";
  s.previous_acs_url = "http://old/";
  s.acs_url_generation = 12345678901ull;
  s.bootstrap_due = true;
  s.provisioning_code = "Zone \xc3\xa9\t1";
  s.retry_min_wait = 5;
  s.retry_multiplier = 2000;
  s.provisioning_server = ProvisioningServer{150, "10.0.0.1", "tftp://10.0.0.1"};
  s.tftp_servers = {"10.0.0.1", "10.0.0.2"};
  GatewayAssociation g;
  g.gateway_oui = "00D09E";
  g.gateway_product_class = "GW";
  s.gateway = g;
  const std::string json = SerializeState(s);
  auto back = ParseState(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << json;
  EXPECT_EQ(*back, s);
  DhcpState empty;
  EXPECT_EQ(*ParseState(SerializeState(empty)), empty);
}

TEST(State, SerialisedShape) {
  DhcpState s = ApplyLease(std::nullopt, LeaseWithUrl("http://a/"), kOrder, 0, "T");
  const std::string json = SerializeState(s);
  EXPECT_NE(json.find("\"version\": 1,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"acs_url\": \"http://a/\","), std::string::npos) << json;
  EXPECT_NE(json.find("\"acs_url_generation\": 1,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"bootstrap_due\": true,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"retry_multiplier\": null,"), std::string::npos) << json;
  EXPECT_EQ(json.back(), '\n');
}

TEST(State, ParseAcceptsOtherKeyOrderAndUnknownKeys) {
  auto r = ParseState(R"({"future": [1, {"x": null}], "acs_url": "http://a/", "version": 1})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->acs_url, "http://a/");
  EXPECT_EQ(r->acs_url_generation, 0u);
}

TEST(State, ParseRejects) {
  const std::pair<const char*, StatusCode> bad[] = {
      {"", StatusCode::kParseError},
      {"[]", StatusCode::kParseError},
      {"{\"version\": 2}", StatusCode::kUnsupported},
      {"{}", StatusCode::kUnsupported},
      {"{\"version\": 1, \"acs_url\": 5}", StatusCode::kParseError},
      {"{\"version\": 1, \"acs_url_generation\": -1}", StatusCode::kParseError},
      {"{\"version\": 1, \"acs_url_generation\": 99999999999999999999}", StatusCode::kParseError},
      {"{\"version\": 1, \"bootstrap_due\": 1}", StatusCode::kParseError},
      {"{\"version\": 1, \"version\": 1}", StatusCode::kParseError},
      {"{\"version\": 1} x", StatusCode::kParseError},
      {"{\"version\": 1, \"acs_url\": \"a\nb\"}", StatusCode::kParseError},
      {"{\"version\": 1, \"acs_url\": \"abc}", StatusCode::kParseError},
      {"{\"version\": 1, \"tftp_servers\": [1]}", StatusCode::kParseError},
      {"{\"version\": 1, \"provisioning_server\": {\"option\": 66}}", StatusCode::kParseError},
      {"[[[[[[[[[[[[]]]]]]]]]]]]", StatusCode::kParseError},
  };
  for (const auto& [text, code] : bad) {
    auto r = ParseState(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), code) << text << ": " << r.status().ToString();
  }
  EXPECT_EQ(ParseState(std::string(kMaxStateFileBytes + 1, ' ')).status().code(),
            StatusCode::kLimitExceeded);
}

TEST(BootstrapAck, Parses) {
  EXPECT_EQ(*ParseBootstrapAck("3\n"), 3u);
  EXPECT_EQ(*ParseBootstrapAck("0"), 0u);
  for (const char* bad : {"", "\n", "x", "-1", "1 2", "0x3"}) {
    EXPECT_FALSE(ParseBootstrapAck(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace cwmp::dhcp
