#pragma once
// A port on 127.0.0.1 that is free right now, for a test server started as a child process
// (which needs a number on its command line, not an already-bound socket).
#include <cstdint>

namespace cwmp_test {

// sock_type: SOCK_STREAM or SOCK_DGRAM. 0 when none could be had.
uint16_t FreeLoopbackPort(int sock_type);

}  // namespace cwmp_test
