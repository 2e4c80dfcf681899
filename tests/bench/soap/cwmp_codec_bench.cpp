// CWMP codec throughput: parsing an Inform with 20 parameters (the ACS's hot path; target
// >= 50,000/s on one core; Decode() takes the Inform fast path, BM_ParseInform20Gsoap shows the
// gSOAP path alone) and writing/parsing a GetParameterValuesResponse with 1,000 values.

#include <benchmark/benchmark.h>

#include <string>

#include "cwmp/soap/codec.h"
#include "soap/inform_fast.h"

namespace cwmp::soap {
namespace {

Envelope InformWith20() {
  Inform inf;
  inf.device_id = {"Cisco", "00562B", "CP-6841-3PCC", "FCH2411ABCD"};
  inf.events = {{"1 BOOT", ""}, {"2 PERIODIC", ""}};
  inf.current_time = "2026-11-26T11:00:00Z";
  for (int i = 0; i < 20; ++i) {
    inf.parameters.push_back({"Device.Services.VoiceService.1.VoiceProfile.1.Line." +
                                  std::to_string(i) + ".SIP.AuthUserName",
                              "user-" + std::to_string(i) + "@voip.example.net", "xsd:string"});
  }
  Envelope e;
  e.id = "1804289383";
  e.body = std::move(inf);
  return e;
}

Envelope GpvResponse(int n) {
  GetParameterValuesResponse r;
  for (int i = 0; i < n; ++i) {
    r.parameters.push_back({"Device.X_CISCO_Phone.Param_" + std::to_string(i),
                            std::to_string(i * 7), "xsd:unsignedInt"});
  }
  Envelope e;
  e.id = "gpv";
  e.body = std::move(r);
  return e;
}

void BM_ParseInform20(benchmark::State& state) {
  std::string xml = Encode(InformWith20(), CwmpVersion::k1_0).value();
  for (auto _ : state) {
    Result<Decoded> d = Decode(xml);
    if (!d.ok()) state.SkipWithError(d.status().ToString().c_str());
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * xml.size()));
  state.SetLabel(std::to_string(xml.size()) + " bytes");
}
BENCHMARK(BM_ParseInform20);

// The same Inform through the gSOAP reader alone (what Decode() falls back to for any envelope
// the Inform fast path does not understand).
void BM_ParseInform20Gsoap(benchmark::State& state) {
  std::string xml = Encode(InformWith20(), CwmpVersion::k1_0).value();
  for (auto _ : state) {
    Result<Decoded> d = internal::DecodeWithGsoap(xml, {});
    if (!d.ok()) state.SkipWithError(d.status().ToString().c_str());
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * xml.size()));
}
BENCHMARK(BM_ParseInform20Gsoap);

void BM_WriteGpvResponse1000(benchmark::State& state) {
  Envelope e = GpvResponse(1000);
  size_t bytes = 0;
  for (auto _ : state) {
    Result<std::string> xml = Encode(e, CwmpVersion::k1_2);
    if (!xml.ok()) state.SkipWithError(xml.status().ToString().c_str());
    bytes = xml->size();
    benchmark::DoNotOptimize(xml);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_WriteGpvResponse1000);

void BM_ParseGpvResponse1000(benchmark::State& state) {
  std::string xml = Encode(GpvResponse(1000), CwmpVersion::k1_2).value();
  for (auto _ : state) {
    Result<Decoded> d = Decode(xml);
    if (!d.ok()) state.SkipWithError(d.status().ToString().c_str());
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * xml.size()));
  state.SetLabel(std::to_string(xml.size()) + " bytes");
}
BENCHMARK(BM_ParseGpvResponse1000);

}  // namespace
}  // namespace cwmp::soap

BENCHMARK_MAIN();
