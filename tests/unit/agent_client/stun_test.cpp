// STUN codec (RFC 5389 / 3489 with the TR-111 attributes) and the binding state machine.
#include <gtest/gtest.h>

#include "agent/stun.h"
#include "fake_clock.h"

namespace {

using namespace std::chrono_literals;
using agent::StunTransactionId;

const StunTransactionId kId = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                               0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s += static_cast<char>(x);
  return s;
}

TEST(Stun, BindingRequestWireFormat) {
  std::string m = agent::EncodeStunBindingRequest(kId, {true, "", nullptr});
  // Header: type 0x0001, length 28 (24 for CONNECTION-REQUEST-BINDING + 4 for BINDING-CHANGE),
  // the magic cookie, the transaction id.
  EXPECT_EQ(m.substr(0, 8), Bytes({0x00, 0x01, 0x00, 0x1c, 0x21, 0x12, 0xa4, 0x42}));
  EXPECT_EQ(m.substr(8, 12), std::string(kId.begin(), kId.end()));
  EXPECT_EQ(m.substr(20, 4), Bytes({0xc0, 0x01, 0x00, 0x14}));
  EXPECT_EQ(m.substr(24, 20), "dslforum.org/TR-111 ");
  EXPECT_EQ(m.substr(44, 4), Bytes({0xc0, 0x02, 0x00, 0x00}));
  EXPECT_EQ(m.size(), 48u);
  auto d = agent::DecodeStunMessage(m);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->type, agent::kStunBindingRequest);
  EXPECT_TRUE(d->magic_cookie);
  EXPECT_EQ(d->connection_request_binding, "dslforum.org/TR-111 ");
  EXPECT_TRUE(d->binding_change);
  EXPECT_FALSE(d->message_integrity);

  auto plain = agent::DecodeStunMessage(agent::EncodeStunBindingRequest(kId, {false, "", nullptr}));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->binding_change);
}

TEST(Stun, Rfc5769SampleIpv4ResponseXorMappedAddress) {
  // RFC 5769 §2.2: XOR-MAPPED-ADDRESS 192.0.2.1:32853 for this transaction id.
  std::string m = Bytes({0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42}) +
                  std::string(kId.begin(), kId.end()) +
                  Bytes({0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43});
  auto d = agent::DecodeStunMessage(m);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_TRUE(d->Mapped());
  EXPECT_EQ(d->Mapped()->ToString(), "192.0.2.1:32853");
}

TEST(Stun, ResponseRoundTripIpv4AndIpv6AndRfc3489MappedAddress) {
  for (const agent::StunAddress& a :
       {agent::StunAddress{"203.0.113.7", 40001}, agent::StunAddress{"2001:db8::1", 7547}}) {
    auto d = agent::DecodeStunMessage(agent::EncodeStunBindingResponse(kId, a, true));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->xor_mapped_address, a);
    EXPECT_EQ(d->mapped_address, a);
    EXPECT_EQ(d->transaction_id, kId);
  }
  EXPECT_EQ((agent::StunAddress{"2001:db8::1", 7547}.ToString()), "[2001:db8::1]:7547");
  // An RFC 3489 server: no cookie (those bytes are id), only MAPPED-ADDRESS.
  std::string m = Bytes({0x01, 0x01, 0x00, 0x0c, 1, 2, 3, 4}) +
                  std::string(kId.begin(), kId.end()) +
                  Bytes({0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x1f, 0x90, 198, 51, 100, 9});
  auto d = agent::DecodeStunMessage(m);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->magic_cookie);
  EXPECT_EQ(d->Mapped()->ToString(), "198.51.100.9:8080");
}

TEST(Stun, RejectsMalformedMessages) {
  std::string hdr =
      Bytes({0x01, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42}) + std::string(kId.begin(), kId.end());
  const std::string bad[] = {
      "",
      std::string(19, '\0'),
      "GET http://x?ts=1 HTTP/1.1\r\n\r\n",
      hdr + Bytes({0x00, 0x20, 0x00, 0x10, 0, 1, 0, 0}),  // attribute overruns
      hdr + Bytes({0x00, 0x20, 0x00, 0x04, 0, 1, 0, 0}),  // address too short
      hdr + Bytes({0x00, 0x01, 0x00, 0x04, 0, 3, 0, 0}),  // unknown family
      hdr.substr(0, 3) + Bytes({0x09}) + hdr.substr(4) + std::string(8, '\0'),  // length mismatch
  };
  for (const auto& b : bad) EXPECT_FALSE(agent::DecodeStunMessage(b).ok()) << b.size();
  EXPECT_FALSE(agent::LooksLikeStun("GET http://x?ts=1&id=2 HTTP/1.1\r\n\r\n"));
}

TEST(Stun, MessageIntegrityIsVerifiable) {
  cwmp::Secret pw("stunpw");
  std::string m = agent::EncodeStunBindingRequest(kId, {false, "phone-1", &pw});
  auto d = agent::DecodeStunMessage(m);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->username, "phone-1");
  EXPECT_TRUE(d->message_integrity);
  EXPECT_TRUE(agent::VerifyStunIntegrity(m, pw));
  EXPECT_FALSE(agent::VerifyStunIntegrity(m, cwmp::Secret("other")));
  std::string tampered = m;
  tampered[30] ^= 1;
  EXPECT_FALSE(agent::VerifyStunIntegrity(tampered, pw));
}

