// Differential fuzz target for the Inform fast path (shared/src/soap/inform_fast.h): on any byte
// string that passes the pre-scan, whatever the fast path accepts must be accepted by the gSOAP
// path with the identical result, and Decode() must agree with the gSOAP path alone.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "cwmp/soap/codec.h"
#include "soap/inform_fast.h"
#include "soap/prescan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cwmp::soap;
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  DecodeLimits limits;
  limits.max_bytes = 256 * 1024;
  limits.max_items = 64;
  limits.max_string = 512;
  cwmp::Result<Decoded> gsoap = internal::DecodeWithGsoap(xml, limits);
  cwmp::Result<Decoded> decoded = Decode(xml, limits);
  if (decoded.ok() != gsoap.ok()) std::abort();
  if (decoded.ok() && (!(decoded->envelope == gsoap->envelope) ||
                       decoded->namespace_version != gsoap->namespace_version)) {
    std::abort();
  }
  if (!decoded.ok() && decoded.status().ToString() != gsoap.status().ToString()) std::abort();
  // The fast path runs only after the pre-scan; on what passes it, whatever the fast path
  // accepts gSOAP must accept with the same result. (It must be memory-safe on anything.)
  std::optional<Decoded> fast = internal::DecodeInformFast(xml, limits);
  if (fast && Prescan(xml, limits).ok()) {
    if (!gsoap.ok() || !(fast->envelope == gsoap->envelope) ||
        fast->namespace_version != gsoap->namespace_version) {
      std::abort();
    }
  }
  return 0;
}
