// TR-069 Annex G UDP connection requests and the STUN binding on the same socket.
#include "agent/connection_request_udp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "cwmp/content/hash.h"
#include "socket_util.h"

namespace agent {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

cwmp::Result<std::string> PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return cwmp::ParseError("truncated %-escape");
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return cwmp::ParseError("malformed %-escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string HmacSha1Hex(std::string_view key, std::string_view data) {
  return cwmp::content::HexLower(cwmp::content::HmacSha1(key, data));
}

cwmp::Result<UdpConnectionRequest> ParseUdpConnectionRequest(std::string_view d) {
  if (d.size() > 2048) return cwmp::LimitExceeded("UDP connection request over 2048 bytes");
  std::string_view line = d.substr(0, d.find("\r\n"));
  if (line.rfind("GET ", 0) != 0) return cwmp::ParseError("UDP connection request is not a GET");
  line.remove_prefix(4);
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos || line.substr(sp + 1).rfind("HTTP/1.", 0) != 0) {
    return cwmp::ParseError("UDP connection request line has no HTTP/1.x version");
  }
  std::string_view target = line.substr(0, sp);
  size_t q = target.find('?');
  if (q == std::string_view::npos) return cwmp::ParseError("UDP connection request has no query");
  std::string_view query = target.substr(q + 1);
  std::map<std::string, std::string> args;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    auto key = std::string(kv.substr(0, eq));
    auto value = PercentDecode(kv.substr(eq + 1));
    if (!value.ok()) return value.status().WithPrefix("UDP connection request argument " + key);
    if (args.count(key) != 0) return cwmp::ParseError("UDP connection request repeats " + key);
    args[key] = std::move(*value);
  }
  for (const char* k : {"ts", "id", "un", "cn", "sig"}) {
    if (args.count(k) == 0 || args[k].empty()) {
      return cwmp::ParseError(std::string("UDP connection request lacks ") + k);
    }
  }
  UdpConnectionRequest r;
  const std::string& ts = args["ts"];
  if (ts.size() > 19 || ts.find_first_not_of("0123456789") != std::string::npos) {
    return cwmp::ParseError("UDP connection request ts \"" + ts.substr(0, 24) +
                            "\" is not a number");
  }
  r.ts = std::stoull(ts);
  r.id = args["id"];
  r.username = args["un"];
  r.cnonce = args["cn"];
  r.signature = args["sig"];
  if (r.signature.size() != 40 || !std::all_of(r.signature.begin(), r.signature.end(),
                                               [](char c) { return HexValue(c) >= 0; })) {
    return cwmp::ParseError("UDP connection request sig is not 40 hex digits");
  }
  return r;
}

cwmp::Status UdpConnectionRequestValidator::Accept(const UdpConnectionRequest& r) {
  if (username_.empty() || r.username != username_) {
    return cwmp::FailedPrecondition("UDP connection request for unknown user \"" +
                                    r.username.substr(0, 64) + "\"");
  }
  std::string sig(r.signature);
  for (auto& c : sig) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string expected =
      HmacSha1Hex(password_.Reveal(), std::to_string(r.ts) + r.id + r.username + r.cnonce);
  if (sig.size() != expected.size() ||
      CRYPTO_memcmp(sig.data(), expected.data(), sig.size()) != 0) {
    return cwmp::FailedPrecondition("UDP connection request id " + r.id.substr(0, 64) +
                                    ": bad signature");
  }
  if (last_ts_ && r.ts < *last_ts_) {
    return cwmp::FailedPrecondition("UDP connection request ts " + std::to_string(r.ts) +
                                    " is older than " + std::to_string(*last_ts_));
  }
  if (std::find(recent_ids_.begin(), recent_ids_.end(), r.id) != recent_ids_.end()) {
    return cwmp::FailedPrecondition("UDP connection request id " + r.id.substr(0, 64) +
                                    " was already seen");
  }
  last_ts_ = r.ts;
  recent_ids_.push_back(r.id);
  if (recent_ids_.size() > 64) recent_ids_.pop_front();
  return cwmp::Status::Ok();
}

