#pragma once
// What the resync engine keeps across reboots, in <state_dir>/resync.state (state_file.h record
// format, magic "resync-state", version 1), written with WriteStateFile (temp + fsync + rename).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "agent/resync_engine.h"
#include "cwmp/base/status.h"

namespace agent::resync_internal {

inline constexpr const char* kStateFileName = "resync.state";

struct PersistedState {
  std::optional<int64_t> last_attempt;  // unix seconds of the last attempt's start ($PRVTMR)
  std::optional<int64_t> last_finish;   // the schedule counts from here
  std::optional<int64_t> last_success;  // also "the periodic timer is active"
  std::optional<bool> last_succeeded;
  std::string last_error;  // $ERR of the last failure
  int prvst = 0;
  int consecutive_failures = 0;   // index into Resync_Error_Retry_Delay
  int periodic_index = 0;         // index into Resync_Periodic
  bool failure_reported = false;  // this failure streak was reported as a transfer
  std::optional<int64_t> next_due;
  ResyncTrigger next_trigger = ResyncTrigger::kPeriodic;
  // Rule name -> digest (FNV-1a 64) of the profile bytes it last applied.
  std::map<std::string, uint64_t> digests;
};

std::string SerializeState(const PersistedState& state);
// Errors name the file and line.
cwmp::Result<PersistedState> ParseState(std::string_view text);

// FNV-1a 64: change detection for downloaded profiles (not a security check).
uint64_t ContentDigest(std::string_view bytes);

}  // namespace agent::resync_internal
