#pragma once
// Configurable schedules (guide "Triggers" and "Configurable Schedules", lines 1171-1241, and
// the Resync_At / Resync_At_Random_Delay / Resync_Periodic / Resync_Error_Retry_Delay /
// Upgrade_Error_Retry_Delay rows, lines 2513-2590).
//
// Resync_Periodic, Resync_Error_Retry_Delay and Upgrade_Error_Retry_Delay hold
//   element ( ',' element )*      element := seconds [ '+' random_extra ]
// The n-th delay (0-based) uses element min(n, last): the last element repeats forever. A
// random extra r adds a uniformly chosen 0..r seconds (both ends included). An element whose
// seconds are 0 means "no further attempt": an empty value or "0" disables the schedule.
// Randomness is injected through Random; time is passed in, never read.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

#include "cwmp/base/status.h"

namespace cwmp::prov {

// A source of random numbers (tests use a scripted one).
class Random {
 public:
  virtual ~Random() = default;
  // A uniformly distributed value in [0, max_inclusive].
  virtual uint64_t Uniform(uint64_t max_inclusive) = 0;
};

// std::mt19937_64 seeded from std::random_device (spreading resyncs needs no crypto quality).
class SystemRandom final : public Random {
 public:
  SystemRandom();
  explicit SystemRandom(uint64_t seed) : engine_(seed) {}
  uint64_t Uniform(uint64_t max_inclusive) override;

 private:
  std::mt19937_64 engine_;
};

struct DelayElement {
  uint64_t seconds = 0;
  uint64_t random_extra = 0;
  friend bool operator==(const DelayElement&, const DelayElement&) = default;
};

class DelaySchedule {
 public:
  DelaySchedule() = default;  // disabled

  // Parses "7200", "1800,3600,7200,14400", "3600+600", "1800+300, 3600+600". Spaces around
  // numbers are allowed. `parameter` names the parameter in error messages. At most 64
  // elements; each number at most 4294967295.
  static Result<DelaySchedule> Parse(std::string_view text, std::string_view parameter);

  // True when no delay is ever produced (empty value, or first element 0).
  bool disabled() const { return elements_.empty() || elements_.front().seconds == 0; }

  // The delay before attempt `index` (0 = the first periodic resync or the first retry after
  // a failure), in seconds; nullopt when that attempt must not happen.
  std::optional<uint64_t> Delay(size_t index, Random& random) const;

  const std::vector<DelayElement>& elements() const { return elements_; }

 private:
  std::vector<DelayElement> elements_;
};

// Resync_At (HHmm): four digits from 0000 to 2400 ("2400" is midnight).
struct ResyncAt {
  int hour = 0;    // 0-23
  int minute = 0;  // 0-59
  friend bool operator==(const ResyncAt&, const ResyncAt&) = default;
};

// nullopt for an empty or blank value (feature off). An invalid value is an error; the guide
// says the phone then ignores the parameter (and keeps using Resync_Periodic).
Result<std::optional<ResyncAt>> ParseResyncAt(std::string_view text);

// Resync_At_Random_Delay: seconds, 0-65535 (empty means the default, 600).
Result<uint32_t> ParseResyncAtRandomDelay(std::string_view text);

// The spread window in seconds: the guide's (delay + 30) / 60 minutes (integer division,
// i.e. rounded to the nearest minute), times 60. 600 -> 600; 0 -> 0 (no spread).
uint64_t ResyncAtWindowSeconds(uint32_t random_delay_seconds);

// The next Resync_At moment strictly after `now`: the first HH:mm in local time (local =
// UTC + utc_offset) later than `now`, plus Uniform(window) seconds.
std::chrono::sys_seconds NextResyncAt(std::chrono::sys_seconds now, ResyncAt at,
                                      std::chrono::seconds utc_offset,
                                      uint32_t random_delay_seconds, Random& random);

}  // namespace cwmp::prov
