#pragma once
// The upgrade engine's persistent state, <state>/upgrade.state (agent/state_file.h record
// format, magic "cpe-agent-upgrade", version 1): one "key<TAB>value" record per field.

#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace agent {

enum class UpgradeOutcome { kNone, kSucceeded, kFailed };

struct UpgradeState {
  static constexpr const char* kFileName = "upgrade.state";

  // The Upgrade_Rule attempt the bookkeeping is about: its rule text and effective URL
  // (ProvisioningUrl::ToString(); "" when the rule failed to evaluate).
  std::string rule;
  std::string url;
  UpgradeOutcome outcome = UpgradeOutcome::kNone;
  uint64_t failures = 0;   // consecutive failures for rule + url
  int64_t next_retry = 0;  // unix seconds; 0: no retry scheduled

  int upgst = 1;        // $UPGST
  std::string upgerr;   // $UPGERR
  int64_t last_attempt = 0;  // unix seconds of the last attempt's start ($UPGTMR); 0: never
  std::string last_url;      // last attempt, automatic or /admin/upgrade
  std::string last_result;   // "succeeded", "failed: <ERR>"

  // Set while an attempt runs (persisted before the transfer): found at boot, it means the
  // process died during the attempt. `installing` is the version being written to the slot.
  bool in_progress = false;
  bool in_progress_manual = false;
  std::string installing;
  // A Resync_After_Upgrade_Attempt resync to request after the reboot.
  bool resync_pending = false;

  bool operator==(const UpgradeState&) const = default;
};

std::string EncodeUpgradeState(const UpgradeState& state);
cwmp::Result<UpgradeState> DecodeUpgradeState(std::string_view text);

}  // namespace agent
