#pragma once
// The byte format between `cpe-agent run` and its network worker process (network_worker.h):
// frames of [u32 little-endian payload length][payload] over a stream socket, payloads built
// from fixed-width little-endian integers and length-prefixed strings.
//
// Contract: WireReader never reads past its input and never allocates more than the input's
// size; every read reports failure (and latches it) instead of guessing, so a truncated or
// hostile payload from a misbehaving worker becomes one clear error.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace agent::networker {

class WireWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Bool(bool v) { U8(v ? 1 : 0); }
  void U32(uint32_t v);
  void I64(int64_t v);
  void Str(std::string_view v);  // u32 length + bytes
  // The payload built so far.
  const std::string& payload() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class WireReader {
 public:
  explicit WireReader(std::string_view in) : in_(in) {}
  bool U8(uint8_t* v);
  bool Bool(bool* v);
  bool U32(uint32_t* v);
  bool I64(int64_t* v);
  bool Str(std::string* v);
  // A count of items that each take at least `min_item_bytes`: refused when the rest of the
  // input could not hold that many (no huge reserve from a forged count).
  bool Count(uint32_t* v, size_t min_item_bytes);
  // True when every read succeeded and the input was consumed exactly.
  bool Done() const { return ok_ && pos_ == in_.size(); }
  bool ok() const { return ok_; }

 private:
  bool Take(size_t n, const char** p);
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Deadlines below are kept only on a non-blocking `fd` (the daemon's side); on a blocking one
// (the worker's side, which waits for the daemon as long as it lives) a call may wait forever.

// Writes one frame. Gives up at `deadline` (kIoError), or when the peer is gone.
cwmp::Status WriteFrame(int fd, std::string_view payload,
                        std::chrono::steady_clock::time_point deadline);

// Reads one frame of at most `max_payload` bytes (kLimitExceeded above it, before reading
// the payload). Clean end of stream before the first byte: kNotFound ("closed").
// Gives up at `deadline` (kIoError).
cwmp::Result<std::string> ReadFrame(int fd, size_t max_payload,
                                    std::chrono::steady_clock::time_point deadline);

}  // namespace agent::networker
