// Macro expansion and rule evaluation throughput. The "1,000,000 macro expansions" figures
// are the *_1M benchmarks (one iteration = one million expansions).
#include <benchmark/benchmark.h>

#include <string>

#include "cwmp/prov/condition.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/rule.h"

namespace {

using namespace cwmp::prov;

MacroVariables Phone() {
  MacroVariables v;
  (void)v.SetMac("000E08012345");
  (void)v.Set("PN", "CP-6841-3PCC");
  (void)v.Set("SN", "88012BA01234");
  (void)v.Set("SWVER", "sip68xx.11-0-1MPP");
  (void)v.Set("SERV", "prov.example.com");
  (void)v.Set("PRVTMR", "900");
  (void)v.Set("UPGTMR", "1200");
  v.SetParameter("GPP_A", "ABCDEF");
  v.SetParameter("GPP_B", "customer-42");
  return v;
}

constexpr const char* kTypical = "http://$SERV/cfg/$MA.xml";
constexpr const char* kLong =
    "https://$SERV:8443/prov/$PSN/$(MAU:0:6)/$B/$PN-$SN-$MA.xml?sw=$SWVER&cert=$CCERT&a=$(A:2:3)"
    "&unknown=$STRANGE&d=$$";

void ExpandMillion(benchmark::State& state, const char* text) {
  MacroVariables v = Phone();
  std::string out;
  out.reserve(256);
  for (auto _ : state) {
    for (int i = 0; i < 1000000; ++i) {
      out.clear();
      ExpandMacrosAppend(text, v, MacroScope::kGeneral, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000000);
}

void BM_ExpandTypicalUrl_1M(benchmark::State& state) { ExpandMillion(state, kTypical); }
void BM_ExpandLongUrl_1M(benchmark::State& state) { ExpandMillion(state, kLong); }
BENCHMARK(BM_ExpandTypicalUrl_1M)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExpandLongUrl_1M)->Unit(benchmark::kMillisecond);

void BM_ExpandMacrosReturningString(benchmark::State& state) {
  MacroVariables v = Phone();
  for (auto _ : state) benchmark::DoNotOptimize(ExpandMacros(kTypical, v));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExpandMacrosReturningString);

constexpr const char* kRule =
    "($PRVTMR ge 600 and $SWVER ge sip68xx.11-0-0MPP)? (GPP_C = \"seen\";)! "
    "[--key $SA --uid $MA] https://p.tel.com/account/$PN$MA.xml?x=$(A:2:3) "
    "| (\"$CCERT\" eq \"Installed\")? https://p.tel.com/config? | https://p.tel.com/c?$MAU";

void BM_ParseRule(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseRule(kRule, RuleKind::kProfile));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseRule);

void BM_EvaluateParsedRule(benchmark::State& state) {
  MacroVariables v = Phone();
  if (state.range(0) == 0) (void)v.Set("PRVTMR", "1");  // fall through to the last alternative
  Rule rule = ParseRule(kRule, RuleKind::kProfile).value();
  for (auto _ : state) benchmark::DoNotOptimize(EvaluateRule(rule, v));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateParsedRule)->Arg(1)->Arg(0);

void BM_EvaluateCondition(benchmark::State& state) {
  MacroVariables v = Phone();
  for (auto _ : state) {
    benchmark::DoNotOptimize(EvaluateCondition("$UPGTMR gt 300 and $PRVTMR ge 600", v));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateCondition);

}  // namespace

BENCHMARK_MAIN();
