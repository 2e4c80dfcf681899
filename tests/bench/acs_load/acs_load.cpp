// acs-load: simulated CPEs doing periodic Inform sessions against `acsd serve` over real HTTP.
//
// Each session is what a TR-069 CPE does: open a TCP connection, POST the Inform without
// credentials, get 401 with Digest challenges, POST it again with an MD5 Digest Authorization
// (qop=auth), get the InformResponse and the session cookie, POST an empty body with the cookie
// (keep-alive, same connection), get 204, close. The latency of a session runs from its
// scheduled start (so a slow server is not hidden by fewer sessions started: no coordinated
// omission) to the 204. Many connections are driven by a few threads with epoll.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "acs/http_digest.h"
#include "cwmp/base/secret.h"
#include "http_response.h"
#include "inform_template.h"

namespace acs_load {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration;

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 7547;
  std::string path = "/";
  uint64_t devices = 10000;
  uint64_t first_device = 0;
  int connections = 64;
  double rate = 0;  // sessions/s; 0 = as fast as the connections allow
  double duration_s = 10;
  double warmup_s = 2;
  int threads = 1;
  bool register_mode = false;
  bool auth = true;
  std::string username = "cpe";
  cwmp::Secret password;
  DeviceNaming naming;
};

const char kHelp[] =
    "Usage: acs-load [options]\n"
    "\n"
    "Simulated CPEs doing periodic Inform sessions against `acsd serve` over HTTP. A session:\n"
    "new TCP connection, Inform -> 401 (Digest challenge) -> Inform with MD5 Digest -> 200\n"
    "InformResponse + cookie -> empty POST with the cookie on the same connection -> 204,\n"
    "close. The Inform carries DeviceId, event \"2 PERIODIC\" and 20 parameters (DeviceInfo,\n"
    "ConnectionRequestURL, ...). Reports sessions/s, latency percentiles and errors.\n"
    "Run acsd with --no-discovery (new devices would otherwise be sent GetParameterNames).\n"
    "\n"
    "Options:\n"
    "  --target HOST:PORT      acsd's CWMP endpoint (default 127.0.0.1:7547)\n"
    "  --path PATH             request path (default /)\n"
    "  --devices N             distinct devices, used round robin (default 10000)\n"
    "  --first-device N        index of the first device (default 0); device i has serial\n"
    "                          <serial-prefix><i as 8 digits>, id 000E08-CP-6861-3PCC-LD00000042\n"
    "  --connections N         concurrent sessions (TCP connections) (default 64)\n"
    "  --rate R                target sessions/s (default 0: as fast as possible)\n"
    "  --duration SECONDS      measured time (default 10)\n"
    "  --warmup SECONDS        time before measuring (default 2)\n"
    "  --threads N             epoll threads (default 1)\n"
    "  --register              registration mode: each of the --devices devices does one\n"
    "                          session with \"0 BOOTSTRAP\" + \"1 BOOT\", as fast as possible,\n"
    "                          then the tool exits (no --duration)\n"
    "  --username NAME         CPE username (default cpe)\n"
    "  --password-file FILE    file holding the CPE password (or env ACS_LOAD_PASSWORD)\n"
    "  --no-auth               send no Authorization (acsd --cpe-auth none); no 401 round\n"
    "  --oui OUI --product-class PC --serial-prefix P   device naming\n"
    "  -h, --help              this help\n"
    "\n"
    "Output: one line per second of progress on stderr, then a summary on stdout:\n"
    "sessions, sessions/s, latency p50/p90/p99/max (ms), errors by kind.\n"
    "Exit status: 0 no errors, 1 some sessions failed, 2 usage error.\n";

bool ParseDouble(const std::string& s, double* out) {
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0' && *out >= 0;
}

