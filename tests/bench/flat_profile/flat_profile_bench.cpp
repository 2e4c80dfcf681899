// Parse rate of a full profile: every parameter of a phone (~800 elements, ~55 KiB), the size
// the catalog's "full profile" check works on. items/s is profiles per second.

#include <benchmark/benchmark.h>

#include <string>

#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/parameter_set.h"

namespace cwmp::prov {
namespace {

// Names and values shaped like the guide's sample: per-line and per-extension groups with
// the [n] suffix as _n_, ua on most elements, a comment per group, some empty and ua-only.
std::string FullProfile(int* elements) {
  static const char* kStems[] = {"Line_Enable",       "Proxy",         "Outbound_Proxy",
                                 "Display_Name",      "User_ID",       "Auth_ID",
                                 "Dial_Plan",         "SIP_Port",      "SIP_TOS_DiffServ_Value",
                                 "Register_Expires",  "Use_Auth_ID",   "Preferred_Codec",
                                 "Voice_Mail_Number", "Caller_ID_Map", "Subscriber_Information"};
  static const char* kValues[] = {"Yes",
                                  "5060",
                                  "(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)",
                                  "G711u",
                                  "sip.example.com:5060",
                                  "3600",
                                  "",
                                  "Network Name &amp; Location",
                                  "No"};
  static const char* kUa[] = {" ua=\"na\"", " ua=\"ro\"", " ua=\"rw\"", ""};
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n";
  int n = 0;
  for (int group = 1; group <= 53; ++group) {
    xml += "<!-- Ext " + std::to_string(group) + " -->\n";
    for (const char* stem : kStems) {
      std::string name = std::string(stem) + "_" + std::to_string(group) + "_";
      const char* ua = kUa[n % 4];
      if (n % 17 == 0) {
        xml += "<" + name + " ua=\"rw\"/>\n";
      } else {
        xml += "<" + name + ua + ">" + kValues[n % 9] + "</" + name + ">\n";
      }
      ++n;
    }
  }
  xml += "</flat-profile>\n";
  *elements = n;
  return xml;
}

void BM_ParseFullProfile(benchmark::State& state) {
  int elements = 0;
  const std::string xml = FullProfile(&elements);
  for (auto _ : state) {
    Result<FlatProfile> parsed = ParseFlatProfile(xml);
    if (!parsed.ok()) state.SkipWithError(parsed.status().ToString().c_str());
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(xml.size()));
  state.counters["elements"] = elements;
  state.counters["bytes"] = static_cast<double>(xml.size());
}
BENCHMARK(BM_ParseFullProfile);

void BM_ParseAndApplyFullProfile(benchmark::State& state) {
  int elements = 0;
  const std::string xml = FullProfile(&elements);
  ParameterSet set;
  for (auto _ : state) {
    Result<FlatProfile> parsed = ParseFlatProfile(xml);
    if (!parsed.ok()) state.SkipWithError(parsed.status().ToString().c_str());
    benchmark::DoNotOptimize(set.Apply(*parsed));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseAndApplyFullProfile);

void BM_SerializeFullProfile(benchmark::State& state) {
  int elements = 0;
  Result<FlatProfile> parsed = ParseFlatProfile(FullProfile(&elements));
  for (auto _ : state) {
    std::string text = SerializeFlatProfile(*parsed);
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SerializeFullProfile);

}  // namespace
}  // namespace cwmp::prov

BENCHMARK_MAIN();
