// End-to-end resync cost: ResyncEngine::ResyncNow("[--key K] http://127.0.0.1:P/files/full.cfg")
// against a real nginx on loopback, the profile holding every catalog parameter (the phone's
// complete configuration), gzip-compressed then AES-256-CBC-encrypted like
// `gzip | openssl enc -aes-256-cbc -md sha256`. Each iteration: HTTP GET, decrypt (KDF
// candidates md5 then sha256), gunzip, parse, apply all or nothing and persist parameters.state
// (fsync), persist resync.state. The parts are measured separately to show where time goes.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "agent/clock.h"
#include "agent/parameter_store.h"
#include "agent/resync_engine.h"
#include "agent/state_file.h"
#include "agent/transfer.h"
#include "cwmp/content/content.h"
#include "cwmp/prov/flat_profile.h"
#include "nginx_instance.h"
#include "test_ca.h"

namespace {

namespace fs = std::filesystem;
constexpr char kKey[] = "BenchSecret1234";

struct Fixture {
  std::string dir;
  cwmp_test::TestCa ca;
  std::unique_ptr<cwmp_test::NginxInstance> nginx;
  std::unique_ptr<agent::ParameterStore> store;
  agent::FakeClock clock{std::chrono::sys_seconds{std::chrono::seconds{1764158400}}};
  std::unique_ptr<agent::ResyncEngine> engine;
  std::string plaintext;
  std::string encoded;
  size_t parameters = 0;
  std::string url;
  std::string url_b;  // the same profile with one value changed

  bool Start() {
    // BENCH_RESYNC_TMP picks the file system of the state directory (e.g. /dev/shm to take the
    // disk's fsync latency out of the figures); default /tmp.
    const char* base = std::getenv("BENCH_RESYNC_TMP");
    std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/bench_resync_XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) return false;
    dir = tmpl;
    fs::create_directories(dir + "/ca");
    std::string error;
    if (!cwmp_test::TestCa::Create(dir + "/ca", {}, &ca, &error)) return Fail(error);
    nginx = cwmp_test::NginxInstance::Start(dir + "/nginx", ca, &error);
    if (!nginx) return Fail(error);
    auto s = agent::ParameterStore::Open(dir + "/state");
    if (!s.ok()) return Fail(s.status().ToString());
    store = std::move(s.value());
    // The complete profile: every catalog parameter with its effective value.
    cwmp::prov::FlatProfile full = store->ExportProfile(true);
    parameters = full.elements.size();
    plaintext = cwmp::prov::SerializeFlatProfile(full);
    cwmp::content::EncodeOptions enc;
    enc.gzip = true;
    enc.key = cwmp::Secret(kKey);
    auto e = cwmp::content::EncodeContent(plaintext, enc);
    if (!e.ok()) return Fail(e.status().ToString());
    encoded = std::move(e.value());
    if (!nginx->PutFile("full.cfg", encoded)) return Fail("PutFile");
    url = nginx->HttpUrl("/files/full.cfg");
    for (auto& e : full.elements) {
      if (e.name == "GPP_P") e.value = "changed";
    }
    auto eb = cwmp::content::EncodeContent(cwmp::prov::SerializeFlatProfile(full), enc);
    if (!eb.ok() || !nginx->PutFile("full_b.cfg", *eb)) return Fail("full_b.cfg");
    url_b = nginx->HttpUrl("/files/full_b.cfg");
    (void)store->Set("Resync_On_Reset", "No", agent::ChangeSource::kAcs);
    agent::ResyncEngineOptions o;
    o.store = store.get();
    o.clock = &clock;
    o.identity.model_name = "CP-6841-3PCC";
    o.identity.mac_address = "000e08abcdef";
    o.identity.serial_number = "88012BA01234";
    o.identity.software_version = "sip68xx.11-0-1MPP";
    auto en = agent::ResyncEngine::Create(std::move(o));
    if (!en.ok()) return Fail(en.status().ToString());
    engine = std::move(en.value());
    return true;
  }
  bool Fail(const std::string& why) {
    std::fprintf(stderr, "bench_resync setup failed: %s\n", why.c_str());
    return false;
  }
  ~Fixture() {
    engine.reset();
    nginx.reset();
    if (!dir.empty()) fs::remove_all(dir);
  }
};

