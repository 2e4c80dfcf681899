// Fuzzes the small value languages: conditions (as in Resync_Trigger_*), firmware versions,
// delay schedules and Resync_At. Checks that syntax checking and evaluation agree and that
// version ordering is antisymmetric.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cwmp/prov/condition.h"
#include "cwmp/prov/schedule.h"
#include "cwmp/prov/version.h"

namespace {

class FixedRandom : public cwmp::prov::Random {
 public:
  uint64_t Uniform(uint64_t max_inclusive) override { return max_inclusive / 2; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cwmp::prov;
  std::string_view in(reinterpret_cast<const char*>(data), size);

  cwmp::Result<bool> value = EvaluateExpandedCondition(in);
  cwmp::Status check = CheckExpandedCondition(in);
  if (value.ok() != check.ok() || value.status().code() != check.code()) abort();

  size_t nul = in.find('\0');
  std::string_view a = in.substr(0, nul);
  std::string_view b = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
  auto va = ParseFirmwareVersion(a);
  auto vb = ParseFirmwareVersion(b);
  if (va.ok() != LooksLikeFirmwareVersion(a)) abort();
  if (va.ok() && vb.ok()) {
    auto ab = CompareFirmwareVersions(va.value(), vb.value());
    auto ba = CompareFirmwareVersions(vb.value(), va.value());
    if (ab.ok() != ba.ok()) abort();
    if (ab.ok() && ab.value() != -ba.value()) abort();
    if (ab.ok() && (ab.value() == 0) != SameFirmwareVersion(va.value(), vb.value())) abort();
  }

  auto schedule = DelaySchedule::Parse(in, "Resync_Periodic");
  if (schedule.ok()) {
    FixedRandom r;
    for (size_t i = 0; i < 3; ++i) {
      auto d = schedule->Delay(i, r);
      if (d && *d == 0) abort();
    }
  }
  auto at = ParseResyncAt(in);
  if (at.ok() && at.value() && (at.value()->hour > 23 || at.value()->minute > 59)) abort();
  return 0;
}
