// The engine service: the resync, upgrade and custom CA engines of one phone, created at every
// boot over the new Device's store and driven on the phone's strand (agent/phone_services.h).

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "agent/ca_store.h"
#include "agent/clock.h"
#include "agent/firmware.h"
#include "integration/services_internal.h"

namespace agent::services {
namespace {

using std::chrono::sys_seconds;
using SysClock = std::chrono::system_clock;

// After an engine run the next wakeup is at least this far away, so an engine that reports
// "due now" while it waits (idle lines, triggers) is polled instead of spun.
constexpr std::chrono::seconds kMinRunGap{1};

sys_seconds Now() { return std::chrono::floor<std::chrono::seconds>(SysClock::now()); }

// 8 bytes instead of mt19937_64's 2.5 KB: there is one per phone and a fleet has thousands.
class SplitMixRandom final : public cwmp::prov::Random {
 public:
  SplitMixRandom()
      : state_(static_cast<uint64_t>(SysClock::now().time_since_epoch().count()) ^
               reinterpret_cast<uintptr_t>(this)) {}
  uint64_t Uniform(uint64_t max_inclusive) override {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return max_inclusive == UINT64_MAX ? z : z % (max_inclusive + 1);
  }

 private:
  uint64_t state_;
};

std::string ResyncDetail(const ResyncResult& r) {
  if (!r.success) return r.error;
  for (const auto& f : r.files) {
    if (!f.url.empty()) return f.url;
  }
  return "";
}

class EngineService final : public PhoneService {
 public:
  explicit EngineService(std::shared_ptr<ServiceContext> ctx) : ctx_(std::move(ctx)) {}

  void OnBoot(Phone& phone) override {
    ++boot_;
    if (auto st = CreateEngines(phone); !st.ok()) {
      Log(phone, "error", "services: engines not started", {{"error", st.message()}});
      DestroyEngines();
      return;
    }
    ctx_->resync = resync_.get();
    ctx_->upgrade = upgrade_.get();
    ctx_->custom_ca = custom_ca_.get();
    ctx_->run_engines = [this](Phone& p) { Run(p, boot_, /*evaluate=*/true); };
    ctx_->resync_now = [this](Phone& p, std::optional<std::string> rule) {
      ResyncNow(p, std::move(rule));
    };
    // Order: the resync engine first, since the upgrade engine's OnBoot may ask it for the
    // post-upgrade resync.
    resync_->OnBoot();
    if (auto st = upgrade_->OnBoot(); !st.ok()) {
      Log(phone, "error", "upgrade engine boot", {{"error", st.message()}});
    }
    if (auto st = custom_ca_->OnBoot(); !st.ok()) {
      Log(phone, "error", "custom CA engine boot", {{"error", st.message()}});
    }
    PublishStatusFromEngines(phone, *ctx_);
    evaluate_ = true;
    Schedule(phone, SysClock::now());
  }

  void OnConfigChanged(Phone& phone) override {
    if (!resync_) return;
    // Upgrade_Rule / Custom_CA_Rule and their conditions may have changed.
    evaluate_ = true;
    Schedule(phone, SysClock::now());
  }

  void OnShutdown(Phone& /*phone*/) override {
    ++boot_;  // timers of this boot do nothing
    DestroyEngines();
  }

