// UDP connection request (TR-069 Annex G). The datagram is an HTTP GET on one line plus Host;
// it is sent `copies` times with the same id, since UDP may drop any of them and the CPE
// ignores repeats of an id it has seen.
#include <netdb.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "acs/connection_request.h"
#include "acs/http_client.h"

namespace acs {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 0xf];
  }
  return out;
}

// Splits "host:port" / "[v6]:port" / "host" (port 80).
bool SplitAddress(const std::string& address, std::string* host, std::string* port) {
  if (address.empty()) return false;
  if (address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string::npos) return false;
    *host = address.substr(1, close - 1);
    std::string rest = address.substr(close + 1);
    if (rest.empty()) {
      *port = "80";
    } else if (rest.front() == ':' && rest.size() > 1) {
      *port = rest.substr(1);
    } else {
      return false;
    }
  } else {
    size_t colon = address.rfind(':');
    if (colon != std::string::npos && address.find(':') != colon) return false;  // bare v6
    *host = address.substr(0, colon);
    *port = colon == std::string::npos ? "80" : address.substr(colon + 1);
  }
  if (host->empty() || port->empty() || port->size() > 5 ||
      port->find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  int p = std::stoi(*port);
  return p > 0 && p <= 65535;
}

}  // namespace

std::string UdpConnectionRequestSignature(const std::string& ts, const std::string& id,
                                          const std::string& username, const cwmp::Secret& password,
                                          const std::string& cnonce) {
  std::string text = ts + id + username + cnonce;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), password.Reveal().data(), static_cast<int>(password.Reveal().size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &len);
  return Hex(mac, len);
}

std::string UdpConnectionRequestMessage(const std::string& address, int64_t ts,
                                        const std::string& id,
                                        const ConnectionRequestCredentials& cred,
                                        const std::string& cnonce) {
  std::string ts_text = std::to_string(ts);
  std::string sig =
      UdpConnectionRequestSignature(ts_text, id, cred.username, cred.password, cnonce);
  return "GET http://" + address + "?ts=" + ts_text + "&id=" + http::PercentEncode(id) +
         "&un=" + http::PercentEncode(cred.username) + "&cn=" + http::PercentEncode(cnonce) +
         "&sig=" + sig + " HTTP/1.1\r\nHost: " + address + "\r\n\r\n";
}

ConnectionRequestResult SendUdpConnectionRequest(const std::string& address,
                                                 const ConnectionRequestCredentials& cred,
                                                 int64_t unix_seconds, int copies,
                                                 std::chrono::milliseconds interval) {
  ConnectionRequestResult r;
  r.udp = true;
  std::string host, port;
  if (!SplitAddress(address, &host, &port)) {
    r.outcome = ConnectionRequestOutcome::kBadAddress;
    r.message = "UDPConnectionRequestAddress \"" + address + "\" is not host:port";
    return r;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) {
    r.outcome = ConnectionRequestOutcome::kUnreachable;
    r.message = "UDP " + address + ": " + gai_strerror(rc);
    return r;
  }
  int fd = ::socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ::freeaddrinfo(res);
    r.outcome = ConnectionRequestOutcome::kUnreachable;
    r.message = std::string("UDP socket: ") + std::strerror(errno);
    return r;
  }
  unsigned char raw[8];
  RAND_bytes(raw, sizeof(raw));
  std::string id = Hex(raw, 4);
  std::string cnonce = Hex(raw + 4, 4);
  std::string msg = UdpConnectionRequestMessage(address, unix_seconds, id, cred, cnonce);
  int sent = 0;
  std::string error;
  for (int i = 0; i < copies; ++i) {
    if (i > 0) std::this_thread::sleep_for(interval);
    ssize_t n = ::sendto(fd, msg.data(), msg.size(), 0, res->ai_addr, res->ai_addrlen);
    if (n == static_cast<ssize_t>(msg.size())) {
      ++sent;
    } else {
      error = std::strerror(errno);
    }
  }
  ::close(fd);
  ::freeaddrinfo(res);
  if (sent == 0) {
    r.outcome = ConnectionRequestOutcome::kUnreachable;
    r.message = "UDP " + address + ": " + error;
  } else {
    r.outcome = ConnectionRequestOutcome::kSent;
    r.message = "sent " + std::to_string(sent) + " UDP datagram(s) to " + address;
  }
  return r;
}

}  // namespace acs
