#pragma once
// The phone's firmware upgrade engine (guide "Upgrade Rule", "Enables", "Configurable
// Schedules", "Allow and Configure Firmware Upgrades", "Upgrade Firmware With a Browser
// Command"; docs/agent-upgrade.md).
//
// Parameters read from the ParameterStore at every decision (never cached):
//   Upgrade_Enable                 No: no automatic upgrade and /admin/upgrade is refused
//   Upgrade_Rule                   the rule (cwmp/prov/rule.h, RuleKind::kUpgrade): conditions,
//                                  assignments (applied to the store as a local change), a URL
//                                  with a server; tftp, http or https
//   Upgrade_Error_Retry_Delay      retry schedule after a failure (cwmp/prov/schedule.h)
//   Downgrade_Rev_Limit            images with an earlier version are refused
//   Resync_After_Upgrade_Attempt   Yes: a resync follows every attempt (after the reboot when
//                                  the attempt succeeded, at once when it failed)
//   Log_Upgrade_{Request,Success,Failure}_Msg, Syslog_Server, Debug_Server, Debug_Level
//
// Rule semantics: after an attempt for a rule, no new attempt is made until the rule text or
// the effective scheme + server + port + path of the chosen URL changes (guide 1330); a failed
// attempt is retried along Upgrade_Error_Retry_Delay ($UPGST = 2) for the same rule and URL.
// An automatic attempt starts only while lines_idle() is true; otherwise it waits.
//
// An attempt: Log_Upgrade_Request_Msg → Fetch (agent/transfer.h) → ValidateUpgrade (model,
// Downgrade_Rev_Limit, optional signature; agent/firmware.h) → ImageSlots::Install (inactive
// slot, integrity check, atomic switch) → report + Log_Upgrade_Success_Msg → reboot. Failures
// set $UPGERR to the $ERR text, send Log_Upgrade_Failure_Msg, report the fault, and schedule
// the retry. An image whose version is the one already running is a success without install
// or reboot.
//
// Persistent state (<state>/upgrade.state, agent/state_file.h, written atomically before each
// attempt and after its outcome): the rule and URL last attempted, the outcome, the retry
// count and time, $UPGST, $UPGERR, the time of the last attempt ($UPGTMR), a pending
// post-upgrade resync. An attempt interrupted by a crash or power loss is recorded as failed
// at the next OnBoot() (the image slots guarantee the old image still boots).
//
// Threading: every method runs on the daemon's thread; RunDue() blocks during a transfer.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/clock.h"
#include "agent/event_queue.h"
#include "agent/firmware.h"
#include "agent/parameter_store.h"
#include "agent/syslog.h"
#include "agent/transfer.h"
#include "cwmp/base/status.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/schedule.h"

namespace agent {

struct UpgradeEngineOptions {
  std::string state_dir;            // upgrade.state lives here
  ParameterStore* store = nullptr;  // not owned; required
  ImageSlots* slots = nullptr;      // not owned; required (share it with the TransferExecutor)
  Clock* clock = nullptr;           // not owned; required
  cwmp::prov::Random* random = nullptr;  // not owned; required (the "+r" of retry delays)
  // User-Agent, client certificate, ca_store (the custom CA), hosts, limits. max_bytes is
  // raised to the bundle limit by the engine when it is smaller.
  FetchOptions fetch;
  // Model ($PN) and trusted signing key; downgrade_rev_limit is ignored (the engine reads
  // Downgrade_Rev_Limit from the store at each attempt).
  UpgradePolicy policy;
  // $SWVER when no image was ever installed (the version the phone left the factory with).
  std::string factory_version;

  // True when every line is idle. Empty: always idle.
  std::function<bool()> lines_idle;
  // Fills the identity and other macros the engine does not own ($PN $MAC $SN $HWVER $IP
  // $CCERT $PRVTMR $PRVST ...). The engine sets GPP_A-P/SA-SD and User_ID_n_ from the store
  // first, and $SWVER $UPGST $UPGERR $UPGTMR $SCHEME $SERV $SERVIP $PORT $PATH $ERR after.
  // Empty: only what the engine sets.
  std::function<void(cwmp::prov::MacroVariables*)> fill_macros;
  // Restart into the new image. Everything is persisted before it is called. Empty: none.
  std::function<void()> request_reboot;
  // Resync_After_Upgrade_Attempt (the resync engine's RequestResyncAfterUpgrade). Empty: none.
  std::function<void()> request_resync;
  // The outcome as an autonomous transfer (Device::RecordAutonomousTransfer). Empty: none.
  std::function<void(TransferResult)> report;
  // Sends a provisioning syslog message. Empty: the engine builds a SyslogClient from the
  // store's Syslog_Server / Debug_Server / Debug_Level / Log_Upgrade_* for each message.
  std::function<void(ProvisioningLogEvent, const cwmp::prov::MacroContext&)> log;
};

// What /admin/status shows.
struct UpgradeStatus {
  std::string software_version;  // $SWVER: the active slot's version, else factory_version
  std::string state;             // "idle", "waiting for idle lines", "retry scheduled",
                                 // "upgrade requested", "reboot pending", "disabled"
  int upgst = 1;                 // $UPGST: 1 first attempt, 2 retry
  std::string upgerr;            // $UPGERR
  std::string last_url;          // URL of the last attempt ("" before any)
  std::string last_result;       // "succeeded", "failed: <ERR>" or ""
  std::optional<std::chrono::sys_seconds> last_attempt;  // start of the last attempt
  std::optional<std::chrono::sys_seconds> next_retry;    // when a retry is scheduled
};

class UpgradeEngine {
 public:
  // Loads <state_dir>/upgrade.state (absent: fresh state; corrupt: error).
  static cwmp::Result<std::unique_ptr<UpgradeEngine>> Create(UpgradeEngineOptions options);
  ~UpgradeEngine();
  UpgradeEngine(const UpgradeEngine&) = delete;
  UpgradeEngine& operator=(const UpgradeEngine&) = delete;

  // After a (re)boot: an attempt that was in progress when the process died is recorded as
  // failed (retry scheduled, $UPGERR "upgrade interrupted"); a post-upgrade resync that was
  // pending is requested. Call once, before the first RunDue().
  cwmp::Status OnBoot();

  // When RunDue() should run next: now when an attempt is due (or waits for idle lines; the
  // daemon polls then, kIdlePoll apart), the retry time, or nullopt when nothing is scheduled.
  // The daemon also calls RunDue() after every resync and parameter change, since the rule
  // and its conditions may have changed.
  std::optional<std::chrono::sys_seconds> NextWakeup() const;

  // Evaluates Upgrade_Rule and runs the attempt that is due, if any (blocking). After an
  // attempt installed a new image and asked for the reboot, nothing more happens until the
  // restart (a new engine); NextWakeup() is then nullopt. The returned
  // status is an internal error (persistence); upgrade failures are not errors here, they are
  // reported and logged.
  cwmp::Status RunDue(std::chrono::sys_seconds now);

  // /admin/upgrade?<url>: validates the URL (a server is required) and queues a one-time
  // attempt that runs at the next RunDue() once the lines are idle. It does not change the
  // Upgrade_Rule bookkeeping and a failure is not retried. kFailedPrecondition when
  // Upgrade_Enable is No; kInvalidArgument for a bad URL.
  cwmp::Status UpgradeNow(std::string_view url);

  UpgradeStatus Status() const;

  // $SWVER now (the active image's version, else factory_version).
  std::string SoftwareVersion() const;

  static constexpr std::chrono::seconds kIdlePoll{5};

 private:
  class Impl;
  explicit UpgradeEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace agent
