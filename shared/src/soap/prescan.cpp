#include "soap/prescan.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace cwmp::soap {
namespace {

bool StartsWith(std::string_view s, size_t pos, std::string_view prefix) {
  return s.substr(pos, prefix.size()) == prefix;
}

// Checks the reference starting at xml[pos] == '&'; returns the position after ';' or npos.
size_t CheckReference(std::string_view xml, size_t pos) {
  size_t end = xml.find(';', pos);
  if (end == std::string_view::npos || end - pos > 12) return std::string_view::npos;
  std::string_view name = xml.substr(pos + 1, end - pos - 1);
  if (name == "lt" || name == "gt" || name == "amp" || name == "quot" || name == "apos") {
    return end + 1;
  }
  if (name.size() >= 2 && name[0] == '#') {
    bool hex = name[1] == 'x';
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return std::string_view::npos;
    for (char c : digits) {
      bool ok =
          (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!ok) return std::string_view::npos;
    }
    return end + 1;
  }
  return std::string_view::npos;
}

Status BadReference(std::string_view xml, size_t pos) {
  return ParseError("entity reference \"" + std::string(xml.substr(pos, 16)) + "\" at byte " +
                    std::to_string(pos) +
                    " is not allowed (only &lt; &gt; &amp; &quot; &apos; and &#...;)");
}

}  // namespace

Status Prescan(std::string_view xml, const DecodeLimits& limits) {
  if (xml.size() > limits.max_bytes) {
    return LimitExceeded("envelope of " + std::to_string(xml.size()) +
                         " bytes exceeds the limit of " + std::to_string(limits.max_bytes));
  }
  size_t depth = 0;
  size_t pos = StartsWith(xml, 0, "\xEF\xBB\xBF") ? 3 : 0;
  const char* const data = xml.data();
  while (pos < xml.size()) {
    // Character data up to the next '<' (memchr: this loop runs on every message).
    const void* lt = std::memchr(data + pos, '<', xml.size() - pos);
    size_t text_end =
        lt != nullptr ? static_cast<size_t>(static_cast<const char*>(lt) - data) : xml.size();
    for (const void* amp = std::memchr(data + pos, '&', text_end - pos); amp != nullptr;
         amp = std::memchr(data + pos, '&', text_end - pos)) {
      size_t at = static_cast<size_t>(static_cast<const char*>(amp) - data);
      size_t next = CheckReference(xml, at);
      if (next == std::string_view::npos) return BadReference(xml, at);
      pos = next;
      if (pos >= text_end) break;
    }
    pos = text_end;
    if (pos >= xml.size()) break;
    // One look at the byte after '<' picks the construct (this runs for every tag).
    const char kind = pos + 1 < xml.size() ? xml[pos + 1] : '\0';
    if (kind == '!' && StartsWith(xml, pos, "<!--")) {
      size_t end = xml.find("-->", pos + 4);
      if (end == std::string_view::npos) return ParseError("unterminated comment");
      pos = end + 3;
    } else if (kind == '!' && StartsWith(xml, pos, "<![CDATA[")) {
      size_t end = xml.find("]]>", pos + 9);
      if (end == std::string_view::npos) return ParseError("unterminated CDATA section");
      pos = end + 3;
    } else if (kind == '!') {
      return ParseError("DTD or markup declaration at byte " + std::to_string(pos) +
                        " is not allowed in a CWMP envelope");
    } else if (kind == '?') {
      size_t end = xml.find("?>", pos + 2);
      if (end == std::string_view::npos) return ParseError("unterminated processing instruction");
      pos = end + 2;
    } else if (kind == '/') {
      const void* gt = std::memchr(data + pos + 2, '>', xml.size() - std::min(xml.size(), pos + 2));
      size_t end = gt != nullptr ? static_cast<size_t>(static_cast<const char*>(gt) - data)
                                 : std::string_view::npos;
      if (end == std::string_view::npos) return ParseError("unterminated end tag");
      if (depth > 0) --depth;
      pos = end + 1;
    } else {
      // Start tag: find its end, honouring quoted attribute values.
      size_t p = pos + 1;
      char quote = 0;
      for (; p < xml.size(); ++p) {
        char d = xml[p];
        if (quote != 0) {
          if (d == quote) {
            quote = 0;
          } else if (d == '&') {
            size_t next = CheckReference(xml, p);
            if (next == std::string_view::npos) return BadReference(xml, p);
            p = next - 1;
          }
        } else if (d == '"' || d == '\'') {
          quote = d;
        } else if (d == '>') {
          break;
        }
      }
      if (p >= xml.size()) return ParseError("unterminated start tag");
      if (xml[p - 1] != '/') {
        if (++depth > limits.max_depth) {
          return LimitExceeded("element nesting deeper than " + std::to_string(limits.max_depth) +
                               " at byte " + std::to_string(pos));
        }
      }
      pos = p + 1;
    }
  }
  if (depth != 0) {
    return ParseError("the envelope ends inside an element (truncated message?)");
  }
  return Status::Ok();
}

}  // namespace cwmp::soap
