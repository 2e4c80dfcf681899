// Phone: wiring of Device, CwmpClient, the connection-request endpoint and the executor on one
// strand. See agent/phone.h for the contract.
#include "agent/phone.h"

#include <sys/stat.h>

#include <cstring>
#include <future>

#include "agent/cwmp_client.h"
#include "agent/firmware.h"
#include "agent/network_executor.h"
#include "agent/network_worker.h"
#include "cwmp/prov/schedule.h"
#include "runtime/dhcp_watch.h"
#include "runtime/phone_stun.h"
#include "runtime/route.h"

namespace agent {
namespace {

using SysClock = std::chrono::system_clock;
constexpr const char* kUdpAddressPath = "Device.ManagementServer.UDPConnectionRequestAddress";
namespace soap = cwmp::soap;

bool IsYes(const std::string& v) { return v == "Yes" || v == "yes" || v == "1" || v == "true"; }

uint32_t ParseUint(const std::string& text, uint32_t fallback) {
  try {
    size_t used = 0;
    unsigned long v = std::stoul(text, &used, 0);
    if (used != text.size() || v > 0xffffffffUL) return fallback;
    return static_cast<uint32_t>(v);
  } catch (...) {
    return fallback;
  }
}

const SystemClientClock& ClientClockInstance() {
  static const SystemClientClock clock;
  return clock;
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

cwmp::Status MakeDirs(const std::string& dir) {
  std::string partial;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || (dir[i] == '/' && i > 0)) {
      partial = dir.substr(0, i);
      if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
        return cwmp::IoError("cannot create " + partial + ": " + std::strerror(errno));
      }
    }
  }
  return cwmp::Status::Ok();
}

std::string EventList(const std::vector<soap::EventStruct>& events) {
  std::string out;
  for (const auto& e : events) {
    if (!out.empty()) out += ",";
    out += e.event_code;
  }
  return out;
}

}  // namespace

// What the phone reads from its store to configure the client and the listener.
struct Phone::Config {
  bool enable = false;
  std::string url, username, password;
  std::string backup_url, backup_username, backup_password;
  bool fallback = false;
  soap::CwmpVersion max_version = soap::CwmpVersion::k1_2;
  uint32_t retry_min = 5, retry_multiplier = 2000;
  std::string cr_username, cr_password;
  StunSettings stun;
  uint32_t udp_notification_limit = 0;  // UDPConnectionRequestAddressNotificationLimit
  bool operator==(const Config&) const = default;

  static Config From(const ParameterStore& s) {
    Config c;
    c.enable = IsYes(s.Get("Enable_TR-069"));
    c.url = s.Get("ACS_URL");
    c.username = s.Get("ACS_Username");
    c.password = s.Get("ACS_Password");
    c.backup_url = s.Get("BACKUP_ACS_URL");
    c.backup_username = s.Get("BACKUP_ACS_User");
    c.backup_password = s.Get("BACKUP_ACS_Password");
    c.fallback = IsYes(s.Get("TR-069_Fallback_Support"));
    c.max_version =
        IsYes(s.Get("CWMP_V1.2_Support")) ? soap::CwmpVersion::k1_2 : soap::CwmpVersion::k1_0;
    RetryParameters r{ParseUint(s.Get("CWMP_Retry_Minimum_Wait_Interval"), 5),
                      ParseUint(s.Get("CWMP_Retry_Interval_Multiplier"), 2000)};
    if (!ValidateRetryParameters(r).ok()) r = {};
    c.retry_min = r.minimum_wait_interval;
    c.retry_multiplier = r.interval_multiplier;
    c.cr_username = s.Get("Connection_Request_Username");
    c.cr_password = s.Get("Connection_Request_Password");
    c.stun = StunSettings::From(s);
    c.udp_notification_limit =
        ParseUint(s.Get("TR-069_UDP_Connection_Request_Address_Notification_Limit"), 0);
    return c;
  }
  RetryParameters retry() const { return {retry_min, retry_multiplier}; }
  bool UsesBackup(bool want_backup) const { return want_backup && fallback && !backup_url.empty(); }
};

