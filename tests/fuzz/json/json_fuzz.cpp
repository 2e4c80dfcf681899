// Fuzz target for the strict JSON parser: any bytes parse or fail cleanly, and whatever parses
// serializes to text that parses back to an equal value and serializes identically.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cwmp/base/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cwmp::json::JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 24;
  auto parsed =
      cwmp::json::Parse(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!parsed.ok()) return 0;
  std::string text = cwmp::json::Serialize(*parsed);
  auto again = cwmp::json::Parse(text);
  if (!again.ok() || !(*again == *parsed)) std::abort();
  if (cwmp::json::Serialize(*again) != text) std::abort();
  return 0;
}
