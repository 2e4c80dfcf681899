// Fuzz target for the CWMP envelope decoder: any byte string must decode or fail cleanly, and
// whatever decodes must re-encode (or be refused with a Status) without crashing.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cwmp/soap/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cwmp::soap;
  using cwmp::Result;
  DecodeLimits limits;
  limits.max_bytes = 256 * 1024;
  limits.max_items = 10000;
  Result<Decoded> decoded =
      Decode(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!decoded.ok()) return 0;
  // Exercise the writer on attacker-shaped values; strict checks may refuse them.
  Result<std::string> again = Encode(decoded->envelope, CwmpVersion::k1_4);
  if (again.ok()) {
    // What the codec itself writes must always read back.
    Result<Decoded> back = Decode(*again);
    if (!back.ok()) std::abort();
  }
  (void)CheckSoapAction(std::string_view("Inform"), decoded->envelope.body);
  return 0;
}
