#pragma once
// The phone's administration web server (guide: "Resynchronization Process", "Configuration
// Access Control", "Download the Configuration File to the Phone ...", "Upgrade Firmware With a
// Browser Command", "Custom CA Status"). HTTP/1.1 on one thread (poll), keep-alive, bounded
// requests and timeouts; malformed input gets a 4xx, never a crash. Endpoints
// (docs/agent-admin.md):
//
//   GET  /admin/resync[?<rule>]        resync now (to <rule>, or with the configured profile rules)
//   GET  /admin/upgrade?<url>          firmware upgrade from <url>
//   GET  /admin/reboot                 reboot
//   GET  /admin/config.xml             the current profile (secrets omitted; the user account
//                                      sees only ua=ro/rw parameters)
//   POST /admin/config.xml             apply a flat profile (the user account: rw parameters only)
//   GET  /admin/status                 software version, provisioning and custom CA status
//   GET  /admin/call[?line=N&state=busy|idle]   simulated call state (this project's extension)
//
// Accounts: "admin" (Admin_Password, everything; refused when Enable_Web_Admin_Access=No) and
// "user" (User_Password; config.xml restricted by ua, status, call state). Credentials come from
// HTTP Digest (MD5, qop=auth), HTTP Basic, or the guide's "&xuser=NAME&xpassword=PASSWORD"
// suffix of the request target. A request without credentials acts as the admin when
// Admin_Password is empty (the factory state), else as the user when User_Password is empty,
// else it is challenged (401).
//
// The server knows no engine: everything it does goes through AdminActions, and it reads
// Enable_Web_Server, Web_Server_Port, Enable_Web_Admin_Access and the passwords through
// AdminActions::Settings() before every request and at least once per `settings_poll`, so a
// profile that turns the server off or moves its port takes effect without a restart.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"
#include "cwmp/prov/flat_profile.h"

namespace agent {

class ParameterStore;

// The parameters both the web server and the SIP listener (sip_listener.h) obey, read from the
// current configuration.
struct AdminSettings {
  bool web_server_enabled = true;  // Enable_Web_Server
  uint16_t web_server_port = 80;   // Web_Server_Port
  bool web_admin_access = true;    // Enable_Web_Admin_Access
  cwmp::Secret admin_password;     // Admin_Password ("" = no password)
  cwmp::Secret user_password;      // User_Password ("" = no password)
  bool resync_from_sip = true;     // Resync_From_SIP
  uint16_t sip_port = 5060;        // SIP_Port_1_
  std::string sip_auth_user;       // Auth_ID_1_ when set, else User_ID_1_
  cwmp::Secret sip_password;       // Password_1_
};

// The settings above from a parameter store (effective values, catalog defaults included).
AdminSettings ReadAdminSettings(const ParameterStore& store);

enum class AdminAccount { kAdmin, kUser };

// The outcome of a finished resync, upgrade or custom CA installation.
struct AdminOutcome {
  bool success = false;
  std::chrono::sys_seconds time{};
  std::string detail;  // e.g. the URL, or the error ("404 file not found")
};

// What /admin/status shows (the guide's names: "Software Version", "Provisioning Status",
// "Custom CA Provisioning Status", "Custom CA Info").
struct AdminStatus {
  std::string software_version;
  std::string provisioning_status;  // e.g. "Idle", "Resync pending: waiting for idle lines"
  std::optional<AdminOutcome> last_resync;
  std::optional<AdminOutcome> last_upgrade;
  std::optional<AdminOutcome> custom_ca;                   // last custom CA provisioning
  std::string custom_ca_info;                              // "Installed: <CN>" or "Not Installed"
  std::vector<std::pair<std::string, std::string>> extra;  // more "Name: value" lines
};

struct AdminApplyReport {
  size_t applied = 0;                // parameter elements applied
  std::vector<std::string> unknown;  // names the phone does not know (ignored, as the guide says)
};

// Everything the web server and the SIP listener can ask of the phone. Implemented by the
// daemon over the device and the resync/upgrade engines (and, in tests, over a real
// ParameterStore). Methods are called on the server's / listener's own thread, so an
// implementation synchronises with the daemon's loop itself; none may block for long (a resync
// or upgrade is requested here and runs elsewhere).
class AdminActions {
 public:
  virtual ~AdminActions() = default;

  // The current settings (see AdminSettings).
  virtual AdminSettings Settings() = 0;

