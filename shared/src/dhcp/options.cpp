#include "cwmp/dhcp/options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "dhcp/text.h"

namespace cwmp::dhcp {
namespace {

using internal::AsText;
using internal::Quote;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string W(std::string_view what) { return std::string(what); }

bool LooksColonHex(std::string_view t) {
  if (t.find(':') == std::string_view::npos) return false;
  size_t group = 0;
  for (char c : t) {
    if (c == ':') {
      if (group == 0) return false;
      group = 0;
    } else if (HexDigit(c) >= 0) {
      if (++group > 2) return false;
    } else {
      return false;
    }
  }
  return group > 0;
}

bool LooksPlainHex(std::string_view t) {
  return t.size() >= 2 && t.size() % 2 == 0 &&
         std::all_of(t.begin(), t.end(), [](char c) { return HexDigit(c) >= 0; });
}

Result<Bytes> DecodePlainHex(std::string_view t, std::string_view what) {
  if (t.size() % 2 != 0) {
    return ParseError(W(what) + ": hex value has an odd number of digits (" +
                      std::to_string(t.size()) + ")");
  }
  Bytes out;
  out.reserve(t.size() / 2);
  for (size_t i = 0; i < t.size(); i += 2) {
    const int hi = HexDigit(t[i]), lo = HexDigit(t[i + 1]);
    if (hi < 0 || lo < 0) {
      const size_t bad = hi < 0 ? i : i + 1;
      return ParseError(W(what) + ": '" + std::string(1, t[bad]) + "' at position " +
                        std::to_string(bad) + " is not a hex digit");
    }
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return out;
}

Result<Bytes> DecodeColonHex(std::string_view t, std::string_view what) {
  Bytes out;
  size_t start = 0;
  while (true) {
    const size_t end = std::min(t.find(':', start), t.size());
    const std::string_view g = t.substr(start, end - start);
    if (g.empty() || g.size() > 2 || HexDigit(g[0]) < 0 || (g.size() == 2 && HexDigit(g[1]) < 0)) {
      return ParseError(W(what) + ": " + Quote(g) + " at position " + std::to_string(start) +
                        " is not a 1-2 digit hex byte");
    }
    out.push_back(static_cast<uint8_t>(g.size() == 1 ? HexDigit(g[0])
                                                     : HexDigit(g[0]) * 16 + HexDigit(g[1])));
    if (end == t.size()) break;
    start = end + 1;
  }
  return out;
}

Result<Bytes> DecodeEscaped(std::string_view t, std::string_view what) {
  Bytes out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '\\') {
      out.push_back(static_cast<uint8_t>(t[i]));
      continue;
    }
    if (i + 1 == t.size()) {
      return ParseError(W(what) + ": the value ends in a lone backslash");
    }
    const char n = t[i + 1];
    if (n >= '0' && n <= '7') {
      if (t.size() - i < 4) {
        return ParseError(W(what) + ": octal escape at position " + std::to_string(i) +
                          " needs 3 digits");
      }
      int v = 0;
      for (size_t k = 1; k <= 3; ++k) {
        const char d = t[i + k];
        if (d < '0' || d > '7') {
          return ParseError(W(what) + ": octal escape at position " + std::to_string(i) +
                            " needs 3 digits");
        }
        v = v * 8 + (d - '0');
      }
      if (v > 255) {
        return ParseError(W(what) + ": octal escape at position " + std::to_string(i) +
                          " is above \\377");
      }
      out.push_back(static_cast<uint8_t>(v));
      i += 3;
    } else {
      out.push_back(static_cast<uint8_t>(n));
      i += 1;
    }
  }
  return out;
}

Result<Bytes> DecodeIpList(std::string_view t, std::string_view what) {
  Bytes out;
  size_t i = 0;
  auto is_sep = [](char c) { return c == ' ' || c == ',' || c == '\t'; };
  while (i < t.size()) {
    while (i < t.size() && is_sep(t[i])) ++i;
    if (i == t.size()) break;
    size_t end = i;
    while (end < t.size() && !is_sep(t[end])) ++end;
    const std::string_view addr = t.substr(i, end - i);
    size_t pos = 0;
    for (int part = 0; part < 4; ++part) {
      size_t digits = 0;
      unsigned v = 0;
      while (pos < addr.size() && addr[pos] >= '0' && addr[pos] <= '9' && digits < 4) {
        v = v * 10 + static_cast<unsigned>(addr[pos] - '0');
        ++pos;
        ++digits;
      }
      const bool want_dot = part < 3;
      if (digits == 0 || digits > 3 || v > 255 ||
          (want_dot ? (pos >= addr.size() || addr[pos] != '.') : pos != addr.size())) {
        return ParseError(W(what) + ": " + Quote(addr) + " is not a dotted-quad IPv4 address");
      }
      if (want_dot) ++pos;
      out.push_back(static_cast<uint8_t>(v));
    }
    i = end;
  }
  if (out.empty()) return ParseError(W(what) + ": no IPv4 address in the value");
  return out;
}

// A TLV walk over encapsulated sub-options: code, length, data. Pad (0) and end (255) are
// honoured only when `pad_end` (RFC 2132 encapsulation; RFC 3925 data has neither).
struct SubOption {
  uint8_t code;
  size_t offset;
  std::span<const uint8_t> data;
};

Result<std::vector<SubOption>> WalkTlv(std::span<const uint8_t> v, bool pad_end,
                                       std::string_view what) {
  std::vector<SubOption> out;
  std::set<uint8_t> seen;
  size_t i = 0;
  while (i < v.size()) {
    const uint8_t code = v[i];
    if (pad_end && code == 0) {
      ++i;
      continue;
    }
    if (pad_end && code == 255) break;
    if (i + 1 >= v.size()) {
      return ParseError(W(what) + ": sub-option " + std::to_string(code) + " at offset " +
                        std::to_string(i) + " is truncated (no length byte)");
    }
    const size_t len = v[i + 1];
    if (len > v.size() - i - 2) {
      return ParseError(W(what) + ": sub-option " + std::to_string(code) + " at offset " +
                        std::to_string(i) + " has length " + std::to_string(len) + " but only " +
                        std::to_string(v.size() - i - 2) + " bytes follow");
    }
    if (!seen.insert(code).second) {
      return ParseError(W(what) + ": sub-option " + std::to_string(code) + " appears twice");
    }
    out.push_back({code, i, v.subspan(i + 2, len)});
    i += 2 + len;
  }
  return out;
}

Result<std::string> CheckedText(std::span<const uint8_t> data, size_t max_chars, bool allow_space,
                                const std::string& what) {
  std::string_view s = AsText(data);
  while (!s.empty() && s.back() == '\0') s.remove_suffix(1);  // C-string style servers
  if (s.empty()) return ParseError(what + " is empty");
  if (s.size() > max_chars) {
    return LimitExceeded(what + " is " + std::to_string(s.size()) + " bytes, the limit is " +
                         std::to_string(max_chars));
  }
  if (!internal::IsValidUtf8(s)) return ParseError(what + " " + Quote(s) + " is not UTF-8");
  if (!internal::HasNoControls(s, allow_space)) {
    return ParseError(
        what + " " + Quote(s) +
        (allow_space ? " contains control characters" : " contains spaces or control characters"));
  }
  return std::string(s);
}

Result<uint32_t> RetryNumber(std::span<const uint8_t> d, uint32_t lo, uint32_t hi,
                             const std::string& what) {
  std::string_view s = AsText(d);
  while (!s.empty() && s.back() == '\0') s.remove_suffix(1);
  if (s.empty()) return ParseError(what + " is empty");
  uint64_t v = 0;
  if (std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (s.size() > 10) return ParseError(what + " " + Quote(s) + " is out of range");
    for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  } else if (d.size() == 2 || d.size() == 4) {
    for (uint8_t b : d) v = (v << 8) | b;
  } else {
    return ParseError(what + " " + Quote(s) + " is neither decimal digits nor a 2/4-byte integer");
  }
  if (v < lo || v > hi) {
    return ParseError(what + " " + std::to_string(v) + " is outside " + std::to_string(lo) + ".." +
                      std::to_string(hi));
  }
  return static_cast<uint32_t>(v);
}

Status ValidateNumber(std::optional<uint32_t> v, uint32_t lo, uint32_t hi, const char* what) {
  if (v && (*v < lo || *v > hi)) {
    return InvalidArgument(std::string(what) + " " + std::to_string(*v) + " is outside " +
                           std::to_string(lo) + ".." + std::to_string(hi));
  }
  return Status::Ok();
}

void AppendTlv(Bytes& out, uint8_t code, std::string_view value) {
  out.push_back(code);
  out.push_back(static_cast<uint8_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
}

Result<std::string> CheckedOui(std::span<const uint8_t> d, const std::string& what) {
  auto t = CheckedText(d, 6, false, what);
  if (!t.ok()) return t.status();
  std::string s = *t;
  if (s.size() != 6 || !std::all_of(s.begin(), s.end(), [](char c) { return HexDigit(c) >= 0; })) {
    return ParseError(what + " " + Quote(s) + " is not 6 hex digits");
  }
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool HasScheme(std::string_view s) {
  const size_t p = s.find("://");
  if (p == std::string_view::npos || p == 0) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(p), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

}  // namespace

// ---- text forms ----------------------------------------------------------------------------

Result<Bytes> DecodeOptionText(std::string_view text, TextForm form, std::string_view what) {
  if (text.size() > kMaxTextChars) {
    return LimitExceeded(W(what) + ": value is " + std::to_string(text.size()) +
                         " characters, the limit is " + std::to_string(kMaxTextChars));
  }
  if (text.empty()) return ParseError(W(what) + ": value is empty");
  if (form == TextForm::kAuto) {
    form = LooksColonHex(text)   ? TextForm::kColonHex
           : LooksPlainHex(text) ? TextForm::kHex
                                 : TextForm::kEscaped;
  }
  Result<Bytes> r = [&]() -> Result<Bytes> {
    switch (form) {
      case TextForm::kHex:
        return DecodePlainHex(text, what);
      case TextForm::kColonHex:
        return DecodeColonHex(text, what);
      case TextForm::kEscaped:
        return DecodeEscaped(text, what);
      case TextForm::kIpList:
        return DecodeIpList(text, what);
      case TextForm::kLiteral:
        return Bytes(text.begin(), text.end());
      case TextForm::kAuto:
        break;
    }
    return Internal(W(what) + ": unhandled text form");
  }();
  if (r.ok() && r->size() > kMaxOptionBytes) {
    return LimitExceeded(W(what) + ": value is " + std::to_string(r->size()) +
                         " bytes, the limit is " + std::to_string(kMaxOptionBytes));
  }
  return r;
}

Result<Bytes> DecodeTaggedValue(std::string_view value, TextForm default_form,
                                std::string_view what) {
  auto strip = [&](std::string_view prefix) {
    if (value.substr(0, prefix.size()) != prefix) return false;
    value.remove_prefix(prefix.size());
    return true;
  };
  if (strip("hex:")) {
    return DecodeOptionText(
        value, value.find(':') != std::string_view::npos ? TextForm::kColonHex : TextForm::kHex,
        what);
  }
  if (strip("str:")) return DecodeOptionText(value, TextForm::kEscaped, what);
  if (strip("ip:")) return DecodeOptionText(value, TextForm::kIpList, what);
  if (strip("raw:")) return DecodeOptionText(value, TextForm::kLiteral, what);
  return DecodeOptionText(value, default_form, what);
}

std::string FormatHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string FormatColonHex(std::span<const uint8_t> bytes) {
  std::string hex = FormatHex(bytes), out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (i) out += ':';
    out.append(hex, i, 2);
  }
  return out;
}

// ---- option 43 -----------------------------------------------------------------------------

Status ValidateAcsUrl(std::string_view url, std::string_view what) {
  const std::string w(what);
  if (url.empty()) return InvalidArgument(w + " is empty");
  if (url.size() > kMaxUrlChars) {
    return LimitExceeded(w + " is " + std::to_string(url.size()) + " bytes, the limit is " +
                         std::to_string(kMaxUrlChars));
  }
  if (!internal::IsValidUtf8(url)) return InvalidArgument(w + " " + Quote(url) + " is not UTF-8");
  if (!internal::HasNoControls(url, false)) {
    return InvalidArgument(w + " " + Quote(url) + " contains spaces or control characters");
  }
  std::string lower(url.substr(0, 8));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t rest;
  if (lower.rfind("http://", 0) == 0) {
    rest = 7;
  } else if (lower.rfind("https://", 0) == 0) {
    rest = 8;
  } else {
    return InvalidArgument(w + " " + Quote(url) + " does not start with http:// or https://");
  }
  std::string_view authority = url.substr(rest);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.empty() || authority[0] == ':') {
    return InvalidArgument(w + " " + Quote(url) + " has no host");
  }
  return Status::Ok();
}

Result<AcsInfo> ParseOption43(std::span<const uint8_t> value) {
  if (value.empty()) return ParseError("option 43 is empty");
  if (value.size() > kMaxOptionBytes) {
    return LimitExceeded("option 43 is " + std::to_string(value.size()) + " bytes, the limit is " +
                         std::to_string(kMaxOptionBytes));
  }
  AcsInfo info;
  const uint8_t first = value[0];
  if ((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z')) {
    auto url = CheckedText(value, kMaxUrlChars, false, "option 43 (legacy bare URL)");
    if (!url.ok()) return url.status();
    CWMP_RETURN_IF_ERROR(ValidateAcsUrl(*url, "option 43 (legacy bare URL)"));
    info.url = *url;
    info.legacy_bare_url = true;
    return info;
  }
  auto subs = WalkTlv(value, true, "option 43");
  if (!subs.ok()) return subs.status();
  for (const SubOption& s : *subs) {
    const std::string what = "option 43 sub-option " + std::to_string(s.code);
    switch (s.code) {
      case 1: {
        auto url = CheckedText(s.data, kMaxUrlChars, false, what + " (ACS URL)");
        if (!url.ok()) return url.status();
        CWMP_RETURN_IF_ERROR(ValidateAcsUrl(*url, what + " (ACS URL)"));
        info.url = *url;
        break;
      }
      case 2: {
        auto code =
            CheckedText(s.data, kMaxProvisioningCodeChars, true, what + " (ProvisioningCode)");
        if (!code.ok()) return code.status();
        info.provisioning_code = *code;
        break;
      }
      case 3: {
        auto n = RetryNumber(s.data, 1, 65535, what + " (CWMPRetryMinimumWaitInterval)");
        if (!n.ok()) return n.status();
        info.retry_min_wait = *n;
        break;
      }
      case 4: {
        auto n = RetryNumber(s.data, 1000, 65535, what + " (CWMPRetryIntervalMultiplier)");
        if (!n.ok()) return n.status();
        info.retry_multiplier = *n;
        break;
      }
      default:
        break;  // other vendors' sub-options
    }
  }
  if (!info.url && !info.provisioning_code && !info.retry_min_wait && !info.retry_multiplier) {
    return NotFound("option 43 has no TR-069 sub-option (1-4)");
  }
  return info;
}

Result<Bytes> EncodeOption43(const AcsInfo& info) {
  Bytes out;
  if (info.url) {
    CWMP_RETURN_IF_ERROR(ValidateAcsUrl(*info.url, "ACS URL"));
    AppendTlv(out, 1, *info.url);
  }
  if (info.provisioning_code) {
    const std::string& c = *info.provisioning_code;
    if (c.empty() || c.size() > kMaxProvisioningCodeChars || !internal::IsValidUtf8(c) ||
        !internal::HasNoControls(c, true)) {
      return InvalidArgument("provisioning code " + Quote(c) + " must be 1-" +
                             std::to_string(kMaxProvisioningCodeChars) +
                             " bytes of UTF-8 without control characters");
    }
    AppendTlv(out, 2, c);
  }
  CWMP_RETURN_IF_ERROR(ValidateNumber(info.retry_min_wait, 1, 65535, "retry minimum wait"));
  CWMP_RETURN_IF_ERROR(ValidateNumber(info.retry_multiplier, 1000, 65535, "retry multiplier"));
  if (info.retry_min_wait) AppendTlv(out, 3, std::to_string(*info.retry_min_wait));
  if (info.retry_multiplier) AppendTlv(out, 4, std::to_string(*info.retry_multiplier));
  if (out.empty()) return InvalidArgument("nothing to encode: give at least the ACS URL");
  if (out.size() > 255) {
    return LimitExceeded("option 43 would be " + std::to_string(out.size()) +
                         " bytes; a DHCP option holds at most 255");
  }
  return out;
}

// ---- option 60 -----------------------------------------------------------------------------

bool IsTr069VendorClass(std::span<const uint8_t> value) {
  const std::string_view s = AsText(value);
  const std::string_view needle = kTr069VendorClass;
  if (s.size() < needle.size()) return false;
  for (size_t i = 0; i + needle.size() <= s.size(); ++i) {
    bool match = true;
    for (size_t k = 0; k < needle.size() && match; ++k) {
      match = std::tolower(static_cast<unsigned char>(s[i + k])) == needle[k];
    }
    if (match) return true;
  }
  return false;
}

// ---- option 125 ----------------------------------------------------------------------------

Result<std::vector<VendorBlock>> ParseVendorIdentifyingOption(std::span<const uint8_t> value) {
  if (value.empty()) return ParseError("option 125 is empty");
  if (value.size() > kMaxOptionBytes) {
    return LimitExceeded("option 125 is " + std::to_string(value.size()) + " bytes, the limit is " +
                         std::to_string(kMaxOptionBytes));
  }
  std::vector<VendorBlock> blocks;
  std::map<uint32_t, size_t> index;
  size_t i = 0;
  while (i < value.size()) {
    if (value.size() - i < 5) {
      return ParseError("option 125: enterprise block at offset " + std::to_string(i) +
                        " is truncated (" + std::to_string(value.size() - i) +
                        " bytes, the header alone is 5)");
    }
    const uint32_t ent = (uint32_t{value[i]} << 24) | (uint32_t{value[i + 1]} << 16) |
                         (uint32_t{value[i + 2]} << 8) | value[i + 3];
    const size_t len = value[i + 4];
    if (len > value.size() - i - 5) {
      return ParseError("option 125: enterprise " + std::to_string(ent) + " at offset " +
                        std::to_string(i) + " has data length " + std::to_string(len) +
                        " but only " + std::to_string(value.size() - i - 5) + " bytes follow");
    }
    const auto data = value.subspan(i + 5, len);
    auto [it, fresh] = index.emplace(ent, blocks.size());
    if (fresh) blocks.push_back({ent, {}});
    Bytes& dst = blocks[it->second].data;
    dst.insert(dst.end(), data.begin(), data.end());
    i += 5 + len;
  }
  return blocks;
}

Result<Bytes> EncodeVendorIdentifyingOption(const std::vector<VendorBlock>& blocks) {
  Bytes out;
  for (const VendorBlock& b : blocks) {
    if (b.data.size() > 255) {
      return LimitExceeded("option 125: enterprise " + std::to_string(b.enterprise) + " data is " +
                           std::to_string(b.data.size()) + " bytes, a block holds at most 255");
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.push_back(static_cast<uint8_t>(b.enterprise >> shift));
    }
    out.push_back(static_cast<uint8_t>(b.data.size()));
    out.insert(out.end(), b.data.begin(), b.data.end());
  }
  if (out.empty()) return InvalidArgument("option 125: no enterprise block to encode");
  if (out.size() > 255) {
    return LimitExceeded("option 125 would be " + std::to_string(out.size()) +
                         " bytes; a DHCP option holds at most 255");
  }
  return out;
}

Result<GatewayAssociation> ParseOption125(std::span<const uint8_t> value) {
  auto blocks = ParseVendorIdentifyingOption(value);
  if (!blocks.ok()) return blocks.status();
  const VendorBlock* bbf = nullptr;
  std::string present;
  for (const VendorBlock& b : *blocks) {
    if (b.enterprise == kBroadbandForumEnterprise) bbf = &b;
    present += (present.empty() ? "" : ", ") + std::to_string(b.enterprise);
  }
  if (!bbf) {
    return NotFound("option 125 has no enterprise 3561 block (enterprises present: " + present +
                    ")");
  }
  auto subs = WalkTlv(bbf->data, false, "option 125 enterprise 3561");
  if (!subs.ok()) return subs.status();
  GatewayAssociation g;
  for (const SubOption& s : *subs) {
    const std::string what = "option 125 enterprise 3561 sub-option " + std::to_string(s.code);
    std::optional<std::string>* text_field = nullptr;
    switch (s.code) {
      case 1:
      case 4: {
        auto oui = CheckedOui(s.data, what + " (ManufacturerOUI)");
        if (!oui.ok()) return oui.status();
        (s.code == 1 ? g.device_oui : g.gateway_oui) = *oui;
        continue;
      }
      case 2:
        text_field = &g.device_serial;
        break;
      case 3:
        text_field = &g.device_product_class;
        break;
      case 5:
        text_field = &g.gateway_serial;
        break;
      case 6:
        text_field = &g.gateway_product_class;
        break;
      default:
        continue;
    }
    auto t = CheckedText(s.data, 64, false, what);
    if (!t.ok()) return t.status();
    *text_field = *t;
  }
  if (g == GatewayAssociation{}) {
    return NotFound("option 125 enterprise 3561 block has no sub-option 1-6");
  }
  return g;
}

Result<Bytes> EncodeOption125(const GatewayAssociation& g) {
  Bytes data;
  const std::pair<uint8_t, const std::optional<std::string>*> fields[] = {
      {1, &g.device_oui},  {2, &g.device_serial},  {3, &g.device_product_class},
      {4, &g.gateway_oui}, {5, &g.gateway_serial}, {6, &g.gateway_product_class}};
  for (const auto& [code, field] : fields) {
    if (!*field) continue;
    const std::string& v = **field;
    const std::string what = "option 125 sub-option " + std::to_string(code);
    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(v.data()), v.size());
    Status st = (code == 1 || code == 4) ? CheckedOui(bytes, what).status()
                                         : CheckedText(bytes, 64, false, what).status();
    if (!st.ok()) return InvalidArgument(st.message());
    AppendTlv(data, code, v);
  }
  if (data.empty()) return InvalidArgument("option 125: nothing to encode");
  return EncodeVendorIdentifyingOption({{kBroadbandForumEnterprise, std::move(data)}});
}

// ---- 66, 150, 159, 160 ---------------------------------------------------------------------

Result<std::string> ParseServerText(std::span<const uint8_t> value, std::string_view what) {
  return CheckedText(value, 255, false, W(what));
}

Result<std::vector<std::string>> ParseOption150(std::span<const uint8_t> value) {
  if (value.empty() || value.size() % 4 != 0) {
    return ParseError("option 150 is " + std::to_string(value.size()) +
                      " bytes; it must be a non-empty list of 4-byte IPv4 addresses");
  }
  if (value.size() > kMaxOptionBytes) {
    return LimitExceeded("option 150 is " + std::to_string(value.size()) + " bytes, the limit is " +
                         std::to_string(kMaxOptionBytes));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < value.size(); i += 4) {
    out.push_back(std::to_string(value[i]) + "." + std::to_string(value[i + 1]) + "." +
                  std::to_string(value[i + 2]) + "." + std::to_string(value[i + 3]));
  }
  return out;
}

// ---- DHCP_Option_To_Use ----------------------------------------------------------------------

Result<std::vector<int>> ParseOptionOrder(std::string_view text) {
  std::vector<int> out;
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  if (trim(text).empty()) return out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(',', start), text.size());
    const std::string_view item = trim(text.substr(start, end - start));
    int v = 0;
    const auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || p != item.data() + item.size() || v < 1 || v > 254) {
      return InvalidArgument("DHCP_Option_To_Use: " + Quote(item) + " is not an option code 1-254");
    }
    if (std::find(out.begin(), out.end(), v) != out.end()) {
      return InvalidArgument("DHCP_Option_To_Use: option " + std::to_string(v) +
                             " is listed twice");
    }
    out.push_back(v);
    if (out.size() > 32) return LimitExceeded("DHCP_Option_To_Use: more than 32 options");
    start = end + 1;
  }
  return out;
}

std::optional<ProvisioningServer> SelectProvisioningServer(const DhcpLease& lease,
                                                           const std::vector<int>& order) {
  auto make = [](int option, const std::string& server) {
    return ProvisioningServer{option, server, HasScheme(server) ? server : "tftp://" + server};
  };
  for (int code : order) {
    switch (code) {
      case 66:
        if (lease.option66) return make(66, *lease.option66);
        break;
      case 159:
        if (lease.option159) return make(159, *lease.option159);
        break;
      case 160:
        if (lease.option160) return make(160, *lease.option160);
        break;
      case 150:
        if (!lease.option150.empty()) return make(150, lease.option150.front());
        break;
      case 43:
      case 60:
        if (lease.option43 && lease.option43->url) return make(43, *lease.option43->url);
        break;
      default:
        break;  // 125 and unknown codes name no server
    }
  }
  return std::nullopt;
}

}  // namespace cwmp::dhcp
