#pragma once
// One phone of the agent runtime: Device + CwmpClient + HTTP connection-request endpoint +
// NetworkTransferExecutor, configured from the phone's parameter store and reconfigured whenever
// those parameters may have changed (after every session, Device::Tick, local profile and DHCP
// event). `cpe-agent run` hosts one Phone, `cpe-agent fleet` N of them, with the same code.
//
// Everything a phone does runs on its Strand (agent/phone_host.h): sessions
// (CwmpClient::RunDue), Device::Tick, reconfiguration, DHCP checks, reboots and every attached
// service. So Tick never runs during a session and services need no locks of their own for the
// phone's state.
//
// Parameters it follows (flat names): Enable_TR-069; ACS_URL / ACS_Username / ACS_Password;
// BACKUP_ACS_URL / BACKUP_ACS_User / BACKUP_ACS_Password with TR-069_Fallback_Support (after a
// failed session the next attempt goes to the other URL; the one that answered is kept);
// CWMP_V1.2_Support (Yes: CWMP 1.2 at most, No: 1.0); CWMP_Retry_Minimum_Wait_Interval /
// CWMP_Retry_Interval_Multiplier; Connection_Request_Username / _Password. The periodic Inform
// (Periodic_Inform_Enable / _Interval / _Time) is scheduled by the Device itself (Device::Tick
// queues "2 PERIODIC"), so the client's own periodic timer stays off and there is one owner.
//
// STUN (TR-069 Annex G / TR-111 part 2, docs/agent-runtime.md): while
// Device.ManagementServer.STUNEnable (flat TR-069_STUN_Enable) is true and the phone has its UDP
// connection-request socket, it keeps a STUN binding from THAT socket: Binding Requests with
// CONNECTION-REQUEST-BINDING (BINDING-CHANGE on the first binding and after a change; USERNAME
// + MESSAGE-INTEGRITY once the server answered 401 and STUNUsername is set) to
// STUNServerAddress:STUNServerPort (empty address: the ACS host), retransmitted on loss and
// repeated every keep-alive period (30 s within STUNMinimum/MaximumKeepAlivePeriod). The mapped
// address becomes UDPConnectionRequestAddress and sets NATDetected; a change is notified per
// the parameter's notification attribute (active: at most once per
// UDPConnectionRequestAddressNotificationLimit seconds). Sending, timers and receiving go
// through the host's reactor and the phone's strand (no thread); settings are followed live.
//
// Reboot and FactoryReset RPCs restart the phone in-process: the session objects (client,
// device, executor) are torn down and Device::Start runs again on the same state directory,
// exactly what a real phone's boot does with its flash.
//
// DHCP (docs/dhcp.md): STATE/dhcp.json is read at boot, before each session and when its mtime
// changes (polled). A generation above STATE/dhcp-bootstrap.ack is a newly discovered ACS URL:
// it becomes ACS_URL (with Provisioning_Code and the CWMP retry values from the same option 43)
// and a "0 BOOTSTRAP" is due; once the ACS answered an Inform carrying "0 BOOTSTRAP" to that
// URL, the generation is written to the ack file. An older generation is used only when no
// ACS_URL is configured at all (TR-069: discovery when no URL is configured).
//
// Attaching services (the resync and upgrade engines, the admin web server, the SIP listener):
// implement PhoneService and AddService() it before Start(), and/or use Post()/PostAt() to run
// work on the phone's strand. Inside a strand task `phone.device()` is the live Device (nullptr
// while the phone reboots), `phone.RequestSession()` asks for a session.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/ca_store.h"
#include "agent/cwmp_client.h"
#include "agent/data_model.h"
#include "agent/device.h"
#include "agent/firmware.h"
#include "agent/phone_host.h"
#include "agent/runtime_log.h"
#include "cwmp/base/secret.h"
#include "cwmp/content/content.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/schedule.h"

