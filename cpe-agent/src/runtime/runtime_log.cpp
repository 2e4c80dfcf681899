#include "agent/runtime_log.h"

#include <chrono>

#include "cwmp/soap/codec.h"

namespace agent {
namespace {

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out;
}

// Plain values are quoted when they contain a space, a quote or nothing; control bytes escaped.
std::string PlainValue(std::string_view s) {
  bool quote = s.empty();
  for (char c : s) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) quote = true;
  }
  if (!quote) return std::string(s);
  return "\"" + JsonEscape(s) + "\"";
}

}  // namespace

void RuntimeLog::Write(std::string_view level, std::string_view phone, std::string_view message,
                       const Fields& fields) {
  if (quiet_info_ && level == "info") return;
  std::string time = cwmp::soap::FormatDateTime(
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  std::string line;
  if (format_ == LogFormat::kJson) {
    line = "{\"time\":\"" + time + "\",\"level\":\"" + JsonEscape(level) + "\"";
    if (!phone.empty()) line += ",\"phone\":\"" + JsonEscape(phone) + "\"";
    line += ",\"msg\":\"" + JsonEscape(message) + "\"";
    for (const auto& [k, v] : fields)
      line += ",\"" + JsonEscape(k) + "\":\"" + JsonEscape(v) + "\"";
    line += "}\n";
  } else {
    line = time + " " + std::string(level);
    if (!phone.empty()) line += " " + std::string(phone);
    line += " " + std::string(message);
    for (const auto& [k, v] : fields) line += " " + k + "=" + PlainValue(v);
    line += "\n";
  }
  std::lock_guard lock(mu_);
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
  ++lines_;
}

uint64_t RuntimeLog::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

bool ParseLogFormat(std::string_view text, LogFormat* format) {
  if (text == "plain") {
    *format = LogFormat::kPlain;
    return true;
  }
  if (text == "json") {
    *format = LogFormat::kJson;
    return true;
  }
  return false;
}

}  // namespace agent