  // Requests a resync: with `rule` (a profile rule or URL, as /admin/resync?<rule> and SIP
  // "Event: resync;profile=URL" give it) instead of Profile_Rule..Profile_Rule_D, or with the
  // configured rules when nullopt. Runs once every line is idle. kFailedPrecondition when
  // Provision_Enable is No; kInvalidArgument for a rule that does not parse.
  virtual cwmp::Status Resync(std::optional<std::string> rule) = 0;
  // Requests a firmware upgrade from `url` (runs once every line is idle). kFailedPrecondition
  // when Upgrade_Enable is No; kInvalidArgument for a bad URL.
  virtual cwmp::Status Upgrade(std::string url) = 0;
  // Cold restart (reboot; SIP "reboot_now"), after the answer was sent.
  virtual cwmp::Status Reboot() = 0;
  // Warm restart of the phone application (SIP "restart_now").
  virtual cwmp::Status Restart() = 0;

  // The current profile as flat-profile XML: every catalog parameter with its effective value
  // and ua, secrets omitted; user_view: only parameters whose ua is ro or rw.
  virtual std::string ExportProfile(bool user_view) = 0;
  // Applies flat-profile XML as a local change, all or nothing. user_account: every element
  // must name a parameter whose ua is rw and must not change a ua; otherwise nothing changes
  // and the result is kFailedPrecondition naming the parameters. kParseError / kLimitExceeded
  // for XML that does not parse, kInvalidArgument for a value the catalog rejects.
  virtual cwmp::Result<AdminApplyReport> ApplyProfile(std::string_view xml, bool user_account) = 0;

  virtual AdminStatus Status() = 0;

  // Simulated call state of line `line` (1-based). kInvalidArgument for a line that does not
  // exist. Resyncs and upgrades wait while any line is busy.
  virtual cwmp::Status SetLineBusy(int line, bool busy) = 0;
  // Busy flag of every line (index 0 = line 1).
  virtual std::vector<bool> LineStates() = 0;
  virtual bool LinesIdle() = 0;
};

// The ua rules of config.xml over a ParameterStore, for AdminActions implementations.
// ExportProfileXml serializes ParameterStore::ExportProfile(true), filtered for the user view.
// CheckAdminProfile parses the XML (size-capped, ParseFlatProfile) and, for the user account,
// refuses (kFailedPrecondition, naming each offending parameter and its ua) a profile that sets
// a parameter whose ua is not rw or that carries a ua other than the current one; the caller
// then applies the returned profile (ParameterStore::ApplyProfile, Device::ApplyLocalProfile).
// ApplyProfileXml is both steps over the store as a local change.
std::string ExportProfileXml(const ParameterStore& store, bool user_view);
cwmp::Result<cwmp::prov::FlatProfile> CheckAdminProfile(const ParameterStore& store,
                                                        std::string_view xml, bool user_account);
cwmp::Result<AdminApplyReport> ApplyProfileXml(ParameterStore& store, std::string_view xml,
                                               bool user_account);

struct AdminServerOptions {
  // Explicit listen address "HOST:PORT" ("127.0.0.1:8080", "[::1]:8080", port 0 = any free);
  // empty: bind_address with Web_Server_Port from the settings (and follow its changes).
  std::string listen;
  std::string bind_address = "0.0.0.0";
  std::string realm = "cpe-agent";
  size_t max_head_bytes = 8192;                      // request line + headers
  size_t max_body_bytes = size_t{1} << 20;           // POST /admin/config.xml
  size_t max_connections = 64;                       // more are answered 503 and closed
  std::chrono::milliseconds request_timeout{10000};  // first byte to complete request (408)
  std::chrono::milliseconds idle_timeout{15000};     // keep-alive connection without a request
  size_t max_requests_per_connection = 1000;
  std::chrono::seconds nonce_lifetime{300};
  std::chrono::milliseconds settings_poll{1000};
  // One line per notable event (a command, a failed login, a rebind). No secrets. May be empty.
  std::function<void(std::string_view)> log;
};

class AdminServer {
 public:
  // Binds (unless Enable_Web_Server is No) and starts the server thread. `actions` must outlive
  // the server. An error when the initial bind fails or `listen` is malformed.
  static cwmp::Result<std::unique_ptr<AdminServer>> Start(AdminServerOptions options,
                                                          AdminActions& actions);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // The bound port; 0 while the server is disabled (Enable_Web_Server=No) or could not bind.
  uint16_t port() const;
  // Re-read the settings now (after a profile was applied); returns at once.
  void Refresh();
  // The last bind error while following Web_Server_Port (OK when none).
  cwmp::Status last_error() const;
  // Closes every connection and joins the thread. Idempotent.
  void Stop();

  class Impl;

 private:
  explicit AdminServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace agent