bool ParseU64(const std::string& s, uint64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::optional<Options> ParseArgs(int argc, char** argv, bool* help) {
  Options o;
  std::string password_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) {
        std::cerr << "acs-load: " << a << " needs a value\n";
        return false;
      }
      *out = argv[++i];
      return true;
    };
    std::string v;
    uint64_t n = 0;
    if (a == "-h" || a == "--help") {
      *help = true;
      return o;
    } else if (a == "--register") {
      o.register_mode = true;
    } else if (a == "--no-auth") {
      o.auth = false;
    } else if (!value(&v)) {
      return std::nullopt;
    } else if (a == "--target") {
      size_t colon = v.rfind(':');
      if (colon == std::string::npos || !ParseU64(v.substr(colon + 1), &n) || n == 0 ||
          n > 65535) {
        std::cerr << "acs-load: --target " << v << " is not HOST:PORT\n";
        return std::nullopt;
      }
      o.host = v.substr(0, colon);
      o.port = static_cast<uint16_t>(n);
    } else if (a == "--path") {
      o.path = v;
    } else if (a == "--devices" && ParseU64(v, &n) && n > 0) {
      o.devices = n;
    } else if (a == "--first-device" && ParseU64(v, &n)) {
      o.first_device = n;
    } else if (a == "--connections" && ParseU64(v, &n) && n > 0 && n <= 100000) {
      o.connections = static_cast<int>(n);
    } else if (a == "--threads" && ParseU64(v, &n) && n > 0 && n <= 64) {
      o.threads = static_cast<int>(n);
    } else if (a == "--rate" && ParseDouble(v, &o.rate)) {
    } else if (a == "--duration" && ParseDouble(v, &o.duration_s) && o.duration_s > 0) {
    } else if (a == "--warmup" && ParseDouble(v, &o.warmup_s)) {
    } else if (a == "--username") {
      o.username = v;
    } else if (a == "--password-file") {
      password_file = v;
    } else if (a == "--oui") {
      o.naming.oui = v;
    } else if (a == "--product-class") {
      o.naming.product_class = v;
    } else if (a == "--serial-prefix") {
      o.naming.serial_prefix = v;
    } else {
      std::cerr << "acs-load: bad option or value: " << a << " " << v << "\n";
      return std::nullopt;
    }
  }
  if (!password_file.empty()) {
    std::ifstream in(password_file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      std::cerr << "acs-load: cannot read --password-file " << password_file << "\n";
      return std::nullopt;
    }
    o.password = cwmp::Secret(line);
  } else if (const char* env = std::getenv("ACS_LOAD_PASSWORD")) {
    o.password = cwmp::Secret(env);
  }
  if (o.auth && o.password.empty()) {
    std::cerr << "acs-load: no password: --password-file FILE, ACS_LOAD_PASSWORD or --no-auth\n";
    return std::nullopt;
  }
  if (o.threads > o.connections) o.threads = o.connections;
  return o;
}

// What went wrong in a session, for the summary.
struct Counters {
  uint64_t sessions_ok = 0;
  std::map<std::string, uint64_t> errors;
  std::vector<double> latencies_ms;  // sessions completed in the measured window
  uint64_t measured_ok = 0;
  uint64_t http_requests = 0;
};

// One simulated CPE connection. Steps: kInform (no credentials, expect 401), kInformAuth
// (expect 200 + cookie), kEmpty (expect 204), then done.
class CpeConnection {
 public:
  enum class Step { kIdle, kInform, kInformAuth, kEmpty };

  CpeConnection(const Options& o, const InformTemplate& t, const sockaddr_storage& addr,
                socklen_t addr_len, int epfd)
      : o_(o), template_(t), addr_(addr), addr_len_(addr_len), epfd_(epfd) {}
  ~CpeConnection() { CloseSocket(); }

  bool idle() const { return step_ == Step::kIdle; }
  Clock::time_point scheduled() const { return scheduled_; }

  // Starts a session for device `index`, scheduled at `scheduled`.
  void Start(uint64_t index, Clock::time_point scheduled, Counters* c) {
    index_ = index;
    scheduled_ = scheduled;
    cookie_.clear();
    nc_ = 0;
    int64_t now_unix = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    inform_ = template_.For(index, now_unix);
    step_ = o_.auth ? Step::kInform : Step::kInformAuth;
    Send(c);
  }

