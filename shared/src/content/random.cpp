#include "cwmp/content/random.h"

#include <openssl/rand.h>

#include <climits>
#include <string>
#include <utility>

namespace cwmp::content {

Status SystemRandomBytes(uint8_t* out, size_t n) {
  while (n > 0) {
    int chunk = n > INT_MAX ? INT_MAX : static_cast<int>(n);
    if (RAND_bytes(out, chunk) != 1) return Internal("OpenSSL RAND_bytes failed");
    out += chunk;
    n -= static_cast<size_t>(chunk);
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
