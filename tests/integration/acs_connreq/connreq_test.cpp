// HTTP and UDP connection requests against real loopback responders.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "acs/connection_request.h"
#include "acs/http_basic.h"
#include "acs/http_digest.h"
#include "acs/http_server.h"
#include "store_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

using namespace std::chrono_literals;

const ConnectionRequestCredentials kCred{"cpe-user", cwmp::Secret("cpe-pass")};

enum class Mode { kDigest, kBasic, kStatus503, kOpen };

// The CPE's HTTP side.
class Responder {
 public:
  explicit Responder(Mode mode) : mode_(mode) {
    auto s = http::HttpServer::Start(
        {}, [this](const http::Request& r, const http::ConnectionInfo&) { return Handle(r); });
    EXPECT_TRUE(s.ok());
    server_ = std::move(s).value();
  }
  std::string Url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/cr/8f3a";
  }
  int accepted() const { return accepted_; }
  int requests() const { return requests_; }

 private:
  http::Response Handle(const http::Request& r) {
    requests_++;
    http::Response resp;
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, "/cr/8f3a");
    if (mode_ == Mode::kStatus503) {
      resp.status = 503;
      return resp;
    }
    if (mode_ == Mode::kOpen) {
      accepted_++;
      resp.status = 200;
      return resp;
    }
    const std::string* a = r.Find("Authorization");
    auto now = std::chrono::system_clock::now();
    bool ok = false;
    if (a != nullptr && mode_ == Mode::kDigest) {
      auto c = http::ParseDigestAuthorization(*a);
      ok = c.ok() && c->username == kCred.username &&
           auth_.Verify(*c, r.method, r.target, kCred.password, now) ==
               http::DigestAuthenticator::Verdict::kOk;
    } else if (a != nullptr && mode_ == Mode::kBasic) {
      auto c = http::ParseBasicAuthorization(*a);
      ok = c.ok() && c->username == kCred.username &&
           http::PasswordsEqual(c->password, kCred.password);
    }
    if (ok) {
      accepted_++;
      resp.status = 204;
      return resp;
    }
    resp.status = 401;
    if (mode_ == Mode::kDigest) {
      for (const auto& ch : auth_.Challenges(now, false)) {
        resp.headers.push_back({"WWW-Authenticate", ch});
      }
    } else {
      resp.headers.push_back({"WWW-Authenticate", http::BasicChallenge("cpe")});
    }
    return resp;
  }

  Mode mode_;
  http::DigestAuthenticator auth_{cwmp::Secret("k"), "cpe", std::chrono::seconds(60),
                                  http::SystemRandom()};
  std::unique_ptr<http::HttpServer> server_;
  std::atomic<int> accepted_{0};
  std::atomic<int> requests_{0};
};

