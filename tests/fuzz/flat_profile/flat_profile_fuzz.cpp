// Fuzz target for ParseFlatProfile. Properties checked on every input:
//  - the parser never crashes, and a failure carries a "LINE:COL: " prefix;
//  - round trip: SerializeFlatProfile(parse(x)) parses again to the same elements, and
//    serializing that gives the same text;
//  - ParameterSet::Apply of the parsed profile then of its ToFlatProfile() export agree.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/parameter_set.h"

namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "flat_profile_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

bool HasPositionPrefix(const std::string& message) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < message.size() && message[i] >= '0' && message[i] <= '9') ++i;
    return i > start;
  };
  if (!digits() || i >= message.size() || message[i++] != ':') return false;
  if (!digits()) return false;
  return message.compare(i, 2, ": ") == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cwmp::prov;
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  ParseLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_elements = 4096;
  limits.max_value_bytes = 16 << 10;
  cwmp::Result<FlatProfile> first = ParseFlatProfile(xml, limits);
  if (!first.ok()) {
    Check(HasPositionPrefix(first.status().message()), "error message starts with LINE:COL: ");
    return 0;
  }
  for (const ProfileElement& e : first->elements) {
    Check(e.line >= 1 && e.column >= 1, "parsed elements have a position");
  }

  SerializeOptions options;
  options.device_wrapper = (size & 1) != 0;
  std::string text = SerializeFlatProfile(*first, options);
  ParseLimits relaxed;  // the serialized text may be larger than the input
  relaxed.max_bytes = 64 << 20;
  cwmp::Result<FlatProfile> second = ParseFlatProfile(text, relaxed);
  Check(second.ok(), "serialized profile parses");
  Check(second->elements.size() == first->elements.size(), "same element count");
  for (size_t i = 0; i < first->elements.size(); ++i) {
    Check(first->elements[i].SameContent(second->elements[i]), "same element content");
  }
  Check(SerializeFlatProfile(*second, options) == text, "serialization is stable");

  ParameterSet set;
  set.Apply(*first, nullptr);
  ParameterSet copy;
  cwmp::Result<FlatProfile> exported =
      ParseFlatProfile(SerializeFlatProfile(set.ToFlatProfile()), relaxed);
  Check(exported.ok(), "exported set parses");
  copy.Apply(*exported, nullptr);
  Check(copy.parameters() == set.parameters(), "export then apply rebuilds the set");
  return 0;
}
