// PhoneHost: worker pool, per-phone strands, and the reactor thread (timer queue + one epoll set
// for every phone's connection-request socket). See agent/phone_host.h.
#include "agent/phone_host.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "cwmp_client/socket_util.h"
#include "common/text.h"

namespace agent {
namespace {

using Clock = std::chrono::system_clock;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

thread_local const Strand* t_current_strand = nullptr;

constexpr size_t kMaxTasksPerTurn = 16;  // then the strand yields its worker to other phones

const char* Reason(int status) { return text::HttpReason(status); }

void RaiseOpenFileLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace

// ---- Strand -------------------------------------------------------------------------------

struct Strand::State {
  std::mutex mu;
  std::condition_variable idle;
  std::deque<Task> tasks;
  bool scheduled = false;  // submitted to the pool or draining
  bool running = false;    // a task is executing
  bool closed = false;
};

Strand::Strand(PhoneHost& host) : host_(host), state_(std::make_unique<State>()) {}
Strand::~Strand() = default;

void Strand::Post(Task task) {
  bool submit = false;
  {
    std::lock_guard lock(state_->mu);
    if (state_->closed) return;
    state_->tasks.push_back(std::move(task));
    if (!state_->scheduled) {
      state_->scheduled = true;
      submit = true;
    }
  }
  if (submit) host_.Submit(shared_from_this());
}

void Strand::PostAt(TimePoint when, Task task) {
  {
    std::lock_guard lock(state_->mu);
    if (state_->closed) return;
  }
  host_.AddTimer(when, weak_from_this(), std::move(task));
}

void Strand::Close() {
  std::deque<Task> dropped;  // destroyed outside the lock
  std::unique_lock lock(state_->mu);
  state_->closed = true;
  dropped.swap(state_->tasks);
  state_->idle.wait(lock, [&] { return !state_->running; });
}

bool Strand::RunningHere() const { return t_current_strand == this; }

void Strand::Drain() {
  for (size_t n = 0; n < kMaxTasksPerTurn; ++n) {
    Task task;
    {
      std::lock_guard lock(state_->mu);
      if (state_->closed || state_->tasks.empty()) {
        state_->scheduled = false;
        state_->tasks.clear();
        return;
      }
      task = std::move(state_->tasks.front());
      state_->tasks.pop_front();
      state_->running = true;
    }
    t_current_strand = this;
    task();
    task = nullptr;  // captured state dies on the strand
    t_current_strand = nullptr;
    std::lock_guard lock(state_->mu);
    state_->running = false;
    state_->idle.notify_all();
  }
  // Yield: other phones' work gets a worker before this strand continues.
  {
    std::lock_guard lock(state_->mu);
    if (state_->closed || state_->tasks.empty()) {
      state_->scheduled = false;
      state_->tasks.clear();
      return;
    }
  }
  host_.Submit(shared_from_this());
}

std::shared_ptr<ConnectionRequestEndpoint> MakeConnectionRequestEndpoint(
    ConnectionRequestOptions options, std::string path, std::function<void()> on_trigger) {
  static const SystemClientClock clock;
  auto endpoint = std::make_shared<ConnectionRequestEndpoint>();
  endpoint->options = std::move(options);
  endpoint->authenticator = std::make_unique<ConnectionRequestAuthenticator>(
      endpoint->options, std::move(path), clock, &RandomHex128);
  endpoint->on_trigger = std::move(on_trigger);
  return endpoint;
}

// ---- PhoneHost ----------------------------------------------------------------------------

struct PhoneHost::Impl {
  PhoneHostOptions options;

  // Workers.
  std::mutex pool_mu;
  std::condition_variable pool_cv;
  std::deque<std::shared_ptr<Strand>> ready;
  bool pool_stop = false;
  std::vector<std::thread> workers;

  // Reactor.
  int epoll_fd = -1;
  int wake_fd = -1;
  std::atomic<bool> reactor_stop{false};
  std::thread reactor;

  mutable std::mutex mu;  // everything below
  struct ListenerEntry {
    int fd = -1;
    std::shared_ptr<ConnectionRequestEndpoint> endpoint;
    std::shared_ptr<UdpConnectionRequestEndpoint> udp;  // set for a UDP socket
  };
  struct Connection {
    int fd = -1;
    std::string buffer;
    steady_clock::time_point deadline;
    uint64_t listener = 0;  // answered with that listener's endpoint as it is then
  };
  struct Timer {
    Clock::time_point when;
    uint64_t seq = 0;
    std::weak_ptr<Strand> strand;
    Strand::Task task;
  };
  struct TimerLater {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.when != b.when ? a.when > b.when : a.seq > b.seq;
    }
  };
  uint64_t next_id = 1;  // 0 is the wake eventfd
  uint64_t next_seq = 0;
  std::map<uint64_t, ListenerEntry> listeners;
  std::map<uint64_t, Connection> connections;
  std::priority_queue<Timer, std::vector<Timer>, TimerLater> timers;

