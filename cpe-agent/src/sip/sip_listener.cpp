// Resync_From_SIP: the NOTIFY handler (challenge, authenticated retry, action) and its UDP
// listener thread. Contract: agent/sip_listener.h.
#include "agent/sip_listener.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

#include "common/digest_server.h"
#include "agent/connection_request.h"
#include "cwmp_client/socket_util.h"
#include "common/text.h"

namespace agent {
namespace {
using text::Lower;

constexpr std::string_view kAllowEvents = "resync, reboot_now, restart_now";


// "1 NOTIFY" -> "NOTIFY"; "" when malformed.
std::string CSeqMethod(std::string_view cseq) {
  size_t i = 0;
  while (i < cseq.size() && std::isdigit(static_cast<unsigned char>(cseq[i]))) ++i;
  if (i == 0 || i > 10 || i >= cseq.size() || (cseq[i] != ' ' && cseq[i] != '\t')) return "";
  while (i < cseq.size() && (cseq[i] == ' ' || cseq[i] == '\t')) ++i;
  std::string_view method = cseq.substr(i);
  while (!method.empty() && (method.back() == ' ' || method.back() == '\t')) {
    method.remove_suffix(1);
  }
  return std::string(method);
}

// A user-supplied value, safe for a log line.
std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 64)) out += (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
  return out;
}

}  // namespace

SipNotifyHandler::SipNotifyHandler(SipListenerOptions options, AdminActions& actions,
                                   const ClientClock& clock,
                                   std::function<std::string()> random_hex)
    : options_(std::move(options)),
      actions_(actions),
      clock_(clock),
      random_hex_(std::move(random_hex)) {
  digest_ = std::make_unique<internal::DigestAuth>(
      internal::DigestAuth::Options{options_.realm, options_.nonce_lifetime, options_.max_nonces,
                                    /*single_use=*/true},
      random_hex_);
}

SipNotifyHandler::~SipNotifyHandler() = default;

void SipNotifyHandler::Log(const std::string& line) const {
  if (options_.log) options_.log("sip: " + line);
}

std::string SipNotifyHandler::Respond(
    const SipMessage& request, int code, std::string_view reason,
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::string out = "SIP/2.0 " + std::to_string(code) + " " + std::string(reason) + "\r\n";
  for (const auto& via : request.Headers("Via")) out += "Via: " + via + "\r\n";
  if (auto from = request.Header("From")) out += "From: " + *from + "\r\n";
  if (auto to = request.Header("To")) {
    std::string value = *to;
    // RFC 3261 §8.2.6.2: the UAS adds a tag to To when the request had none.
    if (Lower(value).find(";tag=") == std::string::npos) {
      value += ";tag=" + random_hex_().substr(0, 16);
    }
    out += "To: " + value + "\r\n";
  }
  if (auto id = request.Header("Call-ID")) out += "Call-ID: " + *id + "\r\n";
  if (auto cseq = request.Header("CSeq")) out += "CSeq: " + *cseq + "\r\n";
  for (const auto& [n, v] : extra) out += n + ": " + v + "\r\n";
  out += "Server: cpe-agent\r\nContent-Length: 0\r\n\r\n";
  return out;
}

SipOutcome SipNotifyHandler::Handle(std::string_view datagram, std::string_view source) {
  auto parsed = ParseSipMessage(datagram, options_.limits);
  if (!parsed.ok()) {
    // Not SIP, or hostile: nothing to answer to (a reply could be reflected at a victim).
    return {};
  }
  const SipMessage& msg = *parsed;
  if (!msg.is_request || msg.method == "ACK") return {};
  for (const char* h : {"Via", "From", "To", "Call-ID", "CSeq"}) {
    if (!msg.Header(h)) {
      return {Respond(msg, 400, "Bad Request",
                      {{"Warning", "399 cpe-agent \"Missing " + std::string(h) + " header\""}}),
              nullptr};
    }
  }
  if (CSeqMethod(*msg.Header("CSeq")) != msg.method) {
    return {Respond(msg, 400, "Bad Request",
                    {{"Warning", "399 cpe-agent \"CSeq does not match the method\""}}),
            nullptr};
  }
  const std::vector<std::pair<std::string, std::string>> allow = {
      {"Allow", "NOTIFY, OPTIONS"}, {"Allow-Events", std::string(kAllowEvents)}};
  if (msg.method == "OPTIONS") return {Respond(msg, 200, "OK", allow), nullptr};
  if (msg.method != "NOTIFY") return {Respond(msg, 405, "Method Not Allowed", allow), nullptr};
  return HandleNotify(msg, source);
}

