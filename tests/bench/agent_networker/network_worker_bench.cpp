// The network worker's price: an ACS session (start, one POST, end) and a POST inside an open
// session, through `cpe-agent net-worker` and with libcurl in process, against a keep-alive
// HTTP responder on loopback. Wall time per operation (the work happens in two processes);
// child_cpu_ms is the CPU the worker processes used per operation.
//   build/bench/bench_agent_networker
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "agent/http_client.h"
#include "agent/network_worker.h"

namespace {

// Answers every HTTP request on its connections with "200 ok", keep-alive.
class Responder {
 public:
  Responder() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 64);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    accept_ = std::thread([this] { AcceptLoop(); });
  }
  ~Responder() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    accept_.join();
    for (auto& t : connections_) t.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/cwmp"; }

 private:
  void AcceptLoop() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      connections_.emplace_back([c] { Serve(c); });
    }
  }
  static void Serve(int c) {
    std::string in;
    char buf[8192];
    for (;;) {
      size_t end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        if (size_t at = in.find("Content-Length: "); at != std::string::npos && at < end) {
          length = std::stoul(in.substr(at + 16));
        }
        if (in.size() >= end + 4 + length) {
          in.erase(0, end + 4 + length);
          static const char kReply[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
          if (::write(c, kReply, sizeof kReply - 1) < 0) break;
          continue;
        }
      }
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      in.append(buf, static_cast<size_t>(n));
    }
    ::close(c);
  }
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread accept_;
  std::vector<std::thread> connections_;
};

Responder& TheResponder() {
  static Responder* r = new Responder();  // lives until exit
  return *r;
}

double ChildCpuMs() {
  rusage u{};
  ::getrusage(RUSAGE_CHILDREN, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

void SetMode(bool worker) {
  if (worker) {
    agent::EnableNetworkWorker(CPE_AGENT_BINARY);
  } else {
    agent::DisableNetworkWorker();
  }
}

agent::HttpRequest Inform() {
  agent::HttpRequest r;
  r.url = TheResponder().Url();
  r.body = std::string(2000, 'x');  // about an Inform's size
  r.headers = {{"SOAPAction", ""}, {"Content-Type", "text/xml; charset=\"utf-8\""}};
  return r;
}

// Arg 1: through the worker; 0: libcurl in process.
void BM_AcsSession(benchmark::State& state) {
  SetMode(state.range(0) == 1);
  auto client = agent::MakeAcsHttpClient({});
  agent::HttpRequest inform = Inform();
  double cpu0 = ChildCpuMs();
  for (auto _ : state) {
    auto session = client->StartSession();
    auto reply = (*session)->Post(inform);
    if (!reply.ok() || reply->status != 200) state.SkipWithError("POST failed");
  }
  state.counters["child_cpu_ms"] = (ChildCpuMs() - cpu0) / static_cast<double>(state.iterations());
  state.SetLabel(state.range(0) == 1 ? "worker" : "in process");
}
BENCHMARK(BM_AcsSession)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PostInSession(benchmark::State& state) {
  SetMode(state.range(0) == 1);
  auto client = agent::MakeAcsHttpClient({});
  auto session = client->StartSession();
  agent::HttpRequest inform = Inform();
  for (auto _ : state) {
    auto reply = (*session)->Post(inform);
    if (!reply.ok() || reply->status != 200) state.SkipWithError("POST failed");
  }
  state.SetLabel(state.range(0) == 1 ? "worker" : "in process");
}
BENCHMARK(BM_PostInSession)->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
