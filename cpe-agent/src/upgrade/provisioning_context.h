#pragma once
// Helpers shared by the upgrade and custom CA engines: macro variables from the parameter
// store, $SERVIP before a request, the provisioning syslog sender built from the store, and
// the fault code of a failed fetch.

#include <chrono>
#include <string>
#include <string_view>

#include "agent/parameter_store.h"
#include "agent/syslog.h"
#include "agent/transfer.h"
#include "cwmp/prov/macro.h"

namespace agent::provisioning {

// GPP_A-GPP_P, GPP_SA-GPP_SD and User_ID_1_-User_ID_4_ from the store.
void SetStoreMacros(const ParameterStore& store, cwmp::prov::MacroVariables* vars);

// A Bool parameter's value: "yes"/"1" (any case) is true.
bool IsYes(std::string_view value);

// The address a request to `host` goes to first, for $SERVIP in the request message: an IPv4
// literal as is, the first entry of options.hosts, else the first IPv4 address DNS gives;
// `host` itself when it cannot be resolved.
std::string ServerIpForLog(const std::string& host, const FetchOptions& options);

// Sends a provisioning message with a SyslogClient made from the store's Syslog_Server,
// Debug_Server, Debug_Level and Log_* values (a bad server value sends nothing).
void LogFromStore(const ParameterStore& store, ProvisioningLogEvent event,
                  const cwmp::prov::MacroContext& context);

// TR-069 TransferComplete fault code of a failed fetch (9016 file not found, 9012 refused
// credentials, 9015 no server answered, 9010 otherwise).
uint32_t FetchFaultCode(const FetchResult& result);

// Unix seconds.
inline int64_t ToUnix(std::chrono::sys_seconds t) { return t.time_since_epoch().count(); }
inline std::chrono::sys_seconds FromUnix(int64_t s) {
  return std::chrono::sys_seconds(std::chrono::seconds(s));
}

}  // namespace agent::provisioning