cwmp::Result<std::unique_ptr<UdpConnectionRequestServer>> UdpConnectionRequestServer::Start(
    UdpConnectionRequestOptions options, const ClientClock& clock, std::function<void()> on_request,
    std::function<void(const std::string&)> on_binding) {
  std::unique_ptr<UdpConnectionRequestServer> s(
      new UdpConnectionRequestServer(std::move(options), clock));
  s->on_request_ = std::move(on_request);
  s->on_binding_ = std::move(on_binding);
  if (!s->options_.stun_server.empty()) {
    auto server = ParseStunServerAddress(s->options_.stun_server);
    if (!server.ok()) return server.status();
    s->stun_ip_ = server->ip;
    s->stun_port_ = server->port;
    s->stun_ = std::make_unique<StunBindingClient>(s->options_.stun, &RandomStunTransactionId);
  }
  auto bound = internal::BindSocket(s->options_.bind_address, s->options_.port, SOCK_DGRAM);
  if (!bound.ok()) return bound.status().WithPrefix("UDP connection request listener");
  s->fd_ = bound->fd;
  s->port_ = bound->port;
  auto pipe_status = internal::MakeWakePipe(s->wake_pipe_);
  if (!pipe_status.ok()) return pipe_status;
  s->thread_ = std::thread([p = s.get()] { p->Loop(); });
  return s;
}

UdpConnectionRequestServer::~UdpConnectionRequestServer() {
  Stop();
  if (fd_ >= 0) close(fd_);
  for (int fd : wake_pipe_) {
    if (fd >= 0) close(fd);
  }
}

void UdpConnectionRequestServer::Stop() {
  if (!thread_.joinable()) return;
  char b = 1;
  (void)!write(wake_pipe_[1], &b, 1);
  thread_.join();
}

std::string UdpConnectionRequestServer::Address(std::string_view host) const {
  std::string h(host);
  if (h.find(':') != std::string::npos && h.front() != '[') h = "[" + h + "]";
  return h + ":" + std::to_string(port_);
}

std::optional<std::string> UdpConnectionRequestServer::PublicAddress() const {
  std::lock_guard lock(mu_);
  return public_address_;
}

uint64_t UdpConnectionRequestServer::accepted() const {
  std::lock_guard lock(mu_);
  return accepted_;
}

uint64_t UdpConnectionRequestServer::rejected() const {
  std::lock_guard lock(mu_);
  return rejected_;
}

void UdpConnectionRequestServer::HandleDatagram(std::string_view data, bool from_stun_server) {
  if (stun_ && from_stun_server && LooksLikeStun(data)) {
    if (auto changed = stun_->OnDatagram(data, clock_.Now())) {
      std::string text = changed->ToString();
      {
        std::lock_guard lock(mu_);
        public_address_ = text;
      }
      if (on_binding_) on_binding_(text);
    }
    return;
  }
  auto request = ParseUdpConnectionRequest(data);
  bool ok = request.ok() && validator_.Accept(*request).ok();
  {
    std::lock_guard lock(mu_);
    ++(ok ? accepted_ : rejected_);
  }
  if (ok && on_request_) on_request_();  // Annex G: no reply is sent either way
}

void UdpConnectionRequestServer::Loop() {
  sockaddr_in stun_addr{};
  if (stun_) {
    stun_addr.sin_family = AF_INET;
    stun_addr.sin_port = htons(stun_port_);
    inet_pton(AF_INET, stun_ip_.c_str(), &stun_addr.sin_addr);
  }
  while (true) {
    int timeout_ms = -1;
    if (stun_) {
      auto now = clock_.Now();
      if (auto out = stun_->Poll(now)) {
        sendto(fd_, out->data(), out->size(), 0, reinterpret_cast<sockaddr*>(&stun_addr),
               sizeof(stun_addr));
      }
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(stun_->NextWakeup() - now);
      timeout_ms = static_cast<int>(std::clamp<int64_t>(wait.count(), 0, 60000));
    }
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    int n = poll(fds, 2, timeout_ms);
    if (n < 0) continue;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    char buf[2049];
    sockaddr_storage from{};
    socklen_t from_len = sizeof(from);
    ssize_t got = recvfrom(fd_, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (got <= 0 || static_cast<size_t>(got) > 2048) continue;  // empty or oversized: ignored
    bool from_stun = false;
    if (stun_ && from.ss_family == AF_INET) {
      auto* f = reinterpret_cast<sockaddr_in*>(&from);
      from_stun =
          f->sin_addr.s_addr == stun_addr.sin_addr.s_addr && f->sin_port == stun_addr.sin_port;
    }
    HandleDatagram(std::string_view(buf, static_cast<size_t>(got)), from_stun);
  }
}

}  // namespace agent