// The SessionDelegate the client talks to: the Device, observed for logging, statistics and
// the DHCP bootstrap acknowledgement.
class Phone::Delegate final : public SessionDelegate {
 public:
  Delegate(Phone& phone, Device& device) : phone_(phone), device_(device) {}
  soap::Inform BuildInform(uint32_t retry_count) override {
    soap::Inform inform = device_.BuildInform(retry_count);
    events_ = EventList(inform.events);
    rpcs_.clear();
    return inform;
  }
  void OnInformAccepted(const soap::Inform& sent) override {
    events_ = EventList(sent.events);
    device_.OnInformAccepted(sent);
    phone_.OnInformAccepted(sent);
  }
  std::optional<soap::Body> NextCpeRequest() override { return device_.NextCpeRequest(); }
  void OnCpeRequestAnswered(const soap::Body& request, const soap::Body& response) override {
    rpcs_ += (rpcs_.empty() ? "" : ",") + std::string(soap::MethodName(request));
    device_.OnCpeRequestAnswered(request, response);
  }
  soap::Body HandleAcsRequest(const soap::Body& request) override {
    rpcs_ += (rpcs_.empty() ? "" : ",") + std::string(soap::MethodName(request));
    return device_.HandleAcsRequest(request);
  }
  void OnSessionEnd(bool success) override {
    last_events_ = events_;
    last_rpcs_ = rpcs_;
    device_.OnSessionEnd(success);
    phone_.OnSessionEnd(success);
  }
  const std::string& last_events() const { return last_events_; }
  const std::string& last_rpcs() const { return last_rpcs_; }

 private:
  Phone& phone_;
  Device& device_;
  std::string events_, rpcs_, last_events_, last_rpcs_;
};

Phone::Phone(PhoneHost& host, PhoneOptions options)
    : host_(host), options_(std::move(options)), strand_(host.MakeStrand()) {}

cwmp::Result<std::unique_ptr<Phone>> Phone::Create(PhoneHost& host, PhoneOptions options) {
  if (options.state_dir.empty()) return cwmp::InvalidArgument("the phone needs a state directory");
  if (options.identity.serial_number.empty() || options.identity.mac_address.empty() ||
      options.identity.model_name.empty()) {
    return cwmp::InvalidArgument("the phone needs a MAC address, a serial number and a model");
  }
  std::unique_ptr<Phone> phone(new Phone(host, std::move(options)));
  CWMP_RETURN_IF_ERROR(MakeDirs(phone->options_.state_dir));
  CWMP_RETURN_IF_ERROR(phone->PrepareStore(/*process_start=*/true));
  // The endpoint's credentials are set by Reconfigure() at boot; until then nobody passes.
  Phone* self = phone.get();
  phone->cr_path_ = "/" + RandomHex128();
  ConnectionRequestOptions cr;
  cr.bind_address = phone->options_.cr_listen_address;
  cr.port = phone->options_.cr_port;
  auto endpoint = MakeConnectionRequestEndpoint(cr, phone->cr_path_, [] {});
  auto listener = host.Listen(cr.bind_address, cr.port, endpoint);
  if (!listener.ok()) return listener.status();
  phone->listener_id_ = listener->id;
  phone->cr_port_ = listener->port;
  if (phone->options_.udp_connection_requests) {
    auto udp_endpoint = phone->MakeUdpEndpoint("", "");  // nobody passes until the boot
    auto udp = host.ListenUdp(cr.bind_address, phone->cr_port_, udp_endpoint);
    if (!udp.ok()) udp = host.ListenUdp(cr.bind_address, 0, udp_endpoint);  // port taken
    if (!udp.ok()) {
      host.CloseListener(phone->listener_id_);
      return udp.status();
    }
    phone->udp_listener_id_ = udp->id;
    phone->udp_port_ = udp->port;
    PhoneStun::Hooks hooks;
    hooks.send = [self](const StunAddress& server, std::string_view datagram) {
      auto st = self->host_.SendUdp(self->udp_listener_id_, server.ip, server.port, datagram);
      if (!st.ok() && !self->stopping_) {
        self->Log("warn", "stun: send", {{"error", st.message()}});
      }
    };
    hooks.wake_at = [self](uint64_t generation, SysClock::time_point when) {
      self->strand_->PostAt(when, [self, generation, when] {
        if (self->stun_) self->stun_->OnWake(generation, when);
      });
    };
    phone->stun_ = std::make_unique<PhoneStun>(std::move(hooks));
  }
  (void)self;
  return phone;
}

