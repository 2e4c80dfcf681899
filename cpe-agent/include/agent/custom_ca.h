#pragma once
// Custom_CA_Rule (guide "Configure a Custom Certificate Authority", "Custom CA Status";
// docs/agent-upgrade.md): the rule names a PEM bundle that is fetched through the transfer
// layer and installed as the phone's custom CA in the CaStore that every HTTPS transfer
// trusts (FetchOptions::ca_store). The Download RPC's "X 00562B Custom CA" file type installs
// into the same CaStore object (NetworkExecutorOptions::ca_store), so both paths end in
// CaStore::InstallCustomCa and share one status.
//
// The rule has the Profile_Rule syntax (RuleKind::kProfile): conditions, assignments (applied
// to the store as a local change), options --uid/--pwd (HTTP credentials) and --key (the file
// is decoded with the content pipeline: AES-256-CBC, gzip), and a URL; a URL without a server
// uses the DHCP option 66 TFTP server.
//
// When: at OnBoot() and every RunDue(), the rule is evaluated; a fetch happens when the rule
// text or the effective URL (scheme + server + port + path) differs from the last attempt, and
// after a failure, again along Resync_Error_Retry_Delay (Choice: the guide gives the custom CA
// no retry parameter of its own; 0 or empty: no retry). An empty rule, or one where no
// alternative is selected, changes nothing (the installed CA stays).
//
// Status, exactly as the guide's "Custom CA Status":
//   Custom CA Provisioning Status  "Last provisioning succeeded on mm/dd/yyyy HH:MM:SS" /
//                                  "Last provisioning failed on mm/dd/yyyy HH:MM:SS" / ""
//   Custom CA Info                 "Installed - <CN>" / "Not Installed"
//
// Persistent state: <state>/customca.state (rule and URL last attempted, outcome, retry
// count and time), written atomically (agent/state_file.h).
// Threading: the daemon's thread; RunDue() blocks during a transfer.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/ca_store.h"
#include "agent/clock.h"
#include "agent/parameter_store.h"
#include "agent/transfer.h"
#include "cwmp/base/status.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/schedule.h"

namespace agent {

struct CustomCaEngineOptions {
  std::string state_dir;                  // customca.state lives here
  ParameterStore* store = nullptr;        // not owned; required
  CaStore* ca_store = nullptr;            // not owned; required (the one the transfers use)
  Clock* clock = nullptr;                 // not owned; required
  cwmp::prov::Random* random = nullptr;   // not owned; required (retry "+r")
  FetchOptions fetch;                     // ca_store is set to the engine's CaStore
  // Identity and other macros ($PN $MAC $SN ...); GPPs and User_ID_n_ come from the store.
  std::function<void(cwmp::prov::MacroVariables*)> fill_macros;
};

struct CustomCaStatus {
  std::string provisioning_status;  // "Last provisioning succeeded on 11/26/2026 12:04:38" / ""
  std::string info;                 // "Installed - <CN>" / "Not Installed"
  std::string last_url;             // URL of the last Custom_CA_Rule fetch ("" before any)
  std::string last_error;           // $ERR of the last failed attempt ("" after a success)
  std::optional<std::chrono::sys_seconds> next_retry;
};

class CustomCaEngine {
 public:
  // Loads <state_dir>/customca.state (absent: fresh; corrupt: error).
  static cwmp::Result<std::unique_ptr<CustomCaEngine>> Create(CustomCaEngineOptions options);
  ~CustomCaEngine();
  CustomCaEngine(const CustomCaEngine&) = delete;
  CustomCaEngine& operator=(const CustomCaEngine&) = delete;

  // After a (re)boot; evaluates the rule at the next RunDue().
  cwmp::Status OnBoot();
  // Now when the rule should be (re)evaluated, the retry time, or nullopt.
  std::optional<std::chrono::sys_seconds> NextWakeup() const;
  // Evaluates Custom_CA_Rule and fetches/installs when due (blocking). Errors are internal
  // (persistence); a failed fetch or a bad bundle is recorded in the status.
  cwmp::Status RunDue(std::chrono::sys_seconds now);
  // Installs `pem` (the Download RPC path goes to the same CaStore).
  cwmp::Status Install(std::string_view pem);

  CustomCaStatus Status() const;

 private:
  class Impl;
  explicit CustomCaEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace agent