// A UDP socket on 127.0.0.1:0.
class UdpListener {
 public:
  UdpListener() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    socklen_t len = sizeof(a);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~UdpListener() { ::close(fd_); }
  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }
  // Datagrams that arrive within `wait`.
  std::vector<std::string> Receive(std::chrono::milliseconds wait) {
    std::vector<std::string> out;
    auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[2048];
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n > 0) out.emplace_back(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// What a CPE does with an Annex G datagram: parse, check the signature. Returns the query.
std::map<std::string, std::string> CheckUdpMessage(const std::string& msg,
                                                   const std::string& address,
                                                   const cwmp::Secret& password) {
  std::map<std::string, std::string> q;
  std::string prefix = "GET http://" + address + "?";
  EXPECT_EQ(msg.rfind(prefix, 0), 0u) << msg;
  size_t end = msg.find(" HTTP/1.1\r\n");
  EXPECT_NE(end, std::string::npos) << msg;
  EXPECT_NE(msg.find("\r\nHost: " + address + "\r\n\r\n"), std::string::npos) << msg;
  if (end == std::string::npos) return q;
  std::string query = msg.substr(prefix.size(), end - prefix.size());
  size_t pos = 0;
  while (pos < query.size()) {
    size_t amp = query.find('&', pos);
    std::string item = query.substr(pos, amp == std::string::npos ? amp : amp - pos);
    size_t eq = item.find('=');
    q[item.substr(0, eq)] = item.substr(eq + 1);
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  // Independent HMAC-SHA1 over ts|id|un|cn with the password.
  std::string text = q["ts"] + q["id"] + q["un"] + q["cn"];
  unsigned char mac[20];
  unsigned int len = 0;
  HMAC(EVP_sha1(), password.Reveal().data(), static_cast<int>(password.Reveal().size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &len);
  char hex[41];
  for (int i = 0; i < 20; ++i) std::snprintf(hex + 2 * i, 3, "%02x", mac[i]);
  EXPECT_EQ(q["sig"], std::string(hex, 40)) << msg;
  return q;
}

TEST(HttpConnectionRequest, DigestAccepted) {
  Responder r(Mode::kDigest);
  auto res = SendHttpConnectionRequest(r.Url(), kCred, 2s);
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kOk) << res.message;
  EXPECT_EQ(res.http_status, 204);
  EXPECT_EQ(r.requests(), 2);
  EXPECT_EQ(r.accepted(), 1);
  EXPECT_FALSE(res.udp);
}

TEST(HttpConnectionRequest, WrongPasswordIsAuthFailed) {
  Responder r(Mode::kDigest);
  auto res = SendHttpConnectionRequest(r.Url(), {"cpe-user", cwmp::Secret("nope")}, 2s);
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kAuthFailed);
  EXPECT_EQ(res.http_status, 401);
  EXPECT_EQ(r.accepted(), 0);
  EXPECT_EQ(res.message.find("nope"), std::string::npos);
}

TEST(HttpConnectionRequest, BasicWhenThatIsAllTheCpeOffers) {
  Responder r(Mode::kBasic);
  auto res = SendHttpConnectionRequest(r.Url(), kCred, 2s);
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kOk) << res.message;
  EXPECT_EQ(r.accepted(), 1);
}

TEST(HttpConnectionRequest, NoAuthNeeded) {
  Responder r(Mode::kOpen);
  auto res = SendHttpConnectionRequest(r.Url(), kCred, 2s);
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kOk);
  EXPECT_EQ(res.http_status, 200);
  EXPECT_EQ(r.requests(), 1);
}

TEST(HttpConnectionRequest, BusyCpeIsHttpError) {
  Responder r(Mode::kStatus503);
  auto res = SendHttpConnectionRequest(r.Url(), kCred, 2s);
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kHttpError);
  EXPECT_EQ(res.http_status, 503);
}

TEST(HttpConnectionRequest, ClosedPortIsUnreachable) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  socklen_t len = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);  // nothing listens there now
  auto res = SendHttpConnectionRequest(
      "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/", kCred, 2s);
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kUnreachable) << res.message;
}

TEST(HttpConnectionRequest, SilentCpeTimesOut) {
  // Listens but never accepts: the kernel completes the handshake, no answer ever comes.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  auto start = std::chrono::steady_clock::now();
  auto res = SendHttpConnectionRequest(
      "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/cr", kCred, 300ms);
  auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kTimeout) << res.message;
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 2s);
}

TEST(HttpConnectionRequest, BadUrls) {
  for (const char* url :
       {"ftp://cpe/cr", "https://cpe/cr", "http://", "http://h:99999/", "http://user:pw@h/"}) {
    auto res = SendHttpConnectionRequest(url, kCred, 1s);
    EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kBadAddress) << url;
  }
}

TEST(UdpConnectionRequest, SendsSignedCopiesWithOneId) {
  UdpListener cpe;
  auto res = SendUdpConnectionRequest(cpe.Address(), kCred, 1767225600, 3, 10ms);
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kSent) << res.message;
  EXPECT_TRUE(res.udp);
  auto got = cpe.Receive(500ms);
  ASSERT_EQ(got.size(), 3u);
  std::string id;
  for (const auto& msg : got) {
    auto q = CheckUdpMessage(msg, cpe.Address(), kCred.password);
    EXPECT_EQ(q["ts"], "1767225600");
    EXPECT_EQ(q["un"], "cpe-user");
    EXPECT_FALSE(q["cn"].empty());
    if (id.empty()) id = q["id"];
    EXPECT_EQ(q["id"], id) << "retransmissions share the id";
  }
  // A wrong password on the CPE side would not verify.
  std::string wrong = UdpConnectionRequestSignature("1", "2", "u", cwmp::Secret("a"), "c");
  EXPECT_NE(wrong, UdpConnectionRequestSignature("1", "2", "u", cwmp::Secret("b"), "c"));
}

