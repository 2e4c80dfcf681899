#pragma once
// The randomness the encoders need (salts). Injected so that tests can produce known-answer
// output; production code passes nothing and gets SystemRandomBytes (the kernel's CSPRNG).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "cwmp/base/status.h"

namespace cwmp::content {

// Fills out[0..n) with random bytes, or returns an error.
using RandomBytesFn = std::function<Status(uint8_t* out, size_t n)>;

// Cryptographically secure bytes from the kernel's CSPRNG (getrandom(2), blocking only until
// the kernel pool is first seeded at boot). Not OpenSSL's DRBG: that one seeds itself from the
// same source, and instantiating it initialises OpenSSL's default provider, which maps ~2 MiB of
// libcrypto into a process that otherwise needs no crypto while idle (docs/agent-memory.md).
Status SystemRandomBytes(uint8_t* out, size_t n);

// A source that always yields the given bytes (repeated if more are asked for); for tests.
RandomBytesFn FixedBytesForTest(std::string bytes);

}  // namespace cwmp::content
