#pragma once
// Crash-safe file writes for state that must survive power loss (image slots, the active-slot
// pointer, the custom CA): write a same-directory temp file, fsync it, rename it over the
// target, fsync the directory. A reader sees the old file or the new one, never a mix.

#include <functional>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace agent::durable {

// Called between the steps of a write ("open", "chunk", "fsync", "rename", "dirsync");
// tests use it to kill the process at each point. Never set outside tests.
using StepHook = std::function<void(std::string_view step)>;

// Writes `data` to `path` atomically (mode 0644).
cwmp::Status WriteFile(const std::string& path, std::string_view data,
                       const StepHook& hook = nullptr);

// Reads a whole file of at most max_bytes.
cwmp::Result<std::string> ReadFile(const std::string& path, size_t max_bytes);

// fsync() on a directory, so a rename in it is durable.
cwmp::Status SyncDirectory(const std::string& dir);

// Creates `dir` and its parents (mode 0755).
cwmp::Status MakeDirectories(const std::string& dir);

}  // namespace agent::durable
