// SIP message parsing for Resync_From_SIP (RFC 3261 §7, the parts a NOTIFY needs), bounded and
// tolerant: compact header names, case-insensitive names, folded lines, CRLF or LF.
#include <cctype>

#include "agent/sip_listener.h"
#include "common/text.h"

namespace agent {
namespace {
using text::Lower;



// RFC 3261 token characters.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!std::isalnum(c) &&
        std::string_view("-.!%*_+`'~").find(static_cast<char>(c)) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Canonical long form of a header name (compact forms expanded), or the name as sent.
std::string Canonical(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"v", "Via"},
      {"via", "Via"},
      {"f", "From"},
      {"from", "From"},
      {"t", "To"},
      {"to", "To"},
      {"i", "Call-ID"},
      {"call-id", "Call-ID"},
      {"l", "Content-Length"},
      {"content-length", "Content-Length"},
      {"c", "Content-Type"},
      {"content-type", "Content-Type"},
      {"o", "Event"},
      {"event", "Event"},
      {"m", "Contact"},
      {"contact", "Contact"},
      {"e", "Content-Encoding"},
      {"content-encoding", "Content-Encoding"},
      {"k", "Supported"},
      {"supported", "Supported"},
      {"u", "Allow-Events"},
      {"allow-events", "Allow-Events"},
      {"s", "Subject"},
      {"subject", "Subject"},
      {"cseq", "CSeq"},
      {"max-forwards", "Max-Forwards"},
      {"authorization", "Authorization"},
      {"subscription-state", "Subscription-State"},
  };
  std::string lower = Lower(name);
  for (const auto& [k, v] : kNames) {
    if (k == lower) return std::string(v);
  }
  return std::string(name);
}

}  // namespace

std::optional<std::string> SipMessage::Header(std::string_view name) const {
  std::string want = Lower(Canonical(name));
  for (const auto& [n, v] : headers) {
    if (Lower(n) == want) return v;
  }
  return std::nullopt;
}

std::vector<std::string> SipMessage::Headers(std::string_view name) const {
  std::string want = Lower(Canonical(name));
  std::vector<std::string> out;
  for (const auto& [n, v] : headers) {
    if (Lower(n) == want) out.push_back(v);
  }
  return out;
}

