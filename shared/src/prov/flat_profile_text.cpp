#include "prov/flat_profile_text.h"

#include <cstdint>

namespace cwmp::prov {
namespace {

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at s[i] that XML 1.0 allows, or 0.
size_t ValidUtf8Length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  auto cont = [&](size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  uint8_t c = b(i);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    uint32_t cp = ((c & 0x0Fu) << 12) | ((b(i + 1) & 0x3Fu) << 6) | (b(i + 2) & 0x3Fu);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    uint32_t cp = ((c & 0x07u) << 18) | ((b(i + 1) & 0x3Fu) << 12) | ((b(i + 2) & 0x3Fu) << 6) |
                  (b(i + 3) & 0x3Fu);
    if (cp < 0x10000 || cp > 0x10FFFF) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

void NormalizeValue(std::string& text) {
  // Most values need nothing: checked without touching the string (this runs per element).
  const size_t size = text.size();
  if (size == 0) return;
  size_t begin = 0;
  size_t end = size;
  while (begin < end && IsXmlSpace(text[begin])) ++begin;
  while (end > begin && IsXmlSpace(text[end - 1])) --end;
  if (begin != 0 || end != size) {
    text.erase(end);
    text.erase(0, begin);
  }
  if (text.size() == 2 && text[0] == '"' && text[1] == '"') {
    text.clear();
    return;
  }
  // A read-only scan first: most values hold no line end, and this loop vectorises.
  bool line_end = false;
  for (char c : text) line_end |= (c == '\n') | (c == '\r');
  if (!line_end) return;
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
}

void AppendEscapedText(std::string& out, std::string_view value) {
  size_t i = 0;
  while (i < value.size()) {
    // Copy the longest run that needs no change in one append.
    size_t run = i;
    while (run < value.size()) {
      unsigned char c = static_cast<unsigned char>(value[run]);
      if (c == '&' || c == '<' || c == '>' || (c < 0x20 && c != '\t') || c >= 0x80) break;
      ++run;
    }
    out.append(value.data() + i, run - i);
    i = run;
    if (i >= value.size()) break;
    unsigned char c = static_cast<unsigned char>(value[i]);
    switch (c) {
      case '&':
        out += "&amp;";
        ++i;
        continue;
      case '<':
        out += "&lt;";
        ++i;
        continue;
      case '>':
        out += "&gt;";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      out += ' ';
      ++i;
      continue;
    }
    size_t len = ValidUtf8Length(value, i);
    if (len == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(value.data() + i, len);
      i += len;
    }
  }
}

}  // namespace cwmp::prov
