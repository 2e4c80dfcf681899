// The admin web server's connections: one thread, poll() over the listening socket, a wake pipe
// and every connection; non-blocking sockets, keep-alive, pipelined requests answered in order,
// per-request and idle timeouts, a connection cap. Endpoints are in admin_router.cpp.
#include "agent/admin_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <list>
#include <mutex>
#include <thread>

#include "admin/admin_router.h"
#include "admin/http_request_reader.h"
#include "agent/connection_request.h"
#include "cwmp_client/socket_util.h"

namespace agent {

using Steady = std::chrono::steady_clock;
using internal::AdminResponse;
using internal::HttpRequestReader;

namespace {

// "HOST:PORT" / "[V6]:PORT" -> (host, port).
cwmp::Result<std::pair<std::string, uint16_t>> ParseListen(std::string_view text) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find("]:");
    if (close == std::string_view::npos) return cwmp::InvalidArgument("bad listen address");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return cwmp::InvalidArgument("bad listen address");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoul(std::string(port)) > 65535) {
    return cwmp::InvalidArgument("admin listen address \"" + std::string(text) +
                                 "\" is not HOST:PORT");
  }
  return std::pair<std::string, uint16_t>{std::string(host),
                                          static_cast<uint16_t>(std::stoul(std::string(port)))};
}

std::string Serialize(const AdminResponse& r, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " +
                    std::string(internal::ReasonPhrase(r.status)) + "\r\n";
  out += "Content-Type: " + r.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += "Cache-Control: no-store\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  for (const auto& [n, v] : r.headers) out += n + ": " + v + "\r\n";
  out += "\r\n";
  out += r.body;
  return out;
}

AdminResponse ErrorResponse(int status, std::string why) {
  AdminResponse r;
  r.status = status;
  r.body = std::move(why) + "\n";
  r.close = true;
  return r;
}

}  // namespace

class AdminServer::Impl {
 public:
  Impl(AdminServerOptions options, AdminActions& actions)
      : options_(std::move(options)),
        actions_(actions),
        router_(options_, actions, &RandomHex128) {}
  ~Impl() {
    CloseAll();
    for (int fd : wake_) {
      if (fd >= 0) close(fd);
    }
  }

  cwmp::Status Init() {
    if (!options_.listen.empty()) {
      auto parsed = ParseListen(options_.listen);
      if (!parsed.ok()) return parsed.status();
      explicit_ = *parsed;
    }
    CWMP_RETURN_IF_ERROR(internal::MakeWakePipe(wake_));
    return Reconcile(actions_.Settings());
  }

  void Loop() {
    while (!stop_.load()) {
      auto now = Steady::now();
      if (now >= next_settings_) {
        (void)Reconcile(actions_.Settings());
        next_settings_ = now + options_.settings_poll;
      }
      std::vector<pollfd> fds;
      fds.push_back({wake_[0], POLLIN, 0});
      const bool listening = listen_fd_ >= 0;
      if (listening) fds.push_back({listen_fd_, POLLIN, 0});
      size_t first_conn = fds.size();
      auto deadline = next_settings_;
      for (auto& c : conns_) {
        short events = c.out.empty() ? POLLIN : POLLOUT;
        fds.push_back({c.fd, events, 0});
        deadline = std::min(deadline, c.deadline);
      }
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
      int timeout = static_cast<int>(std::clamp<int64_t>(wait.count() + 1, 0, 60000));
      if (poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) continue;
      if (fds[0].revents != 0) {
        char b[64];
        while (read(wake_[0], b, sizeof(b)) > 0) {
        }
        next_settings_ = Steady::now();  // Refresh() or Stop()
        continue;
      }
      // Connections, in the order of `fds` (conns_ is not reordered until the sweep below;
      // connections accepted below are not in `fds` and wait for the next poll).
      size_t i = first_conn;
      for (auto& c : conns_) {
        if (i == fds.size()) break;
        short re = fds[i++].revents;
        if (re == 0 || c.dead) continue;
        if ((re & (POLLERR | POLLNVAL)) != 0) {
          c.dead = true;
          continue;
        }
        if ((re & POLLOUT) != 0) Write(c);
        if ((re & (POLLIN | POLLHUP)) != 0 && c.out.empty()) Read(c);
      }
      if (listening && listen_fd_ >= 0 && (fds[1].revents & POLLIN) != 0) Accept();
      Sweep();
    }
  }

