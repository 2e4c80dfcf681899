#pragma once
// The phone's resync engine (guide "Resync", "Triggers", "Configurable Schedules", "Profile
// Rules", Table 2, the Log_*_Msg parameters): when to resync, and what one resync does.
//
// When (all from the ParameterStore, re-read every time they matter):
//   OnBoot()                    Resync_On_Reset=Yes: a power-up resync ($PRVST 0) after a random
//                               0..Resync_Random_Delay seconds.
//   after a success             Resync_At__HHmm_ (valid) -> the next HH:mm (local time) plus
//                               0..Resync_At_Random_Delay window; else Resync_Periodic (the timer
//                               runs only after the first success; "0"/empty: off; a list
//                               advances one element per periodic resync). $PRVST 1.
//   after a failure             Resync_Error_Retry_Delay (one element per consecutive failure;
//                               0: no retry, the regular schedule continues). $PRVST 2.
//   Resync_Trigger_1/2          gate the periodic / Resync_At resync: when set and none is true,
//                               the resync waits and the triggers are evaluated again every
//                               kTriggerPollInterval.
//   ResyncNow(), RequestResyncAfterUpgrade()   explicit ($PRVST -1).
//   lines_idle()                a due resync waits while a line is busy, but at most
//                               Forced_Resync_Delay seconds after it became due; then it runs.
//   Provision_Enable=No         nothing runs (ResyncNow is refused too).
//
// What: Profile_Rule, Profile_Rule_B, _C, _D in order (or the one rule given to ResyncNow). For
// each: evaluate (cwmp/prov/rule.h) with the phone's macros ($MA $SN $PN $PRVST $PRVTMR $CCERT
// $A-$P, $SA-$SD in --key/--uid/--pwd, ...); apply its assignments; fetch its URL through
// agent::Fetch (TFTP with the DHCP option 66 server when the URL has none; HTTP/HTTPS per Table 2;
// --uid/--pwd; --post), decode (cwmp::content: --key AES-256-CBC, aes128gcm with
// IKM_HTTP_Encrypt_Content when Content-Encoding says so, gzip), parse the flat profile, rename
// elements by the --alias map, and apply it through `apply_profile`. The first failure stops the
// sequence; the retry starts again from Profile_Rule. A file-not-found counts as success when
// Resync_Fails_On_FNF is No. Syslog: Log_Request_Msg before each transfer, Log_Success_Msg /
// Log_Failure_Msg after it (an empty parameter sends nothing).
//
// State ($PRVST, $PRVTMR, $ERR, last result, failure count, schedule position, next due resync,
// per-rule content digests) is persisted atomically in <state_dir>/resync.state.
// docs/agent-resync.md has the details and every choice made where the guide is silent.
//
// Threading: not thread-safe; every call on the daemon's serialized context. RunDue and
// ResyncNow block during transfers.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/clock.h"
#include "agent/data_model.h"
#include "agent/event_queue.h"
#include "agent/parameter_store.h"
#include "agent/transfer.h"
#include "cwmp/base/status.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/schedule.h"

