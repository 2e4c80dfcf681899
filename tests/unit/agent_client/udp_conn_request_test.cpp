// Annex G UDP connection-request parsing and the signature / ts / id rules.
#include <gtest/gtest.h>

#include "agent/connection_request_udp.h"

namespace {

using agent::HmacSha1Hex;
using agent::ParseUdpConnectionRequest;

TEST(HmacSha1Hex, Rfc2202Vectors) {
  EXPECT_EQ(HmacSha1Hex(std::string(20, '\x0b'), "Hi There"),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(HmacSha1Hex("Jefe", "what do ya want for nothing?"),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

std::string Message(uint64_t ts, const std::string& id, const std::string& un,
                    const std::string& cn, const std::string& password, bool upper = false) {
  std::string sig = HmacSha1Hex(password, std::to_string(ts) + id + un + cn);
  if (upper) {
    for (auto& c : sig) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return "GET http://192.0.2.10:7547?ts=" + std::to_string(ts) + "&id=" + id + "&un=" + un +
         "&cn=" + cn + "&sig=" + sig + " HTTP/1.1\r\nHost: 192.0.2.10:7547\r\n\r\n";
}

TEST(ParseUdpConnectionRequest, ParsesTheAnnexGForm) {
  auto r = ParseUdpConnectionRequest(Message(1764158400, "1234", "acs%2Dcr", "XTGRWIPC", "pw"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ts, 1764158400u);
  EXPECT_EQ(r->id, "1234");
  EXPECT_EQ(r->username, "acs-cr");  // %-decoded
  EXPECT_EQ(r->cnonce, "XTGRWIPC");
  EXPECT_EQ(r->signature.size(), 40u);
}

TEST(ParseUdpConnectionRequest, RejectsMalformedMessages) {
  const std::string sig(40, 'a');
  const std::string bad[] = {
      "",
      "POST http://h?ts=1&id=1&un=u&cn=c&sig=" + sig + " HTTP/1.1\r\n\r\n",
      "GET http://h?ts=1&id=1&un=u&cn=c&sig=" + sig + "\r\n\r\n",
      "GET http://h HTTP/1.1\r\n\r\n",
      "GET http://h?id=1&un=u&cn=c&sig=" + sig + " HTTP/1.1\r\n\r\n",
      "GET http://h?ts=x1&id=1&un=u&cn=c&sig=" + sig + " HTTP/1.1\r\n\r\n",
      "GET http://h?ts=1&id=1&un=u&cn=c&sig=abc HTTP/1.1\r\n\r\n",
      "GET http://h?ts=1&id=1&un=u&cn=c&sig=" + std::string(40, 'g') + " HTTP/1.1\r\n\r\n",
      "GET http://h?ts=1&id=&un=u&cn=c&sig=" + sig + " HTTP/1.1\r\n\r\n",
      "GET http://h?ts=1&ts=2&id=1&un=u&cn=c&sig=" + sig + " HTTP/1.1\r\n\r\n",
      "GET http://h?ts=1&id=1&un=u%2&cn=c&sig=" + sig + " HTTP/1.1\r\n\r\n",
      "GET http://h?ts=99999999999999999999&id=1&un=u&cn=c&sig=" + sig + " HTTP/1.1\r\n\r\n",
  };
  for (const auto& b : bad) {
    EXPECT_EQ(ParseUdpConnectionRequest(b).status().code(), cwmp::StatusCode::kParseError) << b;
  }
  EXPECT_EQ(ParseUdpConnectionRequest(std::string(3000, 'G')).status().code(),
            cwmp::StatusCode::kLimitExceeded);
}

TEST(UdpConnectionRequestValidator, AppliesSignatureTsAndIdRules) {
  agent::UdpConnectionRequestValidator v("acs-cr", cwmp::Secret("crpass"));
  auto accept = [&](const std::string& msg) {
    auto r = ParseUdpConnectionRequest(msg);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return v.Accept(*r);
  };
  EXPECT_TRUE(accept(Message(1000, "1", "acs-cr", "c1", "crpass")).ok());
  // The ACS's copies of the same message (same id) are ignored.
  auto replay = accept(Message(1000, "1", "acs-cr", "c1", "crpass"));
  EXPECT_EQ(replay.code(), cwmp::StatusCode::kFailedPrecondition);
  EXPECT_NE(replay.message().find("already seen"), std::string::npos);
  auto bad_sig = accept(Message(1001, "2", "acs-cr", "c2", "wrong"));
  EXPECT_NE(bad_sig.message().find("bad signature"), std::string::npos);
  auto old = accept(Message(999, "3", "acs-cr", "c3", "crpass"));
  EXPECT_NE(old.message().find("older"), std::string::npos);
  EXPECT_FALSE(accept(Message(1001, "4", "intruder", "c4", "crpass")).ok());
  // Same ts, new id: accepted (ts must not go back, it may repeat). Upper-case sig accepted.
  EXPECT_TRUE(accept(Message(1000, "5", "acs-cr", "c5", "crpass", true)).ok());
  EXPECT_TRUE(accept(Message(1005, "6", "acs-cr", "c6", "crpass")).ok());
  // The bad-signature message did not move the ts forward nor burn its id.
  EXPECT_TRUE(accept(Message(1005, "2", "acs-cr", "c2", "crpass")).ok());
}

TEST(UdpConnectionRequestValidator, EmptyUsernameAcceptsNothing) {
  agent::UdpConnectionRequestValidator v("", cwmp::Secret(""));
  auto r = ParseUdpConnectionRequest(Message(1, "1", "x", "c", ""));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(v.Accept(*r).ok());
}

}  // namespace
