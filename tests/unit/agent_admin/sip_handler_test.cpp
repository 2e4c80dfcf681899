// SipNotifyHandler over a real parameter store: challenge, authenticated retry, action; wrong
// credentials, replays and expired nonces change nothing; unknown events are 489.
#include <gtest/gtest.h>

#include "agent/sip_listener.h"
#include "sip_test_util.h"
#include "store_admin_actions.h"

namespace agent_admin_test {
namespace {

using namespace std::chrono_literals;

class SipHandlerTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(actions_.ok());
    ASSERT_TRUE(actions_.Set({{"User_ID_1_", "1001"}, {"Password_1_", "s3cret"}}).ok());
    options_.log = [this](std::string_view line) { log_ += std::string(line) + "\n"; };
    handler_ = std::make_unique<agent::SipNotifyHandler>(options_, actions_, clock_, [this] {
      char buf[33];
      snprintf(buf, sizeof(buf), "%032x", ++counter_);
      return std::string(buf);
    });
  }

  std::string Send(const std::string& datagram) {
    auto outcome = handler_->Handle(datagram, "192.0.2.1:5060");
    if (outcome.action) outcome.action();
    return outcome.reply.value_or("");
  }

  // NOTIFY, 401, authenticated NOTIFY: returns the final reply.
  std::string Authenticated(const std::string& event, const std::string& user = "1001",
                            const std::string& password = "s3cret") {
    std::string challenge = Send(Notify(event, 1));
    EXPECT_EQ(SipStatus(challenge), 401) << challenge;
    return Send(Notify(event, 2, AuthorizationFor(challenge, user, password)));
  }

  StoreAdminActions actions_;
  FakeClientClock clock_;
  agent::SipListenerOptions options_;
  std::unique_ptr<agent::SipNotifyHandler> handler_;
  unsigned counter_ = 0;
  std::string log_;
};

TEST_F(SipHandlerTest, ResyncIsChallengedThenHonoured) {
  std::string challenge = Send(Notify("resync"));
  ASSERT_EQ(SipStatus(challenge), 401) << challenge;
  EXPECT_NE(SipHeader(challenge, "WWW-Authenticate").find("Digest realm=\"cpe-agent\""),
            std::string::npos);
  EXPECT_NE(SipHeader(challenge, "WWW-Authenticate").find("qop=\"auth\""), std::string::npos);
  EXPECT_TRUE(actions_.resyncs().empty());  // nothing before authentication
  // The answer mirrors the transaction headers and tags To.
  EXPECT_EQ(SipHeader(challenge, "Via"), "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1abc");
  EXPECT_EQ(SipHeader(challenge, "Call-ID"), "call-1@192.0.2.1");
  EXPECT_EQ(SipHeader(challenge, "CSeq"), "1 NOTIFY");
  EXPECT_NE(SipHeader(challenge, "To").find(";tag="), std::string::npos);

  std::string ok = Send(Notify("resync", 2, AuthorizationFor(challenge, "1001", "s3cret")));
  EXPECT_EQ(SipStatus(ok), 200) << ok;
  ASSERT_EQ(actions_.resyncs().size(), 1u);
  EXPECT_FALSE(actions_.resyncs()[0].has_value());  // the configured profile rules
  EXPECT_NE(log_.find("resync NOTIFY from 192.0.2.1:5060 authenticated"), std::string::npos);
}

TEST_F(SipHandlerTest, ResyncWithProfileUrl) {
  EXPECT_EQ(SipStatus(Authenticated("resync;profile=\"http://10.77.10.141/profile.xml\"")), 200);
  ASSERT_EQ(actions_.resyncs().size(), 1u);
  EXPECT_EQ(actions_.resyncs()[0].value_or(""), "http://10.77.10.141/profile.xml");
}

TEST_F(SipHandlerTest, RebootAndRestart) {
  EXPECT_EQ(SipStatus(Authenticated("reboot_now")), 200);
  EXPECT_EQ(actions_.reboots(), 1);
  EXPECT_EQ(SipStatus(Authenticated("restart_now")), 200);
  EXPECT_EQ(actions_.restarts(), 1);
}

