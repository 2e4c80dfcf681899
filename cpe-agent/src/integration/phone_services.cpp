// AttachPhoneServices and what the engine and admin services share (services_internal.h).

#include "agent/phone_services.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include "cwmp/dhcp/state.h"
#include "integration/services_internal.h"

namespace agent {
namespace services {

cwmp::Status LineState::SetBusy(int line, bool busy) {
  std::lock_guard lock(mu_);
  if (line < 1 || line > static_cast<int>(busy_.size())) {
    return cwmp::InvalidArgument("line " + std::to_string(line) + " does not exist (1-" +
                                 std::to_string(busy_.size()) + ")");
  }
  busy_[static_cast<size_t>(line - 1)] = busy;
  return cwmp::Status::Ok();
}

std::vector<bool> LineState::States() const {
  std::lock_guard lock(mu_);
  return busy_;
}

bool LineState::Idle() const {
  std::lock_guard lock(mu_);
  for (bool b : busy_) {
    if (b) return false;
  }
  return true;
}

void ServiceContext::PublishSettings(AdminSettings settings, bool provision_enabled) {
  std::lock_guard lock(mu_);
  settings_ = std::move(settings);
  provision_enabled_ = provision_enabled;
}

AdminSettings ServiceContext::Settings() const {
  std::lock_guard lock(mu_);
  return settings_;
}

bool ServiceContext::ProvisionEnabled() const {
  std::lock_guard lock(mu_);
  return provision_enabled_;
}

void ServiceContext::PublishStatus(AdminStatus status) {
  std::lock_guard lock(mu_);
  status_ = std::move(status);
}

AdminStatus ServiceContext::Status() const {
  std::lock_guard lock(mu_);
  AdminStatus s = status_;
  s.last_resync = last_resync_;
  return s;
}

void ServiceContext::RecordResync(AdminOutcome outcome) {
  std::lock_guard lock(mu_);
  last_resync_ = std::move(outcome);
}

std::optional<AdminOutcome> ServiceContext::LastResync() const {
  std::lock_guard lock(mu_);
  return last_resync_;
}

namespace {

std::string ProvisioningStatus(const ResyncStatus& r) {
  if (!r.provision_enabled) return "Disabled (Provision_Enable is No)";
  if (r.waiting_for_idle_lines) return "Resync pending: waiting for idle lines";
  if (r.waiting_for_triggers) return "Resync pending: waiting for Resync_Trigger";
  return "Idle";
}

}  // namespace

void PublishStatusFromEngines(Phone& phone, ServiceContext& ctx) {
  Device* device = phone.device();
  if (!device) return;
  const ParameterStore& store = device->store();
  ctx.PublishSettings(ReadAdminSettings(store), store.Get("Provision_Enable") != "No");

  AdminStatus s;
  s.software_version = phone.options().identity.software_version;
  s.provisioning_status = "Idle";
  s.custom_ca_info = "Not Installed";
  if (ctx.resync) {
    ResyncStatus r = ctx.resync->Status();
    s.provisioning_status = ProvisioningStatus(r);
    if (std::string summary = r.Summary(); !summary.empty()) s.extra.emplace_back("Last Resync", summary);
  }
  if (ctx.upgrade) {
    UpgradeStatus u = ctx.upgrade->Status();
    s.software_version = u.software_version;
    if (!u.last_result.empty() && u.last_attempt) {
      s.last_upgrade = AdminOutcome{u.last_result == "succeeded", *u.last_attempt,
                                    u.last_result == "succeeded" ? u.last_url : u.last_result};
    }
    s.extra.emplace_back("Upgrade Status", u.state);
  }
  if (ctx.custom_ca) {
    CustomCaStatus c = ctx.custom_ca->Status();
    s.custom_ca_info = c.info;
    if (!c.provisioning_status.empty()) {
      bool ok = c.provisioning_status.find("succeeded") != std::string::npos;
      s.custom_ca = AdminOutcome{ok, {}, ok ? c.last_url : c.last_error};
      s.extra.emplace_back("Custom CA Provisioning Status", c.provisioning_status);
    }
  }
  ctx.PublishStatus(std::move(s));
}

std::string DhcpTftpServer(const std::string& state_dir) {
  std::ifstream in(state_dir + "/" + std::string(cwmp::dhcp::kStateFileName), std::ios::binary);
  if (!in) return "";
  std::string text;
  text.resize(cwmp::dhcp::kMaxStateFileBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  auto state = cwmp::dhcp::ParseState(text);
  if (!state.ok()) return "";
  if (state->provisioning_server) {
    const std::string& url = state->provisioning_server->url;
    constexpr std::string_view kTftp = "tftp://";
    if (url.rfind(kTftp, 0) == 0) {
      std::string rest = url.substr(kTftp.size());
      return rest.substr(0, rest.find('/'));
    }
  }
  if (!state->tftp_servers.empty()) return state->tftp_servers.front();
  return "";
}

}  // namespace services

void AttachPhoneServices(Phone& phone, const PhoneServicesOptions& options) {
  auto ctx = std::make_shared<services::ServiceContext>(options);
  if (options.engines) phone.AddService(services::MakeEngineService(ctx));
  if (options.admin || options.sip) phone.AddService(services::MakeAdminService(ctx, phone));
}

}  // namespace agent
