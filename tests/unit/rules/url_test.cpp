// URL syntax (guide lines 978-1011, 2583-2590).
#include "cwmp/prov/url.h"

#include <gtest/gtest.h>

#include "cwmp/prov/macro.h"
#include "guide_examples.h"

namespace cwmp::prov {
namespace {

struct UrlCase {
  std::string_view text;
  UrlScheme scheme;
  const char* host;
  uint16_t port;
  const char* path;
  const char* canonical;
};

TEST(Url, GuideExamples) {
  const UrlCase cases[] = {
      // guide 1000-1006 (after macro expansion)
      {"/000e08012345.cfg", UrlScheme::kTftp, "", 69, "/000e08012345.cfg",
       "tftp:///000e08012345.cfg"},
      {guide::kUrlCisco, UrlScheme::kTftp, "", 69, "/cisco/cfg.xml", "tftp:///cisco/cfg.xml"},
      {guide::kUrlIp, UrlScheme::kTftp, "192.168.1.130", 69, "/profiles/init.cfg",
       "tftp://192.168.1.130:69/profiles/init.cfg"},
      {"tftp://prov.call.com/cpe/cisco000e08012345.cfg", UrlScheme::kTftp, "prov.call.com", 69,
       "/cpe/cisco000e08012345.cfg", "tftp://prov.call.com:69/cpe/cisco000e08012345.cfg"},
      {"http://neptune.speak.net:8080/prov/d/e.cfg", UrlScheme::kHttp, "neptune.speak.net", 8080,
       "/prov/d/e.cfg", "http://neptune.speak.net:8080/prov/d/e.cfg"},
      {guide::kUrlHttpsQuery, UrlScheme::kHttps, "secure.me.com", 443, "/profile?Linksys",
       "https://secure.me.com:443/profile?Linksys"},
      // 2096, 2588
      {"tftp://prov.telco.com:6900/cisco/config/CP-6841-3PCC.cfg", UrlScheme::kTftp,
       "prov.telco.com", 6900, "/cisco/config/CP-6841-3PCC.cfg",
       "tftp://prov.telco.com:6900/cisco/config/CP-6841-3PCC.cfg"},
      {guide::kUpgradeTableExample, UrlScheme::kTftp, "192.168.1.5", 69,
       "/image/sip68xx.11-0-1MPP-EN.loads",
       "tftp://192.168.1.5:69/image/sip68xx.11-0-1MPP-EN.loads"},
      // default ports, scheme case, IPv6, ports in range
      {"http://h/x", UrlScheme::kHttp, "h", 80, "/x", "http://h:80/x"},
      {"HTTPS://h/x", UrlScheme::kHttps, "h", 443, "/x", "https://h:443/x"},
      {"http://[2001:db8::1]:8080/x", UrlScheme::kHttp, "2001:db8::1", 8080, "/x",
       "http://[2001:db8::1]:8080/x"},
      {"https://[::1]/x", UrlScheme::kHttps, "::1", 443, "/x", "https://[::1]:443/x"},
      {"http:///x", UrlScheme::kHttp, "", 80, "/x", "http:///x"},
      {"h:65535/", UrlScheme::kTftp, "h", 65535, "/", "tftp://h:65535/"},
      {"/a://b", UrlScheme::kTftp, "", 69, "/a://b", "tftp:///a://b"},
  };
  for (const UrlCase& c : cases) {
    Result<ProvisioningUrl> u = ParseProvisioningUrl(c.text);
    ASSERT_TRUE(u.ok()) << c.text << ": " << u.status().ToString();
    EXPECT_EQ(u->scheme, c.scheme) << c.text;
    EXPECT_EQ(u->host, c.host) << c.text;
    EXPECT_EQ(u->port, c.port) << c.text;
    EXPECT_EQ(u->path, c.path) << c.text;
    EXPECT_EQ(u->uses_dhcp_server(), std::string(c.host).empty()) << c.text;
    EXPECT_EQ(u->ToString(), c.canonical) << c.text;
  }
}

TEST(Url, DefaultPortsAndNames) {
  EXPECT_EQ(DefaultPort(UrlScheme::kTftp), 69);
  EXPECT_EQ(DefaultPort(UrlScheme::kHttp), 80);
  EXPECT_EQ(DefaultPort(UrlScheme::kHttps), 443);
  EXPECT_EQ(UrlSchemeName(UrlScheme::kHttps), "https");
}

TEST(Url, Errors) {
  struct ErrorCase {
    const char* text;
    const char* message_part;
  };
  const ErrorCase cases[] = {
      {"", "is empty"},
      {"tftp://prov.telco.com", "no file path"},
      {"prov.telco.com", "no file path"},
      {"cfg.xml", "no file path"},
      {"ftp://h/x", "scheme \"ftp\""},
      {"http://h:0/x", "port must be 1-65535"},
      {"http://h:65536/x", "port must be 1-65535"},
      {"http://h:/x", "port must be 1-65535"},
      {"http://h:8o/x", "port must be a number"},
      {"http://:80/x", "port but no server"},
      {"http://h h/x", "space"},
      {"http://h/my config.xml", "space"},
      {"http://h@evil/x", "invalid character '@'"},
      {"http://[::1/x", "unterminated '['"},
      {"http://[]/x", "empty IPv6"},
      {"http://[::g]/x", "IPv6"},
      {"http://[::1]x/x", "after ']'"},
  };
  for (const ErrorCase& c : cases) {
    Result<ProvisioningUrl> u = ParseProvisioningUrl(c.text);
    ASSERT_FALSE(u.ok()) << c.text;
    EXPECT_EQ(u.status().code(), StatusCode::kParseError) << c.text;
    EXPECT_NE(u.status().message().find(c.message_part), std::string::npos)
        << c.text << ": " << u.status().ToString();
  }
  EXPECT_EQ(ParseProvisioningUrl(std::string(3000, '/')).status().code(),
            StatusCode::kLimitExceeded);
}

TEST(Url, UpgradeRulesNeedAServer) {
  // guide 993-995, 1010: DHCP option 66 (no server) is for Profile_Rule* only.
  EXPECT_TRUE(ParseProvisioningUrl("/sip68xx.loads").ok());
  Result<ProvisioningUrl> u = ParseProvisioningUrl("/sip68xx.loads", HostRequirement::kRequired);
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.status().message().find("needs a server"), std::string::npos);
  EXPECT_FALSE(ParseProvisioningUrl("http:///x", HostRequirement::kRequired).ok());
  EXPECT_TRUE(ParseProvisioningUrl("http://h/x", HostRequirement::kRequired).ok());
}

TEST(Url, RequestTargetVariablesForLogMessages) {
  MacroVariables v;
  ProvisioningUrl u = ParseProvisioningUrl("https://p.tel.com/config?x").value();
  SetRequestTargetVariables(u, &v);
  (void)v.Set("SERVIP", "10.1.2.3");
  EXPECT_EQ(ExpandMacros("$SCHEME://$SERV $SERVIP:$PORT$PATH", v),
            "https://p.tel.com 10.1.2.3:443/config?x");
}

}  // namespace
}  // namespace cwmp::prov