  void Wake() {
    uint64_t one = 1;
    (void)!write(wake_fd, &one, sizeof(one));
  }
  void WorkerLoop();
  void ReactorLoop();
  int TimeoutMs();
  void AcceptAll(uint64_t listener_id, const ListenerEntry& listener);
  void ReceiveDatagrams(const ListenerEntry& listener);
  void ReadConnection(uint64_t id);
  void CloseConnection(std::map<uint64_t, Connection>::iterator it);
  void Answer(Connection& c, const ConnectionRequestEndpoint& endpoint);
};

PhoneHost::PhoneHost(PhoneHostOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}

cwmp::Result<std::unique_ptr<PhoneHost>> PhoneHost::Start(PhoneHostOptions options) {
  RaiseOpenFileLimit();
  if (options.worker_threads == 0) options.worker_threads = 1;
  std::unique_ptr<PhoneHost> host(new PhoneHost(options));
  Impl& im = *host->impl_;
  im.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (im.epoll_fd < 0) return cwmp::IoError(std::string("epoll_create1: ") + std::strerror(errno));
  im.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (im.wake_fd < 0) return cwmp::IoError(std::string("eventfd: ") + std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 0;
  epoll_ctl(im.epoll_fd, EPOLL_CTL_ADD, im.wake_fd, &ev);
  for (size_t i = 0; i < options.worker_threads; ++i) {
    im.workers.emplace_back([&im] { im.WorkerLoop(); });
  }
  im.reactor = std::thread([&im] { im.ReactorLoop(); });
  return host;
}

PhoneHost::~PhoneHost() { Stop(); }

void PhoneHost::Stop() {
  Impl& im = *impl_;
  if (im.reactor.joinable()) {
    im.reactor_stop = true;
    im.Wake();
    im.reactor.join();
  }
  {
    std::lock_guard lock(im.pool_mu);
    im.pool_stop = true;
  }
  im.pool_cv.notify_all();
  for (auto& t : im.workers) {
    if (t.joinable()) t.join();
  }
  im.workers.clear();
  std::lock_guard lock(im.mu);
  for (auto& [id, c] : im.connections) close(c.fd);
  im.connections.clear();
  for (auto& [id, l] : im.listeners) close(l.fd);
  im.listeners.clear();
  while (!im.timers.empty()) im.timers.pop();
  if (im.wake_fd >= 0) close(im.wake_fd);
  if (im.epoll_fd >= 0) close(im.epoll_fd);
  im.wake_fd = im.epoll_fd = -1;
}

std::shared_ptr<Strand> PhoneHost::MakeStrand() {
  return std::shared_ptr<Strand>(new Strand(*this));
}

void PhoneHost::Submit(std::shared_ptr<Strand> strand) {
  {
    std::lock_guard lock(impl_->pool_mu);
    if (impl_->pool_stop) return;
    impl_->ready.push_back(std::move(strand));
  }
  impl_->pool_cv.notify_one();
}

void PhoneHost::Impl::WorkerLoop() {
  while (true) {
    std::shared_ptr<Strand> strand;
    {
      std::unique_lock lock(pool_mu);
      pool_cv.wait(lock, [&] { return pool_stop || !ready.empty(); });
      if (pool_stop) return;
      strand = std::move(ready.front());
      ready.pop_front();
    }
    strand->Drain();
  }
}

void PhoneHost::AddTimer(Strand::TimePoint when, std::weak_ptr<Strand> strand, Strand::Task task) {
  bool earliest = false;
  {
    std::lock_guard lock(impl_->mu);
    earliest = impl_->timers.empty() || when < impl_->timers.top().when;
    impl_->timers.push({when, impl_->next_seq++, std::move(strand), std::move(task)});
  }
  if (earliest) impl_->Wake();
}

cwmp::Result<PhoneHost::Listener> PhoneHost::Listen(
    const std::string& address, uint16_t port,
    std::shared_ptr<ConnectionRequestEndpoint> endpoint) {
  auto bound = internal::BindSocket(address, port, SOCK_STREAM);
  if (!bound.ok()) return bound.status().WithPrefix("connection request listener");
  fcntl(bound->fd, F_SETFL, fcntl(bound->fd, F_GETFL) | O_NONBLOCK);
  std::lock_guard lock(impl_->mu);
  uint64_t id = impl_->next_id++;
  impl_->listeners[id] = {bound->fd, std::move(endpoint), nullptr};
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = id;
  if (epoll_ctl(impl_->epoll_fd, EPOLL_CTL_ADD, bound->fd, &ev) != 0) {
    std::string err = std::strerror(errno);
    close(bound->fd);
    impl_->listeners.erase(id);
    return cwmp::IoError("epoll_ctl: " + err);
  }
  return Listener{id, bound->port};
}

void PhoneHost::ReplaceEndpoint(uint64_t id, std::shared_ptr<ConnectionRequestEndpoint> endpoint) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->listeners.find(id);
  if (it != impl_->listeners.end()) it->second.endpoint = std::move(endpoint);
}

cwmp::Result<PhoneHost::Listener> PhoneHost::ListenUdp(
    const std::string& address, uint16_t port,
    std::shared_ptr<UdpConnectionRequestEndpoint> endpoint) {
  auto bound = internal::BindSocket(address, port, SOCK_DGRAM);
  if (!bound.ok()) return bound.status().WithPrefix("UDP connection request listener");
  fcntl(bound->fd, F_SETFL, fcntl(bound->fd, F_GETFL) | O_NONBLOCK);
  std::lock_guard lock(impl_->mu);
  uint64_t id = impl_->next_id++;
  impl_->listeners[id] = {bound->fd, nullptr, std::move(endpoint)};
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = id;
  if (epoll_ctl(impl_->epoll_fd, EPOLL_CTL_ADD, bound->fd, &ev) != 0) {
    std::string err = std::strerror(errno);
    close(bound->fd);
    impl_->listeners.erase(id);
    return cwmp::IoError("epoll_ctl: " + err);
  }
  return Listener{id, bound->port};
}

void PhoneHost::ReplaceUdpEndpoint(uint64_t id,
                                   std::shared_ptr<UdpConnectionRequestEndpoint> endpoint) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->listeners.find(id);
  if (it != impl_->listeners.end() && it->second.udp) it->second.udp = std::move(endpoint);
}

