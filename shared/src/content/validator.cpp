#include "cwmp/content/validator.h"

#include <cstdint>

namespace cwmp::content {
namespace {

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void SkipSpace(std::string_view& s) {
  size_t i = 0;
  while (i < s.size() && IsXmlSpace(s[i])) ++i;
  s.remove_prefix(i);
}

// Removes a leading construct that runs from `open` to `close`; false if it is unterminated.
bool SkipDelimited(std::string_view& s, std::string_view open, std::string_view close) {
  if (!s.starts_with(open)) return true;
  size_t end = s.find(close, open.size());
  if (end == std::string_view::npos) return false;
  s.remove_prefix(end + close.size());
  return true;
}

bool StartsWithElement(std::string_view s, std::string_view name) {
  if (!s.starts_with(name)) return false;
  if (s.size() == name.size()) return false;
  char next = s[name.size()];
  return IsXmlSpace(next) || next == '>' || next == '/';
}

}  // namespace

bool LooksLikeProfile(std::string_view s) {
  if (s.size() >= 4 && static_cast<uint8_t>(s[0]) == 0x1f && static_cast<uint8_t>(s[1]) == 0x8b &&
      s[2] == 0x08) {
    return (static_cast<uint8_t>(s[3]) & 0xe0) == 0;  // FLG reserved bits must be zero
  }
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  SkipSpace(s);
  if (s.starts_with("<?xml")) {
    if (!SkipDelimited(s, "<?xml", "?>")) return false;
  }
  while (true) {
    SkipSpace(s);
    if (!s.starts_with("<!--")) break;
    if (!SkipDelimited(s, "<!--", "-->")) return false;
  }
  return StartsWithElement(s, "<flat-profile") || StartsWithElement(s, "<device");
}

}  // namespace cwmp::content