Phone::~Phone() { Stop(); }

void Phone::AddService(std::unique_ptr<PhoneService> service) {
  services_.push_back(std::move(service));
}

void Phone::Log(std::string_view level, std::string_view message, const RuntimeLog::Fields& f) {
  if (options_.log) options_.log->Write(level, serial(), message, f);
}

cwmp::Status Phone::PrepareStore(bool process_start) {
  const std::string state_file = options_.state_dir + "/" + ParameterStore::kFileName;
  bool first_start = !FileExists(state_file);
  auto store = ParameterStore::Open(options_.state_dir);
  if (!store.ok()) return store.status();
  if (first_start && options_.first_start_profile) {
    auto applied = (*store)->ApplyProfile(*options_.first_start_profile, ChangeSource::kLocal);
    if (!applied.ok()) return applied.status().WithPrefix("--profile");
    Log("info", "first start: profile applied",
        {{"parameters", std::to_string(applied->applied)},
         {"unknown", std::to_string(applied->unknown.size())}});
  }
  if (!process_start && !(*store)->Get("ACS_URL").empty()) return cwmp::Status::Ok();
  StoreEdit edit;
  auto set = [&](const char* name, const std::string& value) {
    if ((*store)->Get(name) != value) edit.values.emplace_back(name, value);
  };
  if (options_.acs_url) {
    set("ACS_URL", *options_.acs_url);
    set("Enable_TR-069", "Yes");
  }
  if (options_.acs_username) set("ACS_Username", *options_.acs_username);
  if (options_.acs_password) set("ACS_Password", options_.acs_password->Reveal());
  if (options_.stun_server_address) {
    set("TR-069_STUN_Enable", "Yes");
    set("TR-069_STUN_Server_Address", *options_.stun_server_address);
    set("TR-069_STUN_Server_Port", std::to_string(options_.stun_server_port));
  }
  if (edit.values.empty()) return cwmp::Status::Ok();
  return (*store)->Commit(edit, ChangeSource::kLocal).WithPrefix("command-line settings");
}

void Phone::Start() {
  if (options_.first_boot_delay.count() > 0) {
    strand_->PostAt(SysClock::now() + options_.first_boot_delay, [this] { Boot(); });
  } else {
    strand_->Post([this] { Boot(); });
  }
}

void Phone::Post(Action action) {
  strand_->Post([this, action = std::move(action)] { action(*this); });
}

void Phone::PostAt(SysClock::time_point when, Action action) {
  strand_->PostAt(when, [this, action = std::move(action)] { action(*this); });
}

std::string Phone::connection_request_url() const {
  std::lock_guard lock(url_mu_);
  return cr_url_;
}

