// Data type parsing and the per-type validators. Validators are hand-written scanners (no
// std::regex, no allocation on success) because a full profile validates every parameter.

#include "cwmp/prov/datatype.h"

#include <charconv>
#include <cstdint>

namespace cwmp::prov {
namespace {

constexpr size_t kMiniscriptMax = 127;  // CadScript, FreqScript, ToneScript
constexpr size_t kFqdnMax = 63;
constexpr size_t kUserIdMax = 63;
constexpr size_t kPhoneMax = 39;  // Phone, PhTmplt, RscTmplt
constexpr size_t kStarCodeMax = 7;
constexpr size_t kDialPlanMax = 2047;
constexpr size_t kRuleMax = 2047;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// Characters counted as UTF-8 code points (continuation bytes are not counted).
size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

Status Invalid(const char* reason) { return InvalidArgument(reason); }

Status TooLong(size_t max) {
  return InvalidArgument("is longer than " + std::to_string(max) + " characters");
}

// Parses an unsigned decimal or 0x-hex number; false when malformed or above max.
bool ParseUnsigned(std::string_view s, uint64_t max, uint64_t* out) {
  if (s.empty()) return false;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || ptr != s.data() + s.size() || v > max) return false;
  if (out != nullptr) *out = v;
  return true;
}

// A decimal number "12", "12.5", ".5", "12." with an optional leading sign when signed_ok.
// Returns the number of decimals through *decimals; false when malformed.
bool ParseDecimal(std::string_view s, bool signed_ok, size_t* decimals) {
  size_t i = 0;
  if (signed_ok && i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  }
  if (i != s.size() || int_digits + frac_digits == 0) return false;
  if (decimals != nullptr) *decimals = frac_digits;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls fn(piece) for each piece of s split at sep; stops at the first false.
template <typename Fn>
bool ForEachPiece(std::string_view s, char sep, Fn&& fn) {
  while (true) {
    size_t pos = s.find(sep);
    if (!fn(s.substr(0, pos))) return false;
    if (pos == std::string_view::npos) return true;
    s.remove_prefix(pos + 1);
  }
}

bool HasControl(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
    if (u == 0x7F) return true;
  }
  return false;
}

bool IsIpv4(std::string_view s) {
  int parts = 0;
  bool ok = ForEachPiece(s, '.', [&](std::string_view p) {
    ++parts;
    if (p.empty() || p.size() > 3) return false;
    for (char c : p) {
      if (!IsDigit(c)) return false;
    }
    uint64_t v = 0;
    return ParseUnsigned(p, 255, &v);
  });
  return ok && parts == 4;
}

bool IsHostName(std::string_view s) {
  if (s.empty()) return false;
  if (s.back() == '.') s.remove_suffix(1);  // absolute name
  return ForEachPiece(s, '.', [](std::string_view label) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_') return false;
    }
    return true;
  });
}

// Duration in seconds for miniscripts: "*" (forever) or a decimal with up to 3 decimals.
bool IsDuration(std::string_view s, bool star_ok) {
  if (star_ok && s == "*") return true;
  size_t dec = 0;
  return ParseDecimal(s, false, &dec) && dec <= 3;
}

// One section "D(seg[,seg]...)" of a cadence or tone script. A segment is on/off for a
// CadScript, on/off/f for a ToneScript where f = n[+n]... and every n <= freq_count.
bool IsSection(std::string_view s, bool tone, size_t freq_count) {
  size_t open = s.find('(');
  if (open == std::string_view::npos || s.empty() || s.back() != ')') return false;
  if (!IsDuration(Trim(s.substr(0, open)), true)) return false;
  std::string_view body = s.substr(open + 1, s.size() - open - 2);
  int segments = 0;
  bool ok = ForEachPiece(body, ',', [&](std::string_view seg) {
    if (++segments > 6) return false;
    seg = Trim(seg);
    int field = 0;
    bool seg_ok = ForEachPiece(seg, '/', [&](std::string_view f) {
      ++field;
      if (field <= 2) return IsDuration(Trim(f), true);
      if (!tone || field > 3) return false;
      return ForEachPiece(Trim(f), '+', [&](std::string_view n) {
        uint64_t v = 0;
        return n.size() == 1 && ParseUnsigned(n, 6, &v) && v <= freq_count;
      });
    });
    return seg_ok && field == (tone ? 3 : 2);
  });
  return ok;
}

