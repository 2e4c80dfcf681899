#include "networker/wire.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace agent::networker {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Waits until `fd` is ready for `events` or the deadline passes.
cwmp::Status WaitReady(int fd, short events, SteadyClock::time_point deadline) {
  for (;;) {
    // Rounded up: poll() must not return before the deadline and find it not yet passed.
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return cwmp::IoError("network worker: timed out");
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 60000)));
    if (n > 0) return cwmp::Status::Ok();  // readable, writable, hung up or error: the I/O says
    if (n < 0 && errno != EINTR) return cwmp::IoError(std::string("poll: ") + strerror(errno));
  }
}

cwmp::Status WriteAll(int fd, const char* data, size_t size, SteadyClock::time_point deadline) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (auto st = WaitReady(fd, POLLOUT, deadline); !st.ok()) return st;
      continue;
    }
    return cwmp::IoError(std::string("network worker: write: ") + strerror(errno));
  }
  return cwmp::Status::Ok();
}

// Reads exactly `size` bytes. *eof_at_start is set when the stream ended before any byte.
cwmp::Status ReadAll(int fd, char* data, size_t size, SteadyClock::time_point deadline,
                     bool* eof_at_start) {
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, data + got, size - got);
    if (n > 0) {
      got += static_cast<size_t>(n);
      continue;
    }
    if (n == 0) {
      if (got == 0 && eof_at_start != nullptr) *eof_at_start = true;
      return cwmp::IoError("network worker: connection closed in the middle of a message");
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (auto st = WaitReady(fd, POLLIN, deadline); !st.ok()) return st;
      continue;
    }
    return cwmp::IoError(std::string("network worker: read: ") + strerror(errno));
  }
  return cwmp::Status::Ok();
}

}  // namespace

void WireWriter::U32(uint32_t v) {
  for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void WireWriter::I64(int64_t v) {
  auto u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}

void WireWriter::Str(std::string_view v) {
  U32(static_cast<uint32_t>(v.size()));
  out_.append(v);
}

bool WireReader::Take(size_t n, const char** p) {
  if (!ok_ || in_.size() - pos_ < n) return ok_ = false;
  *p = in_.data() + pos_;
  pos_ += n;
  return true;
}

bool WireReader::U8(uint8_t* v) {
  const char* p = nullptr;
  if (!Take(1, &p)) return false;
  *v = static_cast<uint8_t>(*p);
  return true;
}

bool WireReader::Bool(bool* v) {
  uint8_t b = 0;
  if (!U8(&b)) return false;
  if (b > 1) return ok_ = false;
  *v = b == 1;
  return true;
}

bool WireReader::U32(uint32_t* v) {
  const char* p = nullptr;
  if (!Take(4, &p)) return false;
  uint32_t r = 0;
  for (int i = 0; i < 4; ++i) r |= static_cast<uint32_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  *v = r;
  return true;
}

bool WireReader::I64(int64_t* v) {
  const char* p = nullptr;
  if (!Take(8, &p)) return false;
  uint64_t r = 0;
  for (int i = 0; i < 8; ++i) r |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  *v = static_cast<int64_t>(r);
  return true;
}

bool WireReader::Str(std::string* v) {
  uint32_t n = 0;
  const char* p = nullptr;
  if (!U32(&n) || !Take(n, &p)) return false;
  v->assign(p, n);
  return true;
}

bool WireReader::Count(uint32_t* v, size_t min_item_bytes) {
  if (!U32(v)) return false;
  if (min_item_bytes > 0 && *v > (in_.size() - pos_) / min_item_bytes) return ok_ = false;
  return true;
}

cwmp::Status WriteFrame(int fd, std::string_view payload, SteadyClock::time_point deadline) {
  if (payload.size() > UINT32_MAX) return cwmp::LimitExceeded("network worker: message too large");
  char header[4];
  auto n = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) header[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  if (auto st = WriteAll(fd, header, 4, deadline); !st.ok()) return st;
  return WriteAll(fd, payload.data(), payload.size(), deadline);
}

cwmp::Result<std::string> ReadFrame(int fd, size_t max_payload,
                                    SteadyClock::time_point deadline) {
  char header[4];
  bool eof = false;
  if (auto st = ReadAll(fd, header, 4, deadline, &eof); !st.ok()) {
    if (eof) return cwmp::NotFound("network worker: connection closed");
    return st;
  }
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<uint32_t>(static_cast<uint8_t>(header[i])) << (8 * i);
  if (n > max_payload) {
    return cwmp::LimitExceeded("network worker: message of " + std::to_string(n) +
                               " bytes exceeds the limit of " + std::to_string(max_payload));
  }
  std::string payload(n, '\0');
  if (auto st = ReadAll(fd, payload.data(), n, deadline, nullptr); !st.ok()) return st;
  return payload;
}

}  // namespace agent::networker
