#include "prov/flat_profile_fast.h"

namespace cwmp::prov::internal {

std::optional<FlatProfile> ParseFlatProfileFast(std::string_view, const ParseLimits&) {
  return std::nullopt;
}

}  // namespace cwmp::prov::internal