// FreqScript body; returns the number of frequency components, 0 when malformed.
size_t FreqCount(std::string_view s) {
  size_t count = 0;
  bool ok = ForEachPiece(s, ',', [&](std::string_view fl) {
    if (++count > 6) return false;
    fl = Trim(fl);
    size_t at = fl.find('@');
    if (at == std::string_view::npos) return false;
    uint64_t f = 0;
    std::string_view freq = fl.substr(0, at);
    for (char c : freq) {
      if (!IsDigit(c)) return false;
    }
    size_t dec = 0;
    return ParseUnsigned(freq, 100000, &f) && ParseDecimal(fl.substr(at + 1), true, &dec) &&
           dec <= 1;
  });
  return ok ? count : 0;
}

Status ValidateBool(std::string_view v) {
  if (EqualsNoCase(v, "yes") || EqualsNoCase(v, "no") || v == "1" || v == "0") return {};
  return Invalid("is not a boolean (Yes or No)");
}

Status ValidateEnum(const DataType& t, std::string_view v) {
  for (const std::string& c : t.choices) {
    if (EqualsNoCase(v, c)) return {};
  }
  std::string reason = "is not one of ";
  for (size_t i = 0; i < t.choices.size(); ++i) {
    if (i > 0) reason += '|';
    reason += t.choices[i];
  }
  return InvalidArgument(std::move(reason));
}

Status ValidateUns(unsigned bits, std::string_view v) {
  uint64_t max = bits >= 64 ? UINT64_MAX : ((uint64_t{1} << bits) - 1);
  uint64_t parsed = 0;
  if (!ParseUnsigned(v, UINT64_MAX, &parsed)) return Invalid("is not an unsigned integer");
  if (parsed > max) {
    return InvalidArgument("does not fit in " + std::to_string(bits) + " bits (max " +
                           std::to_string(max) + ")");
  }
  return {};
}

Status ValidateSig(unsigned bits, std::string_view v) {
  bool negative = false;
  std::string_view digits = v;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  uint64_t mag = 0;
  if (!ParseUnsigned(digits, UINT64_MAX, &mag)) return Invalid("is not a signed integer");
  uint64_t limit = uint64_t{1} << (bits - 1);  // |min|; max is limit - 1
  if (negative ? mag > limit : mag > limit - 1) {
    return InvalidArgument("does not fit in " + std::to_string(bits) + " signed bits");
  }
  return {};
}

Status ValidateFqdn(std::string_view v) {
  if (CharCount(v) > kFqdnMax) return TooLong(kFqdnMax);
  std::string_view host = v;
  size_t colon = v.rfind(':');
  if (colon != std::string_view::npos) {
    host = v.substr(0, colon);
    if (!ParseUnsigned(v.substr(colon + 1), 65535, nullptr)) return Invalid("has a bad port");
  }
  if (IsIpv4(host) || IsHostName(host)) return {};
  return Invalid("is not a host name or IPv4 address");
}

Status ValidateUserId(std::string_view v) {
  if (CharCount(v) > kUserIdMax) return TooLong(kUserIdMax);
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == '@' || c == ':' || c == '<' || c == '>' || c == '"') {
      return Invalid("is not a URL user ID (no spaces, '@', ':', '<', '>' or quotes)");
    }
  }
  return {};
}

Status ValidatePhone(std::string_view v) {
  if (CharCount(v) > kPhoneMax) return TooLong(kPhoneMax);
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == '"') {
      return Invalid("is not a phone number or URL (no spaces, '<', '>' or quotes)");
    }
  }
  return {};
}

Status ValidateStr(size_t max, std::string_view v) {
  if (max != 0 && v.size() > max && CharCount(v) > max) return TooLong(max);
  if (HasControl(v)) return Invalid("contains a control character");
  return {};
}

Status ValidateTime(std::string_view v) {
  if (!ParseDecimal(v, false, nullptr)) return Invalid("is not a non-negative number of seconds");
  return {};
}

