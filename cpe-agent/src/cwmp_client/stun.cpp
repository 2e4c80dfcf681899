// STUN message codec and the TR-111 binding state machine.
#include "agent/stun.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>

#include "cwmp/content/hash.h"
#include "cwmp/content/random.h"

namespace agent {
namespace {

constexpr size_t kHeader = 20;
constexpr size_t kMaxStun = 2048;

uint16_t Get16(std::string_view d, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(d[at]) << 8) |
                               static_cast<uint8_t>(d[at + 1]));
}
uint32_t Get32(std::string_view d, size_t at) {
  return (uint32_t{Get16(d, at)} << 16) | Get16(d, at + 2);
}
void Put16(std::string& out, uint16_t v) {
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v & 0xff);
}
void Put32(std::string& out, uint32_t v) {
  Put16(out, static_cast<uint16_t>(v >> 16));
  Put16(out, static_cast<uint16_t>(v & 0xffff));
}
void SetLength(std::string& msg, size_t attrs_len) {
  msg[2] = static_cast<char>((attrs_len >> 8) & 0xff);
  msg[3] = static_cast<char>(attrs_len & 0xff);
}
void PutAttr(std::string& out, uint16_t type, std::string_view value) {
  Put16(out, type);
  Put16(out, static_cast<uint16_t>(value.size()));
  out.append(value);
  while (out.size() % 4 != 0) out += '\0';
}

std::string Header(uint16_t type, const StunTransactionId& id) {
  std::string out;
  Put16(out, type);
  Put16(out, 0);
  Put32(out, kStunMagicCookie);
  out.append(reinterpret_cast<const char*>(id.data()), id.size());
  return out;
}

// Appends MESSAGE-INTEGRITY over everything so far, with the length field covering it.
void AppendIntegrity(std::string& msg, const cwmp::Secret& password) {
  SetLength(msg, msg.size() - kHeader + 24);
  std::string mac = cwmp::content::HmacSha1(password.Reveal(), msg);
  PutAttr(msg, kStunAttrMessageIntegrity, mac);
}

cwmp::Result<StunAddress> DecodeAddress(std::string_view v, bool xored, std::string_view header) {
  if (v.size() < 4) return cwmp::ParseError("STUN address attribute shorter than 4 bytes");
  uint8_t family = static_cast<uint8_t>(v[1]);
  uint16_t port = Get16(v, 2);
  if (xored) port ^= static_cast<uint16_t>(kStunMagicCookie >> 16);
  char text[INET6_ADDRSTRLEN] = {0};
  if (family == 1) {
    if (v.size() != 8) return cwmp::ParseError("STUN IPv4 address attribute is not 8 bytes");
    uint8_t a[4];
    for (int i = 0; i < 4; ++i) {
      a[i] = static_cast<uint8_t>(v[4 + i]) ^ (xored ? static_cast<uint8_t>(header[4 + i]) : 0);
    }
    inet_ntop(AF_INET, a, text, sizeof(text));
  } else if (family == 2) {
    if (v.size() != 20) return cwmp::ParseError("STUN IPv6 address attribute is not 20 bytes");
    uint8_t a[16];
    for (int i = 0; i < 16; ++i) {
      a[i] = static_cast<uint8_t>(v[4 + i]) ^ (xored ? static_cast<uint8_t>(header[4 + i]) : 0);
    }
    inet_ntop(AF_INET6, a, text, sizeof(text));
  } else {
    return cwmp::ParseError("STUN address family " + std::to_string(family) + " is unknown");
  }
  return StunAddress{text, port};
}

std::string EncodeAddress(const StunAddress& a, bool xored, const std::string& header) {
  std::string v;
  v += '\0';
  uint8_t bytes[16];
  bool v6 = inet_pton(AF_INET6, a.ip.c_str(), bytes) == 1;
  if (!v6 && inet_pton(AF_INET, a.ip.c_str(), bytes) != 1) std::memset(bytes, 0, sizeof(bytes));
  v += static_cast<char>(v6 ? 2 : 1);
  Put16(v, xored ? static_cast<uint16_t>(a.port ^ (kStunMagicCookie >> 16)) : a.port);
  for (int i = 0; i < (v6 ? 16 : 4); ++i) {
    v += static_cast<char>(bytes[i] ^ (xored ? static_cast<uint8_t>(header[4 + i]) : 0));
  }
  return v;
}

}  // namespace

std::string StunAddress::ToString() const {
  if (ip.find(':') != std::string::npos) return "[" + ip + "]:" + std::to_string(port);
  return ip + ":" + std::to_string(port);
}

