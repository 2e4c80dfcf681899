#pragma once
// A raw HTTP/1.1 client over loopback for the admin server tests: exact bytes out, exact
// answers in (status, headers, body), keep-alive aware.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "agent/connection_request.h"

namespace agent_admin_test {

struct HttpAnswer {
  int status = 0;  // 0: no answer (connection refused or closed)
  std::string head;
  std::string body;
  std::string Header(const std::string& name) const {
    size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    at += name.size() + 4;
    return head.substr(at, head.find("\r\n", at) - at);
  }
  int CountHeader(const std::string& name) const {
    int n = 0;
    for (size_t at = head.find("\r\n" + name + ": "); at != std::string::npos;
         at = head.find("\r\n" + name + ": ", at + 1)) {
      ++n;
    }
    return n;
  }
};

class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~HttpConnection() {
    if (fd_ >= 0) close(fd_);
  }
  bool connected() const { return fd_ >= 0; }

  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads one answer (head + Content-Length body); status 0 when the connection closed first.
  HttpAnswer Read(int timeout_ms = 5000) {
    HttpAnswer a;
    while (true) {
      size_t end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = buf_.substr(0, end + 2);
        std::string cl = HttpAnswer{0, head, ""}.Header("Content-Length");
        size_t length = cl.empty() ? 0 : std::stoul(cl);
        if (buf_.size() >= end + 4 + length) {
          a.head = head;
          a.status = head.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(head.substr(9, 3)) : -1;
          a.body = buf_.substr(end + 4, length);
          buf_.erase(0, end + 4 + length);
          return a;
        }
      }
      if (!Fill(timeout_ms)) return a;
    }
  }

  // True when the server closed the connection (within the timeout, nothing more to read).
  bool Closed(int timeout_ms = 5000) {
    while (buf_.empty()) {
      if (!Fill(timeout_ms)) return eof_;
    }
    return false;
  }

  HttpAnswer Exchange(const std::string& request) {
    if (!Send(request)) return {};
    return Read();
  }

 private:
  bool Fill(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    char chunk[8192];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buf_;
  bool eof_ = false;
};

inline std::string Get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: phone\r\n" + extra + "\r\n";
}

// One request on a fresh connection.
inline HttpAnswer Fetch(uint16_t port, const std::string& request) {
  HttpConnection c(port);
  if (!c.connected()) return {};
  return c.Exchange(request);
}

// What a browser does with a Digest challenge (qop=auth).
inline std::string DigestAuthorization(const HttpAnswer& challenge, const std::string& method,
                                       const std::string& uri, const std::string& user,
                                       const std::string& password,
                                       const std::string& nc = "00000001") {
  std::string www;
  for (size_t at = challenge.head.find("WWW-Authenticate: Digest"); at != std::string::npos;) {
    www = challenge.head.substr(at + 18, challenge.head.find("\r\n", at) - at - 18);
    break;
  }
  auto p = agent::ParseDigestHeader(www);
  if (!p) return "";
  std::string realm = (*p)["realm"], nonce = (*p)["nonce"];
  std::string ha1 = agent::Md5Hex(user + ":" + realm + ":" + password);
  std::string ha2 = agent::Md5Hex(method + ":" + uri);
  std::string response = agent::Md5Hex(ha1 + ":" + nonce + ":" + nc + ":c0ffee:auth:" + ha2);
  return "Authorization: Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" +
         nonce + "\", uri=\"" + uri + "\", qop=auth, nc=" + nc +
         ", cnonce=\"c0ffee\", response=\"" + response + "\"\r\n";
}

// Runs a shell command, returns its stdout (the curl CLI, as the guide uses it).
inline std::string Shell(const std::string& command) {
  std::string out;
  FILE* f = popen(command.c_str(), "r");
  if (f == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  pclose(f);
  return out;
}

}  // namespace agent_admin_test
