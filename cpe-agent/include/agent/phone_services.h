#pragma once
// The phone's services wired into the agent runtime (docs/agent-services.md): what makes
// `cpe-agent run` and `cpe-agent fleet` the complete phone of issue #6. AttachPhoneServices()
// adds to a Phone (before Phone::Start()):
//
//   * the engine service: ResyncEngine (Resync_On_Reset, Resync_Periodic, Resync_At, retries,
//     explicit resyncs), UpgradeEngine (Upgrade_Rule, /admin/upgrade; its reboot request is the
//     phone's in-process reboot, after which the active image slot's version is the
//     DeviceIdentity.software_version of the new boot) and CustomCaEngine (Custom_CA_Rule). They
//     are created at every boot over the new Device's store and destroyed at shutdown, run on
//     the phone's strand (PostAt at their NextWakeup, again after every configuration change),
//     share one CaStore and one ImageSlots, apply profiles through Phone::ApplyLocalProfile and
//     report through Device::RecordAutonomousTransfer. TFTP URLs without a server use the DHCP
//     option 66 (or 150) server from STATE/dhcp.json. Their syslog messages go to
//     Syslog_Server / Debug_Server (the engines read them at each message).
//   * the admin service: AdminServer (on `admin_listen`, else Web_Server_Port; it follows
//     Enable_Web_Server itself) and SipListener (while Resync_From_SIP is Yes; on `sip_listen`,
//     else SIP_Port_1_), both over one AdminActions that posts every command to the strand.
//     They survive in-process reboots (a command during the reboot waits for the new boot).
//
// One line state per phone (simulated calls, /admin/call) is shared by the admin server (the
// setter) and both engines (lines_idle()).

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "agent/phone.h"

namespace agent {

// Counters shared by the phones of a process (the fleet's boot-storm figures). Relaxed atomics.
struct ServiceStats {
  std::atomic<uint64_t> resyncs_ok{0};
  std::atomic<uint64_t> resyncs_failed{0};
  std::atomic<uint64_t> phones_resynced{0};  // phones with at least one successful resync
  std::atomic<uint64_t> upgrades_installed{0};
};

struct PhoneServicesOptions {
  bool engines = true;  // resync, upgrade and custom CA engines
  bool admin = true;    // admin web server
  bool sip = true;      // SIP NOTIFY listener (only while Resync_From_SIP is Yes)
  // "HOST:PORT" for the admin web server; empty: bind_address and Web_Server_Port.
  std::string admin_listen;
  // "HOST:PORT" for the SIP listener; empty: bind_address and SIP_Port_1_.
  std::string sip_listen;
  // The phone's address for listeners that follow a parameter's port (`run` passes the
  // --cr-listen address, so a daemon bound to loopback opens nothing on other interfaces).
  std::string bind_address = "0.0.0.0";
  // Simulated lines (1-based in /admin/call).
  int lines = 4;
  ServiceStats* stats = nullptr;  // not owned; may be null
};

// Adds the engine and admin services to `phone` (before phone.Start()). A listener that cannot
// bind (e.g. port 80 without privileges) is logged and retried at the next configuration
// change; it never stops the phone.
void AttachPhoneServices(Phone& phone, const PhoneServicesOptions& options);

}  // namespace agent
