#pragma once
// The runtime's log: one line per event (a session with its events and outcome, a connection
// request, a reboot, an error), plain `key=value` text or one JSON object per line. Thread-safe.
// Never pass secrets: the log has no way to tell them apart.

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agent {

enum class LogFormat { kPlain, kJson };

class RuntimeLog {
 public:
  using Fields = std::vector<std::pair<std::string, std::string>>;
  // Writes to `out` (not owned; stderr by default).
  explicit RuntimeLog(LogFormat format = LogFormat::kPlain, std::FILE* out = stderr)
      : format_(format), out_(out) {}

  // level: "info", "warn", "error". `phone` is the serial number ("" for the process).
  // Plain: "2026-11-26T12:00:00Z info FCH123 session events=\"1 BOOT\" outcome=ok"
  // JSON:  {"time":"...","level":"info","phone":"FCH123","msg":"session","events":"1 BOOT",...}
  void Write(std::string_view level, std::string_view phone, std::string_view message,
             const Fields& fields = {});
  // Lines written (for tests and the fleet summary).
  uint64_t lines() const;
  // Silences info lines (fleet mode logs only warnings and errors per phone).
  void set_quiet_info(bool quiet) { quiet_info_ = quiet; }

 private:
  LogFormat format_;
  std::FILE* out_;
  bool quiet_info_ = false;
  mutable std::mutex mu_;
  uint64_t lines_ = 0;
};

// "plain" / "json".
bool ParseLogFormat(std::string_view text, LogFormat* format);

}  // namespace agent