class Binding : public ::testing::Test {
 protected:
  agent::StunBindingClient Make(agent::StunBindingOptions o = {}) {
    o.keepalive_period = 30s;
    o.initial_rto = 250ms;
    o.max_transmissions = 3;
    return agent::StunBindingClient(std::move(o), [this] {
      StunTransactionId id{};
      id[0] = static_cast<uint8_t>(++ids);
      return id;
    });
  }
  static StunTransactionId IdOf(const std::string& m) {
    StunTransactionId id{};
    std::copy(m.begin() + 8, m.begin() + 20, id.begin());
    return id;
  }
  agent_test::FakeClientClock clock;
  int ids = 0;
};

TEST_F(Binding, FirstBindingKeepAliveAndChange) {
  auto b = Make();
  auto r1 = b.Poll(clock.Now());
  ASSERT_TRUE(r1);
  EXPECT_TRUE(agent::DecodeStunMessage(*r1)->binding_change);  // first binding
  EXPECT_FALSE(b.Poll(clock.Now()));                           // waiting for the answer
  auto first = b.OnDatagram(
      agent::EncodeStunBindingResponse(IdOf(*r1), {"203.0.113.7", 4000}, false), clock.Now());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->ToString(), "203.0.113.7:4000");
  EXPECT_EQ(b.NextWakeup(), clock.Now() + 30s);

  clock.Advance(30s);
  auto r2 = b.Poll(clock.Now());  // keep-alive, no BINDING-CHANGE
  ASSERT_TRUE(r2);
  EXPECT_FALSE(agent::DecodeStunMessage(*r2)->binding_change);
  EXPECT_FALSE(
      b.OnDatagram(agent::EncodeStunBindingResponse(IdOf(*r2), {"203.0.113.7", 4000}, false),
                   clock.Now()));  // unchanged

  clock.Advance(30s);
  auto r3 = b.Poll(clock.Now());
  ASSERT_TRUE(r3);
  // A response with a foreign transaction id is ignored.
  EXPECT_FALSE(
      b.OnDatagram(agent::EncodeStunBindingResponse(kId, {"198.51.100.1", 1}, false), clock.Now()));
  auto changed = b.OnDatagram(
      agent::EncodeStunBindingResponse(IdOf(*r3), {"203.0.113.7", 4100}, false), clock.Now());
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->port, 4100);
  auto r4 = b.Poll(clock.Now());  // at once, announcing the change
  ASSERT_TRUE(r4);
  EXPECT_TRUE(agent::DecodeStunMessage(*r4)->binding_change);
  EXPECT_FALSE(b.OnDatagram(
      agent::EncodeStunBindingResponse(IdOf(*r4), {"203.0.113.7", 4100}, false), clock.Now()));
  clock.Advance(30s);
  auto r5 = b.Poll(clock.Now());
  ASSERT_TRUE(r5);
  EXPECT_FALSE(agent::DecodeStunMessage(*r5)->binding_change);
}

TEST_F(Binding, RetransmitsWithBackoffThenWaitsForTheNextKeepAlive) {
  auto b = Make();
  auto r1 = b.Poll(clock.Now());
  ASSERT_TRUE(r1);
  clock.Advance(249ms);
  EXPECT_FALSE(b.Poll(clock.Now()));
  clock.Advance(1ms);
  EXPECT_EQ(b.Poll(clock.Now()), r1);  // same transaction
  clock.Advance(500ms);
  EXPECT_EQ(b.Poll(clock.Now()), r1);  // third and last transmission
  clock.Advance(1000ms);
  EXPECT_FALSE(b.Poll(clock.Now()));  // given up
  EXPECT_EQ(b.NextWakeup(), clock.Now() + 30s);
  clock.Advance(30s);
  auto r2 = b.Poll(clock.Now());
  ASSERT_TRUE(r2);
  EXPECT_NE(IdOf(*r2), IdOf(*r1));
  EXPECT_TRUE(agent::DecodeStunMessage(*r2)->binding_change);  // still never bound
}

TEST_F(Binding, Unauthorized401AddsUsernameAndIntegrity) {
  agent::StunBindingOptions o;
  o.username = "phone-1";
  o.password = cwmp::Secret("stunpw");
  auto b = Make(std::move(o));
  auto r1 = b.Poll(clock.Now());
  ASSERT_TRUE(r1);
  EXPECT_FALSE(agent::DecodeStunMessage(*r1)->username);
  auto id = IdOf(*r1);
  std::string err = Bytes({0x01, 0x11, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42}) +
                    std::string(id.begin(), id.end()) +
                    Bytes({0x00, 0x09, 0x00, 0x04, 0x00, 0x00, 0x04, 0x01});
  EXPECT_FALSE(b.OnDatagram(err, clock.Now()));
  auto r2 = b.Poll(clock.Now());
  ASSERT_TRUE(r2);
  auto d = agent::DecodeStunMessage(*r2);
  EXPECT_EQ(d->username, "phone-1");
  EXPECT_TRUE(agent::VerifyStunIntegrity(*r2, cwmp::Secret("stunpw")));
}

}  // namespace