std::optional<StunAddress> StunMessage::Mapped() const {
  return xor_mapped_address ? xor_mapped_address : mapped_address;
}

bool LooksLikeStun(std::string_view d) {
  if (d.size() < kHeader || d.size() > kMaxStun) return false;
  if ((static_cast<uint8_t>(d[0]) & 0xC0) != 0) return false;
  uint16_t len = Get16(d, 2);
  return len % 4 == 0 && len + kHeader == d.size();
}

cwmp::Result<StunMessage> DecodeStunMessage(std::string_view d) {
  if (d.size() > kMaxStun) return cwmp::LimitExceeded("STUN message over 2048 bytes");
  if (!LooksLikeStun(d)) return cwmp::ParseError("not a STUN message");
  StunMessage m;
  m.type = Get16(d, 0);
  m.magic_cookie = Get32(d, 4) == kStunMagicCookie;
  std::memcpy(m.transaction_id.data(), d.data() + 8, 12);
  size_t pos = kHeader;
  while (pos < d.size()) {
    if (d.size() - pos < 4) return cwmp::ParseError("truncated STUN attribute header");
    uint16_t type = Get16(d, pos);
    uint16_t len = Get16(d, pos + 2);
    if (d.size() - pos - 4 < len) {
      return cwmp::ParseError("STUN attribute type " + std::to_string(type) +
                              " overruns the message");
    }
    std::string_view v = d.substr(pos + 4, len);
    switch (type) {
      case kStunAttrMappedAddress: {
        auto a = DecodeAddress(v, false, d);
        if (!a.ok()) return a.status();
        m.mapped_address = *a;
        break;
      }
      case kStunAttrXorMappedAddress:
      case kStunAttrXorMappedAddressOld: {
        auto a = DecodeAddress(v, true, d);
        if (!a.ok()) return a.status();
        m.xor_mapped_address = *a;
        break;
      }
      case kStunAttrErrorCode:
        if (len < 4) return cwmp::ParseError("STUN ERROR-CODE shorter than 4 bytes");
        m.error_code = (static_cast<uint8_t>(v[2]) & 0x7) * 100 + static_cast<uint8_t>(v[3]);
        m.error_reason = std::string(v.substr(4));
        break;
      case kStunAttrUsername:
        m.username = std::string(v);
        break;
      case kStunAttrMessageIntegrity:
        if (len != 20) return cwmp::ParseError("STUN MESSAGE-INTEGRITY is not 20 bytes");
        m.message_integrity = true;
        break;
      case kStunAttrConnectionRequestBinding:
        m.connection_request_binding = std::string(v);
        break;
      case kStunAttrBindingChange:
        m.binding_change = true;
        break;
      default:
        break;  // comprehension-optional or unknown: ignored
    }
    pos += 4 + ((len + 3u) & ~3u);
  }
  return m;
}

std::string EncodeStunBindingRequest(const StunTransactionId& id, const StunRequestOptions& o) {
  std::string msg = Header(kStunBindingRequest, id);
  PutAttr(msg, kStunAttrConnectionRequestBinding, kTr111BindingValue);
  if (o.binding_change) PutAttr(msg, kStunAttrBindingChange, "");
  bool integrity = !o.username.empty() && o.password != nullptr;
  if (integrity) PutAttr(msg, kStunAttrUsername, o.username);
  SetLength(msg, msg.size() - kHeader);
  if (integrity) AppendIntegrity(msg, *o.password);
  return msg;
}

std::string EncodeStunBindingResponse(const StunTransactionId& id, const StunAddress& mapped,
                                      bool both) {
  std::string msg = Header(kStunBindingResponse, id);
  PutAttr(msg, kStunAttrXorMappedAddress, EncodeAddress(mapped, true, msg));
  if (both) PutAttr(msg, kStunAttrMappedAddress, EncodeAddress(mapped, false, msg));
  SetLength(msg, msg.size() - kHeader);
  return msg;
}

bool VerifyStunIntegrity(std::string_view d, const cwmp::Secret& password) {
  if (!LooksLikeStun(d)) return false;
  size_t pos = kHeader;
  while (pos + 4 <= d.size()) {
    uint16_t type = Get16(d, pos);
    uint16_t len = Get16(d, pos + 2);
    if (d.size() - pos - 4 < len) return false;
    if (type == kStunAttrMessageIntegrity && len == 20) {
      std::string covered(d.substr(0, pos));
      SetLength(covered, pos - kHeader + 24);
      std::string mac = cwmp::content::HmacSha1(password.Reveal(), covered);
      return CRYPTO_memcmp(mac.data(), d.data() + pos + 4, 20) == 0;
    }
    pos += 4 + ((len + 3u) & ~3u);
  }
  return false;
}