TEST_F(SipHandlerTest, AuthIdIsPreferredOverUserId) {
  ASSERT_TRUE(actions_.Set({{"Auth_ID_1_", "auth1001"}}).ok());
  EXPECT_EQ(SipStatus(Authenticated("resync", "1001")), 401);
  EXPECT_EQ(SipStatus(Authenticated("resync", "auth1001")), 200);
  EXPECT_EQ(actions_.resyncs().size(), 1u);
}

TEST_F(SipHandlerTest, WrongPasswordGetsNoAction) {
  std::string reply = Authenticated("reboot_now", "1001", "wrong");
  EXPECT_EQ(SipStatus(reply), 401);
  EXPECT_EQ(SipHeader(reply, "WWW-Authenticate").find("stale=true"), std::string::npos);
  EXPECT_EQ(actions_.reboots(), 0);
  EXPECT_TRUE(actions_.resyncs().empty());
  EXPECT_NE(log_.find("not authenticated (user \"1001\")"), std::string::npos);
  EXPECT_EQ(log_.find("wrong"), std::string::npos);  // no secret in the log
}

TEST_F(SipHandlerTest, ReplayedNonceIsRefused) {
  std::string challenge = Send(Notify("reboot_now", 1));
  std::string auth = AuthorizationFor(challenge, "1001", "s3cret");
  EXPECT_EQ(SipStatus(Send(Notify("reboot_now", 2, auth))), 200);
  EXPECT_EQ(actions_.reboots(), 1);
  // The very same authenticated datagram again, and with a higher nonce-count.
  EXPECT_EQ(SipStatus(Send(Notify("reboot_now", 2, auth))), 401);
  EXPECT_EQ(SipStatus(Send(Notify("reboot_now", 3,
                                  AuthorizationFor(challenge, "1001", "s3cret", "00000002")))),
            401);
  EXPECT_EQ(actions_.reboots(), 1);
}

TEST_F(SipHandlerTest, ExpiredNonceIsStale) {
  std::string challenge = Send(Notify("resync", 1));
  clock_.Advance(31s);
  std::string reply = Send(Notify("resync", 2, AuthorizationFor(challenge, "1001", "s3cret")));
  EXPECT_EQ(SipStatus(reply), 401);
  EXPECT_NE(SipHeader(reply, "WWW-Authenticate").find("stale=true"), std::string::npos);
  EXPECT_TRUE(actions_.resyncs().empty());
  // The fresh nonce works.
  EXPECT_EQ(SipStatus(Send(Notify("resync", 3, AuthorizationFor(reply, "1001", "s3cret")))), 200);
}

TEST_F(SipHandlerTest, DigestForAnotherUriIsRefused) {
  std::string challenge = Send(Notify("resync", 1));
  std::string auth = AuthorizationFor(challenge, "1001", "s3cret", "00000001", "sip:other@x");
  EXPECT_EQ(SipStatus(Send(Notify("resync", 2, auth))), 401);
  EXPECT_TRUE(actions_.resyncs().empty());
}

TEST_F(SipHandlerTest, UnknownEventIs489) {
  std::string reply = Send(Notify("check-sync"));
  EXPECT_EQ(SipStatus(reply), 489) << reply;
  EXPECT_EQ(SipHeader(reply, "Allow-Events"), "resync, reboot_now, restart_now");
  EXPECT_EQ(SipStatus(Send(Notify("message-summary"))), 489);
}

TEST_F(SipHandlerTest, ResyncFromSipDisabled) {
  ASSERT_TRUE(actions_.Set({{"Resync_From_SIP", "No"}}).ok());
  EXPECT_EQ(SipStatus(Send(Notify("resync"))), 403);
  // reboot_now is not a resync: still challenged.
  EXPECT_EQ(SipStatus(Send(Notify("reboot_now"))), 401);
}

TEST_F(SipHandlerTest, NoLineUserIsForbidden) {
  ASSERT_TRUE(actions_.Set({{"User_ID_1_", ""}}).ok());
  EXPECT_EQ(SipStatus(Send(Notify("resync"))), 403);
}