// Destroyed at exit, which stops nginx and removes the directory.
Fixture& Shared() {
  static std::unique_ptr<Fixture> f = [] {
    auto fx = std::make_unique<Fixture>();
    if (!fx->Start()) {
      fx.reset();
      std::exit(1);
    }
    return fx;
  }();
  return *f;
}

void BM_FullResyncHttpGzipAes(benchmark::State& state) {
  Fixture& f = Shared();
  const std::string rule = std::string("[--key ") + kKey + "] " + f.url;
  for (auto _ : state) {
    agent::ResyncResult r = f.engine->ResyncNow(rule);
    if (!r.success) {
      state.SkipWithError(r.error.c_str());
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.counters["parameters"] = static_cast<double>(f.parameters);
  state.counters["plain_bytes"] = static_cast<double>(f.plaintext.size());
  state.counters["wire_bytes"] = static_cast<double>(f.encoded.size());
}
BENCHMARK(BM_FullResyncHttpGzipAes)->Unit(benchmark::kMillisecond)->UseRealTime();

// Every iteration downloads a profile that differs from the stored values (GPP_P alternates),
// so the whole profile is applied and parameters.state rewritten each time.
void BM_FullResyncHttpGzipAesChanged(benchmark::State& state) {
  Fixture& f = Shared();
  const std::string rule_a = std::string("[--key ") + kKey + "] " + f.url;
  const std::string rule_b = std::string("[--key ") + kKey + "] " + f.url_b;
  bool flip = false;
  for (auto _ : state) {
    flip = !flip;
    agent::ResyncResult r = f.engine->ResyncNow(flip ? rule_b : rule_a);
    if (!r.success) {
      state.SkipWithError(r.error.c_str());
      break;
    }
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_FullResyncHttpGzipAesChanged)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PartFetch(benchmark::State& state) {
  Fixture& f = Shared();
  agent::FetchOptions o;
  for (auto _ : state) {
    agent::FetchResult r = agent::Fetch(f.url, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PartFetch)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PartDecode(benchmark::State& state) {
  Fixture& f = Shared();
  cwmp::content::DecodeOptions d;
  d.key = cwmp::Secret(kKey);
  for (auto _ : state) {
    auto r = cwmp::content::DecodeContent(f.encoded, d);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PartDecode)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PartParse(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    auto r = cwmp::prov::ParseFlatProfile(f.plaintext);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PartParse)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PartApplyAndPersist(benchmark::State& state) {
  Fixture& f = Shared();
  auto profile = cwmp::prov::ParseFlatProfile(f.plaintext);
  for (auto _ : state) {
    auto r = f.store->ApplyProfile(*profile, agent::ChangeSource::kLocal);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PartApplyAndPersist)->Unit(benchmark::kMillisecond)->UseRealTime();

// What the engine reads from the store to decide that a profile changes nothing.
void BM_PartCompareWithStore(benchmark::State& state) {
  Fixture& f = Shared();
  auto profile = cwmp::prov::ParseFlatProfile(f.plaintext);
  for (auto _ : state) {
    size_t same = 0;
    for (const auto& e : profile->elements) {
      if (f.store->Find(e.name) == nullptr) continue;
      same += f.store->IsSet(e.name) && e.value && f.store->Get(e.name) == *e.value;
      same += e.ua && f.store->GetAccess(e.name) == *e.ua;
    }
    benchmark::DoNotOptimize(same);
  }
}
BENCHMARK(BM_PartCompareWithStore)->Unit(benchmark::kMillisecond)->UseRealTime();

// One crash-safe write of a small state file (temp + fsync + rename + dir fsync), what every
// resync pays for resync.state: the disk's fsync latency.
void BM_PartStateFileWrite(benchmark::State& state) {
  Fixture& f = Shared();
  const std::string body(400, 'x');
  for (auto _ : state) {
    auto st = agent::WriteStateFile(f.dir + "/state", "bench.state", body);
    benchmark::DoNotOptimize(st);
  }
}
BENCHMARK(BM_PartStateFileWrite)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
