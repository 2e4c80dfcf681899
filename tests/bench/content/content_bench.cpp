// Decode cost of the content pipeline on a realistic profile.
//   bench_content                      run the benchmarks
//   bench_content --write-fixture DIR  write DIR/profile.xml and DIR/profile.cfg (gzip, then
//                                      openssl enc -aes-256-cbc -md sha256 -k SecretPhrase1234)
//                                      for the hyperfine comparison with openssl | gunzip.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "cwmp/content/content.h"
#include "profile_gen.h"

namespace cwmp::content {
namespace {

constexpr char kKey[] = "SecretPhrase1234";

std::string Encoded(size_t plain_size, bool gzip, std::optional<Kdf> kdf, bool ikm) {
  EncodeOptions e;
  e.gzip = gzip;
  if (kdf) {
    e.key = Secret(kKey);
    e.kdf = *kdf;
  }
  if (ikm) e.ikm = Secret("sixteen byte ikm");
  return EncodeContent(bench::GenerateFlatProfile(plain_size), e).value();
}

void Run(benchmark::State& state, const std::string& file, const DecodeOptions& d) {
  size_t out = 0;
  for (auto _ : state) {
    Result<Decoded> r = DecodeContent(file, d);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    out = r->plaintext.size();
    benchmark::DoNotOptimize(r->plaintext.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out));
  state.counters["file_bytes"] = static_cast<double>(file.size());
  state.counters["plain_bytes"] = static_cast<double>(out);
}

void BM_DecodeGzipAes(benchmark::State& state, Kdf kdf) {
  const std::string file = Encoded(static_cast<size_t>(state.range(0)), true, kdf, false);
  DecodeOptions d;
  d.key = Secret(kKey);
  Run(state, file, d);
}
BENCHMARK_CAPTURE(BM_DecodeGzipAes, sha256, Kdf::kSha256)->Arg(100 << 10)->Arg(1 << 20);
BENCHMARK_CAPTURE(BM_DecodeGzipAes, md5, Kdf::kMd5)->Arg(100 << 10);
BENCHMARK_CAPTURE(BM_DecodeGzipAes, pbkdf2, Kdf::kPbkdf2)->Arg(100 << 10);

void BM_DecodeGzip(benchmark::State& state) {
  Run(state, Encoded(static_cast<size_t>(state.range(0)), true, std::nullopt, false), {});
}
BENCHMARK(BM_DecodeGzip)->Arg(100 << 10);

void BM_DecodeGzipAes128gcm(benchmark::State& state) {
  DecodeOptions d;
  d.ikm = Secret("sixteen byte ikm");
  d.aes128gcm = true;
  Run(state, Encoded(static_cast<size_t>(state.range(0)), true, std::nullopt, true), d);
}
BENCHMARK(BM_DecodeGzipAes128gcm)->Arg(100 << 10);

void BM_EncodeGzipAes(benchmark::State& state) {
  const std::string plain = bench::GenerateFlatProfile(static_cast<size_t>(state.range(0)));
  EncodeOptions e;
  e.gzip = true;
  e.key = Secret(kKey);
  for (auto _ : state) {
    Result<std::string> r = EncodeContent(plain, e);
    benchmark::DoNotOptimize(r.ok());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * plain.size()));
}
BENCHMARK(BM_EncodeGzipAes)->Arg(100 << 10);

int WriteFixture(const std::string& dir) {
  const std::string plain = bench::GenerateFlatProfile(100 << 10);
  EncodeOptions e;
  e.gzip = true;
  e.key = Secret(kKey);
  e.kdf = Kdf::kSha256;
  Result<std::string> f = EncodeContent(plain, e);
  if (!f.ok()) {
    std::fprintf(stderr, "%s\n", f.status().ToString().c_str());
    return 1;
  }
  std::ofstream(dir + "/profile.xml", std::ios::binary) << plain;
  std::ofstream(dir + "/profile.cfg", std::ios::binary) << *f;
  std::printf("wrote %s/profile.xml (%zu bytes) and %s/profile.cfg (%zu bytes)\n", dir.c_str(),
              plain.size(), dir.c_str(), f->size());
  return 0;
}

}  // namespace
}  // namespace cwmp::content

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--write-fixture") == 0) {
    return cwmp::content::WriteFixture(argv[2]);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