void Phone::Boot() {
  if (stopping_) return;
  ++epoch_;
  rebooting_ = false;
  use_backup_ = false;
  if (boots_ > 0) {
    auto st = PrepareStore(false);
    if (!st.ok()) Log("error", "boot: " + st.message());
  }
  DeviceIdentity identity = options_.identity;
  auto slots = ImageSlots::Open(options_.state_dir);
  if (!slots.ok()) return BootFailed(slots.status().WithPrefix("image slots"));
  slots_ = std::make_unique<ImageSlots>(std::move(*slots));
  if (slots_->Active()) identity.software_version = slots_->Active()->version;  // what boots
  auto ca = CaStore::Open(options_.state_dir);
  if (!ca.ok()) return BootFailed(ca.status().WithPrefix("CA store"));
  ca_store_ = std::make_unique<CaStore>(std::move(*ca));
  NetworkExecutorOptions exec;
  exec.state_dir = options_.state_dir;
  exec.image_slots = slots_.get();
  exec.ca_store = ca_store_.get();
  exec.fetch.client_cert_file = options_.client_cert_file;
  exec.fetch.client_key_file = options_.client_key_file;
  exec.fetch.user_agent = "Cisco-" + identity.model_name + "/" + identity.software_version;
  exec.policy.model = identity.model_name;
  auto executor = MakeNetworkTransferExecutor(exec);
  if (!executor.ok()) return BootFailed(executor.status());
  executor_ = std::move(*executor);
  clock_ = SystemClock();

  DeviceOptions d;
  d.state_dir = options_.state_dir;
  d.identity = identity;
  d.executor = executor_.get();
  d.clock = clock_.get();
  d.config_decode = options_.config_decode;
  d.request_session = [this] { RequestSession(); };
  d.reboot = [this] {
    rebooting_ = true;  // acted on when the session or Tick returns to the strand
    std::lock_guard lock(client_mu_);
    if (client_) client_->Stop();
  };
  uint64_t epoch = epoch_;
  d.schedule_tick = [this](std::chrono::sys_seconds t) { ScheduleTick(t); };
  auto device = Device::Start(std::move(d));
  if (!device.ok()) return BootFailed(device.status());
  device_ = std::move(*device);
  delegate_ = std::make_unique<Delegate>(*this, *device_);

  config_ = std::make_unique<Config>(Config::From(device_->store()));
  CwmpClientOptions co;
  co.session.acs_url = config_->url;
  co.session.max_version = config_->max_version;
  co.session.session_timeout = options_.session_timeout;
  co.retry = config_->retry();
  co.periodic.enable = false;  // the Device owns the periodic Inform (phone.h)
  {
    std::lock_guard lock(client_mu_);
    client_ = std::make_unique<CwmpClient>(co, MakeHttpClient(*config_), *delegate_,
                                           ClientClockInstance(), random_);
  }
  ApplyConfig(/*force=*/true);
  ++boots_;
  Log("info", "boot",
      {{"boot", std::to_string(boots_.load())},
       {"software_version", identity.software_version},
       {"acs_url", config_->url},
       {"connection_request_url", connection_request_url()},
       {"tr069", config_->enable ? "enabled" : "disabled"}});
  CheckDhcp(/*force=*/true);
  for (auto& s : services_) s->OnBoot(*this);
  client_->Trigger(SessionTrigger::kBoot);
  RunTick();
  if (rebooting_) return Restart();
  RunClient();
  if (options_.dhcp_poll_interval.count() > 0) {
    strand_->PostAt(SysClock::now() + options_.dhcp_poll_interval, [this, epoch] {
      if (epoch == epoch_) PollDhcp();
    });
  }
}

void Phone::BootFailed(const cwmp::Status& status) {
  if (options_.stats) ++options_.stats->boot_failures;
  Log("error", "boot failed, retrying in 60 s", {{"error", status.message()}});
  executor_.reset();
  ca_store_.reset();
  slots_.reset();
  strand_->PostAt(SysClock::now() + std::chrono::seconds(60), [this] { Boot(); });
}

std::unique_ptr<HttpClient> Phone::MakeHttpClient(const Config& c) {
  HttpClientOptions http;
  bool backup = c.UsesBackup(use_backup_);
  http.username = backup ? c.backup_username : c.username;
  http.password = cwmp::Secret(backup ? c.backup_password : c.password);
  http.request_timeout = options_.session_timeout;
  if (!options_.ca_file.empty()) {
    http.extra_ca_file = options_.ca_file;
  } else if (std::string custom = options_.state_dir + "/ca/custom_ca.pem"; FileExists(custom)) {
    http.extra_ca_file = custom;
  }
  http.client_cert_file = options_.client_cert_file;  // TLS client authentication to the ACS
  http.client_key_file = options_.client_key_file;
  http.user_agent = "cpe-agent " + options_.identity.model_name;
  return MakeAcsHttpClient(std::move(http));
}

