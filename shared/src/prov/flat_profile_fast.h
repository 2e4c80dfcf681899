#pragma once
// The hot path of ParseFlatProfile: a dedicated reader for flat profiles in the usual shape,
// beside the libxml2 reader that handles everything else (the pattern of soap/inform_fast.h).
//
// ParseFlatProfileFast is a small, strict, bounded single-pass reader over the caller's bytes.
// It understands only: an optional UTF-8 BOM and <?xml version="1.0" [encoding="UTF-8"|"UTF8"]
// [standalone=..]?>; comments and white space around the root; <flat-profile> (or <device>
// holding only <flat-profile> children) without attributes; parameters with an ASCII name and
// at most a ua="na|ro|rw" attribute; text of valid UTF-8 XML characters with the five
// predefined entities and character references; comments inside values; every ParseLimits
// bound (the grammar is at the top of flat_profile_fast.cpp). On anything else (a DOCTYPE,
// another entity, CDATA, a processing instruction, a namespace, another attribute, another
// child of <device>, malformed input, a limit reached, ...) it returns nullopt and the caller
// parses the input with libxml2, so every tolerance, every error and every hardening rule
// stays the libxml2 path's. Whatever it accepts it returns exactly as the libxml2 path does:
// the same elements, values, ua, order and line/column (tests/unit/prov_flat_profile_fast and
// the flat_profile_fast fuzz target compare both).
//
// The caller must have run the checks both readers share first (size limit, empty input,
// encoding), as ParseFlatProfile does.

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
