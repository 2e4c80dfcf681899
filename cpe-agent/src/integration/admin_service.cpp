// The admin service: the admin web server and the SIP NOTIFY listener of one phone, over an
// AdminActions that hands every command to the phone's strand (agent/phone_services.h).
//
// The servers call AdminActions on their own threads. Settings, status and line state are
// answered from thread-safe snapshots without waiting; config.xml and /admin/upgrade wait
// (bounded) for their strand task; resync, reboot and restart are posted and answered at once.
// The listeners live as long as the phone (they survive in-process reboots); they are only
// stopped in the destructor, after Phone::Stop() closed the strand, so a request waiting for
// the strand can never hold up a reboot.

#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "agent/admin_server.h"
#include "agent/cwmp_client_clock.h"
#include "agent/sip_listener.h"
#include "cwmp/prov/rule.h"
#include "integration/services_internal.h"

namespace agent::services {
namespace {

// How long a web request waits for the phone's strand (a resync or upgrade may be running).
constexpr std::chrono::seconds kStrandWait{20};

const SystemClientClock& SipClock() {
  static const SystemClientClock clock;
  return clock;
}

// Runs `fn` on the phone's strand and waits for its result (bounded).
template <class T>
cwmp::Result<T> RunOnStrand(Phone& phone, std::function<cwmp::Result<T>(Phone&)> fn) {
  auto promise = std::make_shared<std::promise<cwmp::Result<T>>>();
  auto future = promise->get_future();
  phone.Post([promise, fn = std::move(fn)](Phone& p) { promise->set_value(fn(p)); });
  if (future.wait_for(kStrandWait) != std::future_status::ready) {
    return cwmp::FailedPrecondition("the phone is busy (a resync or upgrade is running)");
  }
  try {
    return future.get();
  } catch (const std::future_error&) {  // the task was dropped: the phone is stopping
    return cwmp::FailedPrecondition("the phone is stopping");
  }
}

class PhoneAdminActions final : public AdminActions {
 public:
  PhoneAdminActions(Phone& phone, std::shared_ptr<ServiceContext> ctx)
      : phone_(phone), ctx_(std::move(ctx)) {}

  AdminSettings Settings() override { return ctx_->Settings(); }

  cwmp::Status Resync(std::optional<std::string> rule) override {
    if (!ctx_->ProvisionEnabled()) return cwmp::FailedPrecondition("Provision_Enable is No");
    if (rule) {
      auto parsed = cwmp::prov::ParseRule(*rule, cwmp::prov::RuleKind::kProfile);
      if (!parsed.ok()) return parsed.status().WithPrefix("resync rule");
    }
    auto ctx = ctx_;
    phone_.Post([ctx, rule = std::move(rule)](Phone& p) {
      if (ctx->resync_now) ctx->resync_now(p, rule);
    });
    return cwmp::Status::Ok();
  }

  cwmp::Status Upgrade(std::string url) override {
    auto ctx = ctx_;
    auto queued = RunOnStrand<bool>(phone_, [ctx, url](Phone& p) -> cwmp::Result<bool> {
      if (!ctx->upgrade) return cwmp::FailedPrecondition("the phone is rebooting");
      if (auto st = ctx->upgrade->UpgradeNow(url); !st.ok()) return st;
      // The attempt itself runs in its own strand task, after this answer.
      p.Post([ctx](Phone& phone) {
        if (ctx->run_engines) ctx->run_engines(phone);
      });
      return true;
    });
    return queued.status();
  }

  cwmp::Status Reboot() override {
    phone_.Post([](Phone& p) { p.RequestReboot(); });
    return cwmp::Status::Ok();
  }
  // The phone application is the whole agent here, so a warm restart is the same reboot.
  cwmp::Status Restart() override { return Reboot(); }

  std::string ExportProfile(bool user_view) override {
    auto xml = RunOnStrand<std::string>(phone_, [user_view](Phone& p) -> cwmp::Result<std::string> {
      if (!p.device()) return cwmp::FailedPrecondition("the phone is rebooting");
      return ExportProfileXml(p.device()->store(), user_view);
    });
    return xml.ok() ? *xml : std::string();
  }

  cwmp::Result<AdminApplyReport> ApplyProfile(std::string_view xml, bool user_account) override {
    auto ctx = ctx_;
    return RunOnStrand<AdminApplyReport>(
        phone_,
        [ctx, text = std::string(xml), user_account](Phone& p) -> cwmp::Result<AdminApplyReport> {
          if (!p.device()) return cwmp::FailedPrecondition("the phone is rebooting");
          auto profile = CheckAdminProfile(p.device()->store(), text, user_account);
          if (!profile.ok()) return profile.status();
          auto applied = p.ApplyLocalProfile(*profile);
          if (!applied.ok()) return applied.status();
          PublishStatusFromEngines(p, *ctx);
          return AdminApplyReport{applied->applied, applied->unknown};
        });
  }

  AdminStatus Status() override { return ctx_->Status(); }

