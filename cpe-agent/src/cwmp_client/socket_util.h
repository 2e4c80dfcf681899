#pragma once
// Small POSIX socket helpers shared by the connection-request listeners (private).

#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "cwmp/base/status.h"

namespace agent::internal {

struct BoundSocket {
  int fd = -1;
  uint16_t port = 0;
};

// A socket of `type` (SOCK_STREAM / SOCK_DGRAM) bound to address:port ("0.0.0.0", "::",
// "127.0.0.1", ...), close-on-exec, SO_REUSEADDR; TCP sockets also listen().
cwmp::Result<BoundSocket> BindSocket(const std::string& address, uint16_t port, int type);

// "ip" for a sockaddr; "ip:port" / "[ip6]:port" with the port.
std::string AddressString(const sockaddr* addr, bool with_port);

// Creates a non-blocking self-pipe used to wake a poll() loop on Stop().
cwmp::Status MakeWakePipe(int fds[2]);

}  // namespace agent::internal