 private:
  cwmp::Status CreateEngines(Phone& phone) {
    Device* device = phone.device();
    if (!device) return cwmp::FailedPrecondition("no device");
    const std::string& state = phone.options().state_dir;
    ImageSlots* slots = phone.image_slots();
    CaStore* ca_store = phone.ca_store();
    if (!slots || !ca_store) return cwmp::FailedPrecondition("the phone has no image slots");
    clock_ = SystemClock();

    DeviceIdentity identity = phone.options().identity;
    if (slots->Active()) identity.software_version = slots->Active()->version;
    FetchOptions fetch;
    fetch.ca_store = ca_store;
    fetch.client_cert_file = phone.options().client_cert_file;
    fetch.client_key_file = phone.options().client_key_file;
    fetch.dhcp_tftp_server = DhcpTftpServer(state);
    auto fill_macros = [identity](cwmp::prov::MacroVariables* v) {
      (void)v->Set("PN", identity.model_name);
      (void)v->Set("SN", identity.serial_number);
      (void)v->Set("HWVER", identity.hardware_version);
      (void)v->SetMac(identity.mac_address);
    };
    auto report = [&phone](TransferResult r) -> cwmp::Status {
      Device* d = phone.device();
      if (!d) return cwmp::FailedPrecondition("the phone is rebooting");
      return d->RecordAutonomousTransfer(std::move(r));
    };
    auto lines_idle = [ctx = ctx_.get()] { return ctx->lines.Idle(); };

    ResyncEngineOptions r;
    r.store = &device->store();
    r.clock = clock_.get();
    r.random = &random_;
    r.identity = identity;
    r.fetch = fetch;
    r.state_dir = state;
    r.dhcp_tftp_server = [state] { return DhcpTftpServer(state); };
    r.lines_idle = lines_idle;
    r.apply_profile = [&phone](const cwmp::prov::FlatProfile& p) {
      return phone.ApplyLocalProfile(p);
    };
    r.report_transfer = report;
    auto resync = ResyncEngine::Create(std::move(r));
    if (!resync.ok()) return resync.status().WithPrefix("resync engine");
    resync_ = std::move(*resync);

    UpgradeEngineOptions u;
    u.state_dir = state;
    u.store = &device->store();
    u.slots = slots;
    u.clock = clock_.get();
    u.random = &random_;
    u.fetch = fetch;
    u.fetch.user_agent = "Cisco-" + identity.model_name + "/" + identity.software_version;
    u.policy.model = identity.model_name;
    u.factory_version = phone.options().identity.software_version;
    u.lines_idle = lines_idle;
    u.fill_macros = fill_macros;
    u.request_reboot = [this, &phone] {
      if (ctx_->options.stats) ++ctx_->options.stats->upgrades_installed;
      Log(phone, "info", "upgrade installed: rebooting into the new image");
      phone.RequestReboot();
    };
    u.request_resync = [this, &phone] {
      if (!resync_) return;
      resync_->RequestResyncAfterUpgrade();
      Schedule(phone, SysClock::now());
    };
    u.report = [report](TransferResult t) { (void)report(std::move(t)); };
    auto upgrade = UpgradeEngine::Create(std::move(u));
    if (!upgrade.ok()) return upgrade.status().WithPrefix("upgrade engine");
    upgrade_ = std::move(*upgrade);

    CustomCaEngineOptions c;
    c.state_dir = state;
    c.store = &device->store();
    c.ca_store = ca_store;
    c.clock = clock_.get();
    c.random = &random_;
    c.fetch = fetch;
    c.fill_macros = fill_macros;
    auto custom_ca = CustomCaEngine::Create(std::move(c));
    if (!custom_ca.ok()) return custom_ca.status().WithPrefix("custom CA engine");
    custom_ca_ = std::move(*custom_ca);
    return cwmp::Status::Ok();
  }

  void DestroyEngines() {
    ctx_->resync = nullptr;
    ctx_->upgrade = nullptr;
    ctx_->custom_ca = nullptr;
    ctx_->run_engines = nullptr;
    ctx_->resync_now = nullptr;
    custom_ca_.reset();
    upgrade_.reset();
    resync_.reset();
    clock_.reset();
    scheduled_.reset();
  }

  // Posts Run() at `when` unless a run at or before it is already posted.
  void Schedule(Phone& phone, SysClock::time_point when) {
    if (scheduled_ && *scheduled_ <= when) return;
    scheduled_ = when;
    uint64_t boot = boot_;
    phone.PostAt(when, [this, boot](Phone& p) { Run(p, boot, false); });
  }