void Phone::Shutdown() {
  for (auto& s : services_) s->OnShutdown(*this);
  {
    std::lock_guard lock(client_mu_);
    client_.reset();
  }
  delegate_.reset();
  device_.reset();
  executor_.reset();
  ca_store_.reset();
  slots_.reset();
  config_.reset();
  client_timer_.reset();
  tick_timer_.reset();
  if (stun_) stun_->Stop();  // the next boot binds again (with BINDING-CHANGE)
  udp_notify_delayed_ = false;
  ++epoch_;  // timers of this boot are void
}

void Phone::Restart() {
  if (options_.stats) ++options_.stats->reboots;
  Log("info", "reboot");
  Shutdown();
  Boot();
}

void Phone::RequestSession() {
  if (!client_) return;
  client_->Trigger(SessionTrigger::kInformNow);
  uint64_t epoch = epoch_;
  strand_->Post([this, epoch] {
    if (epoch == epoch_) RunClient();
  });
}

void Phone::RequestReboot() {
  uint64_t epoch = epoch_;
  strand_->Post([this, epoch] {
    if (epoch == epoch_ && !stopping_ && device_) Restart();
  });
}

cwmp::Result<ParameterStore::ApplyResult> Phone::ApplyLocalProfile(
    const cwmp::prov::FlatProfile& profile) {
  if (!device_) return cwmp::FailedPrecondition("the phone is rebooting");
  auto result = device_->ApplyLocalProfile(profile);
  ApplyConfig(false);
  return result;
}

void Phone::ScheduleClient(SysClock::time_point when) {
  if (client_timer_ && *client_timer_ <= when) return;
  client_timer_ = when;
  uint64_t epoch = epoch_;
  strand_->PostAt(when, [this, epoch, when] {
    if (epoch != epoch_) return;
    if (client_timer_ == when) client_timer_.reset();
    RunClient();
  });
}

void Phone::ScheduleTick(SysClock::time_point when) {
  if (tick_timer_ && *tick_timer_ <= when) return;
  tick_timer_ = when;
  uint64_t epoch = epoch_;
  strand_->PostAt(when, [this, epoch, when] {
    if (epoch != epoch_) return;
    if (tick_timer_ == when) tick_timer_.reset();
    RunTick();
  });
}

void Phone::RunTick() {
  if (!device_ || rebooting_ || stopping_) return;
  auto next = device_->Tick();
  if (!device_->last_error().ok()) {
    Log("error", "state", {{"error", device_->last_error().message()}});
  }
  if (rebooting_) return Restart();
  ApplyConfig(false);
  ScheduleTick(next);
}

void Phone::RunClient() {
  if (!client_ || rebooting_ || stopping_) return;
  if (!config_->enable || config_->url.empty()) return;  // triggers wait in the client
  CheckDhcp(false);
  uint64_t before = client_->sessions_run();
  auto next = client_->RunDue();
  if (client_->sessions_run() != before) {
    auto outcome = client_->last_outcome();
    if (outcome && !outcome->status.ok()) {
      Log("warn", "session",
          {{"url", session_url_},
           {"events", delegate_->last_events()},
           {"rpcs", delegate_->last_rpcs()},
           {"outcome", "failed"},
           {"error", outcome->status.message()},
           {"retry_count", std::to_string(client_->retry_count())}});
      if (config_->fallback && !config_->backup_url.empty()) {
        use_backup_ = !use_backup_;  // next attempt: the other ACS
        ApplyConfig(/*force=*/true);
      }
    }
  }
  if (rebooting_) return Restart();
  if (stopping_) return;
  ApplyConfig(false);
  if (next) ScheduleClient(*next);
}