StunTransactionId RandomStunTransactionId() {
  StunTransactionId id{};
  if (!cwmp::content::SystemRandomBytes(id.data(), id.size()).ok()) std::abort();
  return id;
}

cwmp::Result<StunAddress> ParseStunServerAddress(std::string_view text, uint16_t default_port) {
  std::string host(text);
  uint16_t port = default_port;
  size_t colon = host.rfind(':');
  if (colon != std::string::npos && host.find(':') == colon) {
    std::string digits = host.substr(colon + 1);
    if (digits.empty() || digits.size() > 5 ||
        digits.find_first_not_of("0123456789") != std::string::npos || std::stoul(digits) > 65535 ||
        std::stoul(digits) == 0) {
      return cwmp::InvalidArgument("STUN server \"" + std::string(text) + "\" has a bad port");
    }
    port = static_cast<uint16_t>(std::stoul(digits));
    host = host.substr(0, colon);
  }
  in_addr probe{};
  if (inet_pton(AF_INET, host.c_str(), &probe) != 1) {
    return cwmp::InvalidArgument("STUN server \"" + std::string(text) +
                                 "\" is not an IPv4 address[:port]");
  }
  return StunAddress{host, port};
}

std::chrono::milliseconds StunKeepAlivePeriod(uint32_t min_seconds, int64_t max_seconds,
                                              std::chrono::seconds preferred) {
  int64_t s = preferred.count();
  if (max_seconds >= 0) s = std::min<int64_t>(s, max_seconds);
  s = std::max<int64_t>(s, min_seconds);
  return std::chrono::seconds(std::max<int64_t>(s, 1));
}

StunBindingClient::StunBindingClient(StunBindingOptions options,
                                     std::function<StunTransactionId()> new_id)
    : options_(std::move(options)), new_id_(std::move(new_id)) {}

std::optional<std::string> StunBindingClient::Poll(ClientClock::TimePoint now) {
  if (now < next_send_) return std::nullopt;
  if (outstanding_) {
    if (transmissions_ < options_.max_transmissions) {
      ++transmissions_;
      rto_ = std::min(rto_ * 2, std::chrono::milliseconds(16000));
      next_send_ = now + rto_;
      ++total_transmissions_;
      return outstanding_bytes_;  // retransmission: same transaction
    }
    outstanding_.reset();  // the server is silent: try again at the next keep-alive
    next_send_ = now + options_.keepalive_period;
    return std::nullopt;
  }
  outstanding_ = new_id_();
  outstanding_had_change_ = binding_change_pending_;
  StunRequestOptions req;
  req.binding_change = binding_change_pending_;
  if (use_integrity_) {
    req.username = options_.username;
    req.password = &options_.password;
  }
  outstanding_bytes_ = EncodeStunBindingRequest(*outstanding_, req);
  transmissions_ = 1;
  ++total_transmissions_;
  rto_ = options_.initial_rto;
  next_send_ = now + rto_;
  return outstanding_bytes_;
}

std::optional<StunAddress> StunBindingClient::OnDatagram(std::string_view datagram,
                                                         ClientClock::TimePoint now) {
  auto msg = DecodeStunMessage(datagram);
  if (!msg.ok() || !outstanding_ || msg->transaction_id != *outstanding_) return std::nullopt;
  if (msg->type == kStunBindingErrorResponse) {
    outstanding_.reset();
    if (msg->error_code == 401 && !options_.username.empty() && !use_integrity_) {
      use_integrity_ = true;  // the server wants credentials: ask again right away
      next_send_ = now;
    } else {
      next_send_ = now + options_.keepalive_period;
    }
    return std::nullopt;
  }
  if (msg->type != kStunBindingResponse) return std::nullopt;
  if (use_integrity_ && msg->message_integrity &&
      !VerifyStunIntegrity(datagram, options_.password)) {
    return std::nullopt;  // forged or corrupted: wait for the retransmission's answer
  }
  auto mapped = msg->Mapped();
  if (!mapped) return std::nullopt;
  outstanding_.reset();
  next_send_ = now + options_.keepalive_period;
  bool first = !mapped_.has_value();
  bool changed = mapped_ != mapped;
  mapped_ = mapped;
  if (outstanding_had_change_) binding_change_pending_ = false;
  if (changed && !first && !outstanding_had_change_) {
    binding_change_pending_ = true;  // announce the new mapping with BINDING-CHANGE now
    next_send_ = now;
  }
  return changed ? mapped : std::nullopt;
}

}  // namespace agent