  void Run(Phone& phone, uint64_t boot, bool evaluate) {
    if (boot != boot_ || !resync_) return;
    sys_seconds now = Now();
    if (scheduled_ && *scheduled_ <= SysClock::now()) scheduled_.reset();
    evaluate = evaluate || evaluate_;
    evaluate_ = false;  // a change made by the runs below sets it again

    if (auto due = custom_ca_->NextWakeup(); evaluate || (due && *due <= now)) {
      if (auto st = custom_ca_->RunDue(now); !st.ok()) {
        Log(phone, "error", "custom CA engine", {{"error", st.message()}});
      }
    }
    if (auto due = resync_->NextWakeup(); due && *due <= now) {
      if (auto result = resync_->RunDue(now)) Record(phone, *result);
    }
    if (boot != boot_ || !upgrade_) return;
    if (auto due = upgrade_->NextWakeup(); evaluate || (due && *due <= now)) {
      if (auto st = upgrade_->RunDue(now); !st.ok()) {
        Log(phone, "error", "upgrade engine", {{"error", st.message()}});
      }
    }
    PublishStatusFromEngines(phone, *ctx_);
    ScheduleNext(phone);
  }

  void ScheduleNext(Phone& phone) {
    std::optional<sys_seconds> next;
    auto consider = [&](std::optional<sys_seconds> t) {
      if (t && (!next || *t < *next)) next = t;
    };
    consider(resync_->NextWakeup());
    consider(upgrade_->NextWakeup());
    consider(custom_ca_->NextWakeup());
    if (!next) return;
    auto when = std::max<SysClock::time_point>(*next, SysClock::now() + kMinRunGap);
    Schedule(phone, when);
  }

  void ResyncNow(Phone& phone, std::optional<std::string> rule) {
    if (!resync_) return;
    uint64_t boot = boot_;
    ResyncResult result = resync_->ResyncNow(std::move(rule));
    if (boot != boot_ || !resync_) return;
    if (result.ran) Record(phone, result);
    if (!result.ran && !result.deferred) {
      Log(phone, "warn", "resync refused", {{"error", result.error}});
      ctx_->RecordResync({false, Now(), result.error});
    }
    PublishStatusFromEngines(phone, *ctx_);
    ScheduleNext(phone);
  }

  void Record(Phone& phone, const ResyncResult& r) {
    if (!r.ran) return;
    if (ServiceStats* s = ctx_->options.stats) {
      if (r.success) {
        if (!resynced_once_) ++s->phones_resynced;
        ++s->resyncs_ok;
      } else {
        ++s->resyncs_failed;
      }
    }
    if (r.success) resynced_once_ = true;
    ctx_->RecordResync({r.success, Now(), ResyncDetail(r)});
    size_t applied = 0;
    for (const auto& f : r.files) applied += f.applied;
    Log(phone, r.success ? "info" : "warn", r.success ? "resync succeeded" : "resync failed",
        {{"trigger", ResyncTriggerName(r.trigger)},
         {"applied", std::to_string(applied)},
         {"detail", ResyncDetail(r)}});
  }

  void Log(Phone& phone, std::string_view level, std::string_view message,
           const RuntimeLog::Fields& fields = {}) {
    if (phone.options().log) phone.options().log->Write(level, phone.serial(), message, fields);
  }

  std::shared_ptr<ServiceContext> ctx_;
  uint64_t boot_ = 0;
  bool evaluate_ = false;
  bool resynced_once_ = false;
  std::optional<SysClock::time_point> scheduled_;
  SplitMixRandom random_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<ResyncEngine> resync_;
  std::unique_ptr<UpgradeEngine> upgrade_;
  std::unique_ptr<CustomCaEngine> custom_ca_;
};

}  // namespace

std::unique_ptr<PhoneService> MakeEngineService(std::shared_ptr<ServiceContext> ctx) {
  return std::make_unique<EngineService>(std::move(ctx));
}

}  // namespace agent::services
