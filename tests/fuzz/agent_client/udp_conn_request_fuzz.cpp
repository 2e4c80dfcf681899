// Fuzz target for the Annex G UDP connection-request parser and validator: any datagram must
// parse or fail cleanly; whatever parses goes through the signature / ts / id checks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/connection_request.h"
#include "agent/connection_request_udp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  static agent::UdpConnectionRequestValidator validator("acs-cr", cwmp::Secret("Cr-Pass-1"));
  auto request = agent::ParseUdpConnectionRequest(input);
  if (request.ok()) {
    if (request->signature.size() != 40) std::abort();
    (void)validator.Accept(*request);
  }
  // The HTTP listener's head and Digest parsers see the same kind of bytes.
  auto head = agent::ParseHttpRequestHead(input);
  if (head.ok()) {
    if (auto auth = head->Header("Authorization")) (void)agent::ParseDigestHeader(*auth);
  }
  return 0;
}