  void Wake() {
    char b = 1;
    (void)!write(wake_[1], &b, 1);
  }
  void RequestStop() {
    stop_.store(true);
    Wake();
  }
  uint16_t port() const { return port_.load(); }
  cwmp::Status last_error() const {
    std::lock_guard lock(error_mu_);
    return last_error_;
  }

 private:
  struct Conn {
    explicit Conn(const AdminServerOptions& o) : reader(o.max_head_bytes, o.max_body_bytes) {}
    int fd = -1;
    std::string peer;
    HttpRequestReader reader;
    std::string out;
    bool close_after_write = false;
    bool dead = false;
    size_t served = 0;
    Steady::time_point deadline;
    Steady::time_point request_start;
    std::vector<std::function<void()>> after;  // run once `out` is sent
  };

  void SetError(cwmp::Status st) {
    std::lock_guard lock(error_mu_);
    last_error_ = std::move(st);
  }

  void Log(const std::string& line) const {
    if (options_.log) options_.log("admin: " + line);
  }

  // Binds, rebinds or closes the listening socket to match the settings.
  cwmp::Status Reconcile(const AdminSettings& settings) {
    settings_ = settings;
    std::optional<std::pair<std::string, uint16_t>> want;
    if (settings.web_server_enabled) {
      want = explicit_ ? *explicit_
                       : std::pair<std::string, uint16_t>{options_.bind_address,
                                                          settings.web_server_port};
    }
    if (want == bound_ && (listen_fd_ >= 0 || !want)) return cwmp::Status::Ok();
    if (listen_fd_ >= 0) {
      close(listen_fd_);
      listen_fd_ = -1;
      port_.store(0);
      if (!want) {
        Log("web server disabled (Enable_Web_Server is No)");
        CloseAll();
      }
    }
    bound_ = want;
    if (!want) return cwmp::Status::Ok();
    auto sock = internal::BindSocket(want->first, want->second, SOCK_STREAM);
    if (!sock.ok()) {
      cwmp::Status st = sock.status().WithPrefix("admin web server");
      if (last_error().message() != st.message()) Log(st.message());
      SetError(st);
      bound_.reset();  // try again at the next settings poll
      return st;
    }
    fcntl(sock->fd, F_SETFL, fcntl(sock->fd, F_GETFL) | O_NONBLOCK);
    listen_fd_ = sock->fd;
    port_.store(sock->port);
    SetError(cwmp::Status::Ok());
    Log("listening on " + want->first + " port " + std::to_string(sock->port));
    return cwmp::Status::Ok();
  }

  void CloseAll() {
    for (auto& c : conns_) close(c.fd);
    conns_.clear();
    if (listen_fd_ >= 0) close(listen_fd_);
    listen_fd_ = -1;
    port_.store(0);
  }

  void Accept() {
    while (true) {
      sockaddr_storage addr{};
      socklen_t len = sizeof(addr);
      int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      if (conns_.size() >= options_.max_connections) {
        std::string busy = Serialize(ErrorResponse(503, "Too many connections"), false);
        (void)!send(fd, busy.data(), busy.size(), MSG_NOSIGNAL);
        close(fd);
        continue;
      }
      Conn& c = conns_.emplace_back(options_);
      c.fd = fd;
      c.peer = internal::AddressString(reinterpret_cast<sockaddr*>(&addr), true);
      c.deadline = Steady::now() + options_.idle_timeout;
    }
  }

  void Read(Conn& c) {
    char buf[16384];
    ssize_t n = recv(c.fd, buf, sizeof(buf), 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      c.dead = true;
      return;
    }
    if (n < 0) return;
    if (!c.reader.HasPartial()) c.request_start = Steady::now();
    c.reader.Append(std::string_view(buf, static_cast<size_t>(n)));
    Process(c);
    Write(c);
  }

