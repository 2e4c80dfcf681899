#include "scripted_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace agent_test {

namespace {
std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    default:
      return "Status";
  }
}
}  // namespace

std::optional<std::string> RecordedRequest::Header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (Lower(n) == Lower(name)) return v;
  }
  return std::nullopt;
}

ScriptedHttpServer::ScriptedHttpServer(Handler handler) : handler_(std::move(handler)) {
  Listen();
  thread_ = std::thread([this] { Loop(); });
}

void ScriptedHttpServer::Listen() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 8) != 0) {
    throw std::runtime_error("scripted server: cannot listen on 127.0.0.1");
  }
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

ScriptedHttpServer::ScriptedHttpServer(Handler handler, const std::string& cert_file,
                                       const std::string& key_file,
                                       const std::string& client_ca_file)
    : handler_(std::move(handler)) {
  Listen();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    SSL_CTX_free(ctx);
    close(listen_fd_);
    throw std::runtime_error("scripted server: cannot load " + cert_file);
  }
  if (!client_ca_file.empty()) {
    SSL_CTX_load_verify_locations(ctx, client_ca_file.c_str(), nullptr);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  ssl_ctx_ = ctx;
  thread_ = std::thread([this] { Loop(); });
}

ScriptedHttpServer::~ScriptedHttpServer() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
  if (ssl_ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
}

std::string ScriptedHttpServer::Url(const std::string& path) const {
  return std::string(ssl_ctx_ != nullptr ? "https" : "http") +
         "://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<RecordedRequest> ScriptedHttpServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void ScriptedHttpServer::Loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    SSL* ssl = nullptr;
    if (ssl_ctx_ != nullptr) {
      ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_));
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) != 1) {
        ++tls_failures_;
        SSL_free(ssl);
        close(fd);
        continue;
      }
    }
    Serve(fd, ssl, ++connections_);
    if (ssl != nullptr) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
    close(fd);
  }
}

void ScriptedHttpServer::Serve(int fd, void* ssl_ptr, int connection) {
  SSL* ssl = static_cast<SSL*>(ssl_ptr);
  auto recv = [ssl](int s, char* b, size_t n, int flags) -> ssize_t {
    if (ssl == nullptr) return ::recv(s, b, n, flags);
    return SSL_read(ssl, b, static_cast<int>(n));
  };
  auto send = [ssl](int s, const char* b, size_t n, int flags) -> ssize_t {
    if (ssl == nullptr) return ::send(s, b, n, flags);
    return SSL_write(ssl, b, static_cast<int>(n));
  };
  auto poll = [ssl](pollfd* p, nfds_t n, int timeout) {
    if (ssl != nullptr && SSL_pending(ssl) > 0) return 1;
    return ::poll(p, n, timeout);
  };
  std::string buf;
  while (!stop_) {
    size_t head_end;
    while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
      pollfd p{fd, POLLIN, 0};
      if (stop_) return;
      if (poll(&p, 1, 50) <= 0) continue;
      char chunk[4096];
      ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) return;  // the client closed the connection
      buf.append(chunk, static_cast<size_t>(n));
    }
    RecordedRequest req;
    req.connection = connection;
    req.raw_head = buf.substr(0, head_end + 4);
    std::string head = buf.substr(0, head_end);
    buf.erase(0, head_end + 4);
    size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    size_t sp1 = request_line.find(' ');
    size_t sp2 = request_line.rfind(' ');
    req.method = request_line.substr(0, sp1);
    req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string line = head.substr(pos, e - pos);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        req.headers.emplace_back(line.substr(0, colon), value);
      }
      pos = e + 2;
    }
    size_t content_length = 0;
    if (auto cl = req.Header("Content-Length"))
      content_length = std::strtoul(cl->c_str(), nullptr, 10);
    while (buf.size() < content_length) {
      char chunk[4096];
      pollfd p{fd, POLLIN, 0};
      if (stop_) return;
      if (poll(&p, 1, 50) <= 0) continue;
      ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) return;
      buf.append(chunk, static_cast<size_t>(n));
    }
    req.body = buf.substr(0, content_length);
    buf.erase(0, content_length);
    {
      std::lock_guard lock(mu_);
      requests_.push_back(req);
    }
    ScriptedResponse resp = handler_(req);
    if (resp.drop_connection) return;
    std::string out =
        "HTTP/1.1 " + std::to_string(resp.status) + " " + Reason(resp.status) + "\r\n";
    for (const auto& [n, v] : resp.headers) out += n + ": " + v + "\r\n";
    if (resp.status != 204) out += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
    out += "\r\n" + resp.body;
    size_t sent = 0;
    while (sent < out.size()) {
      ssize_t n = send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }
}

ScriptedHttpServer::Handler Sequence(std::vector<ScriptedResponse> responses) {
  auto state =
      std::make_shared<std::pair<std::vector<ScriptedResponse>, size_t>>(std::move(responses), 0);
  return [state](const RecordedRequest&) {
    if (state->second >= state->first.size()) return ScriptedResponse{500, {}, "", false};
    return state->first[state->second++];
  };
}

ScriptedResponse Soap(std::string xml, std::vector<std::pair<std::string, std::string>> headers) {
  headers.emplace_back("Content-Type", "text/xml; charset=\"utf-8\"");
  return ScriptedResponse{200, std::move(headers), std::move(xml), false};
}

}  // namespace agent_test
