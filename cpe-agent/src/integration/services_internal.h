#pragma once
// Private to the phone services (agent/phone_services.h): the state the engine service and the
// admin service of ONE phone share.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/admin_server.h"
#include "agent/custom_ca.h"
#include "agent/phone.h"
#include "agent/phone_services.h"
#include "agent/resync_engine.h"
#include "agent/upgrade_engine.h"

namespace agent::services {

// The simulated call state of the phone's lines. Thread-safe: the admin server sets it on its
// thread, the engines read it on the strand.
class LineState {
 public:
  explicit LineState(int lines) : busy_(static_cast<size_t>(lines < 1 ? 1 : lines), false) {}
  cwmp::Status SetBusy(int line, bool busy);
  std::vector<bool> States() const;
  bool Idle() const;

 private:
  mutable std::mutex mu_;
  std::vector<bool> busy_;
};

// Shared by the services of one phone.
struct ServiceContext {
  explicit ServiceContext(const PhoneServicesOptions& o) : options(o), lines(o.lines) {}

  PhoneServicesOptions options;
  LineState lines;

  // --- Strand only. Set by the engine service for the current boot (null while rebooting). ---
  ResyncEngine* resync = nullptr;
  UpgradeEngine* upgrade = nullptr;
  CustomCaEngine* custom_ca = nullptr;
  // Runs every engine that is due and schedules the next wakeup (the engine service's).
  std::function<void(Phone&)> run_engines;
  // An explicit resync (rule/URL or the configured rules), blocking on the strand.
  std::function<void(Phone&, std::optional<std::string>)> resync_now;

  // --- Thread-safe snapshots, refreshed on the strand after each boot, configuration change
  // and engine run, read by the admin server and SIP listener without waiting for the strand.
  void PublishSettings(AdminSettings settings, bool provision_enabled);
  bool ProvisionEnabled() const;
  AdminSettings Settings() const;
  void PublishStatus(AdminStatus status);
  AdminStatus Status() const;
  void RecordResync(AdminOutcome outcome);
  std::optional<AdminOutcome> LastResync() const;

 private:
  mutable std::mutex mu_;
  AdminSettings settings_;
  bool provision_enabled_ = true;
  AdminStatus status_;
  std::optional<AdminOutcome> last_resync_;
};

// Refreshes ServiceContext's status snapshot from the engines (strand only).
void PublishStatusFromEngines(Phone& phone, ServiceContext& ctx);

// The DHCP provisioning (TFTP) server of STATE/dhcp.json: option 66/159/160 (as selected by the
// DHCP client), else the first option 150 address; "" when none.
std::string DhcpTftpServer(const std::string& state_dir);

std::unique_ptr<PhoneService> MakeEngineService(std::shared_ptr<ServiceContext> ctx);
std::unique_ptr<PhoneService> MakeAdminService(std::shared_ptr<ServiceContext> ctx, Phone& phone);

}  // namespace agent::services