  cwmp::Status SetLineBusy(int line, bool busy) override {
    if (auto st = ctx_->lines.SetBusy(line, busy); !st.ok()) return st;
    if (!busy && ctx_->lines.Idle()) {  // a resync or upgrade may be waiting for this
      auto ctx = ctx_;
      phone_.Post([ctx](Phone& p) {
        if (ctx->run_engines) ctx->run_engines(p);
      });
    }
    return cwmp::Status::Ok();
  }
  std::vector<bool> LineStates() override { return ctx_->lines.States(); }
  bool LinesIdle() override { return ctx_->lines.Idle(); }

 private:
  Phone& phone_;
  std::shared_ptr<ServiceContext> ctx_;
};

class AdminService final : public PhoneService {
 public:
  AdminService(std::shared_ptr<ServiceContext> ctx, Phone& phone)
      : ctx_(std::move(ctx)), actions_(phone, ctx_) {}

  ~AdminService() override {
    if (server_) server_->Stop();
    if (sip_) sip_->Stop();
  }

  void OnBoot(Phone& phone) override {
    PublishStatusFromEngines(phone, *ctx_);
    EnsureListeners(phone);
  }

  void OnConfigChanged(Phone& phone) override {
    PublishStatusFromEngines(phone, *ctx_);
    if (server_) server_->Refresh();
    EnsureListeners(phone);
  }

 private:
  void EnsureListeners(Phone& phone) {
    if (ctx_->options.admin && !server_) StartAdmin(phone);
    if (ctx_->options.sip) FollowSip(phone);
  }

  void StartAdmin(Phone& phone) {
    AdminServerOptions o;
    o.listen = ctx_->options.admin_listen;
    o.bind_address = ctx_->options.bind_address;
    RuntimeLog* log = phone.options().log;
    std::string serial = phone.serial();
    if (log) o.log = [log, serial](std::string_view line) { log->Write("info", serial, line); };
    auto server = AdminServer::Start(std::move(o), actions_);
    if (!server.ok()) {
      LogOnce(phone, &admin_error_, "admin web server not started", server.status());
      return;
    }
    server_ = std::move(*server);
    admin_error_.clear();
    Log(phone, "info", "admin web server",
        {{"port", std::to_string(server_->port())},
         {"listen", ctx_->options.admin_listen.empty() ? "Web_Server_Port"
                                                        : ctx_->options.admin_listen}});
  }

  // SIP listener while Resync_From_SIP is Yes, on sip_listen or SIP_Port_1_.
  void FollowSip(Phone& phone) {
    AdminSettings s = ctx_->Settings();
    std::string address = ctx_->options.bind_address;
    uint16_t port = s.sip_port;
    if (const std::string& listen = ctx_->options.sip_listen; !listen.empty()) {
      auto colon = listen.rfind(':');
      address = listen.substr(0, colon);
      port = static_cast<uint16_t>(std::stoul(listen.substr(colon + 1)));
      if (!address.empty() && address.front() == '[') address = address.substr(1, address.size() - 2);
    }
    bool wanted = s.resync_from_sip;
    if (sip_ && (!wanted || (port != 0 && sip_->port() != port))) {
      sip_->Stop();  // the listener never waits for the strand, so this is safe here
      sip_.reset();
      Log(phone, "info", "SIP listener stopped");
    }
    if (!wanted || sip_) return;
    SipListenerOptions o;
    o.bind_address = address;
    o.port = port;
    RuntimeLog* log = phone.options().log;
    std::string serial = phone.serial();
    if (log) o.log = [log, serial](std::string_view line) { log->Write("info", serial, line); };
    auto sip = SipListener::Start(std::move(o), actions_, SipClock());
    if (!sip.ok()) {
      LogOnce(phone, &sip_error_, "SIP listener not started", sip.status());
      return;
    }
    sip_ = std::move(*sip);
    sip_error_.clear();
    Log(phone, "info", "SIP listener", {{"port", std::to_string(sip_->port())}});
  }

  // A listener that cannot bind is retried at every configuration change; say so once.
  void LogOnce(Phone& phone, std::string* last, std::string_view what, const cwmp::Status& st) {
    if (*last == st.message()) return;
    *last = st.message();
    Log(phone, "warn", what, {{"error", st.message()}});
  }

  void Log(Phone& phone, std::string_view level, std::string_view message,
           const RuntimeLog::Fields& fields = {}) {
    if (phone.options().log) phone.options().log->Write(level, phone.serial(), message, fields);
  }

  std::shared_ptr<ServiceContext> ctx_;
  PhoneAdminActions actions_;
  std::unique_ptr<AdminServer> server_;
  std::unique_ptr<SipListener> sip_;
  std::string admin_error_, sip_error_;
};

}  // namespace

std::unique_ptr<PhoneService> MakeAdminService(std::shared_ptr<ServiceContext> ctx, Phone& phone) {
  return std::make_unique<AdminService>(std::move(ctx), phone);
}

}  // namespace agent::services
