// ParseSipMessage / ParseSipEvent: the RFC 3261 forms a proxy may send (compact names, folding,
// any case, LF-only lines) and hostile input (limits, control bytes, bad lengths).
#include <gtest/gtest.h>

#include "agent/sip_listener.h"

namespace {

using agent::ParseSipEvent;
using agent::ParseSipMessage;

TEST(SipMessage, ParsesRequestLineHeadersAndBody) {
  auto m = ParseSipMessage(
      "NOTIFY sip:1001@10.0.0.5 SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n"
      "Via: SIP/2.0/UDP b;branch=z9hG4bK2\r\nEvent: resync\r\nContent-Length: 4\r\n\r\nbodyextra");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_TRUE(m->is_request);
  EXPECT_EQ(m->method, "NOTIFY");
  EXPECT_EQ(m->request_uri, "sip:1001@10.0.0.5");
  EXPECT_EQ(m->Headers("via").size(), 2u);
  EXPECT_EQ(*m->Header("EVENT"), "resync");
  EXPECT_EQ(m->body, "body");  // Content-Length bounds the body
}

TEST(SipMessage, CompactFormsAreExpanded) {
  auto m = ParseSipMessage(
      "NOTIFY sip:x SIP/2.0\r\nv: SIP/2.0/UDP a\r\nf: <sip:p>;tag=1\r\nt: <sip:x>\r\n"
      "i: abc\r\nCSeq: 1 NOTIFY\r\no: reboot_now\r\nl: 0\r\n\r\n");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(*m->Header("Via"), "SIP/2.0/UDP a");
  EXPECT_EQ(*m->Header("From"), "<sip:p>;tag=1");
  EXPECT_EQ(*m->Header("To"), "<sip:x>");
  EXPECT_EQ(*m->Header("Call-ID"), "abc");
  EXPECT_EQ(*m->Header("Event"), "reboot_now");
  EXPECT_EQ(*m->Header("o"), "reboot_now");  // lookups by compact name too
  EXPECT_EQ(m->headers[0].first, "Via");     // stored under the long name
}

TEST(SipMessage, FoldedHeadersAreJoined) {
  auto m = ParseSipMessage(
      "NOTIFY sip:x SIP/2.0\r\nEvent: resync;\r\n   profile=\"http://h/p.xml\"\r\n"
      "Subject: a\r\n\tb\r\n\r\n");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(*m->Header("event"), "resync; profile=\"http://h/p.xml\"");
  EXPECT_EQ(*m->Header("subject"), "a b");
}

TEST(SipMessage, BareLineFeedsAndLeadingKeepAlivesAccepted) {
  auto m = ParseSipMessage("\r\n\r\nNOTIFY sip:x SIP/2.0\nEvent : resync\nCSeq: 2 NOTIFY\n\n");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(*m->Header("Event"), "resync");
  EXPECT_EQ(*m->Header("cseq"), "2 NOTIFY");
}

TEST(SipMessage, ResponsesAreRecognised) {
  auto m = ParseSipMessage("SIP/2.0 200 OK\r\nCSeq: 1 NOTIFY\r\n\r\n");
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->is_request);
  EXPECT_EQ(m->status_code, 200);
}

struct BadCase {
  const char* name;
  std::string text;
  cwmp::StatusCode code;
};

class SipMessageBad : public testing::TestWithParam<BadCase> {};

TEST_P(SipMessageBad, IsRejected) {
  auto m = ParseSipMessage(GetParam().text);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), GetParam().code) << m.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SipMessageBad,
    testing::Values(
        BadCase{"empty", "", cwmp::StatusCode::kParseError},
        BadCase{"only_crlf", "\r\n\r\n", cwmp::StatusCode::kParseError},
        BadCase{"http", "GET / HTTP/1.1\r\n\r\n", cwmp::StatusCode::kParseError},
        BadCase{"sip_version_3", "NOTIFY sip:x SIP/3.0\r\n\r\n", cwmp::StatusCode::kParseError},
        BadCase{"no_uri", "NOTIFY SIP/2.0\r\n\r\n", cwmp::StatusCode::kParseError},
        BadCase{"header_without_colon", "NOTIFY sip:x SIP/2.0\r\nEvent resync\r\n\r\n",
                cwmp::StatusCode::kParseError},
        BadCase{"fold_first", "NOTIFY sip:x SIP/2.0\r\n folded\r\n\r\n",
                cwmp::StatusCode::kParseError},
        BadCase{"nul_in_header", std::string("NOTIFY sip:x SIP/2.0\r\nEvent: re\0sync\r\n\r\n", 40),
                cwmp::StatusCode::kParseError},
        BadCase{"bad_status", "SIP/2.0 2x0 OK\r\n\r\n", cwmp::StatusCode::kParseError},
        BadCase{"length_beyond", "NOTIFY sip:x SIP/2.0\r\nContent-Length: 10\r\n\r\nabc",
                cwmp::StatusCode::kParseError},
        BadCase{"length_negative", "NOTIFY sip:x SIP/2.0\r\nl: -1\r\n\r\n",
                cwmp::StatusCode::kParseError},
        BadCase{"too_big", "NOTIFY sip:x SIP/2.0\r\nX: " + std::string(20000, 'a') + "\r\n\r\n",
                cwmp::StatusCode::kLimitExceeded},
        BadCase{"long_header", "NOTIFY sip:x SIP/2.0\r\nX: " + std::string(3000, 'a') + "\r\n\r\n",
                cwmp::StatusCode::kLimitExceeded},
        BadCase{"long_folded_header",
                "NOTIFY sip:x SIP/2.0\r\nX: a\r\n" +
                    [] {
                      std::string s;
                      for (int i = 0; i < 30; ++i) s += " " + std::string(100, 'b') + "\r\n";
                      return s;
                    }() +
                    "\r\n",
                cwmp::StatusCode::kLimitExceeded},
        BadCase{"many_headers",
                "NOTIFY sip:x SIP/2.0\r\n" +
                    [] {
                      std::string s;
                      for (int i = 0; i < 100; ++i) s += "X: 1\r\n";
                      return s;
                    }() +
                    "\r\n",
                cwmp::StatusCode::kLimitExceeded}),
    [](const testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST(SipEvent, PackageAndParameters) {
  auto e = ParseSipEvent("resync;profile=\"http://10.77.10.141/profile.xml\";id=7");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->package, "resync");
  EXPECT_EQ(e->params["profile"], "http://10.77.10.141/profile.xml");
  EXPECT_EQ(e->params["id"], "7");
}

TEST(SipEvent, GuideExampleWithUnterminatedQuote) {
  // The guide: "Event:resync;profile="http://10.77.10.141/profile.xml  (no closing quote).
  auto e = ParseSipEvent("resync;profile=\"http://10.77.10.141/profile.xml");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->params["profile"], "http://10.77.10.141/profile.xml");
}

TEST(SipEvent, CaseAndSpacesAndQuotedSemicolons) {
  auto e = ParseSipEvent("  ReSync ; Profile = \"http://h/a;b.xml\" ");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->package, "resync");
  EXPECT_EQ(e->params["profile"], "http://h/a;b.xml");
  EXPECT_TRUE(ParseSipEvent("reboot_now"));
  EXPECT_FALSE(ParseSipEvent(""));
  EXPECT_FALSE(ParseSipEvent("re sync"));
  EXPECT_FALSE(ParseSipEvent(";profile=x"));
}

}  // namespace
