// Resync_From_SIP over real UDP on loopback: NOTIFY -> 401 -> authenticated NOTIFY -> 200 and
// the action; wrong password, replays and hostile datagrams change nothing.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/sip_listener.h"
#include "loopback_port.h"
#include "sip_test_util.h"
#include "store_admin_actions.h"

namespace agent_admin_test {
namespace {

class UdpPeer {
 public:
  UdpPeer() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  }
  ~UdpPeer() { close(fd_); }
  void Send(uint16_t port, const std::string& datagram) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)!sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&a),
                  sizeof(a));
  }
  // The next datagram, or "" after `timeout_ms`.
  std::string Receive(int timeout_ms = 3000) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return "";
    char buf[65536];
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }
  std::string Exchange(uint16_t port, const std::string& datagram) {
    Send(port, datagram);
    return Receive();
  }

 private:
  int fd_ = -1;
};

class SipUdpTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(actions_.ok());
    ASSERT_TRUE(actions_.Set({{"User_ID_1_", "1001"}, {"Password_1_", "s3cret"}}).ok());
  }
  void Start(std::optional<uint16_t> port = uint16_t{0}) {
    agent::SipListenerOptions options;
    options.bind_address = "127.0.0.1";
    options.port = port;
    auto l = agent::SipListener::Start(options, actions_, clock_);
    ASSERT_TRUE(l.ok()) << l.status().message();
    listener_ = std::move(*l);
  }
  uint16_t port() const { return listener_->port(); }

  StoreAdminActions actions_;
  agent::SystemClientClock clock_;
  std::unique_ptr<agent::SipListener> listener_;
  UdpPeer proxy_;
};

TEST_F(SipUdpTest, ResyncAfterAuthenticatedRetry) {
  Start();
  std::string challenge = proxy_.Exchange(port(), Notify("resync", 1));
  ASSERT_EQ(SipStatus(challenge), 401) << challenge;
  EXPECT_TRUE(actions_.resyncs().empty());
  std::string ok =
      proxy_.Exchange(port(), Notify("resync", 2, AuthorizationFor(challenge, "1001", "s3cret")));
  ASSERT_EQ(SipStatus(ok), 200) << ok;
  EXPECT_EQ(SipHeader(ok, "CSeq"), "2 NOTIFY");
  ASSERT_EQ(actions_.resyncs().size(), 1u);
  EXPECT_FALSE(actions_.resyncs()[0]);
}

TEST_F(SipUdpTest, ProfileUrlFormAsInTheGuide) {
  Start();
  // The guide's example, unterminated quote included.
  const std::string event = "resync;profile=\"http://10.77.10.141/profile.xml";
  std::string challenge = proxy_.Exchange(port(), Notify(event, 1));
  ASSERT_EQ(SipStatus(challenge), 401);
  std::string ok =
      proxy_.Exchange(port(), Notify(event, 2, AuthorizationFor(challenge, "1001", "s3cret")));
  ASSERT_EQ(SipStatus(ok), 200) << ok;
  ASSERT_EQ(actions_.resyncs().size(), 1u);
  EXPECT_EQ(actions_.resyncs()[0].value_or(""), "http://10.77.10.141/profile.xml");
}

TEST_F(SipUdpTest, RebootAndRestartRunAfterTheAnswer) {
  Start();
  for (const std::string event : {"reboot_now", "restart_now"}) {
    std::string challenge = proxy_.Exchange(port(), Notify(event, 1));
    ASSERT_EQ(SipStatus(challenge), 401);
    EXPECT_EQ(SipStatus(proxy_.Exchange(
                  port(), Notify(event, 2, AuthorizationFor(challenge, "1001", "s3cret")))),
              200);
  }
  EXPECT_TRUE(actions_.WaitForRestarts(2));
  EXPECT_EQ(actions_.reboots(), 1);
  EXPECT_EQ(actions_.restarts(), 1);
}

TEST_F(SipUdpTest, WrongPasswordAndReplayDoNothing) {
  Start();
  std::string challenge = proxy_.Exchange(port(), Notify("reboot_now", 1));
  std::string bad = proxy_.Exchange(
      port(), Notify("reboot_now", 2, AuthorizationFor(challenge, "1001", "guess")));
  EXPECT_EQ(SipStatus(bad), 401);
  std::string auth = AuthorizationFor(bad, "1001", "s3cret");
  EXPECT_EQ(SipStatus(proxy_.Exchange(port(), Notify("reboot_now", 3, auth))), 200);
  EXPECT_EQ(SipStatus(proxy_.Exchange(port(), Notify("reboot_now", 3, auth))), 401);  // replay
  EXPECT_TRUE(actions_.WaitForRestarts(1));
  EXPECT_EQ(actions_.reboots(), 1);
}

TEST_F(SipUdpTest, UnknownEventAndHostileDatagrams) {
  Start();
  EXPECT_EQ(SipStatus(proxy_.Exchange(port(), Notify("dialog"))), 489);
  // No answer to garbage, an oversized datagram, or truncated SIP.
  proxy_.Send(port(), std::string(1000, '\xff'));
  proxy_.Send(port(), "NOTIFY sip:x SIP/2.0\r\nX: " + std::string(30000, 'a') + "\r\n\r\n");
  proxy_.Send(port(), Notify("resync").substr(0, 20));
  proxy_.Send(port(), "");
  EXPECT_EQ(proxy_.Receive(300), "");
  // Still serving.
  EXPECT_EQ(SipStatus(proxy_.Exchange(port(), Notify("resync"))), 401);
  EXPECT_TRUE(actions_.resyncs().empty());
}

TEST_F(SipUdpTest, PortFromSipPort1) {
  uint16_t port = cwmp_test::FreeLoopbackPort(SOCK_DGRAM);
  ASSERT_NE(port, 0);
  ASSERT_TRUE(actions_.Set({{"SIP_Port_1_", std::to_string(port)}}).ok());
  Start(std::nullopt);
  EXPECT_EQ(listener_->port(), port);
  EXPECT_EQ(SipStatus(proxy_.Exchange(port, Notify("resync"))), 401);
}

}  // namespace
}  // namespace agent_admin_test
