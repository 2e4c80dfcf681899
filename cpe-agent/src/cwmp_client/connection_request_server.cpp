// The HTTP connection-request listener: one thread, poll() on the listening socket and a wake
// pipe; each connection gets one request and one answer (Connection: close).
#include <poll.h>
#include <unistd.h>

#include <chrono>

#include "agent/connection_request.h"
#include "socket_util.h"
#include "common/text.h"

namespace agent {
namespace {

const char* Reason(int status) { return text::HttpReason(status); }

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

}  // namespace

cwmp::Result<std::unique_ptr<ConnectionRequestServer>> ConnectionRequestServer::Start(
    ConnectionRequestOptions options, const ClientClock& clock, std::function<void()> on_request) {
  if (!options.path.empty() && options.path.front() != '/') {
    return cwmp::InvalidArgument("connection request path \"" + options.path +
                                 "\" does not start with '/'");
  }
  auto bound = internal::BindSocket(options.bind_address, options.port, SOCK_STREAM);
  if (!bound.ok()) return bound.status().WithPrefix("connection request listener");
  std::unique_ptr<ConnectionRequestServer> server(
      new ConnectionRequestServer(std::move(options), clock, std::move(on_request)));
  server->listen_fd_ = bound->fd;
  server->port_ = bound->port;
  auto pipe_status = internal::MakeWakePipe(server->wake_pipe_);
  if (!pipe_status.ok()) return pipe_status;
  server->thread_ = std::thread([s = server.get()] { s->Loop(); });
  return server;
}

ConnectionRequestServer::ConnectionRequestServer(ConnectionRequestOptions options,
                                                 const ClientClock& clock,
                                                 std::function<void()> on_request)
    : options_(std::move(options)), on_request_(std::move(on_request)) {
  path_ = options_.path.empty() ? "/" + RandomHex128() : options_.path;
  auth_ = std::make_unique<ConnectionRequestAuthenticator>(options_, path_, clock, &RandomHex128);
}

ConnectionRequestServer::~ConnectionRequestServer() {
  Stop();
  if (listen_fd_ >= 0) close(listen_fd_);
  for (int fd : wake_pipe_) {
    if (fd >= 0) close(fd);
  }
}

void ConnectionRequestServer::Stop() {
  if (!thread_.joinable()) return;
  char b = 1;
  (void)!write(wake_pipe_[1], &b, 1);
  thread_.join();
}

std::string ConnectionRequestServer::Url(std::string_view host) const {
  std::string h(host);
  if (h.find(':') != std::string::npos && h.front() != '[') h = "[" + h + "]";
  return "http://" + h + ":" + std::to_string(port_) + path_;
}

void ConnectionRequestServer::Loop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Serve(fd);
    close(fd);
  }
}

void ConnectionRequestServer::Serve(int fd) {
  // One request per connection, read under a deadline and a size cap.
  std::string buf;
  auto deadline = std::chrono::steady_clock::now() + options_.read_timeout;
  while (buf.find("\r\n\r\n") == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || buf.size() > options_.max_request_bytes) return;
    pollfd p[2] = {{fd, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (poll(p, 2, static_cast<int>(left.count())) <= 0) continue;
    if (p[1].revents != 0) return;
    char chunk[2048];
    ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return;
    buf.append(chunk, static_cast<size_t>(n));
  }
  ConnectionRequestReply reply;
  auto head = ParseHttpRequestHead(buf);
  if (!head.ok()) {
    reply.status = 400;
  } else {
    reply = auth_->Handle(*head);
  }
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + Reason(reply.status) +
                    "\r\nContent-Length: 0\r\nConnection: close\r\n";
  for (const auto& [n, v] : reply.headers) out += n + ": " + v + "\r\n";
  out += "\r\n";
  SendAll(fd, out);
  if (reply.trigger && on_request_) on_request_();
}

}  // namespace agent
