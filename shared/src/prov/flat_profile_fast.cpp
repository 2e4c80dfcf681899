// The flat-profile fast reader (contract in flat_profile_fast.h and docs/flat-profile.md,
// "The fast path"). A strict single-pass reader over the caller's bytes: every branch that
// meets something outside the shape below returns false, and ParseFlatProfile then hands the
// input to libxml2, which stays the authority for every tolerance and every error.
//
//   document  := BOM? XMLDecl? Misc* root Misc*
//   XMLDecl   := '<?xml' S 'version' Eq '1.0' (S 'encoding' Eq UTF-8|UTF8 (any case))?
//                (S 'standalone' Eq yes|no)? S? '?>'        (values in ' or ")
//   Misc      := S | Comment
//   root      := <flat-profile> Content </flat-profile> | <flat-profile/>
//              | <device> (Text | Comment | <flat-profile> Content </flat-profile>
//                          | <flat-profile/>)* </device> | <device/>
//   Content   := (Text | Comment | Param)*
//   Param     := '<' Name (S 'ua' Eq na|ro|rw)? S? ('/>' | '>' (Text | Comment)* '</' Name S? '>')
//   Name      := [A-Za-z_] [A-Za-z0-9_.-]*               (ASCII, no prefix)
//   Text      := XML characters (valid UTF-8, no C0 controls but TAB/LF/CR, no DEL, no "]]>"),
//                &amp; &lt; &gt; &apos; &quot;, &#N; and &#xH; of XML characters
//   Comment   := '<!---->' | '<!--' characters without '--', not starting with '-' or '>',
//                '-->'
//
// Text is read as XML reads it: CR LF and a lone CR become LF (a CR written as &#13; stays
// CR), and a parameter's value is then normalised by the same NormalizeValue as on the
// libxml2 path; positions come from the same PositionMap.

#include "prov/flat_profile_fast.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "prov/flat_profile_position.h"
#include "prov/flat_profile_text.h"

