#pragma once
// Building SIP NOTIFYs and answering Digest challenges the way a proxy does (RFC 3261 §22 with
// RFC 2617 qop=auth), for the SIP handler and listener tests.
#include <chrono>
#include <string>

#include "agent/connection_request.h"
#include "agent/cwmp_client_clock.h"

namespace agent_admin_test {

class FakeClientClock final : public agent::ClientClock {
 public:
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::milliseconds d) { now_ += d; }

 private:
  TimePoint now_ =
      TimePoint(std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} + std::chrono::hours{12});
};

inline const std::string kRequestUri = "sip:1001@192.0.2.10:5060";

// A NOTIFY with `event` and optional extra header lines (each ending in CRLF).
inline std::string Notify(const std::string& event, int cseq = 1, const std::string& extra = "") {
  return "NOTIFY " + kRequestUri +
         " SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK" +
         std::to_string(cseq) +
         "abc\r\n"
         "From: <sip:proxy@example.com>;tag=f1\r\n"
         "To: <sip:1001@example.com>\r\n"
         "Call-ID: call-" +
         std::to_string(cseq) +
         "@192.0.2.1\r\n"
         "CSeq: " +
         std::to_string(cseq) +
         " NOTIFY\r\n"
         "Max-Forwards: 70\r\n"
         "Event: " +
         event + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
}

inline int SipStatus(const std::string& reply) {
  if (reply.rfind("SIP/2.0 ", 0) != 0 || reply.size() < 11) return 0;
  return std::stoi(reply.substr(8, 3));
}

inline std::string SipHeader(const std::string& reply, const std::string& name) {
  size_t at = reply.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return reply.substr(at, reply.find("\r\n", at) - at);
}

// The Authorization header answering `challenge_reply`'s WWW-Authenticate for user/password.
inline std::string AuthorizationFor(const std::string& challenge_reply, const std::string& user,
                                    const std::string& password, const std::string& nc = "00000001",
                                    const std::string& uri = kRequestUri) {
  auto p = agent::ParseDigestHeader(SipHeader(challenge_reply, "WWW-Authenticate"));
  if (!p) return "";
  std::string realm = (*p)["realm"], nonce = (*p)["nonce"];
  std::string ha1 = agent::Md5Hex(user + ":" + realm + ":" + password);
  std::string ha2 = agent::Md5Hex("NOTIFY:" + uri);
  std::string response = agent::Md5Hex(ha1 + ":" + nonce + ":" + nc + ":0a4f113b:auth:" + ha2);
  return "Authorization: Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" +
         nonce + "\", uri=\"" + uri + "\", qop=auth, nc=" + nc +
         ", cnonce=\"0a4f113b\", algorithm=MD5, response=\"" + response + "\"\r\n";
}

}  // namespace agent_admin_test
