// HttpServer over loopback TCP: keep-alive, pipelining, errors, timeouts, capacity, stop.
// Timeouts here are real but short (a few hundred ms).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "acs/http_server.h"

namespace acs::http {
namespace {

using namespace std::chrono_literals;

class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(std::string_view s) {
    ASSERT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
  }
  // Reads one response (head + Content-Length body); "" if the connection closed first.
  std::string ReadResponse(std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      size_t head_end = buf_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t cl = 0;
        size_t p = buf_.find("Content-Length: ");
        if (p != std::string::npos && p < head_end) cl = std::stoul(buf_.substr(p + 16));
        if (buf_.size() >= head_end + 4 + cl) {
          std::string out = buf_.substr(0, head_end + 4 + cl);
          buf_.erase(0, out.size());
          return out;
        }
      }
      if (!Fill(deadline)) return "";
    }
  }
  // True if the server closed the connection (EOF) before the deadline, with nothing unread.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (Fill(deadline)) {
    }
    return eof_ && buf_.empty();
  }

 private:
  bool Fill(std::chrono::steady_clock::time_point deadline) {
    pollfd p{fd_, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char b[4096];
    ssize_t n = ::recv(fd_, b, sizeof(b), 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(b, static_cast<size_t>(n));
    return true;
  }
  int fd_;
  bool connected_ = false;
  bool eof_ = false;
  std::string buf_;
};

// Echoes method, target, body and the connection's request index.
Response Echo(const Request& r, const ConnectionInfo& info) {
  Response resp;
  resp.body = r.method + " " + r.target + " " + std::to_string(info.request_index) + " " + r.body;
  return resp;
}

std::unique_ptr<HttpServer> StartServer(ServerOptions o, Handler h = Echo) {
  auto s = HttpServer::Start(o, std::move(h));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

TEST(HttpServer, KeepAlivePipeliningAndChunked) {
  auto server = StartServer({});
  ASSERT_NE(server, nullptr);
  Client c(server->port());
  ASSERT_TRUE(c.connected());
  c.Send("POST /cwmp HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(c.ReadResponse(), "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\nPOST /cwmp 0 abc");
  c.Send(
      "POST /cwmp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
      "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_NE(c.ReadResponse().find("POST /cwmp 1 xy"), std::string::npos);
  EXPECT_NE(c.ReadResponse().find("GET /a 2 "), std::string::npos);
  std::string last = c.ReadResponse();
  EXPECT_NE(last.find("Connection: close"), std::string::npos) << last;
  EXPECT_NE(last.find("GET /b 3 "), std::string::npos);
  EXPECT_TRUE(c.ClosedWithin(2000ms));
}

TEST(HttpServer, BadInputGetsA4xxAndTheConnectionCloses) {
  ServerOptions o;
  o.limits.max_body_bytes = 10;
  o.limits.max_head_bytes = 200;
  auto server = StartServer(o);
  ASSERT_NE(server, nullptr);
  struct Case {
    std::string wire;
    std::string status_line;
  } cases[] = {
      {"GARBAGE\r\n\r\n", "HTTP/1.1 400 Bad Request"},
      {"POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", "HTTP/1.1 413 Content Too Large"},
      {"GET /" + std::string(300, 'x') + " HTTP/1.1\r\n\r\n",
       "HTTP/1.1 431 Request Header Fields Too Large"},
      {"GET / HTTP/3.0\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported"},
  };
  for (const auto& k : cases) {
    Client c(server->port());
    c.Send(k.wire);
    std::string r = c.ReadResponse();
    EXPECT_EQ(r.rfind(k.status_line, 0), 0u) << r;
    EXPECT_NE(r.find("Connection: close"), std::string::npos);
    EXPECT_TRUE(c.ClosedWithin(2000ms));
  }
}

TEST(HttpServer, ExpectContinue) {
  auto server = StartServer({});
  ASSERT_NE(server, nullptr);
  Client c(server->port());
  c.Send("POST /cwmp HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(c.ReadResponse(), "HTTP/1.1 100 Continue\r\n\r\n");
  c.Send("hi");
  EXPECT_NE(c.ReadResponse().find("POST /cwmp 0 hi"), std::string::npos);
}

TEST(HttpServer, SlowHeadAndStalledBodyGet408IdleConnectionIsClosed) {
  ServerOptions o;
  o.head_timeout = 300ms;
  o.read_timeout = 300ms;
  o.idle_timeout = 300ms;
  auto server = StartServer(o);
  ASSERT_NE(server, nullptr);
  {
    Client c(server->port());
    c.Send("GET / HTTP/1.1\r\n");  // the rest never comes
    std::string r = c.ReadResponse(3000ms);
    EXPECT_EQ(r.rfind("HTTP/1.1 408 Request Timeout", 0), 0u) << r;
  }
  {
    Client c(server->port());
    // A slowloris: a byte at a time, each within the read timeout, but the head takes longer.
    std::string head = "GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaa\r\n\r\n";
    std::string r;
    for (char ch : head) {
      c.Send(std::string(1, ch));
      r = c.ReadResponse(30ms);
      if (!r.empty()) break;
    }
    EXPECT_EQ(r.rfind("HTTP/1.1 408", 0), 0u) << r;
  }
  {
    Client c(server->port());
    c.Send("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
    std::string r = c.ReadResponse(3000ms);
    EXPECT_EQ(r.rfind("HTTP/1.1 408", 0), 0u) << r;
  }
  {
    Client c(server->port());
    c.Send("GET / HTTP/1.1\r\n\r\n");
    EXPECT_FALSE(c.ReadResponse().empty());
    EXPECT_TRUE(c.ClosedWithin(3000ms)) << "idle keep-alive connection must be closed";
  }
}

TEST(HttpServer, BeyondCapacityGets503WithRetryAfter) {
  ServerOptions o;
  o.max_connections = 1;
  o.retry_after_seconds = 7;
  auto server = StartServer(o);
  ASSERT_NE(server, nullptr);
  Client first(server->port());
  first.Send("GET / HTTP/1.1\r\n\r\n");
  ASSERT_FALSE(first.ReadResponse().empty());  // the first connection is being served
  Client second(server->port());
  std::string r = second.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << r;
  EXPECT_NE(r.find("Retry-After: 7\r\n"), std::string::npos);
  EXPECT_TRUE(second.ClosedWithin(2000ms));
  first.Send("GET /still HTTP/1.1\r\n\r\n");
  EXPECT_NE(first.ReadResponse().find("GET /still 1"), std::string::npos);
}

TEST(HttpServer, ServesAsManyConnectionsAtOnceAsAllowedThenRefusesOneMore) {
  // Each handler waits until all kClients are inside: only a pool that grows to kClients
  // threads, each taking a connection from accept() itself, answers them.
  constexpr int kClients = 8;
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  ServerOptions o;
  o.max_connections = kClients;
  auto server = StartServer(o, [&](const Request& r, const ConnectionInfo& i) {
    std::unique_lock lock(mu);
    ++inside;
    cv.notify_all();
    cv.wait_for(lock, 5s, [&] { return inside >= kClients; });
    return Echo(r, i);
  });
  ASSERT_NE(server, nullptr);
  std::vector<std::unique_ptr<Client>> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(std::make_unique<Client>(server->port()));
    clients.back()->Send("GET /c" + std::to_string(c) + " HTTP/1.1\r\n\r\n");
  }
  {
    std::unique_lock lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, 5s, [&] { return inside >= kClients; }));
  }
  for (int c = 0; c < kClients; ++c) {
    EXPECT_NE(clients[c]->ReadResponse().find("GET /c" + std::to_string(c)), std::string::npos);
  }
  // All kClients connections are still open (kept alive): one more is refused.
  EXPECT_EQ(server->active_connections(), static_cast<size_t>(kClients));
  Client extra(server->port());
  EXPECT_EQ(extra.ReadResponse().rfind("HTTP/1.1 503", 0), 0u);
}

TEST(HttpServer, StopFinishesRequestsInProgressAndClosesIdleOnes) {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, release = false;
  auto server = StartServer({}, [&](const Request& r, const ConnectionInfo& i) {
    if (r.target == "/slow") {
      std::unique_lock lock(mu);
      entered = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
    }
    return Echo(r, i);
  });
  ASSERT_NE(server, nullptr);
  Client idle(server->port());
  idle.Send("GET / HTTP/1.1\r\n\r\n");
  ASSERT_FALSE(idle.ReadResponse().empty());
  Client busy(server->port());
  busy.Send("GET /slow HTTP/1.1\r\n\r\n");
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return entered; }));
  }
  std::thread stopper([&] { server->Stop(); });
  EXPECT_TRUE(idle.ClosedWithin(3000ms));
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  std::string r = busy.ReadResponse();
  EXPECT_NE(r.find("GET /slow 0"), std::string::npos) << r;
  EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
  stopper.join();
  EXPECT_EQ(server->active_connections(), 0u);
  Client late(server->port());
  EXPECT_FALSE(late.connected());
}

TEST(HttpServer, BindErrors) {
  ServerOptions o;
  o.bind_address = "not-an-ip";
  EXPECT_EQ(HttpServer::Start(o, Echo).status().code(), cwmp::StatusCode::kInvalidArgument);
  auto first = StartServer({});
  ASSERT_NE(first, nullptr);
  o.bind_address = "127.0.0.1";
  o.port = first->port();
  EXPECT_EQ(HttpServer::Start(o, Echo).status().code(), cwmp::StatusCode::kIoError);
}

}  // namespace
}  // namespace acs::http
