// The HTTP client: non-blocking sockets driven by poll() so one deadline bounds the whole
// exchange (a peer that accepts and then says nothing can't hold the caller).
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "acs/http_client.h"

namespace acs::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxHeadBytes = 16 * 1024;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Waits for `events` on fd until the deadline; false on timeout.
bool WaitFor(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, RemainingMs(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;  // let the following call report the error
  }
}

struct Failure {
  FetchFailure kind;
  cwmp::Status status;
};

class Exchange {
 public:
  Exchange(const HttpUrl& url, Clock::time_point deadline) : url_(url), deadline_(deadline) {}

  cwmp::Status Fail(FetchFailure kind, const std::string& what) {
    failure_ = kind;
    return cwmp::IoError(Where() + ": " + what);
  }
  FetchFailure failure() const { return failure_; }

  cwmp::Result<int> Connect() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::string port = std::to_string(url_.port);
    int rc = ::getaddrinfo(url_.host.c_str(), port.c_str(), &hints, &res);
    if (rc != 0) return Fail(FetchFailure::kUnreachable, gai_strerror(rc));
    std::string last = "no address";
    int out = -1;
    for (addrinfo* a = res; a != nullptr && out < 0; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        last = std::strerror(errno);
        continue;
      }
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        out = fd;
        break;
      }
      if (errno != EINPROGRESS) {
        last = std::strerror(errno);
        ::close(fd);
        continue;
      }
      if (!WaitFor(fd, POLLOUT, deadline_)) {
        ::close(fd);
        ::freeaddrinfo(res);
        return Fail(FetchFailure::kTimeout, "timed out connecting");
      }
      int err = 0;
      socklen_t len = sizeof(err);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) {
        out = fd;
      } else {
        last = std::strerror(err);
        ::close(fd);
      }
    }
    ::freeaddrinfo(res);
    if (out < 0) return Fail(FetchFailure::kUnreachable, "cannot connect: " + last);
    return out;
  }

  cwmp::Status SendAll(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!WaitFor(fd, POLLOUT, deadline_)) {
          return Fail(FetchFailure::kTimeout, "timed out sending the request");
        }
        continue;
      }
      return Fail(FetchFailure::kProtocol, std::string("send failed: ") + std::strerror(errno));
    }
    return cwmp::Status::Ok();
  }

  // Appends what arrives to buf_; returns false at EOF. Errors set `status`.
  bool ReadMore(int fd, cwmp::Status* status) {
    char chunk[16 * 1024];
    for (;;) {
      ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
      if (n > 0) {
        buf_.append(chunk, static_cast<size_t>(n));
        return true;
      }
      if (n == 0) return false;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!WaitFor(fd, POLLIN, deadline_)) {
          *status = Fail(FetchFailure::kTimeout, "timed out waiting for the response");
          return false;
        }
        continue;
      }
      *status = Fail(FetchFailure::kProtocol, std::string("recv failed: ") + std::strerror(errno));
      return false;
    }
  }

  cwmp::Result<ClientResponse> Receive(int fd, bool head_only, size_t max_body) {
    cwmp::Status st;
    size_t head_end;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (buf_.size() > kMaxHeadBytes) {
        return Fail(FetchFailure::kProtocol, "response head over 16 KiB");
      }
      if (!ReadMore(fd, &st)) {
        if (!st.ok()) return st;
        return Fail(FetchFailure::kProtocol, "connection closed before a complete response");
      }
    }
    ClientResponse resp;
    CWMP_RETURN_IF_ERROR(ParseHead(std::string_view(buf_).substr(0, head_end), &resp));
    buf_.erase(0, head_end + 4);

    if (head_only || resp.status == 204 || resp.status == 304 || resp.status / 100 == 1) {
      return resp;
    }
    const std::string* te = resp.Find("Transfer-Encoding");
    const std::string* cl = resp.Find("Content-Length");
    if (te != nullptr && IEquals(Trim(*te), "chunked")) {
      CWMP_RETURN_IF_ERROR(ReadChunked(fd, max_body, &resp.body));
    } else if (cl != nullptr) {
      size_t length = 0;
      auto sv = Trim(*cl);
      auto [p, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), length);
      if (ec != std::errc() || p != sv.data() + sv.size()) {
        return Fail(FetchFailure::kProtocol, "bad Content-Length \"" + std::string(sv) + "\"");
      }
      if (length > max_body) return Fail(FetchFailure::kProtocol, "response body over the limit");
      while (buf_.size() < length) {
        if (!ReadMore(fd, &st)) {
          if (!st.ok()) return st;
          return Fail(FetchFailure::kProtocol, "connection closed inside the response body");
        }
      }
      resp.body = buf_.substr(0, length);
    } else {
      while (ReadMore(fd, &st)) {
        if (buf_.size() > max_body) {
          return Fail(FetchFailure::kProtocol, "response body over the limit");
        }
      }
      if (!st.ok()) return st;
      resp.body = std::move(buf_);
    }
    return resp;
  }

 private:
  std::string Where() const { return "http://" + url_.host + ":" + std::to_string(url_.port); }

  cwmp::Status ParseHead(std::string_view head, ClientResponse* resp) {
    size_t eol = head.find("\r\n");
    std::string_view status_line = head.substr(0, eol);
    if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ') {
      return Fail(FetchFailure::kProtocol, "not an HTTP/1.x response");
    }
    int code = 0;
    auto [p, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, code);
    if (ec != std::errc() || p != status_line.data() + 12 || code < 100 || code > 599) {
      return Fail(FetchFailure::kProtocol, "bad status line");
    }
    resp->status = code;
    while (eol != std::string_view::npos) {
      head.remove_prefix(eol + 2);
      eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      if (line.empty()) continue;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        return Fail(FetchFailure::kProtocol, "malformed header line");
      }
      resp->headers.push_back(
          Header{std::string(line.substr(0, colon)), std::string(Trim(line.substr(colon + 1)))});
    }
    return cwmp::Status::Ok();
  }

  cwmp::Status ReadChunked(int fd, size_t max_body, std::string* body) {
    cwmp::Status st;
    auto need_line = [&]() -> cwmp::Result<std::string> {
      size_t eol;
      while ((eol = buf_.find("\r\n")) == std::string::npos) {
        if (buf_.size() > kMaxHeadBytes)
          return Fail(FetchFailure::kProtocol, "chunk line too long");
        if (!ReadMore(fd, &st)) {
          if (!st.ok()) return st;
          return Fail(FetchFailure::kProtocol, "connection closed inside a chunked body");
        }
      }
      std::string line = buf_.substr(0, eol);
      buf_.erase(0, eol + 2);
      return line;
    };
    for (;;) {
      auto line = need_line();
      if (!line.ok()) return line.status();
      std::string_view sv = *line;
      sv = sv.substr(0, sv.find(';'));
      sv = Trim(sv);
      size_t size = 0;
      auto [p, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), size, 16);
      if (ec != std::errc() || p != sv.data() + sv.size() || sv.empty()) {
        return Fail(FetchFailure::kProtocol, "bad chunk size");
      }
      if (size == 0) {
        for (;;) {  // trailers up to the empty line
          auto t = need_line();
          if (!t.ok()) return t.status();
          if (t->empty()) return cwmp::Status::Ok();
        }
      }
      if (body->size() + size > max_body) {
        return Fail(FetchFailure::kProtocol, "response body over the limit");
      }
      while (buf_.size() < size + 2) {
        if (!ReadMore(fd, &st)) {
          if (!st.ok()) return st;
          return Fail(FetchFailure::kProtocol, "connection closed inside a chunk");
        }
      }
      body->append(buf_, 0, size);
      buf_.erase(0, size + 2);
    }
  }

  const HttpUrl& url_;
  Clock::time_point deadline_;
  std::string buf_;
  FetchFailure failure_ = FetchFailure::kNone;
};

}  // namespace

