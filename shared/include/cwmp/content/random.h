#pragma once
// The randomness the encoders need (salts). Injected so that tests can produce known-answer
// output; production code passes nothing and gets SystemRandomBytes (OpenSSL RAND_bytes).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "cwmp/base/status.h"

namespace cwmp::content {

// Fills out[0..n) with random bytes, or returns an error.
using RandomBytesFn = std::function<Status(uint8_t* out, size_t n)>;

// Cryptographically secure bytes from the OpenSSL DRBG.
Status SystemRandomBytes(uint8_t* out, size_t n);

// A source that always yields the given bytes (repeated if more are asked for); for tests.
RandomBytesFn FixedBytesForTest(std::string bytes);

}  // namespace cwmp::content