TEST(UdpConnectionRequest, BadAddress) {
  for (const char* a : {"", "host:", "host:0", "host:70000", "::1", "[::1]x"}) {
    EXPECT_EQ(SendUdpConnectionRequest(a, kCred, 0, 1, 0ms).outcome,
              ConnectionRequestOutcome::kBadAddress)
        << a;
  }
}

class StoreRequesterTest : public StoreTest {};

TEST_F(StoreRequesterTest, UsesStoredUrlAndCredentials) {
  Responder r(Mode::kDigest);
  InformRecord in = Inform("SN1", kT0);
  in.parameters = {{"Device.ManagementServer.ConnectionRequestURL", r.Url(), "xsd:string"},
                   {"Device.ManagementServer.ConnectionRequestUsername", "cpe-user", "xsd:string"},
                   {"Device.ManagementServer.ConnectionRequestPassword", "cpe-pass", "xsd:string"}};
  ASSERT_TRUE(store_->RecordInform(in).ok());
  StoreConnectionRequester req(*store_, {});
  auto res = req.Request(DeviceIdOf(in.device));
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kOk) << res.message;
  EXPECT_EQ(r.accepted(), 1);
}

TEST_F(StoreRequesterTest, EmptyStoredPasswordFallsBackToTheDefault) {
  Responder r(Mode::kDigest);
  InformRecord in = Inform("SN2", kT0);
  // TR-098 root; CPEs read back passwords as "".
  in.parameters = {
      {"InternetGatewayDevice.ManagementServer.ConnectionRequestURL", r.Url(), "xsd:string"},
      {"InternetGatewayDevice.ManagementServer.ConnectionRequestPassword", "", "xsd:string"}};
  ASSERT_TRUE(store_->RecordInform(in).ok());
  ConnectionRequestOptions o;
  o.default_username = "cpe-user";
  o.default_password = cwmp::Secret("cpe-pass");
  StoreConnectionRequester req(*store_, o);
  EXPECT_EQ(req.Request(DeviceIdOf(in.device)).outcome, ConnectionRequestOutcome::kOk);
  StoreConnectionRequester no_default(*store_, {});
  EXPECT_EQ(no_default.Request(DeviceIdOf(in.device)).outcome,
            ConnectionRequestOutcome::kAuthFailed);
}

TEST_F(StoreRequesterTest, FallsBackToUdpWhenHttpCannotReachTheCpe) {
  UdpListener cpe;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);  // a port with nothing listening
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  socklen_t len = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  InformRecord in = Inform("SN3", kT0);
  in.parameters = {
      {"Device.ManagementServer.ConnectionRequestURL",
       "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/cr", "xsd:string"},
      {"Device.ManagementServer.ConnectionRequestUsername", "cpe-user", "xsd:string"},
      {"Device.ManagementServer.ConnectionRequestPassword", "cpe-pass", "xsd:string"},
      {"Device.ManagementServer.UDPConnectionRequestAddress", cpe.Address(), "xsd:string"}};
  ASSERT_TRUE(store_->RecordInform(in).ok());
  ConnectionRequestOptions o;
  o.udp_copies = 2;
  o.udp_interval = 5ms;
  o.unix_now = [] { return int64_t{1767225700}; };
  StoreConnectionRequester req(*store_, o);
  auto res = req.Request(DeviceIdOf(in.device));
  EXPECT_EQ(res.outcome, ConnectionRequestOutcome::kSent) << res.message;
  EXPECT_TRUE(res.udp);
  EXPECT_NE(res.message.find("HTTP:"), std::string::npos);
  auto got = cpe.Receive(500ms);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(CheckUdpMessage(got[0], cpe.Address(), cwmp::Secret("cpe-pass"))["ts"], "1767225700");
}

TEST_F(StoreRequesterTest, NoAddressAndUnknownDevice) {
  InformRecord in = Inform("SN4", kT0);
  ASSERT_TRUE(store_->RecordInform(in).ok());
  StoreConnectionRequester req(*store_, {});
  EXPECT_EQ(req.Request(DeviceIdOf(in.device)).outcome, ConnectionRequestOutcome::kNoAddress);
  EXPECT_EQ(req.Request("nobody").outcome, ConnectionRequestOutcome::kNotFound);
}

}  // namespace
}  // namespace acs::testing
