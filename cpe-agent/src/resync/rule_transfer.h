#pragma once
// One profile rule of a resync, after its alternative was chosen: apply the assignments, send
// Log_Request_Msg, fetch the URL (agent::Fetch), decode (cwmp::content), parse the flat profile,
// apply the --alias map, apply the profile, send Log_Success_Msg or Log_Failure_Msg.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "agent/clock.h"
#include "agent/parameter_store.h"
#include "agent/resync_engine.h"
#include "agent/syslog.h"
#include "agent/transfer.h"
#include "cwmp/base/secret.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/rule.h"

namespace agent::resync_internal {

using ApplyFn =
    std::function<cwmp::Result<ParameterStore::ApplyResult>(const cwmp::prov::FlatProfile&)>;

struct RuleTransferContext {
  const FetchOptions* fetch = nullptr;  // template
  std::string dhcp_tftp_server;         // "" when none
  std::optional<cwmp::Secret> ikm;      // IKM_HTTP_Encrypt_Content, raw bytes
  bool fails_on_fnf = true;             // Resync_Fails_On_FNF
  ApplyFn apply;
  // The store `apply` writes to: a profile whose every known element already holds its value
  // (set explicitly) and access is not applied again, so an unchanged periodic resync does not
  // rewrite parameters.state. Null: always apply.
  const ParameterStore* store = nullptr;
  SyslogClient* syslog = nullptr;  // null: no syslog
  Clock* clock = nullptr;
};

struct RuleTransfer {
  ResyncFileResult file;
  bool transferred = false;  // a transfer was attempted (reportable as a TransferComplete)
  uint32_t fault_code = 0;   // TR-069 TransferComplete fault when !file.ok
  size_t file_size = 0;
  std::chrono::sys_seconds start{}, complete{};
  std::optional<uint64_t> digest;  // of the downloaded bytes, when applied
};

// Runs `selection` of rule `rule_name`. `vars` gets $SCHEME $SERV $SERVIP $PORT $PATH $ERR.
RuleTransfer RunRuleSelection(const std::string& rule_name,
                              const cwmp::prov::RuleSelection& selection,
                              const RuleTransferContext& context, cwmp::prov::MacroVariables* vars);

// Sends Log_Failure_Msg with $ERR = error (a rule that failed before any transfer).
void LogRuleFailure(const std::string& error, SyslogClient* syslog,
                    cwmp::prov::MacroVariables* vars);

}  // namespace agent::resync_internal
