#include "cwmp/content/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>

namespace cwmp::content {
namespace {

// zlib counts in uInt; feed it at most this much per call.
constexpr size_t kMaxChunk = size_t{1} << 30;

class Inflater {
 public:
  Inflater() = default;
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  ~Inflater() {
    if (ready_) inflateEnd(&z_);
  }
  bool Init() {
    // 16 + MAX_WBITS: gzip wrapper only (no raw deflate, no zlib header).
    ready_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;
    return ready_;
  }
  z_stream* get() { return &z_; }

 private:
  z_stream z_{};
  bool ready_ = false;
};

bool AllZero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == 0; });
}

}  // namespace

std::string FormatSize(size_t bytes) {
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) {
    return std::to_string(bytes >> 20) + " MiB";
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

bool LooksLikeGzip(std::string_view data) {
  return data.size() >= 3 && static_cast<uint8_t>(data[0]) == 0x1f &&
         static_cast<uint8_t>(data[1]) == 0x8b && data[2] == 0x08;
}

Result<std::string> Gunzip(std::string_view data, size_t max_output) {
  if (!LooksLikeGzip(data)) return ParseError("not a gzip stream (no 1f 8b 08 header)");
  Inflater inflater;
  if (!inflater.Init()) return Internal("zlib inflateInit2 failed");
  z_stream* z = inflater.get();

  const size_t hard_cap = max_output == SIZE_MAX ? SIZE_MAX : max_output + 1;
  std::string out;
  // Size the buffer once from the trailer's ISIZE (uncompressed size mod 2^32 of the last
  // member) when it is plausible, capped at the limit: honest files then need no regrowth,
  // and a lying trailer only costs max_output. Otherwise grow geometrically, never past
  // max_output + 1 (the extra byte proves the limit is exceeded without reading further).
  size_t hint = 0;
  if (data.size() >= 18) {
    const auto* t = reinterpret_cast<const uint8_t*>(data.data() + data.size() - 4);
    hint = size_t{t[0]} | (size_t{t[1]} << 8) | (size_t{t[2]} << 16) | (size_t{t[3]} << 24);
  }
  // deflate cannot expand more than ~1032:1, so a larger claim is a lie (or a truncated file).
  constexpr size_t kMaxDeflateRatio = 1032;
  const bool plausible = hint > 0 && hint / kMaxDeflateRatio <= data.size();
  size_t cap = plausible ? hint + 1 : std::max<size_t>(data.size() * 4, 4096);
  cap = std::min(hard_cap, cap);
  out.resize(cap);
  size_t produced = 0;
  size_t consumed = 0;
  const auto limit_error = [&] {
    return LimitExceeded("decompressed size exceeds " + FormatSize(max_output) + " limit");
  };

  while (true) {
    if (z->avail_in == 0 && consumed < data.size()) {
      size_t n = std::min(kMaxChunk, data.size() - consumed);
      z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
      z->avail_in = static_cast<uInt>(n);
      consumed += n;
    }
    if (produced == out.size()) {
      if (out.size() > max_output) return limit_error();
      out.resize(std::min(hard_cap, std::max(out.size() * 2, out.size() + 4096)));
    }
    size_t room = std::min(kMaxChunk, out.size() - produced);
    z->next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z->avail_out = static_cast<uInt>(room);
    int rc = inflate(z, Z_NO_FLUSH);
    produced += room - z->avail_out;
    if (produced > max_output) return limit_error();
    if (rc == Z_STREAM_END) {
      // Another member may follow (`cat a.gz b.gz`); trailing zeros are ignored like gunzip.
      size_t rest_offset = consumed - z->avail_in;
      std::string_view rest = data.substr(rest_offset);
      if (rest.empty() || AllZero(rest)) break;
      if (!LooksLikeGzip(rest)) {
        return ParseError("gzip stream corrupt: trailing data after member at offset " +
                          std::to_string(rest_offset));
      }
      if (inflateReset(z) != Z_OK) return Internal("zlib inflateReset failed");
      continue;
    }
    if (rc == Z_BUF_ERROR) {
      // No progress possible: either output is full (loop grows it) or input is exhausted.
      if (z->avail_out == 0) continue;
      if (z->avail_in == 0 && consumed == data.size()) return ParseError("gzip stream truncated");
      return Internal("zlib inflate made no progress");
    }
    if (rc == Z_DATA_ERROR) {
      return ParseError(std::string("gzip stream corrupt: ") + (z->msg ? z->msg : "bad data"));
    }
    if (rc == Z_MEM_ERROR) return Internal("zlib inflate: out of memory");
    if (rc != Z_OK) return Internal("zlib inflate failed with code " + std::to_string(rc));
    if (z->avail_in == 0 && consumed == data.size() && z->avail_out != 0) {
      return ParseError("gzip stream truncated");
    }
  }
  out.resize(produced);
  return out;
}

Result<std::string> Gzip(std::string_view data, int level) {
  if (level < -1 || level > 9) {
    return InvalidArgument("gzip level " + std::to_string(level) + " is not in 0..9");
  }
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Internal("zlib deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(std::min<size_t>(data.size(), kMaxChunk))) + 64);
  size_t produced = 0;
  size_t consumed = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (z.avail_in == 0 && consumed < data.size()) {
      size_t n = std::min(kMaxChunk, data.size() - consumed);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
      z.avail_in = static_cast<uInt>(n);
      consumed += n;
    }
    if (produced == out.size()) out.resize(out.size() * 2);
    size_t room = std::min(kMaxChunk, out.size() - produced);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = static_cast<uInt>(room);
    int flush = consumed == data.size() ? Z_FINISH : Z_NO_FLUSH;
    rc = deflate(&z, flush);
    produced += room - z.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      deflateEnd(&z);
      return Internal("zlib deflate failed with code " + std::to_string(rc));
    }
  }
  deflateEnd(&z);
  out.resize(produced);
  return out;
}

}  // namespace cwmp::content
