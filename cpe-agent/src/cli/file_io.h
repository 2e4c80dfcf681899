#pragma once
// File helpers for the command line: bounded reads (a hostile 100 MiB file is refused by its size
// before it is read) and atomic writes (temp file, fsync, rename), so an interrupted
// `profile encode -o F` never leaves a half-written F.

#include <cstddef>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace agent::cli {

// Reads the whole file, or "-" for standard input. Fails with kLimitExceeded, naming the limit,
// when the file is larger than max_bytes; never holds more than max_bytes + 1 bytes.
cwmp::Result<std::string> ReadFileCapped(const std::string& path, size_t max_bytes);

// Writes data to path atomically (same-directory temp file, fsync, rename); "-" is stdout.
cwmp::Status WriteFileAtomic(const std::string& path, std::string_view data);

}  // namespace agent::cli