TEST_F(SipHandlerTest, ProvisionDisabledRefusesTheHonouredResync) {
  ASSERT_TRUE(actions_.Set({{"Provision_Enable", "No"}}).ok());
  EXPECT_EQ(SipStatus(Authenticated("resync")), 403);
}

TEST_F(SipHandlerTest, OtherMethodsAndMalformedRequests) {
  std::string options = Notify("resync");
  options.replace(0, 6, "OPTIONS");
  options.replace(options.find("1 NOTIFY"), 8, "1 OPTIONS");
  EXPECT_EQ(SipStatus(Send(options)), 200);
  std::string invite = Notify("resync");
  invite.replace(0, 6, "INVITE");
  invite.replace(invite.find("1 NOTIFY"), 8, "1 INVITE");
  std::string reply = Send(invite);
  EXPECT_EQ(SipStatus(reply), 405);
  EXPECT_EQ(SipHeader(reply, "Allow"), "NOTIFY, OPTIONS");
  // CSeq method mismatch, missing Call-ID, missing Event.
  std::string mismatch = Notify("resync");
  mismatch.replace(mismatch.find("1 NOTIFY"), 8, "1 INVITE");
  EXPECT_EQ(SipStatus(Send(mismatch)), 400);
  std::string no_callid = Notify("resync");
  no_callid.erase(no_callid.find("Call-ID"), no_callid.find("CSeq") - no_callid.find("Call-ID"));
  EXPECT_EQ(SipStatus(Send(no_callid)), 400);
  std::string no_event = Notify("resync");
  no_event.erase(no_event.find("Event"), std::string("Event: resync\r\n").size());
  EXPECT_EQ(SipStatus(Send(no_event)), 400);
  // Not answered at all: garbage, responses, ACK.
  EXPECT_EQ(Send("hello"), "");
  EXPECT_EQ(Send("SIP/2.0 200 OK\r\nCSeq: 1 NOTIFY\r\n\r\n"), "");
  std::string ack = Notify("resync");
  ack.replace(0, 6, "ACK");
  EXPECT_EQ(Send(ack), "");
  EXPECT_TRUE(actions_.resyncs().empty());
}

TEST_F(SipHandlerTest, CompactFormsAndFoldingAreUnderstood) {
  std::string challenge = Send(Notify("resync", 1));
  std::string auth = AuthorizationFor(challenge, "1001", "s3cret");
  // Compact names, lower-case names, the Authorization folded over two lines, bare LFs.
  std::string msg = "NOTIFY " + kRequestUri +
                    " SIP/2.0\n"
                    "v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx\n"
                    "f: <sip:proxy@example.com>;tag=f1\n"
                    "t: <sip:1001@example.com>\n"
                    "i: compact@192.0.2.1\n"
                    "cseq: 2 NOTIFY\n"
                    "o: resync;profile=\"http://h/c.xml\"\n";
  std::string a = auth.substr(0, auth.size() - 2);  // without CRLF
  size_t split = a.find(", uri=");
  msg += a.substr(0, split + 1) + "\n " + a.substr(split + 2) + "\n";
  msg += "l: 0\n\n";
  std::string reply = Send(msg);
  EXPECT_EQ(SipStatus(reply), 200) << reply;
  EXPECT_EQ(SipHeader(reply, "Call-ID"), "compact@192.0.2.1");
  ASSERT_EQ(actions_.resyncs().size(), 1u);
  EXPECT_EQ(actions_.resyncs()[0].value_or(""), "http://h/c.xml");
}

TEST_F(SipHandlerTest, OutstandingNoncesAreBounded) {
  // A flood of unauthenticated NOTIFYs keeps at most max_nonces (256) challenges: the oldest is
  // forgotten, a recent one still works.
  std::string first = Send(Notify("resync", 1));
  std::string last;
  for (int i = 0; i < 300; ++i) last = Send(Notify("resync", i + 2));
  EXPECT_EQ(SipStatus(Send(Notify("resync", 400, AuthorizationFor(first, "1001", "s3cret")))), 401);
  EXPECT_EQ(SipStatus(Send(Notify("resync", 401, AuthorizationFor(last, "1001", "s3cret")))), 200);
  EXPECT_EQ(actions_.resyncs().size(), 1u);
}

}  // namespace
}  // namespace agent_admin_test