void Phone::OnSessionEnd(bool success) {
  if (success) {
    ++sessions_ok_;
    if (options_.stats) ++options_.stats->sessions_ok;
    Log("info", "session",
        {{"url", session_url_},
         {"events", delegate_->last_events()},
         {"rpcs", delegate_->last_rpcs()},
         {"outcome", "ok"}});
  } else {
    ++sessions_failed_;
    if (options_.stats) ++options_.stats->sessions_failed;
  }
  if (device_ && !device_->last_error().ok()) {
    Log("error", "state", {{"error", device_->last_error().message()}});
  }
}

void Phone::OnInformAccepted(const soap::Inform& sent) {
  if (!registered_.exchange(true) && options_.stats) ++options_.stats->phones_registered;
  if (dhcp_pending_generation_ == 0 || session_url_ != dhcp_pending_url_) return;
  for (const auto& e : sent.events) {
    if (e.event_code != kEventBootstrap) continue;
    auto st = WriteBootstrapAck(options_.state_dir, dhcp_pending_generation_);
    if (!st.ok()) {
      Log("error", "dhcp bootstrap ack", {{"error", st.message()}});
      return;
    }
    Log("info", "dhcp bootstrap acknowledged",
        {{"generation", std::to_string(dhcp_pending_generation_)}});
    dhcp_pending_generation_ = 0;
    return;
  }
}

void Phone::OnConnectionRequest() {
  if (options_.stats) ++options_.stats->connection_requests;
  strand_->Post([this] {
    if (!device_ || rebooting_ || stopping_) return;
    Log("info", "connection request");
    auto st = device_->OnConnectionRequest();
    if (!st.ok()) Log("error", "connection request", {{"error", st.message()}});
    client_->Trigger(SessionTrigger::kConnectionRequest);
    RunClient();
  });
}

void Phone::ApplyConfig(bool force) {
  if (!device_ || !client_) return;
  Config next = Config::From(device_->store());
  bool changed = force || next != *config_;
  if (!changed) {
    // The ACS settings did not change, but other parameters may have (Custom_CA_Rule,
    // Upgrade_Rule, Web_Server_Port, ...): the services still hear about it (phone.h).
    for (auto& s : services_) s->OnConfigChanged(*this);
    return;
  }
  bool http_changed =
      force || next.username != config_->username || next.password != config_->password ||
      next.backup_username != config_->backup_username ||
      next.backup_password != config_->backup_password || next.fallback != config_->fallback;
  bool cr_changed =
      force || next.cr_username != config_->cr_username || next.cr_password != config_->cr_password;
  *config_ = next;
  SessionOptions so;
  session_url_ = next.UsesBackup(use_backup_) ? next.backup_url : next.url;
  so.acs_url = session_url_;
  so.max_version = next.max_version;
  so.session_timeout = options_.session_timeout;
  client_->SetSessionOptions(so);
  client_->SetRetryParameters(next.retry());
  if (http_changed) client_->SetHttpClient(MakeHttpClient(next));
  if (cr_changed) {
    ConnectionRequestOptions cr;
    cr.bind_address = options_.cr_listen_address;
    cr.port = cr_port_;
    cr.username = next.cr_username;
    cr.password = cwmp::Secret(next.cr_password);
    host_.ReplaceEndpoint(listener_id_, MakeConnectionRequestEndpoint(
                                            cr, cr_path_, [this] { OnConnectionRequest(); }));
    if (udp_listener_id_ != 0) {
      host_.ReplaceUdpEndpoint(udp_listener_id_,
                               MakeUdpEndpoint(next.cr_username, next.cr_password));
    }
  }
  std::string host = options_.cr_host;
  if (host.empty()) host = ConnectionRequestHost(options_.cr_listen_address, next.url);
  std::string url = "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                    ":" + std::to_string(cr_port_) + cr_path_;
  bool url_changed;
  {
    std::lock_guard lock(url_mu_);
    url_changed = url != cr_url_;
    cr_url_ = url;
  }
  if (udp_listener_id_ != 0) {
    udp_host_ = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    ConfigureStun();
    PublishUdpAddress();
  }
  if (url_changed || force) device_->SetConnectionRequestUrl(url);
  for (auto& s : services_) s->OnConfigChanged(*this);
  if (next.enable && !next.url.empty()) {
    uint64_t epoch = epoch_;
    strand_->Post([this, epoch] {
      if (epoch == epoch_) RunClient();  // e.g. TR-069 was just enabled
    });
  }
}

