#include "agent/upgrade_engine.h"

#include <algorithm>

#include "agent/state_file.h"
#include "agent/transfer_executor.h"
#include "cwmp/prov/rule.h"
#include "cwmp/prov/url.h"
#include "cwmp/soap/codec.h"
#include "upgrade/provisioning_context.h"
#include "upgrade/upgrade_state.h"

namespace agent {

using provisioning::FromUnix;
using provisioning::ToUnix;
using std::chrono::sys_seconds;

namespace {

constexpr uint32_t kFaultFileCorrupted = 9018;
constexpr uint32_t kFaultFileAuthentication = 9019;
constexpr uint32_t kFaultInternal = 9002;

// The file name of a URL path without ".loads" ("/fw/sip68xx.11-2-4MPP-0002.loads" gives
// "sip68xx.11-2-4MPP-0002"); "" when the path names no .loads file.
std::string LoadNameOf(const cwmp::prov::ProvisioningUrl& url) {
  std::string_view path = url.path;
  if (size_t q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (size_t slash = path.rfind('/'); slash != std::string_view::npos) {
    path = path.substr(slash + 1);
  }
  constexpr std::string_view kSuffix = ".loads";
  if (path.size() <= kSuffix.size() || !path.ends_with(kSuffix)) return {};
  return std::string(path.substr(0, path.size() - kSuffix.size()));
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

class UpgradeEngine::Impl {
 public:
  explicit Impl(UpgradeEngineOptions options) : o_(std::move(options)) {
    const size_t bundle_max = static_cast<size_t>(kMaxBundleHeader + kMaxFirmwarePayload);
    o_.fetch.max_bytes = std::max(o_.fetch.max_bytes, bundle_max);
  }

  cwmp::Status Load() {
    CWMP_RETURN_IF_ERROR(EnsureStateDir(o_.state_dir));
    auto text = ReadStateFile(o_.state_dir, UpgradeState::kFileName);
    if (!text.ok()) {
      if (text.status().code() == cwmp::StatusCode::kNotFound) return cwmp::Status::Ok();
      return text.status();
    }
    auto state = DecodeUpgradeState(*text);
    if (!state.ok()) return state.status().WithPrefix(o_.state_dir);
    s_ = std::move(state).value();
    return cwmp::Status::Ok();
  }

  cwmp::Status OnBoot() {
    const sys_seconds now = o_.clock->Now();
    if (s_.in_progress) {
      const bool manual = s_.in_progress_manual;
      const std::string url_text = s_.last_url;
      if (!s_.installing.empty() && SoftwareVersion() == s_.installing) {
        // The slot switch happened; only the bookkeeping after it was lost.
        CWMP_RETURN_IF_ERROR(RecordSuccess(manual, /*rebooting=*/true));
        Report(url_text, {});
      } else {
        cwmp::prov::MacroVariables vars = Macros(now);
        CWMP_RETURN_IF_ERROR(Fail("upgrade interrupted", kFaultInternal, manual, url_text, &vars));
      }
    }
    if (s_.resync_pending) {
      s_.resync_pending = false;
      CWMP_RETURN_IF_ERROR(Persist());
      if (o_.request_resync) o_.request_resync();
    }
    booted_ = true;
    return cwmp::Status::Ok();
  }

  std::optional<sys_seconds> NextWakeup() const {
    if (!Enabled() || reboot_requested_) return std::nullopt;
    const sys_seconds now = o_.clock->Now();
    if (manual_url_ || waiting_for_idle_) {
      return waiting_for_idle_ ? now + UpgradeEngine::kIdlePoll : now;
    }
    if (!booted_ || !evaluated_) return now;
    if (s_.outcome == UpgradeOutcome::kFailed && s_.next_retry != 0) {
      return std::max(now, FromUnix(s_.next_retry));
    }
    return std::nullopt;
  }

  cwmp::Status RunDue(sys_seconds now) {
    waiting_for_idle_ = false;
    // A new image waits for the restart; nothing may replace it before.
    if (reboot_requested_) return cwmp::Status::Ok();
    if (!Enabled()) {
      manual_url_.reset();
      return cwmp::Status::Ok();
    }
    if (manual_url_) {
      if (!LinesIdle()) {
        waiting_for_idle_ = true;
        return cwmp::Status::Ok();
      }
      std::string url = std::move(*manual_url_);
      manual_url_.reset();
      auto parsed = cwmp::prov::ParseProvisioningUrl(url, cwmp::prov::HostRequirement::kRequired);
      if (parsed.ok()) return Attempt(*parsed, /*manual=*/true, now);
    }
    evaluated_ = true;
    return RunRule(now);
  }

  cwmp::Status UpgradeNow(std::string_view url) {
    if (!Enabled()) return cwmp::FailedPrecondition("upgrade refused: Upgrade_Enable is No");
    auto parsed = cwmp::prov::ParseProvisioningUrl(url, cwmp::prov::HostRequirement::kRequired);
    if (!parsed.ok()) return cwmp::InvalidArgument(parsed.status().message());
    manual_url_ = std::string(url);
    return cwmp::Status::Ok();
  }

  UpgradeStatus Status() const {
    UpgradeStatus st;
    st.software_version = SoftwareVersion();
    st.upgst = s_.upgst;
    st.upgerr = s_.upgerr;
    st.last_url = s_.last_url;
    st.last_result = s_.last_result;
    if (s_.last_attempt != 0) st.last_attempt = FromUnix(s_.last_attempt);
    if (s_.outcome == UpgradeOutcome::kFailed && s_.next_retry != 0) {
      st.next_retry = FromUnix(s_.next_retry);
    }
    if (!Enabled()) {
      st.state = "disabled";
    } else if (reboot_requested_) {
      st.state = "reboot pending";
    } else if (waiting_for_idle_) {
      st.state = "waiting for idle lines";
    } else if (manual_url_) {
      st.state = "upgrade requested";
    } else if (st.next_retry) {
      st.state = "retry scheduled";
    } else {
      st.state = "idle";
    }
    return st;
  }

  std::string SoftwareVersion() const {
    auto active = o_.slots->Active();
    return active ? active->version : o_.factory_version;
  }

 private:
  bool Enabled() const { return provisioning::IsYes(o_.store->Get("Upgrade_Enable")); }
  void RequestReboot() {
    reboot_requested_ = true;
    if (o_.request_reboot) o_.request_reboot();
  }
  bool LinesIdle() const { return !o_.lines_idle || o_.lines_idle(); }
  bool ResyncAfterAttempt() const {
    return provisioning::IsYes(o_.store->Get("Resync_After_Upgrade_Attempt"));
  }

  cwmp::Status Persist() {
    return WriteStateFile(o_.state_dir, UpgradeState::kFileName, EncodeUpgradeState(s_));
  }

  // The macro variables for rule evaluation and log messages at `now`.
  cwmp::prov::MacroVariables Macros(sys_seconds now) const {
    cwmp::prov::MacroVariables vars;
    provisioning::SetStoreMacros(*o_.store, &vars);
    if (o_.fill_macros) o_.fill_macros(&vars);
    (void)vars.Set("SWVER", SoftwareVersion());
    (void)vars.Set("UPGST", std::to_string(s_.upgst));
    (void)vars.Set("UPGERR", s_.upgerr);
    const int64_t since = s_.last_attempt == 0 ? ToUnix(now) : ToUnix(now) - s_.last_attempt;
    (void)vars.Set("UPGTMR", std::to_string(std::max<int64_t>(since, 0)));
    return vars;
  }

  // Evaluates Upgrade_Rule and starts the attempt it asks for, if one is due.
  cwmp::Status RunRule(sys_seconds now) {
    const std::string rule_text = o_.store->Get("Upgrade_Rule");
    if (Trimmed(rule_text).empty()) return cwmp::Status::Ok();
    cwmp::prov::MacroVariables vars = Macros(now);
    auto selection = cwmp::prov::EvaluateRuleText(rule_text, cwmp::prov::RuleKind::kUpgrade, vars);
    if (!selection.ok()) {
      // The guide treats an evaluation failure as a failed attempt; it is retried like one.
      if (!Due(rule_text, "", now)) return cwmp::Status::Ok();
      BeginTracking(rule_text, "");
      s_.last_attempt = ToUnix(now);
      s_.last_url.clear();
      std::string err = "Upgrade_Rule: " + selection.status().message();
      vars = Macros(now);
      (void)vars.Set("ERR", err);
      Log(ProvisioningLogEvent::kUpgradeFailure, vars);
      return RecordFailure(err, /*manual=*/false, now);
    }
    if (!selection.value()) return cwmp::Status::Ok();  // no alternative selected
    const cwmp::prov::RuleSelection& chosen = **selection;
    const std::string url = chosen.url->ToString();
    if (!Due(rule_text, url, now)) return cwmp::Status::Ok();
    if (!LinesIdle()) {
      waiting_for_idle_ = true;
      return cwmp::Status::Ok();
    }
    CWMP_RETURN_IF_ERROR(ApplyAssignments(chosen));
    BeginTracking(rule_text, url);
    return Attempt(*chosen.url, /*manual=*/false, now);
  }

  // True when the rule + URL differ from the last attempt, or its retry is due.
  bool Due(const std::string& rule, const std::string& url, sys_seconds now) const {
    if (rule != s_.rule || url != s_.url || s_.outcome == UpgradeOutcome::kNone) return true;
    return s_.outcome == UpgradeOutcome::kFailed && s_.next_retry != 0 &&
           ToUnix(now) >= s_.next_retry;
  }

  // A new rule or URL starts over as a first attempt; the same one is a retry.
  void BeginTracking(const std::string& rule, const std::string& url) {
    if (rule != s_.rule || url != s_.url) {
      s_.rule = rule;
      s_.url = url;
      s_.outcome = UpgradeOutcome::kNone;
      s_.failures = 0;
      s_.next_retry = 0;
      s_.upgst = 1;
    }
  }

  cwmp::Status ApplyAssignments(const cwmp::prov::RuleSelection& chosen) {
    if (chosen.assignments.empty()) return cwmp::Status::Ok();
    StoreEdit edit;
    for (const auto& a : chosen.assignments) edit.values.emplace_back(a.name, a.value);
    cwmp::Status st = o_.store->Commit(edit, ChangeSource::kLocal);
    // Unknown names or bad values do not stop the upgrade (the guide ignores unknown names).
    if (st.code() == cwmp::StatusCode::kNotFound ||
        st.code() == cwmp::StatusCode::kInvalidArgument) {
      return cwmp::Status::Ok();
    }
    return st;
  }

  // One upgrade attempt to `url`: request message, fetch, checks, install, outcome.
  cwmp::Status Attempt(const cwmp::prov::ProvisioningUrl& url, bool manual, sys_seconds now) {
    const std::string url_text = url.ToString();
    // "If the load is already on the device, it will not try to get the load."
    const std::string load = LoadNameOf(url);
    if (!load.empty() && load == SoftwareVersion()) return RecordAlreadyRunning(manual);
    if (auto inactive = o_.slots->Inactive(); !load.empty() && inactive && o_.slots->Active() &&
                                              inactive->version == load) {
      return SwitchToInactive(manual, url_text, now);
    }

    s_.in_progress = true;
    s_.in_progress_manual = manual;
    s_.installing.clear();
    s_.last_attempt = ToUnix(now);
    s_.last_url = url_text;
    CWMP_RETURN_IF_ERROR(Persist());
    start_time_ = cwmp::soap::FormatDateTime(now);
    file_size_ = 0;

    cwmp::prov::MacroVariables vars = Macros(now);
    cwmp::prov::SetRequestTargetVariables(url, &vars);
    (void)vars.Set("SERVIP", provisioning::ServerIpForLog(url.host, o_.fetch));
    Log(ProvisioningLogEvent::kUpgradeRequest, vars);

    FetchResult fetched = Fetch(url_text, o_.fetch);
    if (!fetched.server_ip.empty()) (void)vars.Set("SERVIP", fetched.server_ip);
    if (!fetched.ok()) {
      return Fail(fetched.error, provisioning::FetchFaultCode(fetched), manual, url_text, &vars);
    }
    file_size_ = static_cast<uint32_t>(std::min<size_t>(fetched.body.size(), UINT32_MAX));

    UpgradePolicy policy = o_.policy;
    policy.downgrade_rev_limit = o_.store->Get("Downgrade_Rev_Limit");
    auto bundle = ValidateUpgrade(fetched.body, policy);
    fetched.body.clear();
    if (!bundle.ok()) {
      const std::string detail = bundle.status().message();
      const bool signature = detail.find("signature") != std::string::npos;
      return Fail("image rejected: " + detail,
                  signature ? kFaultFileAuthentication : kFaultFileCorrupted, manual, url_text,
                  &vars);
    }
    const bool same_version = bundle->manifest.version == SoftwareVersion();
    if (!same_version) {
      s_.installing = bundle->manifest.version;
      CWMP_RETURN_IF_ERROR(Persist());
      cwmp::Status installed = o_.slots->Install(*bundle);
      if (!installed.ok()) {
        return Fail("image install failed: " + installed.message(), kFaultInternal, manual,
                    url_text, &vars);
      }
    }
    (void)vars.Set("ERR", "");
    CWMP_RETURN_IF_ERROR(RecordSuccess(manual, /*rebooting=*/!same_version));
    Report(url_text, {});
    Log(ProvisioningLogEvent::kUpgradeSuccess, vars);
    if (same_version) {
      // Nothing to boot into: the post-attempt resync happens now.
      if (ResyncAfterAttempt() && o_.request_resync) o_.request_resync();
      return cwmp::Status::Ok();
    }
    RequestReboot();
    return cwmp::Status::Ok();
  }

  // The rule names the image that already runs: nothing to fetch; the rule counts as done.
  cwmp::Status RecordAlreadyRunning(bool manual) {
    if (manual) return cwmp::Status::Ok();
    s_.outcome = UpgradeOutcome::kSucceeded;
    s_.next_retry = 0;
    s_.failures = 0;
    return Persist();
  }

  // The image is in the inactive slot: switch to it and reboot, no transfer.
  cwmp::Status SwitchToInactive(bool manual, const std::string& url_text, sys_seconds now) {
    s_.last_attempt = ToUnix(now);
    s_.last_url = url_text;
    start_time_ = cwmp::soap::FormatDateTime(now);
    file_size_ = 0;
    cwmp::Status st = o_.slots->ActivateInactive();
    if (!st.ok()) {
      cwmp::prov::MacroVariables vars = Macros(now);
      return Fail("image install failed: " + st.message(), kFaultInternal, manual, url_text,
                  &vars);
    }
    CWMP_RETURN_IF_ERROR(RecordSuccess(manual, /*rebooting=*/true));
    Report(url_text, {});
    RequestReboot();
    return cwmp::Status::Ok();
  }

  // `rebooting`: the Resync_After_Upgrade_Attempt resync is requested after the reboot.
  cwmp::Status RecordSuccess(bool manual, bool rebooting) {
    if (!manual) {
      s_.outcome = UpgradeOutcome::kSucceeded;
      s_.failures = 0;
      s_.next_retry = 0;
    }
    s_.upgst = 1;
    s_.upgerr.clear();
    s_.last_result = "succeeded";
    s_.in_progress = false;
    s_.in_progress_manual = false;
    s_.installing.clear();
    s_.resync_pending = rebooting && ResyncAfterAttempt();
    return Persist();
  }

  // Bookkeeping of a failed attempt: $UPGERR, $UPGST = 2 and the retry (automatic attempts).
  cwmp::Status RecordFailure(const std::string& err, bool manual, sys_seconds now) {
    s_.upgerr = err;
    s_.last_result = "failed: " + err;
    s_.in_progress = false;
    s_.in_progress_manual = false;
    s_.installing.clear();
    if (!manual) {
      s_.outcome = UpgradeOutcome::kFailed;
      s_.upgst = 2;
      auto schedule =
          cwmp::prov::DelaySchedule::Parse(o_.store->Get("Upgrade_Error_Retry_Delay"),
                                           "Upgrade_Error_Retry_Delay");
      std::optional<uint64_t> delay;
      if (schedule.ok()) delay = schedule->Delay(s_.failures, *o_.random);
      ++s_.failures;
      s_.next_retry = delay ? ToUnix(now) + static_cast<int64_t>(*delay) : 0;
    }
    return Persist();
  }

  cwmp::Status Fail(const std::string& err, uint32_t fault_code, bool manual,
                    const std::string& url_text, cwmp::prov::MacroVariables* vars) {
    const sys_seconds now = o_.clock->Now();
    CWMP_RETURN_IF_ERROR(RecordFailure(err, manual, now));
    cwmp::soap::TransferFault fault;
    fault.fault_code = fault_code;
    fault.fault_string = err;
    Report(url_text, fault);
    (void)vars->Set("ERR", err);
    Log(ProvisioningLogEvent::kUpgradeFailure, *vars);
    if (ResyncAfterAttempt() && o_.request_resync) {
      o_.request_resync();
    }
    return cwmp::Status::Ok();
  }

  void Report(const std::string& url_text, const cwmp::soap::TransferFault& fault) {
    if (!o_.report) return;
    TransferResult r;
    r.autonomous = true;
    r.is_download = true;
    r.fault = fault;
    r.transfer_url = url_text;
    r.file_type = std::string(kFileTypeFirmware);
    r.file_size = file_size_;
    r.start_time = start_time_;
    r.complete_time = cwmp::soap::FormatDateTime(o_.clock->Now());
    o_.report(std::move(r));
  }

  void Log(ProvisioningLogEvent event, const cwmp::prov::MacroContext& vars) const {
    if (o_.log) {
      o_.log(event, vars);
    } else {
      provisioning::LogFromStore(*o_.store, event, vars);
    }
  }

  UpgradeEngineOptions o_;
  UpgradeState s_;
  bool booted_ = false;
  bool evaluated_ = false;  // RunDue ran since the boot
  bool waiting_for_idle_ = false;
  bool reboot_requested_ = false;  // until the restart (a new engine)
  std::optional<std::string> manual_url_;
  std::string start_time_{cwmp::soap::kUnknownTime};
  uint32_t file_size_ = 0;
};

UpgradeEngine::UpgradeEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
UpgradeEngine::~UpgradeEngine() = default;

cwmp::Result<std::unique_ptr<UpgradeEngine>> UpgradeEngine::Create(UpgradeEngineOptions options) {
  if (options.store == nullptr || options.slots == nullptr || options.clock == nullptr ||
      options.random == nullptr) {
    return cwmp::InvalidArgument("UpgradeEngine: store, slots, clock and random are required");
  }
  auto impl = std::make_unique<Impl>(std::move(options));
  CWMP_RETURN_IF_ERROR(impl->Load());
  return std::unique_ptr<UpgradeEngine>(new UpgradeEngine(std::move(impl)));
}

cwmp::Status UpgradeEngine::OnBoot() { return impl_->OnBoot(); }
std::optional<sys_seconds> UpgradeEngine::NextWakeup() const { return impl_->NextWakeup(); }
cwmp::Status UpgradeEngine::RunDue(sys_seconds now) { return impl_->RunDue(now); }
cwmp::Status UpgradeEngine::UpgradeNow(std::string_view url) { return impl_->UpgradeNow(url); }
UpgradeStatus UpgradeEngine::Status() const { return impl_->Status(); }
std::string UpgradeEngine::SoftwareVersion() const { return impl_->SoftwareVersion(); }

}  // namespace agent
