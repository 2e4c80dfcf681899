#pragma once
// A scripted CPE for the session tests: raw HTTP/1.1 over loopback TCP, the session cookie
// kept like a real CPE keeps it, envelopes from tests/data/acs_session/ or encoded by the
// shared codec (the agent's side of it).

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "cwmp/soap/codec.h"

namespace acs::testing {

inline std::string ReadData(const std::string& name,
                            const std::map<std::string, std::string>& vars = {}) {
  std::ifstream in(std::string(CWMP_SOURCE_DIR) + "/tests/data/acs_session/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  for (const auto& [k, v] : vars) {
    std::string key = "@" + k + "@";
    for (size_t p = text.find(key); p != std::string::npos; p = text.find(key, p + v.size())) {
      text.replace(p, key.size(), v);
    }
  }
  return text;
}

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeated ones joined by \n
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  // The decoded envelope of a 200 reply.
  cwmp::soap::Envelope Envelope() const {
    auto d = cwmp::soap::Decode(body);
    EXPECT_TRUE(d.ok()) << d.status().ToString() << "\n" << body;
    return d.ok() ? d->envelope : cwmp::soap::Envelope{};
  }
};

class CpeClient {
 public:
  explicit CpeClient(uint16_t port) : port_(port) {}
  ~CpeClient() { Disconnect(); }

  // Closes the TCP connection; the next request opens a new one (the cookie is kept).
  void Disconnect() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buf_.clear();
  }
  void ForgetCookie() { cookie_.clear(); }
  const std::string& cookie() const { return cookie_; }
  void SetCookie(const std::string& c) { cookie_ = c; }
  int connections() const { return connections_; }

  HttpReply Post(const std::string& body, const std::string& authorization = "",
                 const std::string& soap_action = "") {
    return Request("POST", "/", body, authorization, soap_action);
  }
  HttpReply PostEnvelope(const cwmp::soap::Envelope& env) {
    auto xml = cwmp::soap::Encode(env, cwmp::soap::CwmpVersion::k1_2);
    EXPECT_TRUE(xml.ok()) << xml.status().ToString();
    return Post(xml.ok() ? *xml : "");
  }
  HttpReply PostBody(const cwmp::soap::Body& body, const std::string& id = "cpe-1") {
    cwmp::soap::Envelope env;
    env.id = id;
    env.body = body;
    return PostEnvelope(env);
  }

  HttpReply Request(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& authorization = "", const std::string& soap_action = "") {
    if (fd_ < 0) Connect();
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: acs.test\r\n";
    if (!body.empty()) {
      req += "Content-Type: text/xml; charset=\"utf-8\"\r\n";
      if (!soap_action.empty()) req += "SOAPAction: " + soap_action + "\r\n";
    }
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (!cookie_.empty()) req += "Cookie: " + cookie_ + "\r\n";
    if (!authorization.empty()) req += "Authorization: " + authorization + "\r\n";
    req += "\r\n" + body;
    return SendRaw(req);
  }

  // Sends a request exactly as given (e.g. chunked) and reads the reply.
  HttpReply SendRaw(const std::string& req) {
    if (fd_ < 0) Connect();
    size_t off = 0;
    while (off < req.size()) {
      ssize_t n = ::send(fd_, req.data() + off, req.size() - off, MSG_NOSIGNAL);
      if (n <= 0) {
        ADD_FAILURE() << "send failed";
        return {};
      }
      off += static_cast<size_t>(n);
    }
    HttpReply reply = ReadReply();
    auto sc = reply.headers.find("set-cookie");
    if (sc != reply.headers.end()) cookie_ = sc->second.substr(0, sc->second.find(';'));
    auto conn = reply.headers.find("connection");
    if (conn != reply.headers.end() && conn->second == "close") Disconnect();
    return reply;
  }

 private:
  void Connect() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port_);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    ++connections_;
  }

  bool Fill(std::chrono::steady_clock::time_point deadline) {
    pollfd p{fd_, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char b[8192];
    ssize_t n = ::recv(fd_, b, sizeof(b), 0);
    if (n <= 0) return false;
    buf_.append(b, static_cast<size_t>(n));
    return true;
  }

  HttpReply ReadReply() {
    HttpReply r;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    size_t head_end;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) {
        ADD_FAILURE() << "no HTTP response";
        Disconnect();
        return r;
      }
    }
    std::istringstream head(buf_.substr(0, head_end));
    std::string line;
    std::getline(head, line);
    r.status = std::stoi(line.substr(9, 3));
    size_t content_length = 0;
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (name == "content-length") content_length = std::stoul(value);
      auto& slot = r.headers[name];
      slot = slot.empty() ? value : slot + "\n" + value;
    }
    while (buf_.size() < head_end + 4 + content_length) {
      if (!Fill(deadline)) {
        ADD_FAILURE() << "truncated HTTP body";
        break;
      }
    }
    r.body = buf_.substr(head_end + 4, content_length);
    buf_.erase(0, std::min(buf_.size(), head_end + 4 + content_length));
    return r;
  }

  uint16_t port_;
  int fd_ = -1;
  std::string buf_;
  std::string cookie_;
  int connections_ = 0;
};

}  // namespace acs::testing
