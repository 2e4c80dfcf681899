// `cpe-agent profile check` on a full profile: every catalog parameter once, with its default
// (or a typical value), parsed (the fast reader; libxml2 for anything else) and validated
// against the catalog. Target (issue #2): >= 5,000 profiles/s on one core.
// The *Libxml2 variants read the same profile with the libxml2 reader alone (the fallback).
#include <benchmark/benchmark.h>

#include "cwmp/prov/catalog.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/profile_check.h"
#include "prov/flat_profile_fast.h"

namespace cwmp::prov {
namespace {

std::string FullProfileXml() {
  FlatProfile p;
  for (const ParamDef& def : Catalog::Builtin().params()) {
    p.elements.push_back({def.name, def.default_value, def.access, 0, 0});
  }
  return SerializeFlatProfile(p);
}

Result<FlatProfile> Parse(std::string_view xml, bool libxml2_only) {
  return libxml2_only ? internal::ParseFlatProfileLibxml2(xml, {}) : ParseFlatProfile(xml);
}

void CheckFullProfile(benchmark::State& state, bool libxml2_only) {
  const std::string xml = FullProfileXml();
  const Catalog& catalog = Catalog::Builtin();
  size_t elements = 0;
  for (auto _ : state) {
    auto parsed = Parse(xml, libxml2_only);
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
void BM_CheckFullProfile(benchmark::State& state) { CheckFullProfile(state, false); }
BENCHMARK(BM_CheckFullProfile)->Unit(benchmark::kMicrosecond);
void BM_CheckFullProfileLibxml2(benchmark::State& state) { CheckFullProfile(state, true); }
BENCHMARK(BM_CheckFullProfileLibxml2)->Unit(benchmark::kMicrosecond);

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

void ParseOnly(benchmark::State& state, bool libxml2_only) {
  const std::string xml = FullProfileXml();
  for (auto _ : state) {
    auto parsed = Parse(xml, libxml2_only);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_ParseOnly(benchmark::State& state) { ParseOnly(state, false); }
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMicrosecond);
void BM_ParseOnlyLibxml2(benchmark::State& state) { ParseOnly(state, true); }
BENCHMARK(BM_ParseOnlyLibxml2)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace cwmp::prov

BENCHMARK_MAIN();