const std::string* ClientResponse::Find(std::string_view name) const {
  for (const auto& h : headers) {
    if (IEquals(h.name, name)) return &h.value;
  }
  return nullptr;
}

std::vector<std::string> ClientResponse::FindAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& h : headers) {
    if (IEquals(h.name, name)) out.push_back(h.value);
  }
  return out;
}

cwmp::Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return cwmp::InvalidArgument("URL \"" + std::string(url) + "\": " + why);
  };
  constexpr std::string_view kScheme = "http://";
  if (url.size() < kScheme.size() || !IEquals(url.substr(0, kScheme.size()), kScheme)) {
    return bad("only http:// is supported");
  }
  std::string_view rest = url.substr(kScheme.size());
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? "" : rest.substr(end);
  if (authority.find('@') != std::string_view::npos) return bad("user info is not allowed");
  HttpUrl out;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after the IPv6 literal");
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return bad("empty host");
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return bad("bad port \"" + std::string(port_text) + "\"");
    }
    out.port = static_cast<uint16_t>(port);
  }
  tail = tail.substr(0, tail.find('#'));
  if (tail.empty()) {
    out.target = "/";
  } else if (tail.front() == '?') {
    out.target = "/" + std::string(tail);
  } else {
    out.target = std::string(tail);
  }
  for (char c : out.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return bad("space or control in path");
  }
  return out;
}

cwmp::Result<ClientResponse> Fetch(const ClientRequest& request, FetchFailure* failure) {
  auto set_failure = [&](FetchFailure f) {
    if (failure != nullptr) *failure = f;
  };
  set_failure(FetchFailure::kNone);
  auto url = ParseHttpUrl(request.url);
  if (!url.ok()) {
    set_failure(FetchFailure::kBadUrl);
    return url.status();
  }
  auto deadline = Clock::now() + request.timeout;
  Exchange ex(*url, deadline);
  auto fd = ex.Connect();
  if (!fd.ok()) {
    set_failure(ex.failure());
    return fd.status();
  }
  Fd guard(*fd);

  bool v6 = url->host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + url->host + "]" : url->host;
  if (url->port != 80) host += ":" + std::to_string(url->port);
  std::string msg = request.method + " " + url->target + " HTTP/1.1\r\nHost: " + host + "\r\n";
  for (const auto& h : request.headers) msg += h.name + ": " + h.value + "\r\n";
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    msg += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  msg += "Connection: close\r\n\r\n";
  msg += request.body;
  cwmp::Status st = ex.SendAll(guard.get(), msg);
  if (!st.ok()) {
    set_failure(ex.failure());
    return st;
  }
  auto resp = ex.Receive(guard.get(), request.method == "HEAD", request.max_body_bytes);
  if (!resp.ok()) set_failure(ex.failure());
  return resp;
}

std::string PercentEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

cwmp::Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return cwmp::ParseError("truncated %-escape");
      int hi = hex(text[i + 1]);
      int lo = hex(text[i + 2]);
      if (hi < 0 || lo < 0) return cwmp::ParseError("bad %-escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace acs::http