namespace cwmp::prov::internal {
namespace {

// Bounds of the fast reader itself, below libxml2's own limits (XML_MAX_NAME_LENGTH 50,000,
// XML_MAX_TEXT_LENGTH 10,000,000), so that nothing it accepts can hit one of them.
constexpr size_t kMaxInputBytes = size_t{8} << 20;
constexpr size_t kMaxNameBytes = 1024;
constexpr size_t kMaxCharRefDigits = 7;  // 1114111 = U+10FFFF

constexpr std::string_view kFlatProfile = "flat-profile";
constexpr std::string_view kDevice = "device";

// Bytes that text can hold as they are: printable ASCII except '<', '&' and ']', plus TAB and
// LF. Everything else (CR, other controls, DEL, non-ASCII, the three specials) takes the slow
// branch of ReadText.
constexpr std::array<bool, 256> MakePlainTable() {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x7F; ++c) plain[c] = true;
  plain['<'] = plain['&'] = plain[']'] = false;
  plain['\t'] = plain['\n'] = true;
  return plain;
}
constexpr std::array<bool, 256> kPlain = MakePlainTable();

// Bytes of a name after its first: ASCII letters, digits, '_', '-' and '.'.
constexpr std::array<bool, 256> MakeNameTable() {
  std::array<bool, 256> name{};
  for (int c = 'a'; c <= 'z'; ++c) name[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) name[c] = true;
  for (int c = '0'; c <= '9'; ++c) name[c] = true;
  name['_'] = name['-'] = name['.'] = true;
  return name;
}
constexpr std::array<bool, 256> kNameChar = MakeNameTable();

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameStart(char c) { return IsAsciiLetter(c) || c == '_'; }

// XML 1.0 Char, for code points from character references and multi-byte sequences.
bool IsXmlChar(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// Length of the shortest-form UTF-8 sequence at p (whose first byte is >= 0x80) encoding an
// XML Char, or 0.
size_t MultiByteCharLength(const char* p, const char* end) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(p[i]); };
  auto cont = [&](size_t i) { return p + i < end && (byte(i) & 0xC0) == 0x80; };
  const uint8_t lead = byte(0);
  if (lead < 0xC2) return 0;  // continuation byte, or an overlong 2-byte form
  if (lead < 0xE0) return cont(1) ? 2 : 0;
  if (lead < 0xF0) {
    if (!cont(1) || !cont(2)) return 0;
    const uint32_t cp = ((lead & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
    return cp >= 0x800 && IsXmlChar(cp) ? 3 : 0;
  }
  if (lead < 0xF5) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const uint32_t cp = ((lead & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) |
                        ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
    return cp >= 0x10000 && cp <= 0x10FFFF ? 4 : 0;
  }
  return 0;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

class FastReader {
 public:
  FastReader(std::string_view xml, const ParseLimits& limits)
      : begin_(xml.data()),
        p_(xml.data()),
        end_(xml.data() + xml.size()),
        limits_(limits),
        positions_(xml) {}

  // Reads the whole input into *profile; false as soon as something is not understood.
  bool Read(FlatProfile* profile) {
    profile_ = profile;
    if (Starts("\xEF\xBB\xBF")) p_ += 3;
    if (!Declaration() || !Misc()) return false;
    if (!Root()) return false;
    return Misc() && p_ == end_;
  }

 private:
  // --- Cursor helpers -------------------------------------------------------------------------

  size_t Left() const { return static_cast<size_t>(end_ - p_); }
  bool Starts(std::string_view s) const {
    return Left() >= s.size() && std::memcmp(p_, s.data(), s.size()) == 0;
  }
  bool Take(std::string_view s) {
    if (!Starts(s)) return false;
    p_ += s.size();
    return true;
  }
  bool Take(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  // Skips white space; true when there was some.
  bool SkipSpace() {
    const char* start = p_;
    while (p_ != end_ && IsSpace(*p_)) ++p_;
    return p_ != start;
  }
  // S? '=' S?
  bool Eq() {
    SkipSpace();
    if (!Take('=')) return false;
    SkipSpace();
    return true;
  }
  // A quoted literal whose content must be one of `choices` (exactly); its index or -1.
  template <size_t N>
  int QuotedChoice(const std::array<std::string_view, N>& choices) {
    if (p_ == end_ || (*p_ != '"' && *p_ != '\'')) return -1;
    const char quote = *p_++;
    const char* close = static_cast<const char*>(std::memchr(p_, quote, Left()));
    if (close == nullptr) return -1;
    const std::string_view content(p_, static_cast<size_t>(close - p_));
    p_ = close + 1;
    for (size_t i = 0; i < N; ++i) {
      if (content == choices[i]) return static_cast<int>(i);
    }
    return -1;
  }

  bool ReadName(std::string_view* name) {
    const char* start = p_;
    if (p_ == end_ || !IsNameStart(*p_)) return false;
    ++p_;
    while (p_ != end_ && kNameChar[static_cast<uint8_t>(*p_)]) ++p_;
    *name = std::string_view(start, static_cast<size_t>(p_ - start));
    return name->size() <= kMaxNameBytes && name->size() <= limits_.max_name_bytes;
  }

  // --- Prolog and epilog ----------------------------------------------------------------------

  // The optional XML declaration, at the very start (after a byte order mark).
  bool Declaration() {
    if (!Starts("<?xml") || Left() < 6 || !IsSpace(p_[5])) return true;  // none (or a PI)
    p_ += 5;
    SkipSpace();
    if (!Take("version") || !Eq() || QuotedChoice(std::array<std::string_view, 1>{"1.0"}) != 0) {
      return false;
    }
    bool space = SkipSpace();
    if (space && Take("encoding")) {
      if (!Eq() || p_ == end_ || (*p_ != '"' && *p_ != '\'')) return false;
      const char quote = *p_++;
      const char* start = p_;
      while (p_ != end_ && *p_ != quote) ++p_;
      if (p_ == end_) return false;
      const std::string_view name(start, static_cast<size_t>(p_ - start));
      ++p_;
      if (!EqualsNoCase(name, "utf-8") && !EqualsNoCase(name, "utf8")) return false;
      space = SkipSpace();
    }
    if (space && Take("standalone")) {
      if (!Eq() || QuotedChoice(std::array<std::string_view, 2>{"yes", "no"}) < 0) return false;
      SkipSpace();
    }
    return Take("?>");
  }

  // White space and comments, before or after the root element.
  bool Misc() {
    for (;;) {
      SkipSpace();
      if (!Starts("<!--")) return true;
      if (!Comment()) return false;
    }
  }

  // At "<!--": skips the comment. Its characters are checked as libxml2 checks them.
  bool Comment() {
    p_ += 4;
    if (Take("-->")) return true;  // <!---->
    if (p_ == end_ || *p_ == '-' || *p_ == '>') return false;
    while (p_ != end_) {
      const uint8_t c = static_cast<uint8_t>(*p_);
      if (c == '-') {
        if (Left() >= 2 && p_[1] == '-') {
          if (Left() >= 3 && p_[2] == '>') {
            p_ += 3;
            return true;
          }
          return false;  // "--" inside a comment
        }
        ++p_;
      } else if (c >= 0x20 && c < 0x7F) {
        ++p_;
      } else if (c == '\t' || c == '\n' || c == '\r') {
        ++p_;
      } else if (c >= 0x80) {
        const size_t len = MultiByteCharLength(p_, end_);
        if (len == 0) return false;
        p_ += len;
      } else {
        return false;  // control character or DEL
      }
    }
    return false;  // unterminated
  }

  // --- Text -----------------------------------------------------------------------------------

  // Reads character data up to the next '<' (or the end), decoding it into *out (when not
  // null) as libxml2 delivers it to the SAX handler.
  bool ReadText(std::string* out) {
    for (;;) {
      const char* run = p_;
      while (p_ != end_ && kPlain[static_cast<uint8_t>(*p_)]) ++p_;
      if (out != nullptr && p_ != run) out->append(run, static_cast<size_t>(p_ - run));
      if (p_ == end_ || *p_ == '<') return true;
      const uint8_t c = static_cast<uint8_t>(*p_);
      if (c == '&') {
        if (!Reference(out)) return false;
      } else if (c == ']') {
        if (Left() >= 3 && p_[1] == ']' && p_[2] == '>') return false;  // "]]>" in content
        if (out != nullptr) *out += ']';
        ++p_;
      } else if (c == '\r') {
        ++p_;
        if (p_ != end_ && *p_ == '\n') continue;  // CR LF: the LF is read as text next
        if (out != nullptr) *out += '\n';         // a lone CR reads as LF
      } else if (c >= 0x80) {
        const size_t len = MultiByteCharLength(p_, end_);
        if (len == 0) return false;
        if (out != nullptr) out->append(p_, len);
        p_ += len;
      } else {
        return false;  // control character or DEL
      }
    }
  }

  // At '&': a predefined entity or a character reference of an XML Char.
  bool Reference(std::string* out) {
    ++p_;
    if (Take('#')) {
      const bool hex = Take('x');
      uint32_t cp = 0;
      size_t digits = 0;
      for (; p_ != end_ && *p_ != ';'; ++p_, ++digits) {
        const char d = *p_;
        uint32_t v = 0;
        if (IsDigit(d)) {
          v = static_cast<uint32_t>(d - '0');
        } else if (hex && d >= 'a' && d <= 'f') {
          v = static_cast<uint32_t>(d - 'a' + 10);
        } else if (hex && d >= 'A' && d <= 'F') {
          v = static_cast<uint32_t>(d - 'A' + 10);
        } else {
          return false;
        }
        if (digits == kMaxCharRefDigits) return false;
        cp = cp * (hex ? 16 : 10) + v;
      }
      if (digits == 0 || !Take(';') || !IsXmlChar(cp)) return false;
      if (out != nullptr) AppendUtf8(*out, cp);
      return true;
    }
    char decoded = 0;
    if (Take("amp;")) {
      decoded = '&';
    } else if (Take("lt;")) {
      decoded = '<';
    } else if (Take("gt;")) {
      decoded = '>';
    } else if (Take("apos;")) {
      decoded = '\'';
    } else if (Take("quot;")) {
      decoded = '"';
    } else {
      return false;  // any other entity: libxml2 reports it
    }
    if (out != nullptr) *out += decoded;
    return true;
  }

  // --- Elements -------------------------------------------------------------------------------

  // After "</": the end tag of `name`.
  bool EndTag(std::string_view name) {
    if (!Take(name)) return false;
    SkipSpace();
    return Take('>');
  }

  // At '<' of a start tag at `depth`, whose name must be `want`; sets *empty for "<x/>".
  bool WrapperStartTag(std::string_view want, int depth, bool* empty) {
    ++p_;
    std::string_view name;
    if (!ReadName(&name) || name != want || depth > limits_.max_depth) return false;
    SkipSpace();
    *empty = Take("/>");
    return *empty || Take('>');
  }

  bool Root() {
    if (p_ == end_ || *p_ != '<') return false;
    if (Starts("<device")) {
      bool empty = false;
      if (!WrapperStartTag(kDevice, 1, &empty)) return false;
      return empty || DeviceContent();
    }
    bool empty = false;
    if (!WrapperStartTag(kFlatProfile, 1, &empty)) return false;
    return empty || FlatProfileContent(1);
  }

  // Inside <device>: text (ignored), comments and <flat-profile> children, up to </device>.
  bool DeviceContent() {
    for (;;) {
      if (!ReadText(nullptr) || p_ == end_) return false;
      if (Take("</")) return EndTag(kDevice);
      if (Starts("<!--")) {
        if (!Comment()) return false;
        continue;
      }
      bool empty = false;
      if (!WrapperStartTag(kFlatProfile, 2, &empty)) return false;
      if (!empty && !FlatProfileContent(2)) return false;
    }
  }

  // Inside <flat-profile> at `depth`: text (ignored), comments and parameters, up to its end.
  bool FlatProfileContent(int depth) {
    for (;;) {
      if (!ReadText(nullptr) || p_ == end_) return false;
      if (Take("</")) return EndTag(kFlatProfile);
      if (Starts("<!--")) {
        if (!Comment()) return false;
        continue;
      }
      if (!Parameter(depth + 1)) return false;
    }
  }

  // At '<' of a parameter element at `depth`.
  bool Parameter(int depth) {
    const char* const tag = p_++;
    std::string_view name;
    if (!ReadName(&name) || depth > limits_.max_depth) return false;
    if (profile_->elements.size() >= limits_.max_elements) return false;

    std::optional<Access> ua;
    if (SkipSpace() && Take("ua")) {
      static constexpr std::array<std::string_view, 3> kAccess = {"na", "ro", "rw"};
      static constexpr std::array<Access, 3> kAccessValue = {Access::kNa, Access::kRo, Access::kRw};
      if (!Eq()) return false;
      const int which = QuotedChoice(kAccess);
      if (which < 0) return false;
      ua = kAccessValue[static_cast<size_t>(which)];
      SkipSpace();
    }

    ProfileElement& element = profile_->elements.emplace_back();
    element.name = std::string(name);  // constructed at its size (assign would regrow)
    element.ua = ua;
    positions_.Locate(static_cast<size_t>(tag - begin_), &element.line, &element.column);
    if (Take("/>")) {
      // <X ua="rw"/> changes the access only; <X/> sets the empty string.
      if (!ua) element.value.emplace();
      return true;
    }
    if (!Take('>')) return false;
    std::string& value = element.value.emplace();
    for (;;) {
      if (!ReadText(&value) || value.size() > limits_.max_value_bytes || p_ == end_) {
        return false;
      }
      if (Take("</")) break;
      if (!Starts("<!--") || !Comment()) return false;  // an element or CDATA inside a value
    }
    if (!EndTag(name)) return false;
    NormalizeValue(value);
    return true;
  }

  const char* const begin_;
  const char* p_;
  const char* const end_;
  const ParseLimits& limits_;
  PositionMap positions_;
  FlatProfile* profile_ = nullptr;
};

}  // namespace

std::optional<FlatProfile> ParseFlatProfileFast(std::string_view xml, const ParseLimits& limits) {
  if (xml.size() > kMaxInputBytes || xml.size() > limits.max_bytes) return std::nullopt;
  FlatProfile profile;
  // As on the libxml2 path: a full profile averages 50-70 bytes per parameter.
  profile.elements.reserve(std::min(xml.size() / 48 + 16, limits.max_elements));
  FastReader reader(xml, limits);
  if (!reader.Read(&profile)) return std::nullopt;
  return profile;
}

}  // namespace cwmp::prov::internal
