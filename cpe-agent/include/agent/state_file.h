#pragma once
// Crash-safe state files in the agent's state directory.
//
// WriteStateFile writes `<dir>/<name>.tmp`, fsyncs it, renames it over `<dir>/<name>` and fsyncs
// the directory, so after a crash (kill -9, power loss) `<dir>/<name>` is either the previous
// complete file or the new complete file, never a mix. Callers acknowledge a change (answer the
// RPC, return OK) only after WriteStateFile returned OK.
//
// The record format shared by the state files (docs/agent-device-model.md): UTF-8 text, one
// record per line, fields separated by one TAB; every field is escaped with EscapeField ('%',
// TAB, CR, LF and other control bytes become %XX). The first line is "<magic> <version>", the
// last line is "end <number of records>"; a file without a matching end line is rejected.

#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/status.h"

namespace agent {

cwmp::Status WriteStateFile(const std::string& dir, const std::string& name,
                            std::string_view data);
// The file's content; kNotFound when it does not exist.
cwmp::Result<std::string> ReadStateFile(const std::string& dir, const std::string& name);
// Creates the directory (mode 0700) when it is missing.
cwmp::Status EnsureStateDir(const std::string& dir);

std::string EscapeField(std::string_view raw);
cwmp::Result<std::string> UnescapeField(std::string_view escaped);

// Builds a record file: magic line, records, end line.
class StateWriter {
 public:
  StateWriter(std::string_view magic, int version);
  void Record(const std::vector<std::string_view>& fields);
  std::string Finish();

 private:
  std::string out_;
  size_t records_ = 0;
};

// Parses a record file written by StateWriter: checks the magic, version and end line, and
// returns the records with their fields unescaped. Errors name the file and line.
cwmp::Result<std::vector<std::vector<std::string>>> ParseStateRecords(std::string_view text,
                                                                      std::string_view magic,
                                                                      int version,
                                                                      std::string_view file_name);

// Test hook: the process raises SIGKILL at the n-th step (1-based) of the coming
// WriteStateFile calls (steps: open, first half written, all written, fsync, rename, dir fsync).
// 0 disables it. Used by the crash-safety tests only.
void SetCrashPointForTest(int n);

}  // namespace agent
