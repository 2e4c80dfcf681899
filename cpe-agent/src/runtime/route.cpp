#include "runtime/route.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cwmp_client/socket_util.h"

namespace agent {

bool SplitUrlHostPort(const std::string& url, std::string* host, std::string* port) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  std::string s = url.substr(scheme + 3);
  bool https = url.compare(0, scheme, "https") == 0;
  s = s.substr(0, s.find_first_of("/?#"));
  if (size_t at = s.rfind('@'); at != std::string::npos) s = s.substr(at + 1);
  *port = https ? "443" : "80";
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string::npos) return false;
    *host = s.substr(1, close - 1);
    if (close + 1 < s.size() && s[close + 1] == ':') *port = s.substr(close + 2);
  } else {
    size_t colon = s.rfind(':');
    *host = s.substr(0, colon);
    if (colon != std::string::npos) *port = s.substr(colon + 1);
  }
  return !host->empty();
}

std::string ConnectionRequestHost(const std::string& listen_address, const std::string& acs_url) {
  if (listen_address != "0.0.0.0" && listen_address != "::" && !listen_address.empty()) {
    return listen_address;
  }
  std::string host, port;
  if (!SplitUrlHostPort(acs_url, &host, &port)) return "127.0.0.1";
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_family = listen_address == "::" ? AF_UNSPEC : AF_INET;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res) return "127.0.0.1";
  std::string local = "127.0.0.1";
  int fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
    if (connect(fd, res->ai_addr, res->ai_addrlen) == 0) {
      sockaddr_storage ss{};
      socklen_t len = sizeof(ss);
      if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
        local = internal::AddressString(reinterpret_cast<sockaddr*>(&ss), false);
      }
    }
    close(fd);
  }
  freeaddrinfo(res);
  return local;
}

}  // namespace agent
