// A plain loop over the full-profile check, for instruction counts that do not depend on the
// machine's load (valgrind --tool=callgrind, perf stat -e instructions:u). Run it twice with
// different counts; the difference divided by the difference of the counts is the cost of one
// check without the set-up (catalog load, profile generation):
//
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null
//       build/bench/bench_profile_check_loop check 20     (then 60; (I60 - I20) / 40)
//
// Modes: check (parse + validate, as `cpe-agent profile check`), parse, validate, and
// check-libxml2 / parse-libxml2 (the libxml2 reader alone, without the fast path).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "cwmp/prov/catalog.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/profile_check.h"
#include "prov/flat_profile_fast.h"

namespace {

using namespace cwmp::prov;

std::string FullProfileXml() {
  FlatProfile p;
  for (const ParamDef& def : Catalog::Builtin().params()) {
    p.elements.push_back({def.name, def.default_value, def.access, 0, 0});
  }
  return SerializeFlatProfile(p);
}

int Usage(FILE* out) {
  std::fprintf(out,
               "usage: bench_profile_check_loop MODE COUNT\n"
               "  Runs COUNT iterations of MODE on the full profile (every catalog parameter).\n"
               "  MODE: check | parse | validate | check-libxml2 | parse-libxml2\n");
  return out == stdout ? 0 : 2;
}

cwmp::Result<FlatProfile> Parse(std::string_view xml, bool libxml2_only) {
  return libxml2_only ? internal::ParseFlatProfileLibxml2(xml, {}) : ParseFlatProfile(xml);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    return Usage(stdout);
  }
  if (argc != 3) return Usage(stderr);
  const std::string_view mode = argv[1];
  const long count = std::strtol(argv[2], nullptr, 10);
  if (count < 0) return Usage(stderr);
  const bool libxml2_only = mode.ends_with("-libxml2");
  const bool validate = mode == "check" || mode == "check-libxml2" || mode == "validate";
  const bool parse = mode != "validate";
  if (!validate && !parse) return Usage(stderr);
  if (mode != "check" && mode != "check-libxml2" && mode != "parse" && mode != "parse-libxml2" &&
      mode != "validate") {
    return Usage(stderr);
  }

  const std::string xml = FullProfileXml();
  const Catalog& catalog = Catalog::Builtin();
  cwmp::Result<FlatProfile> parsed = Parse(xml, libxml2_only);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.status().ToString().c_str());
    return 1;
  }
  size_t sink = CheckProfile(*parsed, catalog).size();
  for (long i = 0; i < count; ++i) {
    if (parse) {
      parsed = Parse(xml, libxml2_only);
      if (!parsed.ok()) return 1;
    }
    if (validate) sink += CheckProfile(*parsed, catalog).size();
  }
  std::printf("%zu elements, %zu bytes, %zu diagnostics\n", parsed->elements.size(), xml.size(),
              sink);
  return 0;
}
