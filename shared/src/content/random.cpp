#include "cwmp/content/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace cwmp::content {

Status SystemRandomBytes(uint8_t* out, size_t n) {
  while (n > 0) {
    ssize_t got = getrandom(out, n, 0);  // large requests may return fewer bytes
    if (got < 0) {
      if (errno == EINTR) continue;
      return Internal(std::string("getrandom failed: ") + std::strerror(errno));
    }
    out += got;
    n -= static_cast<size_t>(got);
  }
  return Status::Ok();
}

RandomBytesFn FixedBytesForTest(std::string bytes) {
  return [bytes = std::move(bytes)](uint8_t* out, size_t n) -> Status {
    if (bytes.empty()) return Internal("FixedBytesForTest: no bytes configured");
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(bytes[i % bytes.size()]);
    return Status::Ok();
  };
}

}  // namespace cwmp::content
