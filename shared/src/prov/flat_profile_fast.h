#pragma once
// The hot path of ParseFlatProfile: a dedicated reader for flat profiles in the usual shape,
// beside the libxml2 reader that handles everything else (the pattern of soap/inform_fast.h).

#include <optional>
#include <string_view>

#include "cwmp/base/status.h"
#include "cwmp/prov/flat_profile.h"

namespace cwmp::prov::internal {

// Returns the profile when the reader understands the whole input, nullopt otherwise (the
// caller then parses it with libxml2). Never reports an error of its own.
std::optional<FlatProfile> ParseFlatProfileFast(std::string_view xml, const ParseLimits& limits);

// The libxml2 reader alone, without the fast path (size and encoding checks included);
// ParseFlatProfile is the fast path with this as its fallback. Exposed for the differential
// tests and benchmarks.
Result<FlatProfile> ParseFlatProfileLibxml2(std::string_view xml, const ParseLimits& limits);

}  // namespace cwmp::prov::internal