cwmp::Result<SipMessage> ParseSipMessage(std::string_view data, const SipLimits& limits) {
  if (data.size() > limits.max_message_bytes) {
    return cwmp::LimitExceeded("SIP message over " + std::to_string(limits.max_message_bytes) +
                               " bytes");
  }
  // Leading CRLFs (keep-alives) are skipped.
  while (!data.empty() && (data.front() == '\r' || data.front() == '\n')) data.remove_prefix(1);
  if (data.empty()) return cwmp::ParseError("empty SIP message");
  // The head ends at the first empty line (CRLF CRLF or LF LF).
  size_t head_end = std::string_view::npos, body_start = data.size();
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '\n') continue;
    size_t j = i + 1;
    if (j < data.size() && data[j] == '\r') ++j;
    if (j < data.size() && data[j] == '\n') {
      head_end = i;
      body_start = j + 1;
      break;
    }
  }
  std::string_view head =
      data.substr(0, head_end == std::string_view::npos ? data.size() : head_end);
  for (unsigned char c : head) {
    if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f) {
      return cwmp::ParseError("control character in the SIP message head");
    }
  }
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= head.size()) {
    size_t eol = head.find('\n', pos);
    if (eol == std::string_view::npos) eol = head.size();
    std::string_view line = head.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = eol + 1;
    if (lines.size() > limits.max_headers + 1 + 64) {
      return cwmp::LimitExceeded("too many SIP header lines");
    }
  }
  SipMessage msg;
  std::string_view start = lines.front();
  if (start.substr(0, 8) == "SIP/2.0 ") {
    std::string_view rest = start.substr(8);
    if (rest.size() < 3 || !std::isdigit(static_cast<unsigned char>(rest[0])) ||
        !std::isdigit(static_cast<unsigned char>(rest[1])) ||
        !std::isdigit(static_cast<unsigned char>(rest[2])) || (rest.size() > 3 && rest[3] != ' ')) {
      return cwmp::ParseError("malformed SIP status line");
    }
    msg.status_code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  } else {
    size_t sp1 = start.find(' ');
    size_t sp2 = start.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1 || start.substr(sp2 + 1) != "SIP/2.0") {
      return cwmp::ParseError("not a SIP/2.0 request line");
    }
    msg.is_request = true;
    msg.method = std::string(start.substr(0, sp1));
    msg.request_uri = std::string(start.substr(sp1 + 1, sp2 - sp1 - 1));
    if (!IsToken(msg.method) || msg.request_uri.empty() ||
        msg.request_uri.find_first_of(" \t") != std::string::npos) {
      return cwmp::ParseError("malformed SIP request line");
    }
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') {  // folded continuation
      if (msg.headers.empty()) return cwmp::ParseError("continuation line before any header");
      std::string& value = msg.headers.back().second;
      std::string_view more = text::TrimBlanks(line);
      if (!more.empty()) {
        if (!value.empty()) value += ' ';
        value += more;
      }
      if (value.size() > limits.max_line_bytes) {
        return cwmp::LimitExceeded("SIP header over " + std::to_string(limits.max_line_bytes) +
                                   " bytes");
      }
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return cwmp::ParseError("SIP header line without ':'");
    std::string_view name = text::TrimBlanks(line.substr(0, colon));
    if (!IsToken(name)) return cwmp::ParseError("malformed SIP header name");
    std::string_view value = text::TrimBlanks(line.substr(colon + 1));
    if (value.size() > limits.max_line_bytes) {
      return cwmp::LimitExceeded("SIP header over " + std::to_string(limits.max_line_bytes) +
                                 " bytes");
    }
    if (msg.headers.size() >= limits.max_headers) {
      return cwmp::LimitExceeded("more than " + std::to_string(limits.max_headers) +
                                 " SIP headers");
    }
    msg.headers.emplace_back(Canonical(name), std::string(value));
  }
  std::string_view body = body_start < data.size() ? data.substr(body_start) : std::string_view();
  if (auto length = msg.Header("Content-Length")) {
    if (length->empty() || length->size() > 6 ||
        length->find_first_not_of("0123456789") != std::string::npos) {
      return cwmp::ParseError("malformed Content-Length");
    }
    size_t n = std::stoul(*length);
    if (n > body.size()) return cwmp::ParseError("Content-Length beyond the datagram");
    body = body.substr(0, n);
  }
  msg.body = std::string(body);
  return msg;
}

std::optional<SipEvent> ParseSipEvent(std::string_view value) {
  value = text::TrimBlanks(value);
  size_t semi = value.find(';');
  std::string_view package = text::TrimBlanks(value.substr(0, semi));
  if (!IsToken(package)) return std::nullopt;
  SipEvent event;
  event.package = Lower(package);
  size_t i = semi == std::string_view::npos ? value.size() : semi + 1;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t' || value[i] == ';')) ++i;
    if (i >= value.size()) break;
    size_t name_end = value.find_first_of("=;", i);
    if (name_end == std::string_view::npos) name_end = value.size();
    std::string name = Lower(text::TrimBlanks(value.substr(i, name_end - i)));
    std::string param;
    i = name_end;
    if (i < value.size() && value[i] == '=') {
      ++i;
      while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
      if (i < value.size() && value[i] == '"') {
        // Quoted string; an unterminated quote runs to the end (the guide's own example).
        ++i;
        while (i < value.size() && value[i] != '"') {
          if (value[i] == '\\' && i + 1 < value.size()) ++i;
          param += value[i++];
        }
        if (i < value.size()) ++i;  // closing quote
      } else {
        size_t end = value.find(';', i);
        if (end == std::string_view::npos) end = value.size();
        param = std::string(text::TrimBlanks(value.substr(i, end - i)));
        i = end;
      }
    }
    if (!IsToken(name)) return std::nullopt;
    event.params[name] = std::move(param);
  }
  return event;
}

}  // namespace agent