Status ValidateFloat(unsigned decimals, std::string_view v) {
  size_t dec = 0;
  if (!ParseDecimal(v, true, &dec)) return Invalid("is not a number");
  if (dec > decimals) {
    return InvalidArgument("has more than " + std::to_string(decimals) + " decimal places");
  }
  return {};
}

Status ValidateCadScript(std::string_view v) {
  if (v.size() > kMiniscriptMax) return TooLong(kMiniscriptMax);
  int sections = 0;
  bool ok = ForEachPiece(
      v, ';', [&](std::string_view s) { return ++sections <= 2 && IsSection(Trim(s), false, 0); });
  if (!ok) return Invalid("is not a cadence script like 60(2/4) or 60(.2/.2,1/4)");
  return {};
}

Status ValidateFreqScript(std::string_view v) {
  if (v.size() > kMiniscriptMax) return TooLong(kMiniscriptMax);
  if (FreqCount(v) == 0) return Invalid("is not a frequency script like 350@-19,440@-19");
  return {};
}

Status ValidateToneScript(std::string_view v) {
  if (v.size() > kMiniscriptMax) return TooLong(kMiniscriptMax);
  size_t semi = v.find(';');
  size_t freqs = semi == std::string_view::npos ? 0 : FreqCount(v.substr(0, semi));
  bool ok = freqs > 0;
  if (ok) {
    int sections = 0;
    ok = ForEachPiece(v.substr(semi + 1), ';', [&](std::string_view s) {
      return ++sections <= 2 && IsSection(Trim(s), true, freqs);
    });
  }
  if (!ok) return Invalid("is not a tone script like 350@-19,440@-19;10(*/0/1+2)");
  return {};
}

Status ValidatePhTmplt(std::string_view v) {
  if (CharCount(v) > kPhoneMax) return TooLong(kPhoneMax);
  bool ok = ForEachPiece(v, ',', [](std::string_view p) {
    p = Trim(p);
    if (p.empty()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      char c = p[i];
      if (c == '%') {
        if (i + 2 >= p.size() || !IsHex(p[i + 1]) || !IsHex(p[i + 2])) return false;
        i += 2;
        continue;
      }
      if (!IsDigit(c) && !IsAlpha(c) && c != '?' && c != '*' && c != '#' && c != '+' && c != '.' &&
          c != '@' && c != ':' && c != '-' && c != '_') {
        return false;
      }
    }
    return true;
  });
  if (!ok) return Invalid("is not a phone number template like 1408*, 1510*");
  return {};
}

Status ValidateRscTmplt(std::string_view v) {
  if (CharCount(v) > kPhoneMax) return TooLong(kPhoneMax);
  bool ok = ForEachPiece(v, ',', [](std::string_view p) {
    p = Trim(p);
    if (p.empty() || p.size() > 3) return false;
    for (char c : p) {
      if (!IsDigit(c) && c != '?' && c != '*') return false;
    }
    return true;
  });
  if (!ok) return Invalid("is not a response status code template like 404, 5*");
  return {};
}

Status ValidateStarCode(std::string_view v) {
  if (v.size() > kStarCodeMax) return TooLong(kStarCodeMax);
  for (char c : v) {
    if (!IsDigit(c) && c != '*' && c != '#') return Invalid("is not a star code like *69");
  }
  return {};
}

// Dial plan brackets: () may nest and contain [] and <>; [] and <> do not nest.
bool Balanced(std::string_view v) {
  int paren = 0;
  char inner = 0;  // '[' or '<' while inside one
  for (char c : v) {
    if (c == '[' || c == '<') {
      if (inner != 0) return false;
      inner = c;
    } else if (c == ']' || c == '>') {
      if (inner != (c == ']' ? '[' : '<')) return false;
      inner = 0;
    } else if (c == '(' && inner == 0) {
      ++paren;
    } else if (c == ')' && inner == 0) {
      if (--paren < 0) return false;
    }
  }
  return paren == 0 && inner == 0;
}

Status ValidateDialPlan(std::string_view v) {
  if (v.size() > kDialPlanMax) return TooLong(kDialPlanMax);
  if (HasControl(v) || !Balanced(v)) {
    return Invalid("is not a dial plan (unbalanced (), [] or <>)");
  }
  return {};
}

