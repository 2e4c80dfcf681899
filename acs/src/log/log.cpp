// Plain and JSON log lines.
#include "acs/log.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <ostream>

#include "cwmp/base/json.h"

namespace acs::log {
namespace {

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::string Timestamp(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

// Plain values with spaces, quotes or control characters are quoted JSON-style.
std::string PlainValue(const std::string& v) {
  bool plain = !v.empty();
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) plain = false;
  }
  return plain ? v : cwmp::json::Quote(v);
}

}  // namespace

cwmp::Result<Format> ParseFormat(const std::string& text) {
  if (text == "plain") return Format::kPlain;
  if (text == "json") return Format::kJson;
  return cwmp::InvalidArgument("log format \"" + text + "\" is not plain or json");
}

cwmp::Result<Level> ParseLevel(const std::string& text) {
  if (text == "debug") return Level::kDebug;
  if (text == "info") return Level::kInfo;
  if (text == "warn") return Level::kWarn;
  if (text == "error") return Level::kError;
  return cwmp::InvalidArgument("log level \"" + text + "\" is not debug, info, warn or error");
}

Logger::Logger(std::ostream* out, Format format, Level min_level, Clock clock)
    : out_(out), format_(format), min_(min_level), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

void Logger::Log(Level level, const std::string& message, const Fields& fields) {
  if (!Enabled(level) || out_ == nullptr) return;
  std::string line;
  std::string ts = Timestamp(clock_());
  if (format_ == Format::kJson) {
    line = "{\"ts\":\"" + ts + "\",\"level\":\"" + LevelName(level) +
           "\",\"msg\":" + cwmp::json::Quote(message);
    for (const auto& [k, v] : fields)
      line += "," + cwmp::json::Quote(k) + ":" + cwmp::json::Quote(v);
    line += "}\n";
  } else {
    std::string lvl = LevelName(level);
    for (char& c : lvl) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    line = ts + " " + lvl + " " + message;
    for (const auto& [k, v] : fields) line += " " + k + "=" + PlainValue(v);
    line += "\n";
  }
  std::lock_guard lock(mu_);
  *out_ << line << std::flush;
}

}  // namespace acs::log
