#pragma once
// The phone's syslog (guide "Syslog Server", "Use Syslog to Log Messages"):
//   Syslog_Server  host[:port] (UDP, default 514): receives the resync and upgrade messages
//                  (Log_*_Msg) and anything else at NOTICE or more severe.
//   Debug_Server   host[:port]: receives every message at or above Debug_Level.
//   Debug_Level    EMERGENCY … DEBUG, or 0-3 (3 the most verbose): 0 = ERROR, 1 = NOTICE,
//                  2 = INFO, 3 = DEBUG. Default NOTICE.
// Provisioning messages are the parameters Log_Request_Msg, Log_Success_Msg, Log_Failure_Msg,
// Log_Upgrade_Request_Msg, Log_Upgrade_Success_Msg and Log_Upgrade_Failure_Msg, macro expanded
// ($PN $MAC $SCHEME $SERVIP $PORT $PATH $ERR …); an empty parameter sends nothing. Unset
// parameters take the catalog's (the guide's) defaults. Requests and successes are NOTICE,
// failures ERROR.
// Wire format: one UDP datagram per message, "<PRI>message" with facility local0 (PRI = 128 +
// severity), the message cut to 1024 bytes (RFC 3164's limit).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"
#include "cwmp/prov/macro.h"

namespace agent {

enum class SyslogSeverity {
  kEmergency = 0,
  kAlert = 1,
  kCritical = 2,
  kError = 3,
  kWarning = 4,
  kNotice = 5,
  kInfo = 6,
  kDebug = 7,
};

struct SyslogTarget {
  std::string host;
  uint16_t port = 514;
  friend bool operator==(const SyslogTarget&, const SyslogTarget&) = default;
};

// "host", "host:port", "[v6]:port"; empty text is "no server" (nullopt). Errors name the text.
cwmp::Result<std::optional<SyslogTarget>> ParseSyslogServer(std::string_view text);

// Debug_Level as above; case-insensitive names.
cwmp::Result<SyslogSeverity> ParseDebugLevel(std::string_view text);

enum class ProvisioningLogEvent {
  kResyncRequest,
  kResyncSuccess,
  kResyncFailure,
  kUpgradeRequest,
  kUpgradeSuccess,
  kUpgradeFailure,
};

// "Log_Request_Msg", …, "Log_Upgrade_Failure_Msg".
std::string_view LogTemplateParameter(ProvisioningLogEvent event);
// The catalog default of that parameter.
std::string DefaultLogTemplate(ProvisioningLogEvent event);
// NOTICE for requests and successes, ERROR for failures.
SyslogSeverity LogEventSeverity(ProvisioningLogEvent event);

// Current values of the parameters above. `lookup` returns a parameter's value, or nullopt when
// it is not set (then the catalog default applies).
struct SyslogSettings {
  std::string syslog_server;
  std::string debug_server;
  std::string debug_level = "NOTICE";
  std::function<std::optional<std::string>(std::string_view name)> lookup;

  // The template for `event`: lookup(), else the default.
  std::string Template(ProvisioningLogEvent event) const;
};

class SyslogClient {
 public:
  // Resolves the servers and opens the UDP socket(s). Errors name the parameter.
  static cwmp::Result<std::unique_ptr<SyslogClient>> Create(const SyslogSettings& settings);
  ~SyslogClient();
  SyslogClient(const SyslogClient&) = delete;
  SyslogClient& operator=(const SyslogClient&) = delete;

  // Sends to Syslog_Server if severity is NOTICE or more severe, and to Debug_Server if it is
  // at or above Debug_Level. Nothing configured: nothing sent, OK.
  cwmp::Status Send(SyslogSeverity severity, std::string_view message);

  // The expanded message for `event` ("" when its parameter is empty).
  std::string FormatProvisioning(ProvisioningLogEvent event,
                                 const cwmp::prov::MacroContext& context) const;
  // Formats and sends it at LogEventSeverity(event); an empty message sends nothing.
  cwmp::Status LogProvisioning(ProvisioningLogEvent event, const cwmp::prov::MacroContext& context);

 private:
  struct Destination;
  SyslogClient() = default;
  cwmp::Status SendTo(const Destination& d, SyslogSeverity severity, std::string_view message);

  SyslogSettings settings_;
  SyslogSeverity debug_level_ = SyslogSeverity::kNotice;
  std::unique_ptr<Destination> syslog_;
  std::unique_ptr<Destination> debug_;
};

}  // namespace agent
