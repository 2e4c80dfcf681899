#pragma once
// STUN (RFC 3489 / RFC 5389) Binding for TR-069 Annex G (ex TR-111 part 2): the phone sends
// Binding Requests from its UDP connection-request port to STUNServerAddress, learns the NAT
// mapping (MAPPED-ADDRESS / XOR-MAPPED-ADDRESS) and reports it as UDPConnectionRequestAddress.
// Requests carry CONNECTION-REQUEST-BINDING ("dslforum.org/TR-111 "); BINDING-CHANGE is added
// on the first binding and whenever the mapping changed. USERNAME + MESSAGE-INTEGRITY (HMAC-SHA1,
// RFC 5389 short-term form) are added only after the server answered 401 and a STUNUsername is
// configured.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/cwmp_client_clock.h"
#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace agent {

inline constexpr uint16_t kStunBindingRequest = 0x0001;
inline constexpr uint16_t kStunBindingResponse = 0x0101;
inline constexpr uint16_t kStunBindingErrorResponse = 0x0111;
inline constexpr uint16_t kStunAttrMappedAddress = 0x0001;
inline constexpr uint16_t kStunAttrUsername = 0x0006;
inline constexpr uint16_t kStunAttrMessageIntegrity = 0x0008;
inline constexpr uint16_t kStunAttrErrorCode = 0x0009;
inline constexpr uint16_t kStunAttrXorMappedAddress = 0x0020;
inline constexpr uint16_t kStunAttrXorMappedAddressOld = 0x8020;
inline constexpr uint16_t kStunAttrConnectionRequestBinding = 0xC001;
inline constexpr uint16_t kStunAttrBindingChange = 0xC002;
inline constexpr uint32_t kStunMagicCookie = 0x2112A442;
inline constexpr std::string_view kTr111BindingValue = "dslforum.org/TR-111 ";

using StunTransactionId = std::array<uint8_t, 12>;

struct StunAddress {
  std::string ip;  // dotted IPv4 or IPv6 text
  uint16_t port = 0;
  // "ip:port", "[ip6]:port" (the UDPConnectionRequestAddress form).
  std::string ToString() const;
  bool operator==(const StunAddress&) const = default;
};

struct StunMessage {
  uint16_t type = 0;
  bool magic_cookie = false;  // RFC 5389 (else RFC 3489: the cookie bytes are id bytes)
  StunTransactionId transaction_id{};
  std::optional<StunAddress> mapped_address;
  std::optional<StunAddress> xor_mapped_address;
  std::optional<int> error_code;  // 300..699
  std::string error_reason;
  std::optional<std::string> username;
  std::optional<std::string> connection_request_binding;
  bool binding_change = false;
  bool message_integrity = false;
  // The public address: XOR-MAPPED-ADDRESS when present, else MAPPED-ADDRESS.
  std::optional<StunAddress> Mapped() const;
};

// True when `datagram` has a STUN header (top two bits 0, length multiple of 4 matching the
// datagram); cheap, used to tell STUN from UDP connection requests on the shared port.
bool LooksLikeStun(std::string_view datagram);

// Decodes a STUN message (at most 2048 bytes). kParseError for malformed attributes.
cwmp::Result<StunMessage> DecodeStunMessage(std::string_view datagram);

struct StunRequestOptions {
  bool binding_change = false;
  std::string username;  // empty: no USERNAME / MESSAGE-INTEGRITY
  const cwmp::Secret* password = nullptr;
};
// A Binding Request with the TR-111 attributes.
std::string EncodeStunBindingRequest(const StunTransactionId& id, const StunRequestOptions& opts);

// A Binding Response (for tests and tools): XOR-MAPPED-ADDRESS (+ MAPPED-ADDRESS if `both`).
std::string EncodeStunBindingResponse(const StunTransactionId& id, const StunAddress& mapped,
                                      bool both);

// Checks MESSAGE-INTEGRITY of `datagram` with `password` (RFC 5389 short-term).
bool VerifyStunIntegrity(std::string_view datagram, const cwmp::Secret& password);

struct StunBindingOptions {
  std::chrono::milliseconds keepalive_period{30000};  // STUNMinimumKeepAlivePeriod
  std::string username;                               // STUNUsername
  cwmp::Secret password;                              // STUNPassword
  std::chrono::milliseconds initial_rto{250};
  int max_transmissions = 7;
};

// The binding loop as a state machine (no sockets; time passed in).
class StunBindingClient {
 public:
  StunBindingClient(StunBindingOptions options, std::function<StunTransactionId()> new_id);

  // The request to send now, if one is due at `now` (first binding, keep-alive, retransmission,
  // a re-binding after a change or a 401).
  std::optional<std::string> Poll(ClientClock::TimePoint now);
  // When Poll() has something next.
  ClientClock::TimePoint NextWakeup() const { return next_send_; }
  // Feeds a datagram from the STUN server. Returns the new public address when it changed.
  std::optional<StunAddress> OnDatagram(std::string_view datagram, ClientClock::TimePoint now);
  const std::optional<StunAddress>& mapped() const { return mapped_; }
  // Binding Requests sent so far, retransmissions included.
  uint64_t transmissions() const { return total_transmissions_; }

 private:
  StunBindingOptions options_;
  std::function<StunTransactionId()> new_id_;
  std::optional<StunAddress> mapped_;
  bool binding_change_pending_ = true;  // the first binding announces itself
  bool use_integrity_ = false;
  std::optional<StunTransactionId> outstanding_;
  bool outstanding_had_change_ = false;
  std::string outstanding_bytes_;
  int transmissions_ = 0;
  uint64_t total_transmissions_ = 0;
  std::chrono::milliseconds rto_{0};
  ClientClock::TimePoint next_send_{};  // epoch: send at once
};

// 12 random bytes from the OpenSSL DRBG.
StunTransactionId RandomStunTransactionId();

// "a.b.c.d[:port]" (an IPv4 literal, port 1..65535, default `default_port`) as an address.
// kInvalidArgument naming the text otherwise. Host names are resolved by the caller.
cwmp::Result<StunAddress> ParseStunServerAddress(std::string_view text,
                                                 uint16_t default_port = 3478);

// The keep-alive period for STUNMinimumKeepAlivePeriod / STUNMaximumKeepAlivePeriod (seconds;
// max -1 = no maximum): `preferred` clamped into [min, max], and never below 1 s. The binding
// must be refreshed at least every max seconds and may not be refreshed more often than min.
std::chrono::milliseconds StunKeepAlivePeriod(uint32_t min_seconds, int64_t max_seconds,
                                              std::chrono::seconds preferred);

}  // namespace agent
