#include <gtest/gtest.h>

#include "acs/connection_request.h"
#include "acs/http_client.h"
#include "acs/nbi_api.h"
#include "connreq/challenge.h"
#include "nbi/api_impl.h"

namespace acs {
namespace {

TEST(ParseHttpUrl, Table) {
  struct Case {
    const char* url;
    bool ok;
    const char* host;
    int port;
    const char* target;
  } cases[] = {
      {"http://10.0.0.7:7547/cr/abc", true, "10.0.0.7", 7547, "/cr/abc"},
      {"http://cpe.example", true, "cpe.example", 80, "/"},
      {"HTTP://cpe?x=1", true, "cpe", 80, "/?x=1"},
      {"http://[2001:db8::1]:30005/x#frag", true, "2001:db8::1", 30005, "/x"},
      {"http://[::1]/", true, "::1", 80, "/"},
      {"https://cpe/", false, "", 0, ""},
      {"http://u:p@cpe/", false, "", 0, ""},
      {"http://:80/", false, "", 0, ""},
      {"http://cpe:0/", false, "", 0, ""},
      {"http://cpe:65536/", false, "", 0, ""},
      {"http://cpe:8x/", false, "", 0, ""},
      {"http://[::1/", false, "", 0, ""},
      {"http://cpe/a b", false, "", 0, ""},
  };
  for (const auto& c : cases) {
    auto u = http::ParseHttpUrl(c.url);
    ASSERT_EQ(u.ok(), c.ok) << c.url;
    if (!c.ok) {
      EXPECT_NE(u.status().message().find(c.url), std::string::npos);
      continue;
    }
    EXPECT_EQ(u->host, c.host) << c.url;
    EXPECT_EQ(u->port, c.port) << c.url;
    EXPECT_EQ(u->target, c.target) << c.url;
  }
}

TEST(PercentCoding, RoundTripAndErrors) {
  EXPECT_EQ(http::PercentEncode("0021A0-CP 6851/x'%"), "0021A0-CP%206851%2Fx%27%25");
  EXPECT_EQ(*http::PercentDecode("0021A0-CP%206851%2Fx%27%25"), "0021A0-CP 6851/x'%");
  EXPECT_EQ(*http::PercentDecode("a+b", true), "a b");
  EXPECT_EQ(*http::PercentDecode("a+b", false), "a+b");
  EXPECT_FALSE(http::PercentDecode("%").ok());
  EXPECT_FALSE(http::PercentDecode("%4").ok());
  EXPECT_FALSE(http::PercentDecode("%zz").ok());
  EXPECT_EQ(nbi::EncodeDeviceId("00259E-IAD:x y"), "00259E-IAD%3Ax%20y");
}

TEST(Challenges, ParsesSeveralPerHeader) {
  auto c = connreq::ParseChallenges(
      R"(Digest realm="cpe \"1\"", nonce="abc", qop="auth,auth-int", algorithm=MD5, Basic realm="b")");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].scheme, "digest");
  EXPECT_EQ((*c)[0].params.at("realm"), "cpe \"1\"");
  EXPECT_EQ((*c)[0].params.at("qop"), "auth,auth-int");
  EXPECT_EQ((*c)[0].params.at("algorithm"), "MD5");
  EXPECT_EQ((*c)[1].scheme, "basic");
  EXPECT_EQ((*c)[1].params.at("realm"), "b");
  EXPECT_FALSE(connreq::ParseChallenges("").ok());
  EXPECT_FALSE(connreq::ParseChallenges(R"(Digest realm="open)").ok());
}

TEST(Challenges, DigestAnswerVerifiesOnTheServerSide) {
  http::DigestAuthenticator server(cwmp::Secret("s"), "cpe", std::chrono::seconds(60),
                                   http::SystemRandom());
  auto now = std::chrono::system_clock::now();
  for (const auto& text : server.Challenges(now, false)) {
    auto ch = connreq::ParseChallenges(text);
    ASSERT_TRUE(ch.ok());
    auto answer =
        connreq::AnswerDigest((*ch)[0], "GET", "/cr", "user", cwmp::Secret("pw"), "0a1b2c3d");
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    auto cred = http::ParseDigestAuthorization(*answer);
    ASSERT_TRUE(cred.ok()) << *answer;
    EXPECT_EQ(server.Verify(*cred, "GET", "/cr", cwmp::Secret("pw"), now),
              http::DigestAuthenticator::Verdict::kOk);
    EXPECT_EQ(server.Verify(*cred, "GET", "/cr", cwmp::Secret("other"), now),
              http::DigestAuthenticator::Verdict::kBadCredentials);
  }
  connreq::Challenge weird{"digest", {{"nonce", "n"}, {"algorithm", "SHA-512"}}};
  EXPECT_FALSE(connreq::AnswerDigest(weird, "GET", "/", "u", cwmp::Secret("p"), "c").ok());
  connreq::Challenge int_only{"digest", {{"nonce", "n"}, {"qop", "auth-int"}}};
  EXPECT_FALSE(connreq::AnswerDigest(int_only, "GET", "/", "u", cwmp::Secret("p"), "c").ok());
  EXPECT_EQ(connreq::AnswerBasic("Aladdin", cwmp::Secret("open sesame")),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");  // RFC 7617 §2
}

TEST(UdpSignature, Rfc2202Vector) {
  // RFC 2202 test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?"), split over
  // ts|id|un|cn.
  EXPECT_EQ(UdpConnectionRequestSignature("what", " do ya", " want for", cwmp::Secret("Jefe"),
                                          " nothing?"),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(UdpConnectionRequestMessage("10.1.2.3:7547", 1767225600, "id1",
                                        {"u", cwmp::Secret("p")}, "cn1")
                .rfind("GET http://10.1.2.3:7547?ts=1767225600&id=id1&un=u&cn=cn1&sig=", 0),
            0u);
}

TEST(Secrets, PasswordLikeParameters) {
  for (const char* name :
       {"Device.ManagementServer.Password", "Device.ManagementServer.ConnectionRequestPassword",
        "Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthPassword",
        "Device.WiFi.AccessPoint.1.Security.KeyPassphrase",
        "Device.WiFi.AccessPoint.1.Security.PreSharedKey"}) {
    EXPECT_TRUE(nbi::IsSecretParameter(name)) << name;
  }
  for (const char* name : {"Device.ManagementServer.Username", "Device.DeviceInfo.SoftwareVersion",
                           "Device.Users.User.1.PasswordReset"}) {
    EXPECT_FALSE(nbi::IsSecretParameter(name)) << name;
  }
}

TEST(Times, ParseAndFormat) {
  using nbi::internal::FormatTime;
  using nbi::internal::ParseTime;
  TimePoint t = TimePoint(std::chrono::seconds(1767225600)) + std::chrono::milliseconds(250);
  EXPECT_EQ(FormatTime(t), "2026-01-01T00:00:00.250Z");
  EXPECT_EQ(*ParseTime("2026-01-01T00:00:00.250Z"), t);
  EXPECT_EQ(*ParseTime("2026-01-01T00:00:00Z"), TimePoint(std::chrono::seconds(1767225600)));
  EXPECT_EQ(*ParseTime("1767225600"), TimePoint(std::chrono::seconds(1767225600)));
  for (const char* bad : {"", "yesterday", "2026-01-01", "2026-01-01T00:00:00+02:00",
                          "2026-00-01T00:00:00Z", "2026-01-01T24:00:00Z"}) {
    EXPECT_FALSE(ParseTime(bad).ok()) << bad;
  }
}

TEST(ValidateTask, MessagesNameTheField) {
  struct Case {
    const char* body;
    const char* message;  // "" = valid
  } cases[] = {
      {R"({"name":"getRPCMethods"})", ""},
      {R"({"name":"reboot","commandKey":"k"})", ""},
      {R"({"name":"scheduleInform","delaySeconds":4294967295})", ""},
      {R"({"name":"scheduleInform","delaySeconds":4294967296})",
       "delaySeconds: 4294967296 is not in 1..4294967295"},
      {R"({"name":"reboot","x":1})", "x: unknown key for a reboot task"},
      {R"({"name":"addObject"})", "objectName: is required for a addObject task"},
      {R"({"name":"setParameterValues","parameterValues":[["A.B","1","xsd:float"]]})",
       "parameterValues[0][2]: \"xsd:float\" is not one of"},
      {R"({"name":"upload","fileType":"3 Vendor Configuration File 2","url":"ftp://h/f"})", ""},
      {R"({"name":"download","fileType":"X 00AABB Skin","url":"http://h/f"})", ""},
  };
  for (const auto& c : cases) {
    auto v = cwmp::json::Parse(c.body);
    ASSERT_TRUE(v.ok()) << c.body;
    cwmp::Status st = nbi::ValidateTask(*v);
    if (std::string(c.message).empty()) {
      EXPECT_TRUE(st.ok()) << c.body << ": " << st.message();
    } else {
      EXPECT_EQ(st.message().rfind(c.message, 0), 0u) << c.body << ": " << st.message();
    }
  }
}

}  // namespace
}  // namespace acs
