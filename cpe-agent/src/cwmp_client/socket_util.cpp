#include "socket_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace agent::internal {

cwmp::Result<BoundSocket> BindSocket(const std::string& address, uint16_t port, int type) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(sockaddr_in6);
  } else {
    return cwmp::InvalidArgument("listen address \"" + address + "\" is not an IP address");
  }
  int fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return cwmp::IoError(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  std::string where = address + " port " + std::to_string(port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    std::string err = std::strerror(errno);
    close(fd);
    return cwmp::IoError("cannot bind " + where + ": " + err);
  }
  if (type == SOCK_STREAM && listen(fd, 16) != 0) {
    std::string err = std::strerror(errno);
    close(fd);
    return cwmp::IoError("cannot listen on " + where + ": " + err);
  }
  sockaddr_storage bound{};
  socklen_t blen = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &blen);
  uint16_t actual = bound.ss_family == AF_INET
                        ? ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port)
                        : ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  return BoundSocket{fd, actual};
}

std::string AddressString(const sockaddr* addr, bool with_port) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (addr->sa_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(addr);
    inet_ntop(AF_INET, &a->sin_addr, buf, sizeof(buf));
    return with_port ? std::string(buf) + ":" + std::to_string(ntohs(a->sin_port)) : buf;
  }
  auto* a = reinterpret_cast<const sockaddr_in6*>(addr);
  inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof(buf));
  return with_port ? "[" + std::string(buf) + "]:" + std::to_string(ntohs(a->sin6_port)) : buf;
}

cwmp::Status MakeWakePipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return cwmp::IoError(std::string("pipe: ") + std::strerror(errno));
  }
  return cwmp::Status::Ok();
}

}  // namespace agent::internal