cwmp::Status PhoneHost::SendUdp(uint64_t id, const std::string& ip, uint16_t port,
                                std::string_view data) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  if (inet_pton(AF_INET, ip.c_str(), &to.sin_addr) != 1) {
    return cwmp::InvalidArgument("\"" + ip + "\" is not an IPv4 address");
  }
  std::lock_guard lock(impl_->mu);  // the socket stays open while we send
  auto it = impl_->listeners.find(id);
  if (it == impl_->listeners.end() || !it->second.udp) return cwmp::NotFound("UDP socket closed");
  if (sendto(it->second.fd, data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
             reinterpret_cast<const sockaddr*>(&to), sizeof(to)) < 0) {
    return cwmp::IoError(std::string("sendto: ") + std::strerror(errno));
  }
  return cwmp::Status::Ok();
}

void PhoneHost::CloseListener(uint64_t id) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->listeners.find(id);
  if (it == impl_->listeners.end()) return;
  epoll_ctl(impl_->epoll_fd, EPOLL_CTL_DEL, it->second.fd, nullptr);
  close(it->second.fd);
  impl_->listeners.erase(it);
  // Connections accepted on it are dropped as well: the phone is gone.
  for (auto c = impl_->connections.begin(); c != impl_->connections.end();) {
    auto next = std::next(c);
    if (c->second.listener == id) impl_->CloseConnection(c);
    c = next;
  }
}

size_t PhoneHost::listeners() const {
  std::lock_guard lock(impl_->mu);
  return impl_->listeners.size();
}

uint64_t PhoneHost::OpenFileLimit() {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  return rl.rlim_cur;
}

int PhoneHost::Impl::TimeoutMs() {
  int timeout = -1;
  if (!timers.empty()) {
    auto left = std::chrono::duration_cast<milliseconds>(timers.top().when - Clock::now());
    timeout = static_cast<int>(std::clamp<int64_t>(left.count() + 1, 0, 60000));
  }
  if (!connections.empty()) timeout = timeout < 0 ? 100 : std::min(timeout, 100);
  return timeout;
}