namespace agent {

// Why a resync runs. ProvisioningState() maps it to $PRVST.
enum class ResyncTrigger {
  kPowerUp,       // Resync_On_Reset after boot           $PRVST 0
  kPeriodic,      // Resync_Periodic                      $PRVST 1
  kResyncAt,      // Resync_At__HHmm_                     $PRVST 1
  kRetry,         // Resync_Error_Retry_Delay             $PRVST 2
  kExplicit,      // ResyncNow (web UI, SIP NOTIFY)       $PRVST -1
  kAfterUpgrade,  // Resync_After_Upgrade_Attempt         $PRVST -1
};

// -1, 0, 1 or 2 as above.
int ProvisioningState(ResyncTrigger trigger);
// "power-up", "periodic", "resync-at", "retry", "explicit", "after-upgrade".
const char* ResyncTriggerName(ResyncTrigger trigger);

// How often Resync_Trigger_1/2 are evaluated again while they hold a due resync back, and how
// often lines_idle() is polled while busy lines hold one back.
inline constexpr std::chrono::seconds kTriggerPollInterval{30};
inline constexpr std::chrono::seconds kLinePollInterval{5};

struct ResyncEngineOptions {
  ParameterStore* store = nullptr;  // required; not owned
  Clock* clock = nullptr;           // required; not owned
  // Randomness for Resync_Random_Delay, schedules' "+r" and Resync_At_Random_Delay. Null: one
  // derived from clock->Random() (so a FakeClock makes tests deterministic).
  cwmp::prov::Random* random = nullptr;
  // $PN (model_name), $SN, $MA/$MAU/$MAC, $SWVER, $HWVER, and the User-Agent.
  DeviceIdentity identity;
  // The template of every transfer: user_agent (empty: BuildUserAgent from the identity, the
  // version taken from software_version, "sip68xx.11-0-1MPP" -> "11.0"), ca_store,
  // client_cert_file/client_key_file ($CCERT), timeouts, max_bytes, hosts. The engine fills in
  // username/password/post/post_body/dhcp_tftp_server per rule.
  FetchOptions fetch;
  // Where resync.state is kept. Empty: store->state_dir().
  std::string state_dir;
  // The DHCP option 66 TFTP server, "host[:port]" ("" when none). Empty function: none.
  std::function<std::string()> dhcp_tftp_server;
  // True when every line is idle. Empty function: always idle.
  std::function<bool()> lines_idle;
  // Applies a downloaded profile (and a rule's assignments, as a profile) as a local change.
  // The daemon passes Device::ApplyLocalProfile. Empty: store->ApplyProfile(p, kLocal). It must
  // apply to `store`: a downloaded profile whose every known element already holds its value
  // (explicitly set) and access in `store` is not applied again (nothing would change), so an
  // unchanged periodic resync does not rewrite parameters.state.
  std::function<cwmp::Result<ParameterStore::ApplyResult>(const cwmp::prov::FlatProfile&)>
      apply_profile;
  // Reports a resync transfer as "10 AUTONOMOUS TRANSFER COMPLETE" (Device::
  // RecordAutonomousTransfer). When: see docs/agent-resync.md ("Autonomous transfer
  // reports"). Empty: nothing reported.
  std::function<cwmp::Status(TransferResult)> report_transfer;
  // Adds macros the engine does not own ($IP, $EXTIP, $UPGTMR, $UPGST, $UPGERR, $REGTMR1, ...).
  std::function<void(cwmp::prov::MacroVariables&)> extra_macros;
  // Local time offset for Resync_At. Empty: parsed from Time_Zone ("GMT-06:00"), else 0.
  std::function<std::chrono::seconds()> utc_offset;
};

// One profile rule of a resync.
struct ResyncFileResult {
  std::string rule;  // "Profile_Rule", "Profile_Rule_B", ... ("explicit": ResyncNow's rule)
  std::string url;   // expanded URL ("" when the chosen alternative had none)
  bool ok = false;
  std::string error;     // $ERR when !ok (also set for an accepted file-not-found)
  size_t applied = 0;    // parameters applied from the file and the assignments
  bool changed = false;  // the file's content differs from the previous resync's
};

struct ResyncResult {
  bool ran = false;       // false: refused (error says why) or deferred
  bool deferred = false;  // lines busy: queued; RunDue runs it when they are idle
  bool success = false;
  ResyncTrigger trigger = ResyncTrigger::kExplicit;
  std::string error;  // $ERR of the failure, or why it did not run
  std::vector<ResyncFileResult> files;
};

// For /admin/status.
struct ResyncStatus {
  bool provision_enabled = true;
  std::optional<std::chrono::sys_seconds> last_attempt;
  std::optional<std::chrono::sys_seconds> last_success;
  std::optional<bool> last_succeeded;  // nullopt before the first attempt
  std::string last_error;              // $ERR of the last failure
  int prvst = 0;                       // $PRVST of the last attempt
  int consecutive_failures = 0;
  std::optional<std::chrono::sys_seconds> next_due;  // nullopt: nothing scheduled
  std::optional<ResyncTrigger> next_trigger;
  bool waiting_for_idle_lines = false;
  bool waiting_for_triggers = false;
  // "Last resync succeeded on 11/26/2026 12:04:38" / "Last resync failed on ...: $ERR" / "".
  std::string Summary() const;
};

class ResyncEngine {
 public:
  // Checks the options and loads <state_dir>/resync.state when present (a corrupt file is an
  // error). Schedules nothing until OnBoot() (or a persisted schedule is reloaded by OnBoot).
  static cwmp::Result<std::unique_ptr<ResyncEngine>> Create(ResyncEngineOptions options);
  ~ResyncEngine();
  ResyncEngine(const ResyncEngine&) = delete;
  ResyncEngine& operator=(const ResyncEngine&) = delete;

  // The phone booted: with Provision_Enable and Resync_On_Reset, a power-up resync is due after
  // 0..Resync_Random_Delay seconds; otherwise the persisted schedule continues.
  void OnBoot();

  // When RunDue should next be called (nullopt: nothing scheduled). Recomputes the schedule when
  // one of its parameters changed since it was computed.
  std::optional<std::chrono::sys_seconds> NextWakeup();

  // Runs the resync that is due at `now`, if any and if allowed (Provision_Enable, triggers,
  // idle lines or Forced_Resync_Delay expired). Blocking. nullopt: nothing ran.
  std::optional<ResyncResult> RunDue(std::chrono::sys_seconds now);

  // An explicit resync (/admin/resync?X, SIP NOTIFY with a profile URL): with `rule_or_url`, that
  // text (a URL or a whole rule, e.g. "[--key K] tftp://h/f.cfg") replaces Profile_Rule..._D for
  // this one resync; without, the four rules run. Runs at once when the lines are idle (blocking)
  // and returns the result; else deferred (see ResyncResult). Refused when Provision_Enable is No.
  ResyncResult ResyncNow(std::optional<std::string> rule_or_url = std::nullopt);

  // An upgrade attempt ended: with Resync_After_Upgrade_Attempt (and Provision_Enable), a resync
  // is due at once (RunDue runs it).
  void RequestResyncAfterUpgrade();

  ResyncStatus Status() const;

  struct Impl;

 private:
  explicit ResyncEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace agent
