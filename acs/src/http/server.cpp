#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>

#include "acs/http_server.h"

namespace acs::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// One connection's byte stream: the plain socket, or TLS over it.
struct Io {
  int fd;
  tls::Connection* tls = nullptr;
  ssize_t Recv(char* buf, size_t size) const {
    return tls != nullptr ? tls->Read(buf, size) : ::recv(fd, buf, size, 0);
  }
  ssize_t Send(const char* buf, size_t size) const {
    return tls != nullptr ? tls->Write(buf, size)
                          : ::send(fd, buf, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  // Decrypted bytes waiting that poll() cannot see.
  bool Buffered() const { return tls != nullptr && tls->HasBuffered(); }
};

// Sends everything or gives up at the deadline.
bool SendAll(const Io& io, std::string_view data, milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  while (!data.empty()) {
    ssize_t n = io.Send(data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{io.fd, POLLOUT, 0};
      int r = ::poll(&p, 1, RemainingMs(deadline));
      if (r <= 0 && !(r < 0 && errno == EINTR)) return false;
      continue;
    }
    return false;
  }
  return true;
}

class ServerImpl final : public HttpServer {
 public:
  ServerImpl(ServerOptions options, Handler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}
  ~ServerImpl() override { Stop(); }

  cwmp::Status Listen() {
    stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop_fd_ < 0) return cwmp::IoError(std::string("eventfd: ") + std::strerror(errno));
    sockaddr_storage addr{};
    socklen_t len = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
    if (::inet_pton(AF_INET, options_.bind_address.c_str(), &v4->sin_addr) == 1) {
      v4->sin_family = AF_INET;
      v4->sin_port = htons(options_.port);
      len = sizeof(*v4);
    } else if (::inet_pton(AF_INET6, options_.bind_address.c_str(), &v6->sin6_addr) == 1) {
      v6->sin6_family = AF_INET6;
      v6->sin6_port = htons(options_.port);
      len = sizeof(*v6);
    } else {
      return cwmp::InvalidArgument("listen address \"" + options_.bind_address +
                                   "\" is not an IPv4 or IPv6 literal");
    }
    listen_fd_ = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) return cwmp::IoError(std::string("socket: ") + std::strerror(errno));
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    std::string where = options_.bind_address + ":" + std::to_string(options_.port);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
      return cwmp::IoError("bind " + where + ": " + std::strerror(errno));
    }
    if (::listen(listen_fd_, 512) != 0) {
      return cwmp::IoError("listen " + where + ": " + std::strerror(errno));
    }
    sockaddr_storage bound{};
    socklen_t blen = sizeof(bound);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &blen);
    port_ = ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                             : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
    timeval tick{1, 0};  // blocked accept() calls return every second (idle workers end)
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick));
    AddWorker();
    return cwmp::Status::Ok();
  }

  uint16_t port() const override { return port_; }
  size_t active_connections() const override { return active_.load(); }

  void Stop() override {
    std::call_once(stop_once_, [this] {
      stopping_ = true;
      if (stop_fd_ >= 0) {
        uint64_t one = 1;
        (void)!::write(stop_fd_, &one, sizeof(one));
      }
      // Wakes the workers blocked in accept() (EINVAL); SO_RCVTIMEO would within a second.
      if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
      // Workers may still add workers (a TLS refusal) until they have all seen stopping_.
      while (true) {
        std::list<Worker> workers;
        {
          std::lock_guard lock(mu_);
          workers.swap(workers_);
        }
        if (workers.empty()) break;
        for (auto& w : workers) w.thread.join();
      }
      if (listen_fd_ >= 0) ::close(listen_fd_);
      if (stop_fd_ >= 0) ::close(stop_fd_);
    });
  }

 private:
  struct Worker {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  // Joins the workers that ended (idle for kWorkerIdle, or a TLS refusal). Takes mu_ only
  // when one did.
  void ReapFinished() {
    if (finished_.load() == 0) return;
    std::lock_guard lock(mu_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (it->done.load()) {
        it->thread.join();
        --finished_;
        it = workers_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // Workers accept for themselves (no acceptor thread): each idle worker blocks in accept(),
  // and the kernel hands a new connection to exactly one of them, so a connection costs no
  // thread wake-up or lock hand-off between an acceptor and a worker. One worker always
  // waits in accept(): the one that takes the last waiting place starts another, up to
  // max_connections + 1 workers — the extra one answers 503 while max_connections are
  // being served. A worker ends after kWorkerIdle without a connection (SO_RCVTIMEO on the
  // listening socket wakes it every second), unless it is the only one waiting.
  void WorkerLoop(Worker& w) {
    auto idle_since = Clock::now();
    while (!stopping_) {
      ++accepting_;
      sockaddr_storage peer{};
      socklen_t plen = sizeof(peer);
      int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &plen,
                         SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) {
        // Timeout (EAGAIN), shutdown (EINVAL at Stop), EINTR, EMFILE, ECONNABORTED, ...
        int err = errno;
        if (!stopping_ && Clock::now() - idle_since >= kWorkerIdle && LeaveIfOthersWait()) break;
        --accepting_;  // waits again at once: no worker needs to be added
        if (err == EMFILE || err == ENFILE) ::poll(nullptr, 0, 10);
        continue;
      }
      if (--accepting_ == 0) AddWorker();  // it took the last waiting place
      if (stopping_) {
        ::close(fd);
        break;
      }
      Accepted(fd, peer);
      idle_since = Clock::now();
    }
    std::lock_guard lock(mu_);
    --pool_workers_;
    ++finished_;
    w.done = true;
  }

  // Leaves the accepting workers if at least one other stays: whoever takes the last place by
  // accepting a connection adds a worker, so one always waits in accept().
  bool LeaveIfOthersWait() {
    size_t n = accepting_.load();
    while (n > 1) {
      if (accepting_.compare_exchange_weak(n, n - 1)) return true;
    }
    return false;
  }

  // Starts one more pooled worker (which goes waiting in accept), up to max_connections + 1.
  void AddWorker() {
    ReapFinished();
    std::lock_guard lock(mu_);
    if (pool_workers_ > options_.max_connections) return;
    ++pool_workers_;
    Worker& w = workers_.emplace_back();
    w.thread = std::thread([this, &w] { WorkerLoop(w); });
  }

  void Accepted(int fd, const sockaddr_storage& peer) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ConnectionInfo info;
    info.connection_id = ++next_id_;
    char host[INET6_ADDRSTRLEN] = "";
    if (peer.ss_family == AF_INET) {
      auto* a = reinterpret_cast<const sockaddr_in*>(&peer);
      ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
      info.peer_port = ntohs(a->sin_port);
    } else if (peer.ss_family == AF_INET6) {
      auto* a = reinterpret_cast<const sockaddr_in6*>(&peer);
      ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
      info.peer_port = ntohs(a->sin6_port);
    }
    info.peer_address = host;
    if (++active_ > options_.max_connections) {
      --active_;
      if (options_.tls && rejecting_.load() < options_.max_busy_handshakes) {
        // TLS: the 503 can only be understood after a handshake, which must not keep this
        // worker from accepting: a short-lived thread of its own, a bounded number of them.
        ++rejecting_;
        std::lock_guard lock(mu_);
        Worker& w = workers_.emplace_back();
        w.thread = std::thread([this, fd, &w] {
          RejectBusyTls(fd);
          ::close(fd);
          --rejecting_;
          ++finished_;
          w.done = true;
        });
      } else {
        RejectBusy(fd);  // plain HTTP; or TLS beyond max_busy_handshakes: just closed
      }
      return;
    }
    Serve(fd, info);
    ::close(fd);
    --active_;
  }

  Response Busy() const {
    Response busy;
    busy.status = 503;
    busy.keep_alive = false;
    busy.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    busy.headers.push_back({"Retry-After", std::to_string(options_.retry_after_seconds)});
    busy.body = "server busy, retry later\n";
    return busy;
  }

  void RejectBusy(int fd) {
    // Best effort and short: the acceptor must not stall on a client that doesn't read.
    // (A TLS client would not understand a plain response: it is just closed.)
    if (!options_.tls) SendAll(Io{fd}, Serialize(Busy()), milliseconds(100));
    ::close(fd);
  }

  // Over capacity on a TLS listener: handshake (at most busy_handshake_timeout), answer 503
  // with Retry-After at once, without reading the request, then close. The caller closes fd.
  void RejectBusyTls(int fd) {
    auto accepted = options_.tls->Accept(fd, std::min(options_.head_timeout,
                                                      options_.busy_handshake_timeout));
    if (!accepted.ok()) return;
    const Io io{fd, accepted->get()};
    if (SendAll(io, Serialize(Busy()), options_.busy_handshake_timeout)) {
      (*accepted)->Shutdown();
      ::shutdown(fd, SHUT_WR);
      // Read what the client sent (its request) for a moment, so that the close does not
      // reset the connection before it has read the 503.
      char buf[4096];
      Clock::time_point deadline = Clock::now() + milliseconds(500);
      while (RemainingMs(deadline) > 0) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, RemainingMs(deadline)) <= 0) break;
        if (::recv(fd, buf, sizeof buf, 0) <= 0) break;
      }
    }
  }

  // Reads into the parser until it completes or errs. kClose: close without a response (idle
  // timeout, peer closed, stop while idle); kError: answer the parser's error, or 408 when
  // *timed_out.
  enum class ReadResult { kRequest, kError, kClose };
  ReadResult ReadRequest(const Io& io, RequestParser& parser, bool* timed_out) {
    *timed_out = false;
    bool started = parser.buffered() > 0;
    bool continue_sent = false;
    Clock::time_point head_deadline = Clock::now() + options_.head_timeout;
    char buf[16384];
    while (true) {
      ParseState st = parser.state();
      if (st == ParseState::kComplete) return ReadResult::kRequest;
      if (st == ParseState::kError) return ReadResult::kError;
      if (parser.wants_continue() && !continue_sent) {
        if (!SendAll(io, "HTTP/1.1 100 Continue\r\n\r\n", options_.write_timeout)) {
          return ReadResult::kClose;
        }
        continue_sent = true;
      }
      int wait_ms;
      if (!started) {
        wait_ms = static_cast<int>(options_.idle_timeout.count());  // between requests
      } else if (!parser.head_complete()) {
        wait_ms = RemainingMs(head_deadline);  // the whole head, however it trickles in
        if (wait_ms == 0) {
          *timed_out = true;
          return ReadResult::kError;
        }
      } else {
        wait_ms = static_cast<int>(options_.read_timeout.count());  // between body bytes
      }
      pollfd fds[2] = {{io.fd, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      int r = io.Buffered() ? 1 : ::poll(fds, started ? 1 : 2, wait_ms);
      if (r < 0) {
        if (errno == EINTR) continue;
        return ReadResult::kClose;
      }
      if (!started && (fds[1].revents & POLLIN) != 0) return ReadResult::kClose;  // stopping
      if (r == 0) {
        *timed_out = started;
        return started ? ReadResult::kError : ReadResult::kClose;
      }
      ssize_t n = io.Recv(buf, sizeof(buf));
      if (n == 0) return ReadResult::kClose;
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
        return ReadResult::kClose;
      }
      if (!started) head_deadline = Clock::now() + options_.head_timeout;
      started = true;
      parser.Feed(std::string_view(buf, static_cast<size_t>(n)));
    }
  }

  void Serve(int fd, ConnectionInfo info) {
    std::unique_ptr<tls::Connection> tls;
    if (options_.tls) {
      auto accepted = options_.tls->Accept(fd, options_.head_timeout);
      if (!accepted.ok()) return;  // handshake failed or timed out: nothing to answer
      tls = std::move(*accepted);
      info.tls = true;
      info.client_subject = tls->PeerSubject();
    }
    const Io io{fd, tls.get()};
    Serve(io, info);
    if (tls) tls->Shutdown();
  }

  void Serve(const Io& io, ConnectionInfo info) {
    const int fd = io.fd;
    RequestParser parser(options_.limits);
    while (true) {
      bool timed_out = false;
      ReadResult rr = ReadRequest(io, parser, &timed_out);
      if (rr == ReadResult::kClose) return;
      if (rr == ReadResult::kError) {
        Response err;
        err.status = timed_out ? 408 : parser.error_status();
        err.keep_alive = false;
        err.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
        err.body = timed_out ? "request timeout\n" : parser.error_message() + "\n";
        SendAll(io, Serialize(err), options_.write_timeout);
        // Let the client read the response before the reset a close with unread data causes.
        ::shutdown(fd, SHUT_WR);
        return;
      }
      Request req = parser.TakeRequest();
      Response resp = handler_(req, info);
      resp.keep_alive = resp.keep_alive && req.keep_alive && !stopping_;
      if (!SendAll(io, Serialize(resp), options_.write_timeout) || !resp.keep_alive) {
        ::shutdown(fd, SHUT_WR);
        return;
      }
      ++info.request_index;
    }
  }

  const ServerOptions options_;
  const Handler handler_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> active_{0};
  std::atomic<size_t> rejecting_{0};  // TLS connections being refused for capacity
  std::atomic<size_t> finished_{0};   // workers done but not yet joined
  std::atomic<uint64_t> next_id_{0};
  std::atomic<size_t> accepting_{0};  // workers waiting in accept()
  std::mutex mu_;
  std::list<Worker> workers_;  // pooled workers and TLS refusals (guarded by mu_)
  size_t pool_workers_ = 0;    // pooled workers running (guarded by mu_)
  static constexpr std::chrono::seconds kWorkerIdle{10};
  std::once_flag stop_once_;
};

}  // namespace

cwmp::Result<std::unique_ptr<HttpServer>> HttpServer::Start(const ServerOptions& options,
                                                            Handler handler) {
  auto server = std::make_unique<ServerImpl>(options, std::move(handler));
  CWMP_RETURN_IF_ERROR(server->Listen());
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace acs::http