  // epoll reported readiness on our socket.
  // Returns true when the session finished (ok or not): the connection is idle again.
  bool OnEvent(uint32_t events, Counters* c) {
    if (connecting_) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) return Fail(c, std::string("connect: ") + std::strerror(err));
      connecting_ = false;
    }
    if ((events & EPOLLOUT) != 0 && out_off_ < out_.size()) {
      if (!Flush()) return Fail(c, std::string("send: ") + std::strerror(errno));
    }
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0) return false;
    char buf[16384];
    while (true) {
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      ResponseParser::State st;
      if (n > 0) {
        st = parser_.Feed(std::string_view(buf, static_cast<size_t>(n)));
      } else if (n == 0) {
        st = parser_.FeedEof();
        peer_closed_ = true;
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return false;
      } else if (errno == EINTR) {
        continue;
      } else {
        return Fail(c, std::string("recv: ") + std::strerror(errno));
      }
      if (st == ResponseParser::State::kError) return Fail(c, "http: " + parser_.error());
      if (st == ResponseParser::State::kComplete) return OnResponse(c);
      if (peer_closed_) return Fail(c, "closed");
    }
  }

 private:
  bool OnResponse(Counters* c) {
    ++c->http_requests;
    const HttpResponse r = parser_.response();
    parser_.Reset();
    bool reconnect = !r.keep_alive || peer_closed_;
    if (reconnect) CloseSocket();
    switch (step_) {
      case Step::kInform:
        if (r.status != 401) return Fail(c, "inform: HTTP " + std::to_string(r.status));
        if (!ParseDigestChallenge(r.www_authenticate, &challenge_)) {
          return Fail(c, "401 without a Digest challenge");
        }
        step_ = Step::kInformAuth;
        break;
      case Step::kInformAuth:
        if (r.status != 200) return Fail(c, "inform-auth: HTTP " + std::to_string(r.status));
        if (r.set_cookie.empty()) return Fail(c, "InformResponse without a cookie");
        cookie_ = r.set_cookie;
        step_ = Step::kEmpty;
        break;
      case Step::kEmpty:
        if (r.status == 200) {
          // An RPC from the ACS (discovery or a queued task): not simulated. An empty POST
          // while a response is due ends the session; count it.
          ++c->errors["acs-sent-rpc (run acsd --no-discovery)"];
          break;
        }
        if (r.status != 204) return Fail(c, "empty-post: HTTP " + std::to_string(r.status));
        return Done(c);
      case Step::kIdle:
        return Fail(c, "response while idle");
    }
    Send(c);
    return false;
  }

  std::string Authorization(const std::string& method) {
    acs::http::DigestCredentials d;
    d.username = o_.username;
    d.realm = challenge_.realm;
    d.nonce = challenge_.nonce;
    d.uri = o_.path;
    d.algorithm = acs::http::DigestAlgorithm::kMd5;
    d.qop = challenge_.qop.empty() ? "" : "auth";
    char nc[16];
    std::snprintf(nc, sizeof nc, "%08x", ++nc_);
    d.nc = nc;
    d.cnonce = std::to_string(index_ * 2654435761u + nc_);
    std::string resp = acs::http::ComputeDigestResponse(d, method, o_.password);
    std::string h = "Digest username=\"" + d.username + "\", realm=\"" + d.realm +
                    "\", nonce=\"" + d.nonce + "\", uri=\"" + d.uri +
                    "\", algorithm=MD5, response=\"" + resp + "\"";
    if (!d.qop.empty()) h += ", qop=auth, nc=" + d.nc + ", cnonce=\"" + d.cnonce + "\"";
    if (!challenge_.opaque.empty()) h += ", opaque=\"" + challenge_.opaque + "\"";
    return h;
  }

  void Send(Counters* c) {
    std::string body = step_ == Step::kEmpty ? std::string() : inform_;
    out_ = "POST " + o_.path + " HTTP/1.1\r\nHost: " + o_.host + ":" + std::to_string(o_.port) +
           "\r\nUser-Agent: acs-load (Cisco-CP6861-3PCC)\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n";
    if (!body.empty()) out_ += "Content-Type: text/xml; charset=\"utf-8\"\r\nSOAPAction: \"\"\r\n";
    if (!cookie_.empty()) out_ += "Cookie: " + cookie_ + "\r\n";
    if (o_.auth && step_ != Step::kInform) {
      out_ += "Authorization: " + Authorization("POST") + "\r\n";
    }
    out_ += "\r\n" + body;
    out_off_ = 0;
    if (fd_ < 0 && !Connect(c)) return;
    if (!connecting_ && !Flush()) Fail(c, std::string("send: ") + std::strerror(errno));
  }

  bool Connect(Counters* c) {
    fd_ = ::socket(addr_.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return Fail(c, std::string("socket: ") + std::strerror(errno)), false;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    peer_closed_ = false;
    int r = ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr_), addr_len_);
    connecting_ = r != 0;
    if (r != 0 && errno != EINPROGRESS) {
      return Fail(c, std::string("connect: ") + std::strerror(errno)), false;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
    ev.data.ptr = this;
    ::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd_, &ev);
    return true;
  }

  bool Flush() {
    while (out_off_ < out_.size()) {
      ssize_t n = ::send(fd_, out_.data() + out_off_, out_.size() - out_off_, MSG_NOSIGNAL);
      if (n > 0) {
        out_off_ += static_cast<size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return true;  // EPOLLOUT (edge-triggered) tells us when to go on
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        return false;
      }
    }
    return true;
  }

  void CloseSocket() {
    if (fd_ >= 0) {
      ::epoll_ctl(epfd_, EPOLL_CTL_DEL, fd_, nullptr);
      ::close(fd_);
    }
    fd_ = -1;
    connecting_ = false;
  }

  bool Done(Counters* c) {
    CloseSocket();  // a CPE closes its connection when the session is over
    step_ = Step::kIdle;
    parser_.Reset();
    ++c->sessions_ok;
    finished_ok_ = true;
    return true;
  }

  bool Fail(Counters* c, const std::string& what) {
    CloseSocket();
    step_ = Step::kIdle;
    parser_.Reset();
    ++c->errors[what];
    finished_ok_ = false;
    return true;
  }

 public:
  bool finished_ok() const { return finished_ok_; }

 private:
  const Options& o_;
  const InformTemplate& template_;
  const sockaddr_storage addr_;
  const socklen_t addr_len_;
  const int epfd_;
  int fd_ = -1;
  bool connecting_ = false;
  bool peer_closed_ = false;
  bool finished_ok_ = false;
  Step step_ = Step::kIdle;
  uint64_t index_ = 0;
  Clock::time_point scheduled_;
  std::string inform_, out_, cookie_;
  size_t out_off_ = 0;
  unsigned nc_ = 0;
  DigestChallenge challenge_;
  ResponseParser parser_;
};

