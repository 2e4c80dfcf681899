// The connection-request listeners on real loopback sockets: HTTP with Digest (the test is the
// ACS: raw sockets, its own Digest computation), UDP Annex G datagrams, and STUN against a small
// responder; an accepted HTTP request drives a CwmpClient session with "6 CONNECTION REQUEST".
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "acs_script.h"
#include "agent/connection_request.h"
#include "agent/connection_request_udp.h"
#include "agent/cwmp_client.h"
#include "agent/network_worker.h"
#include "agent/stun.h"
#include "scripted_http_server.h"
#include "test_delegate.h"

namespace agent_test {
namespace {

using namespace std::chrono_literals;

// Sends `request` to 127.0.0.1:port and returns the whole answer (the server closes).
std::string HttpExchange(uint16_t port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return "";
  }
  (void)!send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[2048];
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) break;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string HeaderOf(const std::string& response, const std::string& name) {
  size_t at = response.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return response.substr(at, response.find("\r\n", at) - at);
}

// What an ACS does: GET, read the challenge, GET again with Digest.
std::string DigestGet(uint16_t port, const std::string& path, const std::string& user,
                      const std::string& password, std::string* first = nullptr) {
  std::string challenge =
      HttpExchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  if (first) *first = challenge;
  auto p = agent::ParseDigestHeader(HeaderOf(challenge, "WWW-Authenticate"));
  if (!p) return challenge;
  std::string realm = (*p)["realm"], nonce = (*p)["nonce"];
  std::string ha1 = agent::Md5Hex(user + ":" + realm + ":" + password);
  std::string ha2 = agent::Md5Hex("GET:" + path);
  std::string response = agent::Md5Hex(ha1 + ":" + nonce + ":00000001:deadbeef:auth:" + ha2);
  return HttpExchange(
      port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Digest username=\"" +
                user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + path +
                "\", qop=auth, nc=00000001, cnonce=\"deadbeef\", response=\"" + response +
                "\", opaque=\"" + (*p)["opaque"] + "\"\r\n\r\n");
}

class Counter {
 public:
  void Hit() {
    std::lock_guard lock(mu_);
    ++count_;
    cv_.notify_all();
  }
  // Waits (bounded) until the count reaches n; returns the count.
  int WaitFor(int n, std::chrono::milliseconds limit = 5000ms) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, limit, [&] { return count_ >= n; });
    return count_;
  }
  int count() {
    std::lock_guard lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

agent::ConnectionRequestOptions CrOptions() {
  agent::ConnectionRequestOptions o;
  o.bind_address = "127.0.0.1";
  o.port = 0;
  o.username = "acs-cr";
  o.password = cwmp::Secret("Cr-Pass-1");
  o.max_requests = 2;
  o.window = 3600s;
  return o;
}

TEST(HttpConnectionRequest, GoodDigestIsAcceptedAndTriggersOnce) {
  agent::SystemClientClock clock;
  Counter hits;
  auto server = agent::ConnectionRequestServer::Start(CrOptions(), clock, [&] { hits.Hit(); });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const std::string& path = (*server)->path();
  EXPECT_EQ(path.size(), 33u);  // "/" + 32 random hex digits
  EXPECT_EQ((*server)->Url("192.0.2.10"),
            "http://192.0.2.10:" + std::to_string((*server)->port()) + path);
  EXPECT_EQ((*server)->Url("2001:db8::5").rfind("http://[2001:db8::5]:", 0), 0u);

  std::string challenge;
  std::string ok = DigestGet((*server)->port(), path, "acs-cr", "Cr-Pass-1", &challenge);
  EXPECT_EQ(StatusOf(challenge), 401);
  EXPECT_NE(HeaderOf(challenge, "WWW-Authenticate").find("qop=\"auth\""), std::string::npos);
  EXPECT_EQ(StatusOf(ok), 200) << ok;
  EXPECT_EQ(hits.WaitFor(1), 1);
}

TEST(HttpConnectionRequest, BadPasswordWrongPathAndRateLimit) {
  agent::SystemClientClock clock;
  Counter hits;
  auto server = agent::ConnectionRequestServer::Start(CrOptions(), clock, [&] { hits.Hit(); });
  ASSERT_TRUE(server.ok());
  uint16_t port = (*server)->port();
  const std::string path = (*server)->path();

  EXPECT_EQ(StatusOf(DigestGet(port, path, "acs-cr", "guess")), 401);
  EXPECT_EQ(StatusOf(HttpExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")), 404);
  EXPECT_EQ(StatusOf(HttpExchange(port, "GET /" + std::string(32, '0') + " HTTP/1.1\r\n\r\n")),
            404);
  EXPECT_EQ(StatusOf(HttpExchange(port, "garbage\r\n\r\n")), 400);

  EXPECT_EQ(StatusOf(DigestGet(port, path, "acs-cr", "Cr-Pass-1")), 200);
  EXPECT_EQ(StatusOf(DigestGet(port, path, "acs-cr", "Cr-Pass-1")), 200);
  std::string limited = DigestGet(port, path, "acs-cr", "Cr-Pass-1");
  EXPECT_EQ(StatusOf(limited), 503) << limited;
  EXPECT_EQ(limited.find("Retry-After"), std::string::npos);
  EXPECT_EQ(hits.WaitFor(2), 2);
  EXPECT_EQ(hits.count(), 2);  // the refused and limited requests triggered nothing
}

TEST(HttpConnectionRequest, SlowClientIsCutOffAtTheReadTimeout) {
  agent::SystemClientClock clock;
  auto options = CrOptions();
  options.read_timeout = 200ms;
  auto server = agent::ConnectionRequestServer::Start(std::move(options), clock, [] {});
  ASSERT_TRUE(server.ok());
  auto start = std::chrono::steady_clock::now();
  std::string answer = HttpExchange((*server)->port(), "GET / HTTP/1.1\r\n");  // never finishes
  EXPECT_EQ(answer, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(HttpConnectionRequest, BadOptionsAreReported) {
  agent::SystemClientClock clock;
  auto o = CrOptions();
  o.bind_address = "not-an-ip";
  EXPECT_EQ(agent::ConnectionRequestServer::Start(o, clock, {}).status().code(),
            cwmp::StatusCode::kInvalidArgument);
  auto p = CrOptions();
  p.path = "no-slash";
  EXPECT_EQ(agent::ConnectionRequestServer::Start(p, clock, {}).status().code(),
            cwmp::StatusCode::kInvalidArgument);
}

TEST(HttpConnectionRequest, AcceptedRequestRunsASessionWithEvent6) {
  ScriptedHttpServer acs(Script({InformResponseStep(), NoContent()}));
  RecordingDelegate device;
  agent::SystemClientClock clock;
  cwmp::prov::SystemRandom random(1);
  agent::CwmpClientOptions options;
  options.session.acs_url = acs.Url();
  agent::CwmpClient client(options, agent::MakeAcsHttpClient({}), device, clock, random);
  std::thread loop([&] { client.Run(); });
  auto server = agent::ConnectionRequestServer::Start(
      CrOptions(), clock, [&] { client.Trigger(agent::SessionTrigger::kConnectionRequest); });
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(StatusOf(DigestGet((*server)->port(), (*server)->path(), "acs-cr", "Cr-Pass-1")), 200);
  for (int i = 0; i < 500 && client.sessions_run() == 0; ++i) std::this_thread::sleep_for(10ms);
  client.Stop();
  loop.join();
  ASSERT_EQ(client.sessions_run(), 1u);
  auto wire = acs.requests();
  ASSERT_FALSE(wire.empty());
  auto d = cwmp::soap::Decode(wire[0].body);
  ASSERT_TRUE(d.ok());
  const auto& inform = std::get<cwmp::soap::Inform>(d->envelope.body);
  bool has6 = false;
  for (const auto& e : inform.events) has6 |= e.event_code == "6 CONNECTION REQUEST";
  EXPECT_TRUE(has6);
}

// ---- UDP (Annex G) ----------------------------------------------------------------------------

int UdpSocket(uint16_t* port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

void SendTo(int fd, uint16_t port, const std::string& data) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sendto(fd, data.data(), data.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof(a));
}

std::string UdpMessage(uint64_t ts, const std::string& id, const std::string& password) {
  std::string sig = agent::HmacSha1Hex(password, std::to_string(ts) + id + "acs-cr" + "CN" + id);
  return "GET http://127.0.0.1:7547?ts=" + std::to_string(ts) + "&id=" + id + "&un=acs-cr&cn=CN" +
         id + "&sig=" + sig + " HTTP/1.1\r\nHost: 127.0.0.1:7547\r\n\r\n";
}

TEST(UdpConnectionRequest, GoodBadReplayedAndOld) {
  agent::SystemClientClock clock;
  Counter hits;
  agent::UdpConnectionRequestOptions o;
  o.bind_address = "127.0.0.1";
  o.port = 0;
  o.username = "acs-cr";
  o.password = cwmp::Secret("Cr-Pass-1");
  auto server = agent::UdpConnectionRequestServer::Start(std::move(o), clock, [&] { hits.Hit(); });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  EXPECT_EQ((*server)->Address("192.0.2.10"), "192.0.2.10:" + std::to_string((*server)->port()));
  uint16_t client_port = 0;
  int fd = UdpSocket(&client_port);
  uint16_t port = (*server)->port();
  auto settled = [&](uint64_t total) {
    for (int i = 0; i < 500 && (*server)->accepted() + (*server)->rejected() < total; ++i) {
      std::this_thread::sleep_for(5ms);  // waits for the receive thread, bounded
    }
  };
  SendTo(fd, port, UdpMessage(1764158400, "100", "Cr-Pass-1"));  // good
  SendTo(fd, port, UdpMessage(1764158400, "100", "Cr-Pass-1"));  // the ACS's copy: same id
  SendTo(fd, port, UdpMessage(1764158401, "101", "wrong"));      // bad signature
  SendTo(fd, port, UdpMessage(1764158300, "102", "Cr-Pass-1"));  // ts went back
  SendTo(fd, port, "not a request");
  settled(5);
  EXPECT_EQ((*server)->accepted(), 1u);
  EXPECT_EQ((*server)->rejected(), 4u);
  SendTo(fd, port, UdpMessage(1764158460, "103", "Cr-Pass-1"));  // a later, fresh one
  settled(6);
  EXPECT_EQ((*server)->accepted(), 2u);
  EXPECT_EQ(hits.WaitFor(2), 2);
  // Annex G: no reply is ever sent.
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 50), 0);
  close(fd);
}

// ---- STUN against a responder on loopback ------------------------------------------------------

TEST(Stun, BindingLoopLearnsAndReannouncesTheMapping) {
  // The responder plays a NAT whose mapping changes after the first binding.
  uint16_t stun_port = 0;
  int stun_fd = UdpSocket(&stun_port);
  std::vector<agent::StunMessage> seen;
  std::mutex seen_mu;
  std::atomic<bool> stop{false};
  std::thread responder([&] {
    while (!stop) {
      pollfd p{stun_fd, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      char buf[2048];
      sockaddr_in from{};
      socklen_t len = sizeof(from);
      ssize_t n = recvfrom(stun_fd, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &len);
      auto m = agent::DecodeStunMessage(std::string_view(buf, static_cast<size_t>(n)));
      if (!m.ok() || m->type != agent::kStunBindingRequest) continue;
      size_t index;
      {
        std::lock_guard lock(seen_mu);
        seen.push_back(*m);
        index = seen.size();
      }
      agent::StunAddress mapped{"203.0.113.7", static_cast<uint16_t>(index == 1 ? 40001 : 40002)};
      std::string resp = agent::EncodeStunBindingResponse(m->transaction_id, mapped, false);
      sendto(stun_fd, resp.data(), resp.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  });

  agent::SystemClientClock clock;
  std::vector<std::string> bindings;
  std::mutex bindings_mu;
  Counter binding_events;
  agent::UdpConnectionRequestOptions o;
  o.bind_address = "127.0.0.1";
  o.port = 0;
  o.username = "acs-cr";
  o.password = cwmp::Secret("Cr-Pass-1");
  o.stun_server = "127.0.0.1:" + std::to_string(stun_port);
  o.stun.keepalive_period = 300ms;
  auto server = agent::UdpConnectionRequestServer::Start(
      std::move(o), clock, [] {},
      [&](const std::string& address) {
        {
          std::lock_guard lock(bindings_mu);
          bindings.push_back(address);
        }
        binding_events.Hit();
      });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  EXPECT_EQ(binding_events.WaitFor(2), 2);
  for (int i = 0; i < 500; ++i) {  // the re-announcement after the change
    {
      std::lock_guard lock(seen_mu);
      if (seen.size() >= 3) break;
    }
    std::this_thread::sleep_for(5ms);
  }
  (*server)->Stop();
  stop = true;
  responder.join();
  close(stun_fd);

  std::lock_guard lock(seen_mu);
  ASSERT_GE(seen.size(), 3u);
  for (const auto& m : seen) EXPECT_EQ(m.connection_request_binding, "dslforum.org/TR-111 ");
  EXPECT_TRUE(seen[0].binding_change);   // first binding
  EXPECT_FALSE(seen[1].binding_change);  // keep-alive
  EXPECT_TRUE(seen[2].binding_change);   // the mapping changed
  std::lock_guard lock2(bindings_mu);
  EXPECT_EQ(bindings, (std::vector<std::string>{"203.0.113.7:40001", "203.0.113.7:40002"}));
  EXPECT_EQ((*server)->PublicAddress(), "203.0.113.7:40002");
}

TEST(Stun, BadServerAddressIsRejected) {
  agent::SystemClientClock clock;
  agent::UdpConnectionRequestOptions o;
  o.bind_address = "127.0.0.1";
  o.port = 0;
  o.stun_server = "stun.example.com:3478";
  EXPECT_EQ(agent::UdpConnectionRequestServer::Start(o, clock, {}).status().code(),
            cwmp::StatusCode::kInvalidArgument);
  o.stun_server = "127.0.0.1:99999";
  EXPECT_EQ(agent::UdpConnectionRequestServer::Start(o, clock, {}).status().code(),
            cwmp::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace agent_test