SipOutcome SipNotifyHandler::HandleNotify(const SipMessage& msg, std::string_view source) {
  auto event_header = msg.Header("Event");
  if (!event_header) {
    return {
        Respond(msg, 400, "Bad Request", {{"Warning", "399 cpe-agent \"Missing Event header\""}}),
        nullptr};
  }
  auto event = ParseSipEvent(*event_header);
  if (!event || (event->package != "resync" && event->package != "reboot_now" &&
                 event->package != "restart_now")) {
    return {Respond(msg, 489, "Bad Event", {{"Allow-Events", std::string(kAllowEvents)}}), nullptr};
  }
  AdminSettings settings = actions_.Settings();
  if (event->package == "resync" && !settings.resync_from_sip) {
    Log("resync NOTIFY from " + std::string(source) + " refused: Resync_From_SIP is No");
    return {Respond(msg, 403, "Forbidden"), nullptr};
  }
  if (settings.sip_auth_user.empty()) {
    Log(event->package + " NOTIFY from " + std::string(source) +
        " refused: line 1 has no user ID to authenticate with");
    return {Respond(msg, 403, "Forbidden"), nullptr};
  }
  auto challenge = [&](bool stale) {
    return SipOutcome{Respond(msg, 401, "Unauthorized",
                              {{"WWW-Authenticate", digest_->Challenge(clock_.Now(), stale)}}),
                      nullptr};
  };
  auto authorization = msg.Header("Authorization");
  if (!authorization) return challenge(false);
  auto outcome = digest_->Verify(
      *authorization, msg.method, msg.request_uri,
      [&settings](std::string_view user) -> const cwmp::Secret* {
        return user == settings.sip_auth_user ? &settings.sip_password : nullptr;
      },
      clock_.Now());
  using Verdict = internal::DigestAuth::Verdict;
  if (outcome.verdict == Verdict::kStale) return challenge(true);
  if (outcome.verdict != Verdict::kOk) {
    Log(event->package + " NOTIFY from " + std::string(source) + " not authenticated (user \"" +
        Printable(outcome.username) + "\")");
    return challenge(false);
  }
  Log(event->package + " NOTIFY from " + std::string(source) + " authenticated; honoured");
  if (event->package == "resync") {
    std::optional<std::string> profile;
    if (auto it = event->params.find("profile"); it != event->params.end() && !it->second.empty()) {
      profile = it->second;
    }
    cwmp::Status st = actions_.Resync(std::move(profile));
    if (st.code() == cwmp::StatusCode::kFailedPrecondition) {
      return {Respond(msg, 403, "Forbidden"), nullptr};
    }
    if (st.code() == cwmp::StatusCode::kInvalidArgument) {
      return {Respond(msg, 400, "Bad Request"), nullptr};
    }
    if (!st.ok()) return {Respond(msg, 500, "Server Internal Error"), nullptr};
    return {Respond(msg, 200, "OK"), nullptr};
  }
  bool reboot = event->package == "reboot_now";
  return {Respond(msg, 200, "OK"), [this, reboot] {
            cwmp::Status st = reboot ? actions_.Reboot() : actions_.Restart();
            if (!st.ok()) Log(std::string(reboot ? "reboot" : "restart") + " failed");
          }};
}

cwmp::Result<std::unique_ptr<SipListener>> SipListener::Start(SipListenerOptions options,
                                                              AdminActions& actions,
                                                              const ClientClock& clock) {
  uint16_t port = options.port ? *options.port : actions.Settings().sip_port;
  auto bound = internal::BindSocket(options.bind_address, port, SOCK_DGRAM);
  if (!bound.ok()) return bound.status().WithPrefix("SIP listener");
  size_t max = options.limits.max_message_bytes;
  auto handler =
      std::make_unique<SipNotifyHandler>(std::move(options), actions, clock, &RandomHex128);
  std::unique_ptr<SipListener> listener(new SipListener(std::move(handler), max));
  listener->fd_ = bound->fd;
  listener->port_ = bound->port;
  CWMP_RETURN_IF_ERROR(internal::MakeWakePipe(listener->wake_pipe_));
  listener->thread_ = std::thread([l = listener.get()] { l->Loop(); });
  return listener;
}

SipListener::SipListener(std::unique_ptr<SipNotifyHandler> handler, size_t max_message_bytes)
    : handler_(std::move(handler)), max_message_bytes_(max_message_bytes) {}

SipListener::~SipListener() {
  Stop();
  if (fd_ >= 0) close(fd_);
  for (int fd : wake_pipe_) {
    if (fd >= 0) close(fd);
  }
}

void SipListener::Stop() {
  if (!thread_.joinable()) return;
  char b = 1;
  (void)!write(wake_pipe_[1], &b, 1);
  thread_.join();
}

void SipListener::Loop() {
  std::string buf(max_message_bytes_ + 1, '\0');
  while (true) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    sockaddr_storage from{};
    socklen_t from_len = sizeof(from);
    // MSG_TRUNC: the real length, so an oversized datagram is seen as such, not cut to fit.
    ssize_t n = recvfrom(fd_, buf.data(), buf.size(), MSG_TRUNC | MSG_DONTWAIT,
                         reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n <= 0) continue;
    if (static_cast<size_t>(n) > max_message_bytes_) continue;  // over the limit: dropped
    std::string source = internal::AddressString(reinterpret_cast<sockaddr*>(&from), true);
    SipOutcome outcome =
        handler_->Handle(std::string_view(buf.data(), static_cast<size_t>(n)), source);
    if (outcome.reply) {
      (void)!sendto(fd_, outcome.reply->data(), outcome.reply->size(), MSG_NOSIGNAL,
                    reinterpret_cast<sockaddr*>(&from), from_len);
    }
    if (outcome.action) outcome.action();
  }
}

}  // namespace agent
