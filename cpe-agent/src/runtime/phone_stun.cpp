// PhoneStun: the TR-111 STUN binding of one phone, driven from its strand. See phone_stun.h.
#include "runtime/phone_stun.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "agent/parameter_store.h"
#include "runtime/route.h"

namespace agent {
namespace {

bool IsYes(const std::string& v) { return v == "Yes" || v == "yes" || v == "1" || v == "true"; }

int64_t ParseInt(const std::string& text, int64_t fallback) {
  try {
    size_t used = 0;
    long long v = std::stoll(text, &used, 0);
    return used == text.size() ? v : fallback;
  } catch (...) {
    return fallback;
  }
}

// IPv4 literal as is; a host name through the resolver (the CR socket is IPv4).
cwmp::Result<StunAddress> ResolveServer(const std::string& host, uint16_t port) {
  auto literal = ParseStunServerAddress(host, port);
  if (literal.ok()) return literal;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) {
    return cwmp::NotFound("STUN server \"" + host + "\": " + gai_strerror(rc));
  }
  char text[INET_ADDRSTRLEN] = {0};
  inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr, text, sizeof(text));
  freeaddrinfo(found);
  return StunAddress{text, port};
}

}  // namespace

StunSettings StunSettings::From(const ParameterStore& s) {
  StunSettings c;
  c.enable = IsYes(s.Get("TR-069_STUN_Enable"));
  c.server_address = s.Get("TR-069_STUN_Server_Address");
  int64_t port = ParseInt(s.Get("TR-069_STUN_Server_Port"), 3478);
  c.server_port = port > 0 && port <= 65535 ? static_cast<uint16_t>(port) : 3478;
  c.username = s.Get("TR-069_STUN_Username");
  c.password = s.Get("TR-069_STUN_Password");
  int64_t min = ParseInt(s.Get("TR-069_STUN_Minimum_Keep_Alive_Period"), 30);
  c.min_keepalive_s = min >= 0 && min <= 0xffffffffLL ? static_cast<uint32_t>(min) : 30;
  c.max_keepalive_s = ParseInt(s.Get("TR-069_STUN_Maximum_Keep_Alive_Period"), -1);
  if (c.max_keepalive_s < -1) c.max_keepalive_s = -1;
  return c;
}

std::chrono::milliseconds StunSettings::KeepAlive() const {
  return StunKeepAlivePeriod(min_keepalive_s, max_keepalive_s, std::chrono::seconds(30));
}

PhoneStun::PhoneStun(Hooks hooks) : hooks_(std::move(hooks)) {}

cwmp::Status PhoneStun::Configure(const StunSettings& settings, const std::string& acs_url) {
  bool same_server = settings.server_address.empty() ? acs_url == acs_url_ : true;
  if (client_ && settings == settings_ && same_server) return cwmp::Status::Ok();
  Stop();
  settings_ = settings;
  acs_url_ = acs_url;
  if (!settings.enable) return cwmp::Status::Ok();
  std::string host = settings.server_address;
  if (host.empty()) {
    std::string port;
    if (!SplitUrlHostPort(acs_url, &host, &port) || host.empty()) {
      return cwmp::FailedPrecondition("STUN: no STUNServerAddress and no ACS URL host");
    }
  }
  auto server = ResolveServer(host, settings.server_port);
  if (!server.ok()) return server.status();
  server_ = *server;
  local_ip_ = ConnectionRequestHost(
      "0.0.0.0", "http://" + server_.ip + ":" + std::to_string(server_.port) + "/");
  StunBindingOptions o;
  o.keepalive_period = settings.KeepAlive();
  o.username = settings.username;
  o.password = cwmp::Secret(settings.password);
  client_ = std::make_unique<StunBindingClient>(std::move(o), &RandomStunTransactionId);
  SendDue(std::chrono::system_clock::now());
  return cwmp::Status::Ok();
}

void PhoneStun::Stop() {
  client_.reset();
  armed_.reset();
  ++generation_;
}

void PhoneStun::OnWake(uint64_t generation, TimePoint when) {
  if (generation != generation_ || !client_) return;  // a timer of an earlier configuration
  if (armed_ == when) armed_.reset();
  SendDue(std::chrono::system_clock::now());
}

bool PhoneStun::OnDatagram(std::string_view datagram) {
  if (!client_) return false;
  auto now = std::chrono::system_clock::now();
  bool changed = client_->OnDatagram(datagram, now).has_value();
  SendDue(now);  // a new mapping or a 401 asks for a request at once
  return changed;
}

std::optional<StunAddress> PhoneStun::mapped() const {
  if (!client_) return std::nullopt;
  return client_->mapped();
}

bool PhoneStun::NatDetected(uint16_t local_port) const {
  auto m = mapped();
  return m && (m->ip != local_ip_ || m->port != local_port);
}

void PhoneStun::SendDue(TimePoint now) {
  if (auto request = client_->Poll(now)) hooks_.send(server_, *request);
  Arm(client_->NextWakeup());
}

void PhoneStun::Arm(TimePoint when) {
  if (armed_ && *armed_ <= when) return;  // an earlier wake-up is already set
  armed_ = when;
  hooks_.wake_at(generation_, when);
}

}  // namespace agent