std::shared_ptr<UdpConnectionRequestEndpoint> Phone::MakeUdpEndpoint(const std::string& username,
                                                                     const std::string& password) {
  auto endpoint = std::shared_ptr<UdpConnectionRequestEndpoint>(new UdpConnectionRequestEndpoint{
      UdpConnectionRequestValidator(username, cwmp::Secret(password)),
      [this] { OnConnectionRequest(); }, nullptr});
  // STUN answers arrive on the reactor thread; the binding lives on the strand.
  endpoint->on_stun = [this](std::string datagram) {
    strand_->Post([this, datagram = std::move(datagram)] { OnStunDatagram(datagram); });
  };
  return endpoint;
}

// Follows the STUN settings (called whenever the configuration changed; a no-op when the
// binding's settings did not).
void Phone::ConfigureStun() {
  if (!stun_) return;
  bool was_running = stun_->running();
  auto st = stun_->Configure(config_->stun, config_->url);
  if (!st.ok()) {
    Log("warn", "stun: binding off", {{"error", st.message()}});
  } else if (stun_->running() && !was_running) {
    Log("info", "stun: binding", {{"server", stun_->server().ToString()}});
  } else if (!stun_->running() && was_running) {
    Log("info", "stun: off");
  }
}

void Phone::OnStunDatagram(const std::string& datagram) {
  if (!stun_ || !device_ || stopping_) return;
  if (!stun_->OnDatagram(datagram)) return;
  if (options_.stats) ++options_.stats->stun_mappings;
  Log("info", "stun: mapped address",
      {{"address", stun_->mapped()->ToString()},
       {"nat_detected", stun_->NatDetected(udp_port_) ? "true" : "false"}});
  PublishUdpAddress();
}

// UDPConnectionRequestAddress: the STUN mapping when one is known, else the local address;
// NATDetected: the mapping differs from the local address (TR-181; false without STUN).
void Phone::PublishUdpAddress() {
  if (!device_ || udp_listener_id_ == 0) return;
  auto mapped = stun_ ? stun_->mapped() : std::nullopt;
  std::string address = mapped ? mapped->ToString() : udp_host_ + ":" + std::to_string(udp_port_);
  device_->model().SetUdpConnectionRequestAddress(address);
  device_->model().SetNatDetected(stun_ && stun_->NatDetected(udp_port_));
  if (ActiveChangeUnreported(kUdpAddressPath)) NotifyUdpAddressChange();
  if (ActiveChangeUnreported("Device.ManagementServer.NATDetected")) RequestSession();
}

// Active notification of UDPConnectionRequestAddress, at most once per
// UDPConnectionRequestAddressNotificationLimit seconds: a change within the limit is notified
// when it expires (if still unreported; any session in between reports it anyway).
void Phone::NotifyUdpAddressChange() {
  auto limit = std::chrono::seconds(config_->udp_notification_limit);
  auto now = SysClock::now();
  if (udp_notified_at_ && now < *udp_notified_at_ + limit) {
    if (udp_notify_delayed_) return;
    udp_notify_delayed_ = true;
    uint64_t epoch = epoch_;
    strand_->PostAt(*udp_notified_at_ + limit, [this, epoch] {
      if (epoch != epoch_) return;
      udp_notify_delayed_ = false;
      if (device_ && ActiveChangeUnreported(kUdpAddressPath)) NotifyUdpAddressChange();
    });
    return;
  }
  udp_notified_at_ = now;
  RequestSession();
}

