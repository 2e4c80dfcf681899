// Catalog validation of any value for any parameter (values come from profiles and from
// SetParameterValues): the first byte picks the parameter, the rest is the value. A rejected
// secret value never appears in the message.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cwmp/prov/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& catalog = cwmp::prov::Catalog::Builtin();
  const auto& params = catalog.params();
  const size_t index = (static_cast<size_t>(data[0]) * 257u + (size > 1 ? data[1] : 0u)) % params.size();
  const std::string value(reinterpret_cast<const char*>(data) + 1, size - 1);
  cwmp::Status st = catalog.Validate(params[index].name, value);
  if (!st.ok() && params[index].secret && value.size() >= 8 &&
      st.message().find(value) != std::string::npos) {
    std::abort();  // a secret leaked into a message
  }
  return 0;
}