Status ValidateRule(std::string_view v) {
  if (v.size() > kRuleMax) return TooLong(kRuleMax);
  if (HasControl(v)) return Invalid("contains a control character");
  int paren = 0;
  bool quoted = false;
  int square = 0;
  for (char c : v) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++paren;
    if (c == ')' && --paren < 0) break;
    if (c == '[') ++square;
    if (c == ']' && --square < 0) break;
  }
  if (quoted || paren != 0 || square != 0) {
    return Invalid("is not a provisioning rule (unbalanced quotes, () or [])");
  }
  return {};
}

Status ValidateDelayList(std::string_view v) {
  bool ok = ForEachPiece(v, ',', [](std::string_view p) {
    p = Trim(p);
    size_t plus = p.find('+');
    if (plus == std::string_view::npos) return ParseUnsigned(p, UINT32_MAX, nullptr);
    return ParseUnsigned(p.substr(0, plus), UINT32_MAX, nullptr) &&
           ParseUnsigned(p.substr(plus + 1), UINT32_MAX, nullptr);
  });
  if (!ok)
    return Invalid(
        "is not an unsigned integer (nor a list like 600, 1200 or a range like 2400+30)");
  return {};
}

Status ValidateHHmm(std::string_view v) {
  if (v.size() != 4 || !IsDigit(v[0]) || !IsDigit(v[1]) || !IsDigit(v[2]) || !IsDigit(v[3])) {
    return Invalid("is not a time of day HHmm (0000 to 2400)");
  }
  int hh = (v[0] - '0') * 10 + (v[1] - '0');
  int mm = (v[2] - '0') * 10 + (v[3] - '0');
  if (mm > 59 || hh > 24 || (hh == 24 && mm != 0)) {
    return Invalid("is not a time of day HHmm (0000 to 2400)");
  }
  return {};
}

struct Keyword {
  std::string_view name;
  TypeKind kind;
};
constexpr Keyword kFixed[] = {
    {"Bool", TypeKind::kBool},
    {"Port", TypeKind::kPort},
    {"IP", TypeKind::kIp},
    {"FQDN", TypeKind::kFqdn},
    {"UserID", TypeKind::kUserId},
    {"Phone", TypeKind::kPhone},
    {"CadScript", TypeKind::kCadScript},
    {"FreqScript", TypeKind::kFreqScript},
    {"ToneScript", TypeKind::kToneScript},
    {"PhTmplt", TypeKind::kPhTmplt},
    {"RscTmplt", TypeKind::kRscTmplt},
    {"PwrLevel", TypeKind::kPwrLevel},
    {"StarCode", TypeKind::kStarCode},
    {"DialPlanScript", TypeKind::kDialPlanScript},
    {"ProvisioningRuleSyntax", TypeKind::kProvisioningRuleSyntax},
    {"DelayList", TypeKind::kDelayList},
    {"HHmm", TypeKind::kHHmm},
};
constexpr Keyword kSized[] = {
    {"Uns", TypeKind::kUns},   {"Sig", TypeKind::kSig},     {"Str", TypeKind::kStr},
    {"Time", TypeKind::kTime}, {"Float", TypeKind::kFloat},
};

}  // namespace

std::string_view TypeKindName(TypeKind kind) {
  if (kind == TypeKind::kEnum) return "{}";
  for (const Keyword& k : kFixed) {
    if (k.kind == kind) return k.name;
  }
  for (const Keyword& k : kSized) {
    if (k.kind == kind) return k.name;
  }
  return "?";
}

bool DataType::AllowsEmpty() const {
  if (kind == TypeKind::kBool) return false;
  if (kind == TypeKind::kEnum) {
    for (const std::string& c : choices) {
      if (c.empty()) return true;
    }
    return false;
  }
  return true;
}

