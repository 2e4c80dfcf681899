// Gunzip on arbitrary bytes: must return a Status, never crash, and never produce more than
// the limit. Whatever it accepts must survive a Gzip/Gunzip round trip.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cwmp/content/gzip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kLimit = 1 << 20;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  cwmp::Result<std::string> out = cwmp::content::Gunzip(in, kLimit);
  if (!out.ok()) return 0;
  if (out->size() > kLimit) std::abort();
  cwmp::Result<std::string> again = cwmp::content::Gzip(*out, 1);
  if (!again.ok()) std::abort();
  cwmp::Result<std::string> back = cwmp::content::Gunzip(*again, kLimit);
  if (!back.ok() || *back != *out) std::abort();
  return 0;
}
