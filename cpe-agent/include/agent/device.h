#pragma once
// The device behind the CWMP client: owns the parameter store, the TR-069 view, the event queue
// (with queued transfers and pending TransferComplete results) and the RPC handler, and
// implements agent::SessionDelegate.
//
// Wiring in a daemon:
//
//   agent::DeviceOptions opt;
//   opt.state_dir = "/var/lib/cpe-agent";
//   opt.identity = {.manufacturer = "Cisco", .model_name = "CP-6841-3PCC",
//                   .serial_number = sn, .mac_address = mac, .software_version = ver, ...};
//   opt.executor = &curl_executor;         // TransferExecutor (libcurl, image slots, CA store)
//   opt.clock = clock.get();               // agent::SystemClock()
//   opt.request_session = [&] { client.StartSessionSoon(); };   // active notification, TC, ...
//   opt.reboot = [&] { system_reboot(); };                       // state is already on disk
//   opt.schedule_tick = [&](auto when) { loop.RunAt(when, [&] { device->Tick(); }); };
//   auto device = agent::Device::Start(std::move(opt));          // the boot: "1 BOOT", ...
//   client.SetDelegate(device->get());                           // SessionDelegate
//
// Threading: every method runs on the daemon's event-loop thread; Tick() must not run while a
// session is in progress (it may block on transfers).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "agent/clock.h"
#include "agent/data_model.h"
#include "agent/event_queue.h"
#include "agent/parameter_store.h"
#include "agent/rpc_handler.h"
#include "agent/session_delegate.h"
#include "agent/transfer_executor.h"
#include "cwmp/content/content.h"

namespace agent {

struct DeviceOptions {
  std::string state_dir;
  DeviceIdentity identity;
  TransferExecutor* executor = nullptr;  // not owned; required
  Clock* clock = nullptr;                // not owned; required
  // How a downloaded "3 Vendor Configuration File" is decoded (keys for encrypted profiles).
  cwmp::content::DecodeOptions config_decode;
  // Open a session soon (an active notification, a result to report, a due ScheduleInform,
  // PERIODIC). May be empty.
  std::function<void()> request_session;
  // Restart the phone. Everything is persisted before it is called. May be empty.
  std::function<void()> reboot;
  // Call Tick() at (or after) this time. May be empty.
  std::function<void(std::chrono::sys_seconds)> schedule_tick;
};

class Device : public SessionDelegate {
 public:
  // Opens the state in options.state_dir and boots: finishes a factory reset that was
  // acknowledged but not done, queues "0 BOOTSTRAP" when the ACS URL was never bootstrapped,
  // then "1 BOOT" (+ "M Reboot" after a Reboot RPC), dropping events that do not survive a
  // reboot (event_queue.h).
  static cwmp::Result<std::unique_ptr<Device>> Start(DeviceOptions options);

  // SessionDelegate.
  cwmp::soap::Inform BuildInform(uint32_t retry_count) override;
  void OnInformAccepted(const cwmp::soap::Inform& sent) override;
  std::optional<cwmp::soap::Body> NextCpeRequest() override;
  void OnCpeRequestAnswered(const cwmp::soap::Body& request,
                            const cwmp::soap::Body& response) override;
  cwmp::soap::Body HandleAcsRequest(const cwmp::soap::Body& request) override;
  void OnSessionEnd(bool success) override;

  // Runs what is due now: scheduled Informs, the periodic Inform, queued transfers (blocking
  // on the executor). Returns when Tick should run next.
  std::chrono::sys_seconds Tick();
  // A connection request passed authentication: queue "6 CONNECTION REQUEST".
  cwmp::Status OnConnectionRequest();
  // A local profile (resync by Profile_Rule, the web UI): applied as a local change.
  cwmp::Result<ParameterStore::ApplyResult> ApplyLocalProfile(
      const cwmp::prov::FlatProfile& profile);
  // An autonomous transfer (resync, Upgrade_Rule) finished: queue its
  // AutonomousTransferComplete.
  cwmp::Status RecordAutonomousTransfer(TransferResult result);
  // The transport's connection-request address changed (active notification by default).
  void SetConnectionRequestUrl(std::string url);

  ParameterStore& store() { return *store_; }
  DataModel& model() { return *model_; }
  EventQueue& events() { return *events_; }
  // The last persistence error of a SessionDelegate callback that cannot return one (OK when
  // none); such a failure leaves the previous state in place.
  const cwmp::Status& last_error() const { return last_error_; }

 private:
  explicit Device(DeviceOptions options) : options_(std::move(options)) {}
  void Note(cwmp::Status st);
  void RequestSession();
  void RunTransfer(const QueuedTransferItem& item);
  cwmp::soap::TransferFault ApplyConfiguration(std::string_view bytes);
  std::chrono::sys_seconds NextWakeup();
  void UpdatePeriodic(std::chrono::sys_seconds now);

  DeviceOptions options_;
  std::unique_ptr<ParameterStore> store_;
  std::unique_ptr<EventQueue> events_;
  std::unique_ptr<DataModel> model_;
  std::unique_ptr<RpcHandler> rpc_;
  cwmp::Status last_error_;

  // Per session.
  std::vector<std::string> sent_changed_;
  std::map<std::string, std::string> sent_live_;
  std::optional<std::string> sent_bootstrap_url_;
  std::optional<uint64_t> in_flight_result_;
  std::set<uint64_t> refused_results_;  // answered with a fault in this session

  // Periodic Inform schedule (not persisted: recomputed from the parameters at boot).
  std::optional<std::chrono::sys_seconds> next_periodic_;
  std::chrono::seconds periodic_interval_{0};
  std::string periodic_basis_;  // enable|interval|time the schedule was computed from
};

}  // namespace agent
