#pragma once
// Resync_From_SIP (guide: "Enables"): a UDP SIP listener that lets the service provider's proxy
// resync, reboot or restart the phone with a NOTIFY:
//
//   NOTIFY sip:1000@phone SIP/2.0            Event: resync                       -> resync (rules)
//   ...                                       Event: resync;profile="http://x/p"  -> resync to URL
//                                             Event: reboot_now                   -> cold restart
//                                             Event: restart_now                  -> warm restart
//
// Every such NOTIFY is first answered 401 with a Digest challenge (WWW-Authenticate, MD5,
// qop="auth"); only a retry whose Authorization carries line 1's credentials (Auth_ID_1_ when
// set, else User_ID_1_, with Password_1_) is honoured: 200 OK, then the action through
// AdminActions. A nonce is good for one honoured request and expires after `nonce_lifetime`
// (401 with stale=true); a wrong password gets a fresh 401 and no action. Other answers: 489 Bad
// Event (unknown event package, with Allow-Events), 400 (missing Event / mandatory headers,
// CSeq method mismatch), 403 (resync while Resync_From_SIP is No, or no line-1 user
// configured), 405 (methods other than NOTIFY and OPTIONS; OPTIONS gets 200), nothing for ACK,
// responses and datagrams that are not SIP. Answers go back to the datagram's source address.
//
// Parsing follows RFC 3261 §7 loosely where it is safe: header names are case-insensitive,
// compact forms (v, f, t, i, l, o, c) are understood, folded header lines (continuation lines
// beginning with SP/HT) are joined, CRLF or bare LF line ends. Inputs are bounded
// (SipLimits); anything over a bound is rejected without being copied further.
//
// SipNotifyHandler is the protocol logic (no sockets, injected clock and randomness, fuzzed in
// tests/fuzz/sip/); SipListener puts it on a UDP socket with its own thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "agent/admin_server.h"
#include "agent/cwmp_client_clock.h"
#include "cwmp/base/status.h"

namespace agent {

struct SipLimits {
  size_t max_message_bytes = 16384;  // one datagram
  size_t max_headers = 64;
  size_t max_line_bytes = 2048;  // one header after unfolding
};

// A parsed SIP message (request or response).
struct SipMessage {
  bool is_request = false;
  std::string method;       // requests: "NOTIFY" (as sent; methods are case-sensitive)
  std::string request_uri;  // requests
  int status_code = 0;      // responses
  // Headers in order; names in their canonical long form ("Via", "Call-ID", "Event", ...) for
  // the ones this code knows, otherwise as sent. Values trimmed, folding joined with one space.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header named `name` (case-insensitive, compact forms accepted).
  std::optional<std::string> Header(std::string_view name) const;
  // Every header named `name`, in order (Via can repeat).
  std::vector<std::string> Headers(std::string_view name) const;
};

// kParseError for anything that is not a SIP/2.0 message; kLimitExceeded past `limits`.
cwmp::Result<SipMessage> ParseSipMessage(std::string_view datagram, const SipLimits& limits = {});

// An Event header: "resync;profile=\"http://x/p\"" -> {"resync", {{"profile", "http://x/p"}}}.
// The package is lower-cased, parameter names too; values are unquoted (an unterminated quote
// runs to the end, as in the guide's own example).
struct SipEvent {
  std::string package;
  std::map<std::string, std::string> params;
};
std::optional<SipEvent> ParseSipEvent(std::string_view value);

struct SipListenerOptions {
  std::string bind_address = "0.0.0.0";
  // nullopt: SIP_Port_1_ from AdminActions::Settings(); 0: any free port (tests).
  std::optional<uint16_t> port;
  std::string realm = "cpe-agent";
  std::chrono::seconds nonce_lifetime{30};
  size_t max_nonces = 256;  // outstanding challenges; the oldest is forgotten first
  SipLimits limits;
  // One line per honoured or refused command. No secrets. May be empty.
  std::function<void(std::string_view)> log;
};

// What to do with one datagram.
struct SipOutcome {
  std::optional<std::string> reply;  // datagram to send back to the source, if any
  // Run after the reply was sent (the honoured command), if any.
  std::function<void()> action;
};

namespace internal {
class DigestAuth;
}

class SipNotifyHandler {
 public:
  // `actions` and `clock` must outlive the handler. `random_hex` gives nonces and tags (32 hex
  // digits).
  SipNotifyHandler(SipListenerOptions options, AdminActions& actions, const ClientClock& clock,
                   std::function<std::string()> random_hex);
  ~SipNotifyHandler();
  SipNotifyHandler(const SipNotifyHandler&) = delete;
  SipNotifyHandler& operator=(const SipNotifyHandler&) = delete;

  // `source` is only for the log ("ip:port").
  SipOutcome Handle(std::string_view datagram, std::string_view source = {});

 private:
  std::string Respond(const SipMessage& request, int code, std::string_view reason,
                      const std::vector<std::pair<std::string, std::string>>& extra = {});
  SipOutcome HandleNotify(const SipMessage& request, std::string_view source);
  void Log(const std::string& line) const;

  SipListenerOptions options_;
  AdminActions& actions_;
  const ClientClock& clock_;
  std::function<std::string()> random_hex_;
  std::unique_ptr<internal::DigestAuth> digest_;
};

class SipListener {
 public:
  // Binds the UDP socket (port from options or SIP_Port_1_) and starts the listener thread.
  // `actions` and `clock` must outlive the listener.
  static cwmp::Result<std::unique_ptr<SipListener>> Start(SipListenerOptions options,
                                                          AdminActions& actions,
                                                          const ClientClock& clock);
  ~SipListener();
  SipListener(const SipListener&) = delete;
  SipListener& operator=(const SipListener&) = delete;

  uint16_t port() const { return port_; }
  void Stop();  // idempotent

 private:
  explicit SipListener(std::unique_ptr<SipNotifyHandler> handler, size_t max_message_bytes);
  void Loop();

  std::unique_ptr<SipNotifyHandler> handler_;
  size_t max_message_bytes_ = 0;
  int fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace agent