// A live value with active notification that differs from what the last Inform reported (an
// active change not yet reported); passive ones ride the next Inform (Device::BuildInform).
bool Phone::ActiveChangeUnreported(const char* path) {
  DataModel& model = device_->model();
  const ParamNode* node = model.Find(path);
  if (node == nullptr || model.NotificationOf(*node) != 2) return false;
  const auto& informed = device_->events().state().informed;
  auto it = informed.find(path);
  return it != informed.end() && it->second != model.Read(*node).value;
}

void Phone::PollDhcp() {
  CheckDhcp(false);
  uint64_t epoch = epoch_;
  strand_->PostAt(SysClock::now() + options_.dhcp_poll_interval, [this, epoch] {
    if (epoch == epoch_) PollDhcp();
  });
}

void Phone::CheckDhcp(bool force) {
  if (!device_) return;
  int64_t mtime = DhcpStateMtime(options_.state_dir);
  if (!force && mtime == dhcp_mtime_ns_) return;
  dhcp_mtime_ns_ = mtime;
  if (mtime < 0) return;  // no dhcp.json
  auto seen = ReadDhcpDiscovery(options_.state_dir);
  if (!seen.ok()) {
    Log("warn", "dhcp.json ignored", {{"error", seen.status().message()}});
    return;
  }
  const DhcpDiscovery& dhcp = *seen;
  if (!dhcp.acs_url) return;
  ParameterStore& store = device_->store();
  bool due = dhcp.generation > dhcp.acked;
  if (due && dhcp_pending_generation_ == dhcp.generation) return;  // already applied
  if (!due && !store.Get("ACS_URL").empty()) return;  // a configured URL wins over old news
  StoreEdit edit;
  if (store.Get("ACS_URL") != *dhcp.acs_url) edit.values.emplace_back("ACS_URL", *dhcp.acs_url);
  if (due) {
    if (dhcp.provisioning_code)
      edit.values.emplace_back("Provisioning_Code", *dhcp.provisioning_code);
    if (dhcp.retry_min_wait) {
      edit.values.emplace_back("CWMP_Retry_Minimum_Wait_Interval",
                               std::to_string(*dhcp.retry_min_wait));
    }
    if (dhcp.retry_multiplier) {
      edit.values.emplace_back("CWMP_Retry_Interval_Multiplier",
                               std::to_string(*dhcp.retry_multiplier));
    }
  }
  if (!edit.values.empty()) {
    auto st = store.Commit(edit, ChangeSource::kLocal);
    if (!st.ok()) {
      Log("error", "dhcp settings refused", {{"error", st.message()}});
      return;
    }
  }
  if (due) {
    // Same URL as before but a new generation: the bootstrap is still due (docs/dhcp.md §6).
    bool pending = false;
    for (const auto& e : device_->events().events()) pending |= e.event_code == kEventBootstrap;
    if (!pending && device_->events().state().bootstrapped_url == *dhcp.acs_url) {
      auto st = device_->events().Add(kEventBootstrap);
      if (!st.ok()) Log("error", "dhcp bootstrap", {{"error", st.message()}});
    }
    dhcp_pending_generation_ = dhcp.generation;
    dhcp_pending_url_ = *dhcp.acs_url;
    Log("info", "dhcp: ACS URL discovered",
        {{"acs_url", *dhcp.acs_url}, {"generation", std::to_string(dhcp.generation)}});
  }
  ApplyConfig(false);
  RequestSession();
}

void Phone::Stop() {
  if (stopping_.exchange(true)) return;
  host_.CloseListener(listener_id_);
  if (udp_listener_id_ != 0) host_.CloseListener(udp_listener_id_);
  {
    std::lock_guard lock(client_mu_);
    if (client_) client_->Stop();
  }
  if (!strand_->RunningHere()) {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    strand_->Post([this, done] {
      Shutdown();
      done->set_value();
    });
    // The running session (if any) finishes first; Shutdown then runs on the strand.
    if (future.wait_for(std::chrono::seconds(120)) != std::future_status::ready) {
      Log("warn", "stop: the phone's task did not finish in time");
    }
    strand_->Close();
  }
  Log("info", "stopped");
}

}  // namespace agent
