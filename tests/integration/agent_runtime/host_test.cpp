// PhoneHost with real sockets: one reactor thread serves a thousand connection-request
// listeners; strands never run two tasks of one phone at once.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "agent/phone_host.h"
#include "runtime_test_util.h"

namespace agent_test {
namespace {

using namespace std::chrono_literals;

int ThreadCount() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// Sends raw bytes and returns the status code of the answer (0 when none).
int RawRequest(uint16_t port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return 0;
  }
  (void)!send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string answer;
  char buf[512];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) answer.append(buf, static_cast<size_t>(n));
  close(fd);
  if (answer.size() < 12) return 0;
  return std::stoi(answer.substr(9, 3));
}

TEST(PhoneHost, OneReactorServesAThousandListenersWithTheirOwnCredentials) {
  int threads_before = ThreadCount();
  auto host = agent::PhoneHost::Start({.worker_threads = 2});
  ASSERT_TRUE(host.ok()) << host.status().message();
  constexpr int kPhones = 1000;
  std::vector<std::atomic<int>> triggers(kPhones);
  std::vector<uint16_t> ports;
  for (int i = 0; i < kPhones; ++i) {
    agent::ConnectionRequestOptions o;
    o.bind_address = "127.0.0.1";
    o.port = 0;
    o.username = "user" + std::to_string(i);
    o.password = cwmp::Secret("pass" + std::to_string(i));
    auto endpoint = agent::MakeConnectionRequestEndpoint(o, "/cr" + std::to_string(i),
                                                         [&triggers, i] { ++triggers[i]; });
    auto l = (*host)->Listen("127.0.0.1", 0, endpoint);
    ASSERT_TRUE(l.ok()) << i << ": " << l.status().message();
    ports.push_back(l->port);
  }
  EXPECT_EQ((*host)->listeners(), static_cast<size_t>(kPhones));
  EXPECT_EQ(ThreadCount() - threads_before, 3) << "two workers and one reactor, whatever N";
  for (int i : {0, 517, 999}) {
    std::string url = "http://127.0.0.1:" + std::to_string(ports[i]) + "/cr" + std::to_string(i);
    EXPECT_EQ(DigestGet(url, "user" + std::to_string(i), "pass" + std::to_string(i)), 200);
    EXPECT_EQ(DigestGet(url, "user" + std::to_string(i + 1), "pass" + std::to_string(i)), 401);
  }
  EXPECT_EQ(RawRequest(ports[3], "POST /cr3 HTTP/1.1\r\nHost: x\r\n\r\n"), 405);
  EXPECT_EQ(RawRequest(ports[3], "garbage\r\n\r\n"), 400);
  EXPECT_EQ(RawRequest(ports[3], std::string(9000, 'A')), 400);
  for (int i = 0; i < kPhones; ++i) {
    EXPECT_EQ(triggers[i].load(), (i == 0 || i == 517 || i == 999) ? 1 : 0) << i;
  }
  (*host)->CloseListener(1);
  EXPECT_EQ((*host)->listeners(), static_cast<size_t>(kPhones - 1));
  (*host)->Stop();
}

TEST(PhoneHost, AClientThatSendsNothingIsDroppedAtTheReadDeadline) {
  auto host = agent::PhoneHost::Start({.worker_threads = 1, .read_timeout = 300ms});
  ASSERT_TRUE(host.ok());
  agent::ConnectionRequestOptions o;
  auto l = (*host)->Listen("127.0.0.1", 0, agent::MakeConnectionRequestEndpoint(o, "/x", [] {}));
  ASSERT_TRUE(l.ok());
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(l->port);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  auto start = std::chrono::steady_clock::now();
  char b;
  EXPECT_EQ(recv(fd, &b, 1, 0), 0);  // closed by the host without an answer
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  close(fd);
}

}  // namespace
}  // namespace agent_test