namespace agent {

class Phone;
class PhoneStun;

// A per-phone service. Every callback runs on the phone's strand.
class PhoneService {
 public:
  virtual ~PhoneService() = default;
  // The phone booted (process start and every in-process reboot): phone.device() is new.
  virtual void OnBoot(Phone& /*phone*/) {}
  // The parameters may have changed (after a session, a Tick, a local profile, a DHCP event).
  virtual void OnConfigChanged(Phone& /*phone*/) {}
  // The phone is about to reboot or stop: drop every reference into phone.device().
  virtual void OnShutdown(Phone& /*phone*/) {}
};

// Counters shared by the phones of a process (the fleet summary). All relaxed atomics.
struct PhoneStats {
  std::atomic<uint64_t> phones_registered{0};  // phones whose first Inform was accepted
  std::atomic<uint64_t> sessions_ok{0};
  std::atomic<uint64_t> sessions_failed{0};
  std::atomic<uint64_t> connection_requests{0};
  std::atomic<uint64_t> reboots{0};
  std::atomic<uint64_t> boot_failures{0};
  std::atomic<uint64_t> stun_mappings{0};  // public mappings learnt through STUN (and changes)
};

struct PhoneOptions {
  std::string state_dir;  // created 0700 when missing
  DeviceIdentity identity;
  // Command-line overrides, written to the store at process start (and again after a factory
  // reset emptied ACS_URL). acs_url also sets Enable_TR-069=Yes.
  std::optional<std::string> acs_url;
  std::optional<std::string> acs_username;
  std::optional<cwmp::Secret> acs_password;
  // Written at process start like acs_url: STUNEnable=true with this STUNServerAddress and
  // STUNServerPort (`cpe-agent fleet --stun-server`).
  std::optional<std::string> stun_server_address;
  uint16_t stun_server_port = 3478;
  // Applied once, when the state directory has no parameters.state yet (preprovisioning).
  std::optional<cwmp::prov::FlatProfile> first_start_profile;
  // HTTP connection-request listener. Port 0: any free port (kept across reboots).
  std::string cr_listen_address = "0.0.0.0";
  uint16_t cr_port = 7547;
  // TR-069 Annex G UDP connection requests on the same address (and the same port number
  // when it is free), reported as UDPConnectionRequestAddress. The STUN binding (above) runs
  // from this socket, so without it there is no STUN.
  bool udp_connection_requests = true;
  // Host for ConnectionRequestURL; empty: the listen address if specific, else the local
  // address of the route towards the ACS.
  std::string cr_host;
  // Extra CA (PEM) trusted for the ACS's certificate; empty: the custom CA installed in the
  // state directory (<state>/ca/custom_ca.pem), if any.
  std::string ca_file;
  // The phone's client certificate, presented to the ACS over HTTPS and by every transfer
  // (Download RPC, Profile_Rule, Upgrade_Rule, Custom_CA_Rule), and $CCERT: a PEM certificate, and its key (empty: in the same
  // file). Empty: none presented, $CCERT = "Not Installed".
  std::string client_cert_file;
  std::string client_key_file;
  // Stored for the admin web server (wired as a PhoneService by the integrator).
  std::string admin_listen;
  cwmp::content::DecodeOptions config_decode;
  std::chrono::milliseconds dhcp_poll_interval{2000};
  std::chrono::milliseconds first_boot_delay{0};  // fleet: boots spread over time
  std::chrono::seconds session_timeout{30};
  RuntimeLog* log = nullptr;    // not owned; may be null
  PhoneStats* stats = nullptr;  // not owned; may be null
};

class Phone {
 public:
  using Action = std::function<void(Phone&)>;

  // Prepares the state directory (first-start profile, overrides) and binds the
  // connection-request socket; errors (bad directory, port in use) are returned here.
  static cwmp::Result<std::unique_ptr<Phone>> Create(PhoneHost& host, PhoneOptions options);
  ~Phone();  // Stop()
  Phone(const Phone&) = delete;
  Phone& operator=(const Phone&) = delete;

  // Before Start(): attach a service (owned by the phone).
  void AddService(std::unique_ptr<PhoneService> service);
  // Boots the phone on its strand (after options.first_boot_delay).
  void Start();
  // Graceful stop: a running session or transfer finishes, nothing new starts, services get
  // OnShutdown, the listener closes. Everything is persisted anyway. Not from the strand.
  void Stop();

  // Runs `action` on the phone's strand (now / at `when`). Thread-safe.
  void Post(Action action);
  void PostAt(std::chrono::system_clock::time_point when, Action action);