void PhoneHost::Impl::ReactorLoop() {
  std::vector<epoll_event> events(256);
  while (!reactor_stop) {
    int timeout;
    {
      std::lock_guard lock(mu);
      timeout = TimeoutMs();
    }
    int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), timeout);
    if (reactor_stop) return;
    std::vector<Timer> due;
    {
      std::lock_guard lock(mu);
      for (int i = 0; i < n; ++i) {
        uint64_t id = events[static_cast<size_t>(i)].data.u64;
        if (id == 0) {
          uint64_t v;
          while (read(wake_fd, &v, sizeof(v)) > 0) {
          }
          continue;
        }
        if (auto l = listeners.find(id); l != listeners.end()) {
          if (l->second.udp) {
            ReceiveDatagrams(l->second);
          } else {
            AcceptAll(id, l->second);
          }
        } else if (connections.count(id) != 0) {
          ReadConnection(id);
        }
      }
      auto now = steady_clock::now();
      for (auto c = connections.begin(); c != connections.end();) {
        auto next = std::next(c);
        if (c->second.deadline <= now) CloseConnection(c);
        c = next;
      }
      auto wall = Clock::now();
      while (!timers.empty() && timers.top().when <= wall) {
        due.push_back(std::move(const_cast<Timer&>(timers.top())));
        timers.pop();
      }
    }
    for (auto& t : due) {
      if (auto strand = t.strand.lock()) strand->Post(std::move(t.task));
    }
  }
}

void PhoneHost::Impl::AcceptAll(uint64_t listener_id, const ListenerEntry& listener) {
  while (true) {
    int fd = accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;  // EAGAIN, or out of descriptors: the rest wait in the backlog
    uint64_t id = next_id++;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = id;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      close(fd);
      continue;
    }
    connections[id] = {fd, {}, steady_clock::now() + options.read_timeout, listener_id};
  }
}

void PhoneHost::Impl::ReceiveDatagrams(const ListenerEntry& listener) {
  char buf[2049];
  for (int n = 0; n < 64; ++n) {  // then the other sockets get their turn
    ssize_t got = recv(listener.fd, buf, sizeof(buf), 0);
    if (got < 0) return;
    if (got == 0 || got > 2048) continue;  // Annex G: one datagram of at most 2048 bytes
    std::string_view datagram(buf, static_cast<size_t>(got));
    if (LooksLikeStun(datagram)) {  // the phone's STUN binding shares the socket
      if (listener.udp->on_stun) listener.udp->on_stun(std::string(datagram));
      continue;
    }
    auto request = ParseUdpConnectionRequest(datagram);
    if (!request.ok()) continue;
    if (!listener.udp->validator.Accept(*request).ok()) continue;  // ignored, no reply
    if (listener.udp->on_trigger) listener.udp->on_trigger();
  }
}

void PhoneHost::Impl::CloseConnection(std::map<uint64_t, Connection>::iterator it) {
  epoll_ctl(epoll_fd, EPOLL_CTL_DEL, it->second.fd, nullptr);
  close(it->second.fd);
  connections.erase(it);
}

void PhoneHost::Impl::ReadConnection(uint64_t id) {
  auto it = connections.find(id);
  Connection& c = it->second;
  char chunk[2048];
  while (true) {
    ssize_t n = recv(c.fd, chunk, sizeof(chunk), 0);
    if (n > 0) {
      c.buffer.append(chunk, static_cast<size_t>(n));
      if (c.buffer.size() > options.max_request_bytes) break;  // answered 400 below
      if (c.buffer.find("\r\n\r\n") != std::string::npos) break;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // wait for more
    CloseConnection(it);  // peer closed or error before a full head
    return;
  }
  if (auto l = listeners.find(c.listener); l != listeners.end() && l->second.endpoint) {
    Answer(c, *l->second.endpoint);
  }
  CloseConnection(it);
}

void PhoneHost::Impl::Answer(Connection& c, const ConnectionRequestEndpoint& endpoint) {
  ConnectionRequestReply reply;
  auto head = c.buffer.size() > options.max_request_bytes
                  ? cwmp::Result<HttpRequestHead>(cwmp::LimitExceeded("request too large"))
                  : ParseHttpRequestHead(c.buffer);
  if (!head.ok()) {
    reply.status = 400;
  } else {
    reply = endpoint.authenticator->Handle(*head);
  }
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + Reason(reply.status) +
                    "\r\nContent-Length: 0\r\nConnection: close\r\n";
  for (const auto& [n, v] : reply.headers) out += n + ": " + v + "\r\n";
  out += "\r\n";
  // The answer is small; a client that does not read it loses it.
  (void)!send(c.fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  if (reply.trigger && endpoint.on_trigger) endpoint.on_trigger();
}

}  // namespace agent