  // Answers every complete request in the buffer (in order), up to a bounded amount of output.
  void Process(Conn& c) {
    while (!c.close_after_write && c.out.size() < (size_t{256} << 10)) {
      auto step = c.reader.Next();
      using Kind = HttpRequestReader::Kind;
      if (step.kind == Kind::kNeedMore) break;
      if (step.kind == Kind::kExpectContinue) {
        c.out += "HTTP/1.1 100 Continue\r\n\r\n";
        continue;
      }
      if (step.kind == Kind::kError) {
        Queue(c, ErrorResponse(step.error_status, step.error), false);
        break;
      }
      c.request_start = Steady::now();  // for the request pipelined behind this one, if any
      // A profile POST may have changed the settings (passwords, port): read them per request.
      settings_ = actions_.Settings();
      if (!settings_.web_server_enabled) {
        Queue(c, ErrorResponse(503, "Web server disabled"), false);
        break;
      }
      AdminResponse r = router_.Handle(step.request, settings_, c.peer);
      bool keep =
          step.request.keep_alive && !r.close && ++c.served < options_.max_requests_per_connection;
      Queue(c, std::move(r), keep);
      if (step.request.head.method == "POST") next_settings_ = Steady::now();
    }
    // A request under way must complete within request_timeout of its first byte; an idle
    // keep-alive connection gets idle_timeout.
    c.deadline = c.reader.HasPartial() ? c.request_start + options_.request_timeout
                                       : Steady::now() + options_.idle_timeout;
  }

  void Queue(Conn& c, AdminResponse r, bool keep_alive) {
    c.out += Serialize(r, keep_alive);
    if (r.after) c.after.push_back(std::move(r.after));
    if (!keep_alive) c.close_after_write = true;
  }

  void Write(Conn& c) {
    while (!c.out.empty()) {
      ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          c.deadline = Steady::now() + options_.request_timeout;  // the peer must keep reading
          return;
        }
        if (errno == EINTR) continue;
        c.dead = true;
        return;
      }
      c.out.erase(0, static_cast<size_t>(n));
    }
    auto after = std::move(c.after);
    c.after.clear();
    for (auto& f : after) f();
    if (c.close_after_write) {
      shutdown(c.fd, SHUT_WR);
      c.dead = true;
      return;
    }
    // Requests pipelined behind the one just answered.
    if (c.reader.HasPartial()) {
      Process(c);
      if (!c.out.empty()) Write(c);
    }
  }

  // Closes dead connections and those past their deadline (408 for a half-received request).
  void Sweep() {
    auto now = Steady::now();
    for (auto it = conns_.begin(); it != conns_.end();) {
      if (!it->dead && now >= it->deadline) {
        if (it->out.empty() && it->reader.HasPartial()) {
          std::string t = Serialize(ErrorResponse(408, "Request timeout"), false);
          (void)!send(it->fd, t.data(), t.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        }
        it->dead = true;
      }
      if (it->dead) {
        // A command whose answer could not be delivered was still accepted (a reboot).
        for (auto& f : it->after) f();
        close(it->fd);
        it = conns_.erase(it);
      } else {
        ++it;
      }
    }
  }

  AdminServerOptions options_;
  AdminActions& actions_;
  internal::AdminRouter router_;
  AdminSettings settings_;
  std::optional<std::pair<std::string, uint16_t>> explicit_;
  std::optional<std::pair<std::string, uint16_t>> bound_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::atomic<uint16_t> port_{0};
  std::atomic<bool> stop_{false};
  std::list<Conn> conns_;
  Steady::time_point next_settings_ = Steady::now() + options_.settings_poll;
  mutable std::mutex error_mu_;
  cwmp::Status last_error_;
};

cwmp::Result<std::unique_ptr<AdminServer>> AdminServer::Start(AdminServerOptions options,
                                                              AdminActions& actions) {
  auto impl = std::make_unique<Impl>(std::move(options), actions);
  CWMP_RETURN_IF_ERROR(impl->Init());
  std::unique_ptr<AdminServer> server(new AdminServer(std::move(impl)));
  return server;
}

AdminServer::AdminServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  thread_ = std::thread([this] { impl_->Loop(); });
}

AdminServer::~AdminServer() { Stop(); }

uint16_t AdminServer::port() const { return impl_->port(); }

void AdminServer::Refresh() { impl_->Wake(); }

cwmp::Status AdminServer::last_error() const { return impl_->last_error(); }

void AdminServer::Stop() {
  if (!thread_.joinable()) return;
  impl_->RequestStop();
  thread_.join();
}

}  // namespace agent