  // --- On the strand only ---
  Device* device() { return device_.get(); }
  // The phone's image slots and trust store (nullptr while it reboots); services must use these
  // rather than opening their own.
  ImageSlots* image_slots() { return slots_.get(); }
  CaStore* ca_store() { return ca_store_.get(); }
  // Asks for a session ("inform now"): it runs on the strand after the current task.
  void RequestSession();
  // Applies a local profile (resync, admin UI) and reconfigures the phone.
  cwmp::Result<ParameterStore::ApplyResult> ApplyLocalProfile(const cwmp::prov::FlatProfile& p);
  // Reboots the phone in-process (as a Reboot RPC does) after the current strand task returned:
  // services get OnShutdown, then OnBoot. For services (upgrade engine, admin web, SIP NOTIFY).
  void RequestReboot();

  // --- Thread-safe ---
  const PhoneOptions& options() const { return options_; }
  const std::string& serial() const { return options_.identity.serial_number; }
  uint16_t connection_request_port() const { return cr_port_; }
  // The ConnectionRequestURL currently reported ("" before the first boot).
  std::string connection_request_url() const;
  uint64_t boots() const { return boots_.load(); }
  uint64_t sessions_ok() const { return sessions_ok_.load(); }
  uint64_t sessions_failed() const { return sessions_failed_.load(); }
  bool registered() const { return registered_.load(); }

 private:
  struct Config;
  class Delegate;
  Phone(PhoneHost& host, PhoneOptions options);
  cwmp::Status PrepareStore(bool process_start);
  void Boot();
  void BootFailed(const cwmp::Status& status);
  void Shutdown();
  void Restart();
  void RunClient();
  void RunTick();
  void ScheduleClient(std::chrono::system_clock::time_point when);
  void ScheduleTick(std::chrono::system_clock::time_point when);
  std::unique_ptr<HttpClient> MakeHttpClient(const Config& config);
  void ApplyConfig(bool force);
  void CheckDhcp(bool force);
  void PollDhcp();
  void OnInformAccepted(const cwmp::soap::Inform& sent);
  void OnSessionEnd(bool success);
  void OnConnectionRequest();
  std::shared_ptr<UdpConnectionRequestEndpoint> MakeUdpEndpoint(const std::string& username,
                                                                const std::string& password);
  void ConfigureStun();
  void OnStunDatagram(const std::string& datagram);
  void PublishUdpAddress();
  void NotifyUdpAddressChange();
  bool ActiveChangeUnreported(const char* path);
  void Log(std::string_view level, std::string_view message, const RuntimeLog::Fields& f = {});

  PhoneHost& host_;
  PhoneOptions options_;
  std::shared_ptr<Strand> strand_;
  std::vector<std::unique_ptr<PhoneService>> services_;
  uint64_t listener_id_ = 0;
  uint16_t cr_port_ = 0;
  uint64_t udp_listener_id_ = 0;  // 0: no UDP listener
  uint16_t udp_port_ = 0;
  std::string udp_host_;  // the local host reported without STUN (strand)
  std::string cr_path_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> boots_{0}, sessions_ok_{0}, sessions_failed_{0};
  std::atomic<bool> registered_{false};

  // Strand state. One ImageSlots and one CaStore per boot, shared by the Download RPC's
  // executor and the engines (image_slots(), ca_store()), so a CA or image installed by one is
  // what the others see at once.
  std::unique_ptr<ImageSlots> slots_;
  std::unique_ptr<CaStore> ca_store_;
  std::unique_ptr<TransferExecutor> executor_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<Device> device_;
  std::unique_ptr<Delegate> delegate_;
  std::mutex client_mu_;  // guards the pointer for Stop() from another thread
  std::unique_ptr<CwmpClient> client_;
  cwmp::prov::SystemRandom random_;
  uint64_t epoch_ = 0;  // boots; timers of an earlier boot do nothing
  std::unique_ptr<Config> config_;
  std::unique_ptr<PhoneStun> stun_;  // null without a UDP socket
  std::optional<std::chrono::system_clock::time_point> udp_notified_at_;
  bool udp_notify_delayed_ = false;
  std::optional<std::chrono::system_clock::time_point> client_timer_, tick_timer_;
  bool rebooting_ = false;
  bool use_backup_ = false;
  std::string session_url_;
  int64_t dhcp_mtime_ns_ = -1;
  uint64_t dhcp_pending_generation_ = 0;  // generation whose bootstrap awaits its ack
  std::string dhcp_pending_url_;
  mutable std::mutex url_mu_;
  std::string cr_url_;
};

}  // namespace agent
