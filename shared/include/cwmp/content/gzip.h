#pragma once
// gzip (RFC 1952) as the phone accepts it: the guide says the phone "inspects the downloaded
// file header to determine the file format", so detection is by the magic bytes only.

#include <cstddef>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace cwmp::content {

// Default bound on decompressed output: a profile is a few hundred KiB at most; 16 MiB leaves
// room for large directories while stopping decompression bombs early.
inline constexpr size_t kDefaultMaxOutput = size_t{16} << 20;

// True when data starts with the gzip magic 1f 8b and compression method 08 (deflate).
bool LooksLikeGzip(std::string_view data);

// Decompresses one or more concatenated gzip members (as `gunzip` does); trailing zero bytes are
// ignored, any other trailing data is an error. Errors:
//   kLimitExceeded  "decompressed size exceeds 16 MiB limit" (never a truncated result),
//   kParseError     "gzip stream truncated", "not a gzip stream", "gzip stream corrupt: <why>".
// Memory used is bounded by max_output plus a small constant, whatever the input claims.
Result<std::string> Gunzip(std::string_view data, size_t max_output = kDefaultMaxOutput);

// One gzip member with the given zlib level (0-9, or -1 for zlib's default).
Result<std::string> Gzip(std::string_view data, int level = 6);

// "16 MiB", "512 KiB" or "1234 bytes": how limits appear in messages.
std::string FormatSize(size_t bytes);

}  // namespace cwmp::content