Result<DataType> ParseDataType(std::string_view spec) {
  DataType t;
  if (spec.size() >= 2 && spec.front() == '{' && spec.back() == '}') {
    t.kind = TypeKind::kEnum;
    std::string_view body = spec.substr(1, spec.size() - 2);
    char sep = body.find('|') != std::string_view::npos ? '|' : ',';
    ForEachPiece(body, sep, [&](std::string_view c) {
      t.choices.emplace_back(Trim(c));
      return true;
    });
    if (body.empty()) return ParseError("data type \"" + std::string(spec) + "\": no choices");
    return t;
  }
  for (const Keyword& k : kFixed) {
    if (spec == k.name) {
      t.kind = k.kind;
      return t;
    }
  }
  // Star codes: the guide writes "Star Codes".
  if (spec == "Star Codes" || spec == "StarCodes") {
    t.kind = TypeKind::kStarCode;
    return t;
  }
  for (const Keyword& k : kSized) {
    if (spec.size() > k.name.size() && spec.substr(0, k.name.size()) == k.name) {
      uint64_t n = 0;
      std::string_view digits = spec.substr(k.name.size());
      if (!IsDigit(digits[0]) || !ParseUnsigned(digits, 1 << 20, &n)) break;
      t.kind = k.kind;
      switch (k.kind) {
        case TypeKind::kUns:
          if (n != 8 && n != 16 && n != 32) {
            return ParseError("data type \"" + std::string(spec) +
                              "\": Uns<n> needs n = 8, 16 or 32");
          }
          t.bits = static_cast<unsigned>(n);
          break;
        case TypeKind::kSig:
          if (n < 2 || n > 64) {
            return ParseError("data type \"" + std::string(spec) + "\": Sig<n> needs 2 <= n <= 64");
          }
          t.bits = static_cast<unsigned>(n);
          break;
        case TypeKind::kStr:
          if (n == 0) return ParseError("data type \"" + std::string(spec) + "\": Str0");
          t.max_length = n;
          break;
        default:  // Time, Float
          if (n > 9) {
            return ParseError("data type \"" + std::string(spec) + "\": more than 9 decimals");
          }
          t.decimals = static_cast<unsigned>(n);
          break;
      }
      return t;
    }
  }
  return ParseError("unknown data type \"" + std::string(spec) + "\"");
}

Status ValidateValue(const DataType& t, std::string_view v) {
  if (v.empty()) {
    if (t.AllowsEmpty()) return {};
    return Invalid(t.kind == TypeKind::kBool ? "is not a boolean (Yes or No)"
                                             : "is empty; expected one of the choices");
  }
  switch (t.kind) {
    case TypeKind::kBool:
      return ValidateBool(v);
    case TypeKind::kEnum:
      return ValidateEnum(t, v);
    case TypeKind::kUns:
      return ValidateUns(t.bits, v);
    case TypeKind::kSig:
      return ValidateSig(t.bits, v);
    case TypeKind::kPort:
      if (!ParseUnsigned(v, 65535, nullptr)) return Invalid("is not a port number (0-65535)");
      return {};
    case TypeKind::kIp:
      if (!IsIpv4(v)) return Invalid("is not an IPv4 address");
      return {};
    case TypeKind::kFqdn:
      return ValidateFqdn(v);
    case TypeKind::kUserId:
      return ValidateUserId(v);
    case TypeKind::kPhone:
      return ValidatePhone(v);
    case TypeKind::kStr:
      return ValidateStr(t.max_length, v);
    case TypeKind::kTime:
      return ValidateTime(v);
    case TypeKind::kFloat:
      return ValidateFloat(t.decimals, v);
    case TypeKind::kCadScript:
      return ValidateCadScript(v);
    case TypeKind::kFreqScript:
      return ValidateFreqScript(v);
    case TypeKind::kToneScript:
      return ValidateToneScript(v);
    case TypeKind::kPhTmplt:
      return ValidatePhTmplt(v);
    case TypeKind::kRscTmplt:
      return ValidateRscTmplt(v);
    case TypeKind::kPwrLevel:
      return ValidateFloat(1, v);
    case TypeKind::kStarCode:
      return ValidateStarCode(v);
    case TypeKind::kDialPlanScript:
      return ValidateDialPlan(v);
    case TypeKind::kProvisioningRuleSyntax:
      return ValidateRule(v);
    case TypeKind::kDelayList:
      return ValidateDelayList(v);
    case TypeKind::kHHmm:
      return ValidateHHmm(v);
  }
  return Internal("unknown type kind");
}

}  // namespace cwmp::prov
