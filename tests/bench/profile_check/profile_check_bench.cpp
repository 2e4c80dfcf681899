// `cpe-agent profile check` on a full profile: every catalog parameter once, with its default
// (or a typical value), parsed with libxml2 and validated against the catalog.
// Target (issue #2): >= 5,000 profiles/s on one core.
#include <benchmark/benchmark.h>

#include "cwmp/prov/catalog.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/profile_check.h"

namespace cwmp::prov {
namespace {

std::string FullProfileXml() {
  FlatProfile p;
  for (const ParamDef& def : Catalog::Builtin().params()) {
    p.elements.push_back({def.name, def.default_value, def.access, 0, 0});
  }
  return SerializeFlatProfile(p);
}

void BM_CheckFullProfile(benchmark::State& state) {
  const std::string xml = FullProfileXml();
  const Catalog& catalog = Catalog::Builtin();
  size_t elements = 0;
  for (auto _ : state) {
    auto parsed = ParseFlatProfile(xml);
    if (!parsed.ok()) state.SkipWithError(parsed.status().ToString().c_str());
    auto diagnostics = CheckProfile(*parsed, catalog);
    if (!diagnostics.empty()) state.SkipWithError(diagnostics.front().message.c_str());
    elements = parsed->elements.size();
    benchmark::DoNotOptimize(diagnostics);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * xml.size()));
  state.counters["elements"] = static_cast<double>(elements);
  state.counters["profile_bytes"] = static_cast<double>(xml.size());
}
BENCHMARK(BM_CheckFullProfile)->Unit(benchmark::kMicrosecond);

void BM_ValidateOnly(benchmark::State& state) {
  const Catalog& catalog = Catalog::Builtin();
  auto parsed = ParseFlatProfile(FullProfileXml());
  for (auto _ : state) {
    auto diagnostics = CheckProfile(*parsed, catalog);
    benchmark::DoNotOptimize(diagnostics);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateOnly)->Unit(benchmark::kMicrosecond);

void BM_ParseOnly(benchmark::State& state) {
  const std::string xml = FullProfileXml();
  for (auto _ : state) {
    auto parsed = ParseFlatProfile(xml);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace cwmp::prov

BENCHMARK_MAIN();