struct WorkerPlan {
  int connections = 0;
  double rate = 0;                 // this worker's share
  uint64_t device_offset = 0;      // this worker's devices: offset, offset+stride, ...
  uint64_t device_stride = 1;
  uint64_t register_count = 0;     // register mode: sessions to run
};

// One epoll thread driving `plan.connections` CPE connections.
void RunWorker(const Options& o, const InformTemplate& t, const sockaddr_storage& addr,
               socklen_t addr_len, const WorkerPlan& plan, Clock::time_point start,
               Clock::time_point measure_from, Clock::time_point end, Counters* c,
               std::atomic<uint64_t>* progress) {
  int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  std::vector<std::unique_ptr<CpeConnection>> conns;
  std::vector<CpeConnection*> idle;
  for (int i = 0; i < plan.connections; ++i) {
    conns.push_back(std::make_unique<CpeConnection>(o, t, addr, addr_len, epfd));
    idle.push_back(conns.back().get());
  }
  uint64_t started = 0;
  uint64_t next_device = 0;
  const uint64_t per_worker_devices =
      std::max<uint64_t>(1, (o.devices + plan.device_stride - 1 - plan.device_offset) /
                                plan.device_stride);
  auto scheduled_at = [&](uint64_t k) {
    if (plan.rate <= 0) return start;
    return start + std::chrono::duration_cast<Clock::duration>(duration<double>(k / plan.rate));
  };
  std::vector<epoll_event> events(256);
  while (true) {
    Clock::time_point now = Clock::now();
    bool more = o.register_mode ? started < plan.register_count : now < end;
    // Start every session that is due, while connections are free.
    while (more && !idle.empty()) {
      Clock::time_point due = plan.rate > 0 ? scheduled_at(started) : now;
      if (due > now) break;
      CpeConnection* conn = idle.back();
      idle.pop_back();
      uint64_t index = o.first_device + plan.device_offset +
                       (next_device % per_worker_devices) * plan.device_stride;
      ++next_device;
      ++started;
      conn->Start(index, plan.rate > 0 ? due : now, c);
      if (conn->idle()) idle.push_back(conn);  // failed at once (connect error)
      more = o.register_mode ? started < plan.register_count : now < end;
    }
    if (!more && idle.size() == conns.size()) break;
    if (!o.register_mode && now > end + std::chrono::seconds(30)) break;  // stuck sessions
    int timeout_ms = 100;
    if (more && plan.rate > 0 && !idle.empty()) {
      // Rounded up: a 0 ms timeout for a session due in 0.3 ms would spin.
      auto wait_us = std::chrono::duration_cast<std::chrono::microseconds>(
                         scheduled_at(started) - Clock::now())
                         .count();
      timeout_ms = static_cast<int>(std::clamp<int64_t>((wait_us + 999) / 1000, 0, 100));
    }
    int n = ::epoll_wait(epfd, events.data(), static_cast<int>(events.size()), timeout_ms);
    for (int i = 0; i < n; ++i) {
      auto* conn = static_cast<CpeConnection*>(events[i].data.ptr);
      if (conn->idle()) continue;  // a stale event of a closed socket
      if (conn->OnEvent(events[i].events, c)) {
        Clock::time_point done = Clock::now();
        if (conn->finished_ok() && conn->scheduled() >= measure_from && done <= end) {
          c->latencies_ms.push_back(duration<double, std::milli>(done - conn->scheduled()).count());
          ++c->measured_ok;
        }
        progress->fetch_add(1, std::memory_order_relaxed);
        idle.push_back(conn);
      }
    }
  }
  conns.clear();
  ::close(epfd);
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
  k = std::min(k, v.size() - 1);
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

int Run(const Options& o) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(o.host.c_str(), std::to_string(o.port).c_str(), &hints, &res);
      rc != 0) {
    std::cerr << "acs-load: " << o.host << ": " << gai_strerror(rc) << "\n";
    return 2;
  }
  sockaddr_storage addr{};
  std::memcpy(&addr, res->ai_addr, res->ai_addrlen);
  socklen_t addr_len = res->ai_addrlen;
  ::freeaddrinfo(res);

  auto tmpl = InformTemplate::Create(o.naming, o.register_mode);
  if (!tmpl.ok()) {
    std::cerr << "acs-load: building the Inform: " << tmpl.status().ToString() << "\n";
    return 2;
  }
  const int threads = o.threads;
  std::vector<WorkerPlan> plans(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    WorkerPlan& p = plans[static_cast<size_t>(i)];
    p.connections = o.connections / threads + (i < o.connections % threads ? 1 : 0);
    p.rate = o.rate / threads;
    p.device_offset = static_cast<uint64_t>(i);
    p.device_stride = static_cast<uint64_t>(threads);
    p.register_count = o.devices / static_cast<uint64_t>(threads) +
                       (static_cast<uint64_t>(i) < o.devices % static_cast<uint64_t>(threads));
  }
  const Clock::time_point start = Clock::now();
  const auto warmup = std::chrono::duration_cast<Clock::duration>(
      duration<double>(o.register_mode ? 0 : o.warmup_s));
  const Clock::time_point measure_from = start + warmup;
  const Clock::time_point end =
      o.register_mode ? Clock::time_point::max() - std::chrono::hours(1)
                      : measure_from + std::chrono::duration_cast<Clock::duration>(
                                           duration<double>(o.duration_s));
  std::vector<Counters> counters(static_cast<size_t>(threads));
  std::atomic<uint64_t> progress{0};
  std::atomic<bool> finished{false};
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back(RunWorker, std::cref(o), std::cref(*tmpl), std::cref(addr), addr_len,
                         std::cref(plans[static_cast<size_t>(i)]), start, measure_from, end,
                         &counters[static_cast<size_t>(i)], &progress);
  }
  std::thread reporter([&] {
    uint64_t last = 0;
    auto t = Clock::now();
    while (!finished.load()) {
      for (int i = 0; i < 10 && !finished.load(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      auto now = Clock::now();
      uint64_t p = progress.load();
      std::fprintf(stderr, "[%6.1fs] %llu sessions finished, %.0f/s\n",
                   duration<double>(now - start).count(), static_cast<unsigned long long>(p),
                   static_cast<double>(p - last) / duration<double>(now - t).count());
      last = p;
      t = now;
    }
  });
  for (auto& w : workers) w.join();
  const Clock::time_point stopped = Clock::now();
  finished = true;
  reporter.join();

  Counters total;
  for (auto& c : counters) {
    total.sessions_ok += c.sessions_ok;
    total.measured_ok += c.measured_ok;
    total.http_requests += c.http_requests;
    for (auto& [k, v] : c.errors) total.errors[k] += v;
    total.latencies_ms.insert(total.latencies_ms.end(), c.latencies_ms.begin(),
                              c.latencies_ms.end());
  }
  uint64_t errors = 0;
  for (auto& [k, v] : total.errors) errors += v;
  double window = o.register_mode ? duration<double>(stopped - start).count() : o.duration_s;
  uint64_t counted = o.register_mode ? total.sessions_ok : total.measured_ok;
  std::vector<double>& lat = total.latencies_ms;
  double max = lat.empty() ? 0 : *std::max_element(lat.begin(), lat.end());
  std::printf("mode             %s\n", o.register_mode ? "register" : "periodic");
  std::printf("devices          %llu (from index %llu), %d parameters per Inform\n",
              static_cast<unsigned long long>(o.devices),
              static_cast<unsigned long long>(o.first_device), tmpl->parameter_count());
  std::printf("connections      %d on %d thread(s), target rate %s\n", o.connections, threads,
              o.rate > 0 ? (std::to_string(static_cast<int>(o.rate)) + "/s").c_str() : "max");
  std::printf("window           %.1f s%s\n", window,
              o.register_mode ? "" : (" after " + std::to_string(o.warmup_s) + " s warm-up").c_str());
  std::printf("sessions ok      %llu in window (%llu in all, %llu HTTP requests)\n",
              static_cast<unsigned long long>(counted),
              static_cast<unsigned long long>(total.sessions_ok),
              static_cast<unsigned long long>(total.http_requests));
  std::printf("sessions/s       %.0f\n", static_cast<double>(counted) / window);
  std::printf("latency ms       p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", Percentile(lat, 50),
              Percentile(lat, 90), Percentile(lat, 99), max);
  std::printf("errors           %llu\n", static_cast<unsigned long long>(errors));
  for (auto& [k, v] : total.errors) {
    std::printf("  %-40s %llu\n", k.c_str(), static_cast<unsigned long long>(v));
  }
  return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace acs_load

int main(int argc, char** argv) {
  bool help = false;
  auto options = acs_load::ParseArgs(argc, argv, &help);
  if (help) {
    std::cout << acs_load::kHelp;
    return 0;
  }
  if (!options) {
    std::cerr << "see acs-load --help\n";
    return 2;
  }
  return acs_load::Run(*options);
}
