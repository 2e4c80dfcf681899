// Differential fuzz target for the flat-profile fast path (shared/src/prov/flat_profile_fast.h):
// on any byte string, ParseFlatProfile must return exactly what the libxml2 reader alone
// returns (the same elements with values, ua, order and positions, or the same error), and
// whatever the fast reader accepts libxml2 must accept with the identical result. Two sets of
// limits are tried so that inputs also land on the value, element, name and depth bounds.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "cwmp/prov/flat_profile.h"
#include "prov/flat_profile_fast.h"

namespace {

using namespace cwmp::prov;

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "flat_profile_fast_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

bool SameProfile(const FlatProfile& a, const FlatProfile& b) {
  if (a.elements.size() != b.elements.size()) return false;
  for (size_t i = 0; i < a.elements.size(); ++i) {
    const ProfileElement& x = a.elements[i];
    const ProfileElement& y = b.elements[i];
    if (!x.SameContent(y) || x.line != y.line || x.column != y.column) return false;
  }
  return true;
}

void Compare(std::string_view xml, const ParseLimits& limits) {
  const cwmp::Result<FlatProfile> reference = internal::ParseFlatProfileLibxml2(xml, limits);
  const cwmp::Result<FlatProfile> parsed = ParseFlatProfile(xml, limits);
  Check(parsed.ok() == reference.ok(), "ParseFlatProfile and libxml2 agree on success");
  if (parsed.ok()) {
    Check(SameProfile(*parsed, *reference), "ParseFlatProfile and libxml2 read the same elements");
  } else {
    Check(parsed.status().ToString() == reference.status().ToString(), "same error");
  }
  const std::optional<FlatProfile> fast = internal::ParseFlatProfileFast(xml, limits);
  if (fast) {
    Check(reference.ok(), "libxml2 accepts what the fast reader accepts");
    Check(SameProfile(*fast, *reference), "the fast reader reads what libxml2 reads");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  ParseLimits roomy;
  roomy.max_bytes = 1 << 20;
  Compare(xml, roomy);
  ParseLimits tight;
  tight.max_bytes = 1 << 20;
  tight.max_elements = 4;
  tight.max_value_bytes = 16;
  tight.max_name_bytes = 12;
  tight.max_depth = 2;
  Compare(xml, tight);
  return 0;
}
