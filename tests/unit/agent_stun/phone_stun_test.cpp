// PhoneStun (the runtime's STUN driver) with its hooks recording what it sends and the wake-ups
// it asks for, fed with responses built by the agent's own STUN codec; and the helpers it
// shares with the threaded UdpConnectionRequestServer.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "agent/stun.h"
#include "runtime/phone_stun.h"

namespace {

using namespace std::chrono_literals;
using agent::PhoneStun;
using agent::StunAddress;
using agent::StunSettings;

TEST(StunHelpers, ServerAddressForms) {
  auto a = agent::ParseStunServerAddress("192.0.2.1");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (StunAddress{"192.0.2.1", 3478}));
  EXPECT_EQ(*agent::ParseStunServerAddress("192.0.2.1:19302"), (StunAddress{"192.0.2.1", 19302}));
  EXPECT_EQ(*agent::ParseStunServerAddress("192.0.2.1", 5000), (StunAddress{"192.0.2.1", 5000}));
  for (const char* bad :
       {"stun.example.com", "192.0.2.1:0", "192.0.2.1:65536", "192.0.2.1:x", ""}) {
    EXPECT_EQ(agent::ParseStunServerAddress(bad).status().code(),
              cwmp::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(StunHelpers, KeepAlivePeriodStaysWithinMinimumAndMaximum) {
  EXPECT_EQ(agent::StunKeepAlivePeriod(0, -1, 30s), 30s);   // no limits: the preferred period
  EXPECT_EQ(agent::StunKeepAlivePeriod(60, -1, 30s), 60s);  // not more often than the minimum
  EXPECT_EQ(agent::StunKeepAlivePeriod(0, 10, 30s), 10s);   // at least every maximum seconds
  EXPECT_EQ(agent::StunKeepAlivePeriod(20, 10, 30s), 20s);  // inconsistent: the minimum wins
  EXPECT_EQ(agent::StunKeepAlivePeriod(0, 0, 30s), 1s);     // never a busy loop
}

class PhoneStunTest : public ::testing::Test {
 protected:
  PhoneStunTest()
      : stun_({[this](const StunAddress& to, std::string_view d) {
                 sent_.push_back({to, std::string(d)});
               },
               [this](uint64_t generation, PhoneStun::TimePoint when) {
                 wakes_.push_back({generation, when});
               }}) {}

  static StunSettings On(const std::string& server = "127.0.0.1") {
    StunSettings s;
    s.enable = true;
    s.server_address = server;
    s.server_port = 3478;
    return s;
  }
  agent::StunMessage LastSent() const { return *agent::DecodeStunMessage(sent_.back().second); }
  std::string Answer(const StunAddress& mapped) const {
    return agent::EncodeStunBindingResponse(LastSent().transaction_id, mapped, false);
  }

  std::vector<std::pair<StunAddress, std::string>> sent_;
  std::vector<std::pair<uint64_t, PhoneStun::TimePoint>> wakes_;
  PhoneStun stun_;
};

TEST_F(PhoneStunTest, OffByDefaultAndWhenDisabled) {
  StunSettings off = On();
  off.enable = false;
  EXPECT_TRUE(stun_.Configure(off, "http://127.0.0.1:7547/acs").ok());
  EXPECT_FALSE(stun_.running());
  EXPECT_TRUE(sent_.empty());
  EXPECT_TRUE(wakes_.empty());
}

TEST_F(PhoneStunTest, BindsAtOnceLearnsTheMappingAndArmsTheKeepAlive) {
  ASSERT_TRUE(stun_.Configure(On(), "http://acs.invalid/").ok());
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].first, (StunAddress{"127.0.0.1", 3478}));
  EXPECT_TRUE(LastSent().binding_change);
  EXPECT_EQ(LastSent().connection_request_binding, std::string("dslforum.org/TR-111 "));
  ASSERT_FALSE(wakes_.empty());  // the retransmission timer
  EXPECT_FALSE(stun_.OnDatagram("not stun at all"));
  EXPECT_TRUE(stun_.OnDatagram(Answer({"203.0.113.9", 41000})));
  EXPECT_EQ(stun_.mapped(), (StunAddress{"203.0.113.9", 41000}));
  EXPECT_TRUE(stun_.NatDetected(7547));
  // The retransmission wake-up still fires; it sends nothing now and arms the keep-alive,
  // about 30 s later.
  auto [generation, when] = wakes_.back();
  std::this_thread::sleep_until(when + 5ms);
  size_t sent = sent_.size();
  stun_.OnWake(generation, when);
  EXPECT_EQ(sent_.size(), sent);
  EXPECT_GT(wakes_.back().second, std::chrono::system_clock::now() + 25s);
  // Same settings again: nothing restarts.
  size_t before = sent_.size();
  ASSERT_TRUE(stun_.Configure(On(), "http://acs.invalid/").ok());
  EXPECT_EQ(sent_.size(), before);
  EXPECT_TRUE(stun_.mapped().has_value());
}

TEST_F(PhoneStunTest, NoNatWhenTheMappingIsTheLocalAddress) {
  ASSERT_TRUE(stun_.Configure(On(), "").ok());
  EXPECT_TRUE(stun_.OnDatagram(Answer({"127.0.0.1", 7547})));
  EXPECT_FALSE(stun_.NatDetected(7547));
  EXPECT_TRUE(stun_.NatDetected(7548));  // port mapping alone is a NAT too
}

TEST_F(PhoneStunTest, EmptyServerAddressMeansTheAcsHost) {
  StunSettings s = On("");
  s.server_port = 3479;
  ASSERT_TRUE(stun_.Configure(s, "https://127.0.0.2:7548/cwmp").ok());
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].first, (StunAddress{"127.0.0.2", 3479}));
  // A new ACS URL moves the binding to the new host.
  ASSERT_TRUE(stun_.Configure(s, "http://127.0.0.3/").ok());
  EXPECT_EQ(sent_.back().first, (StunAddress{"127.0.0.3", 3479}));
  EXPECT_FALSE(stun_.Configure(s, "").ok());
  EXPECT_FALSE(stun_.running());
}

TEST_F(PhoneStunTest, UnresolvableServerLeavesTheBindingOff) {
  auto st = stun_.Configure(On("no-such-host.invalid"), "");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("no-such-host.invalid"), std::string::npos) << st.message();
  EXPECT_FALSE(stun_.running());
  EXPECT_TRUE(sent_.empty());
}

TEST_F(PhoneStunTest, RetransmitsOnWakeAndStaleWakesDoNothing) {
  ASSERT_TRUE(stun_.Configure(On(), "").ok());
  auto [generation, when] = wakes_.back();
  std::this_thread::sleep_until(when + 5ms);
  stun_.OnWake(generation, when);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[0].second, sent_[1].second);  // the same transaction, byte for byte
  // Reconfigured (another server): the old timers are void, the new binding starts at once.
  ASSERT_TRUE(stun_.Configure(On("127.0.0.9"), "").ok());
  ASSERT_EQ(sent_.size(), 3u);
  stun_.OnWake(generation, when);
  EXPECT_EQ(sent_.size(), 3u);
  stun_.Stop();
  auto [g2, w2] = wakes_.back();
  stun_.OnWake(g2, w2);
  EXPECT_EQ(sent_.size(), 3u);
  EXPECT_FALSE(stun_.mapped().has_value());
}

}  // namespace
