#pragma once
// Structured logs: one line per event with a level, a message and key/value fields, written
// as plain text (`2026-11-26T12:00:00.123Z INFO session started device=... peer=...`) or JSON
// (`{"ts":"...","level":"info","msg":"session started","device":"..."}`). Thread-safe; lines
// are never interleaved. Secrets never go in fields (callers pass cwmp::Secret nowhere here).

#include <chrono>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cwmp/base/status.h"

namespace acs::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kPlain, kJson };

// "plain"/"json"; "debug"/"info"/"warn"/"error".
cwmp::Result<Format> ParseFormat(const std::string& text);
cwmp::Result<Level> ParseLevel(const std::string& text);

using Fields = std::vector<std::pair<std::string, std::string>>;

class Logger {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  Logger(std::ostream* out, Format format, Level min_level, Clock clock = nullptr);

  void Log(Level level, const std::string& message, const Fields& fields = {});
  void Debug(const std::string& m, const Fields& f = {}) { Log(Level::kDebug, m, f); }
  void Info(const std::string& m, const Fields& f = {}) { Log(Level::kInfo, m, f); }
  void Warn(const std::string& m, const Fields& f = {}) { Log(Level::kWarn, m, f); }
  void Error(const std::string& m, const Fields& f = {}) { Log(Level::kError, m, f); }
  bool Enabled(Level level) const { return level >= min_; }

 private:
  std::ostream* out_;
  Format format_;
  Level min_;
  Clock clock_;
  std::mutex mu_;
};

}  // namespace acs::log
