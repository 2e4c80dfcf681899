// Fuzz target for Resync_From_SIP: any datagram must parse or fail cleanly (ParseSipMessage,
// ParseSipEvent) and go through SipNotifyHandler without crashing; a reply, when there is one,
// must be a SIP response with a bounded size. Each input is also replayed with a valid Digest
// Authorization for its own Request-URI, so the authenticated path (event parameters, actions)
// sees fuzzed messages too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "agent/connection_request.h"
#include "agent/sip_listener.h"

namespace {

class FixedClock final : public agent::ClientClock {
 public:
  TimePoint Now() const override { return TimePoint(std::chrono::seconds(1800000000)); }
};

// The phone's side, reduced to counters: the fuzzer checks the handler, not the engines.
class CountingActions final : public agent::AdminActions {
 public:
  agent::AdminSettings Settings() override {
    agent::AdminSettings s;
    s.sip_auth_user = "1001";
    s.sip_password = cwmp::Secret("pw");
    return s;
  }
  cwmp::Status Resync(std::optional<std::string> rule) override {
    ++actions;
    if (rule && rule->empty()) std::abort();  // an empty profile= is "no profile"
    return cwmp::Status::Ok();
  }
  cwmp::Status Upgrade(std::string) override { std::abort(); }
  cwmp::Status Reboot() override { return ++actions, cwmp::Status::Ok(); }
  cwmp::Status Restart() override { return ++actions, cwmp::Status::Ok(); }
  std::string ExportProfile(bool) override { std::abort(); }
  cwmp::Result<agent::AdminApplyReport> ApplyProfile(std::string_view, bool) override {
    std::abort();
  }
  agent::AdminStatus Status() override { std::abort(); }
  cwmp::Status SetLineBusy(int, bool) override { std::abort(); }
  std::vector<bool> LineStates() override { std::abort(); }
  bool LinesIdle() override { return true; }
  int actions = 0;
};

void CheckReply(const agent::SipOutcome& out, size_t input_size) {
  if (!out.reply) return;
  if (out.reply->rfind("SIP/2.0 ", 0) != 0) std::abort();
  // Mirrored headers come from the input: the reply cannot be much larger than it.
  if (out.reply->size() > input_size + 1024) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  static FixedClock clock;
  static CountingActions actions;
  static agent::SipListenerOptions options;
  static unsigned counter = 0;
  static agent::SipNotifyHandler handler(options, actions, clock, [] {
    std::string hex = std::to_string(++counter);
    return std::string(32 - std::min<size_t>(32, hex.size()), '0') + hex;
  });

  auto msg = agent::ParseSipMessage(input);
  if (msg.ok()) {
    if (auto event = msg->Header("Event")) (void)agent::ParseSipEvent(*event);
  }
  agent::SipOutcome first = handler.Handle(input, "fuzz");
  CheckReply(first, size);
  if (first.action) first.action();

  // Answer the challenge the way a proxy would, then send the input again with it.
  if (!first.reply || !msg.ok() || !msg->is_request) return 0;
  std::string_view reply = *first.reply;
  size_t at = reply.find("\r\nWWW-Authenticate: ");
  if (at == std::string_view::npos) return 0;
  std::string_view www = reply.substr(at + 20, reply.find("\r\n", at + 20) - at - 20);
  auto p = agent::ParseDigestHeader(www);
  if (!p) std::abort();  // our own challenge must parse
  std::string ha1 = agent::Md5Hex("1001:" + (*p)["realm"] + ":pw");
  std::string ha2 = agent::Md5Hex(msg->method + ":" + msg->request_uri);
  std::string response = agent::Md5Hex(ha1 + ":" + (*p)["nonce"] + ":00000001:c:auth:" + ha2);
  std::string auth = "Authorization: Digest username=\"1001\", realm=\"" + (*p)["realm"] +
                     "\", nonce=\"" + (*p)["nonce"] + "\", uri=\"" + msg->request_uri +
                     "\", qop=auth, nc=00000001, cnonce=\"c\", response=\"" + response + "\"\r\n";
  size_t eol = input.find('\n');
  if (eol == std::string_view::npos) return 0;
  std::string again =
      std::string(input.substr(0, eol + 1)) + auth + std::string(input.substr(eol + 1));
  agent::SipOutcome second = handler.Handle(again, "fuzz");
  CheckReply(second, again.size());
  if (second.action) second.action();
  return 0;
}
