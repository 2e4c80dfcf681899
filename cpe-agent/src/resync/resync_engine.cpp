// The resync engine: when a resync runs (schedules, triggers, idle lines) and the sequence of
// profile rules of one resync. The transfer of one rule is in rule_transfer.cpp, the persisted
// state in resync_state.cpp.
#include "agent/resync_engine.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

#include "agent/state_file.h"
#include "agent/transfer_executor.h"
#include "cwmp/content/base64.h"
#include "cwmp/prov/condition.h"
#include "cwmp/prov/rule.h"
#include "cwmp/soap/codec.h"
#include "resync/resync_state.h"
#include "resync/rule_transfer.h"

namespace agent {

namespace prov = cwmp::prov;
using resync_internal::PersistedState;
using std::chrono::seconds;
using std::chrono::sys_seconds;

int ProvisioningState(ResyncTrigger trigger) {
  switch (trigger) {
    case ResyncTrigger::kPowerUp:
      return 0;
    case ResyncTrigger::kPeriodic:
    case ResyncTrigger::kResyncAt:
      return 1;
    case ResyncTrigger::kRetry:
      return 2;
    case ResyncTrigger::kExplicit:
    case ResyncTrigger::kAfterUpgrade:
      return -1;
  }
  return -1;
}

const char* ResyncTriggerName(ResyncTrigger trigger) {
  switch (trigger) {
    case ResyncTrigger::kPowerUp:
      return "power-up";
    case ResyncTrigger::kPeriodic:
      return "periodic";
    case ResyncTrigger::kResyncAt:
      return "resync-at";
    case ResyncTrigger::kRetry:
      return "retry";
    case ResyncTrigger::kExplicit:
      return "explicit";
    case ResyncTrigger::kAfterUpgrade:
      return "after-upgrade";
  }
  return "explicit";
}

namespace {

constexpr std::array<const char*, 4> kRuleNames = {"Profile_Rule", "Profile_Rule_B",
                                                   "Profile_Rule_C", "Profile_Rule_D"};
constexpr const char* kExplicitRuleName = "explicit";

// "mm/dd/yyyy HH:MM:SS" in UTC, as the phone's status page shows times.
std::string FormatStatusTime(sys_seconds t) {
  std::time_t tt = t.time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%m/%d/%Y %H:%M:%S", &tm);
  return buf;
}

bool IsYes(std::string_view v) {
  std::string s;
  for (char c : v) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s == "yes" || s == "true" || s == "1" || s == "on";
}

std::optional<uint64_t> ParseUnsigned(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Time_Zone "GMT-06:00", "GMT+5:30", "GMT+01" -> offset; anything else 0.
seconds ParseTimeZoneOffset(std::string_view tz) {
  if (tz.size() < 5 || tz.substr(0, 3) != "GMT" || (tz[3] != '+' && tz[3] != '-')) {
    return seconds{0};
  }
  const int sign = tz[3] == '-' ? -1 : 1;
  std::string_view rest = tz.substr(4);
  size_t colon = rest.find(':');
  auto hours = ParseUnsigned(rest.substr(0, colon));
  std::optional<uint64_t> minutes = uint64_t{0};
  if (colon != std::string_view::npos) minutes = ParseUnsigned(rest.substr(colon + 1));
  if (!hours || !minutes || *hours > 14 || *minutes > 59) return seconds{0};
  return seconds{sign * static_cast<int64_t>(*hours * 3600 + *minutes * 60)};
}

// The User-Agent's version from the software version: "sip68xx.11-0-1MPP" -> "11.0".
std::string UserAgentVersion(const std::string& software_version) {
  size_t dot = software_version.find('.');
  if (dot == std::string::npos) return software_version;
  std::string_view rest = std::string_view(software_version).substr(dot + 1);
  std::string out;
  for (int field = 0; field < 2 && !rest.empty(); ++field) {
    size_t n = 0;
    while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n]))) ++n;
    if (n == 0) break;
    if (!out.empty()) out += '.';
    out += rest.substr(0, n);
    size_t dash = rest.find('-');
    rest = dash == std::string_view::npos ? std::string_view() : rest.substr(dash + 1);
  }
  return out.empty() ? software_version : out;
}

// prov::Random over agent::Clock::Random(), so a FakeClock drives the schedules' randomness.
class ClockRandom final : public prov::Random {
 public:
  explicit ClockRandom(Clock* clock) : clock_(clock) {}
  uint64_t Uniform(uint64_t max_inclusive) override {
    uint64_t r = clock_->Random();
    return max_inclusive == UINT64_MAX ? r : r % (max_inclusive + 1);
  }

 private:
  Clock* clock_;
};

sys_seconds FromUnix(int64_t t) { return sys_seconds{seconds{t}}; }
int64_t ToUnix(sys_seconds t) { return t.time_since_epoch().count(); }

}  // namespace

std::string ResyncStatus::Summary() const {
  if (!last_succeeded || !last_attempt) return "";
  if (*last_succeeded) return "Last resync succeeded on " + FormatStatusTime(*last_attempt);
  return "Last resync failed on " + FormatStatusTime(*last_attempt) + ": " + last_error;
}

struct ResyncEngine::Impl {
  struct Pending {
    ResyncTrigger trigger = ResyncTrigger::kExplicit;
    std::optional<std::string> rule;
    sys_seconds since{};
  };
  struct DueItem {
    ResyncTrigger trigger;
    std::optional<std::string> rule;
    sys_seconds since;
    bool is_explicit;
  };

  ResyncEngineOptions options;
  std::unique_ptr<ClockRandom> own_random;
  prov::Random* random = nullptr;
  std::string state_dir;
  PersistedState state;
  std::optional<Pending> pending;  // explicit requests (not persisted)
  std::string basis;               // schedule parameters the schedule was computed from
  sys_seconds created{};
  bool waiting_for_idle = false;
  sys_seconds idle_deadline{};
  bool waiting_for_triggers = false;

  sys_seconds Now() { return options.clock->Now(); }
  std::string Param(std::string_view name) const { return options.store->Get(name); }
  bool ProvisionEnabled() const { return IsYes(Param("Provision_Enable")); }
  bool LinesIdle() const { return !options.lines_idle || options.lines_idle(); }
  seconds ForcedResyncDelay() const {
    return seconds{static_cast<int64_t>(ParseUnsigned(Param("Forced_Resync_Delay")).value_or(0))};
  }
  seconds UtcOffset() const {
    if (options.utc_offset) return options.utc_offset();
    return ParseTimeZoneOffset(Param("Time_Zone"));
  }

  void Persist() {
    // A failed write keeps the previous file; the in-memory state stays authoritative.
    (void)WriteStateFile(state_dir, resync_internal::kStateFileName,
                         resync_internal::SerializeState(state));
  }

  std::string Basis() const {
    return Param("Resync_Periodic") + "|" + Param("Resync_At__HHmm_") + "|" +
           Param("Resync_At_Random_Delay") + "|" + Param("Resync_Error_Retry_Delay") + "|" +
           std::to_string(UtcOffset().count());
  }

  // ---- macros --------------------------------------------------------------------------------

  int64_t ProvisioningTimer(sys_seconds now) const {
    sys_seconds since = state.last_attempt ? FromUnix(*state.last_attempt) : created;
    return std::max<int64_t>(0, (now - since).count());
  }

  prov::MacroVariables BuildMacros(int prvst, int64_t prvtmr) const {
    prov::MacroVariables v;
    const DeviceIdentity& id = options.identity;
    (void)v.SetMac(id.mac_address);
    (void)v.Set("PN", id.model_name);
    (void)v.Set("SN", id.serial_number);
    (void)v.Set("SWVER", id.software_version);
    (void)v.Set("HWVER", id.hardware_version);
    (void)v.Set("CCERT", ClientCertificateMacro(options.fetch));
    (void)v.Set("PRVST", std::to_string(prvst));
    (void)v.Set("PRVTMR", std::to_string(prvtmr));
    for (char c = 'A'; c <= 'P'; ++c) {
      std::string name = std::string("GPP_") + c;
      v.SetParameter(name, Param(name));
    }
    for (char c = 'A'; c <= 'D'; ++c) {
      std::string name = std::string("GPP_S") + c;
      v.SetParameter(name, Param(name));
    }
    for (int n = 1; n <= 99; ++n) {
      std::string name = "User_ID_" + std::to_string(n) + "_";
      if (options.store->Find(name) == nullptr) break;
      v.SetParameter(name, Param(name));
    }
    if (options.extra_macros) options.extra_macros(v);
    return v;
  }

  // ---- schedule ------------------------------------------------------------------------------

  // The regular schedule from `from`: Resync_At when valid, else Resync_Periodic once a resync
  // has succeeded; nothing otherwise.
  void ScheduleRegular(sys_seconds from) {
    state.next_due.reset();
    auto at = prov::ParseResyncAt(Param("Resync_At__HHmm_"));
    if (at.ok() && at->has_value()) {
      auto delay = prov::ParseResyncAtRandomDelay(Param("Resync_At_Random_Delay"));
      sys_seconds next =
          prov::NextResyncAt(from, **at, UtcOffset(), delay.ok() ? *delay : 600, *random);
      state.next_due = ToUnix(next);
      state.next_trigger = ResyncTrigger::kResyncAt;
      return;
    }
    if (!state.last_success) return;
    auto periodic = prov::DelaySchedule::Parse(Param("Resync_Periodic"), "Resync_Periodic");
    if (!periodic.ok()) return;
    auto d = periodic->Delay(static_cast<size_t>(state.periodic_index), *random);
    if (!d) return;
    state.next_due = ToUnix(from) + static_cast<int64_t>(*d);
    state.next_trigger = ResyncTrigger::kPeriodic;
  }

  // After a failure: Resync_Error_Retry_Delay. When it is 0 (or the list reached a 0) nothing
  // is scheduled: "the phone does not try to resync after a failed resync attempt" (guide);
  // a reboot, an explicit resync or a change of the schedule parameters starts again.
  void ScheduleRetry(sys_seconds from) {
    state.next_due.reset();
    auto retry =
        prov::DelaySchedule::Parse(Param("Resync_Error_Retry_Delay"), "Resync_Error_Retry_Delay");
    std::optional<uint64_t> d;
    if (retry.ok() && state.consecutive_failures > 0) {
      d = retry->Delay(static_cast<size_t>(state.consecutive_failures - 1), *random);
    }
    if (!d) return;
    state.next_due = ToUnix(from) + static_cast<int64_t>(*d);
    state.next_trigger = ResyncTrigger::kRetry;
  }

  // Recomputes the schedule when one of its parameters changed (a profile or the ACS set it).
  void RefreshSchedule(sys_seconds now) {
    std::string b = Basis();
    if (b == basis) return;
    basis = std::move(b);
    if (state.next_due && state.next_trigger == ResyncTrigger::kPowerUp) return;
    sys_seconds from = state.last_finish ? FromUnix(*state.last_finish) : now;
    if (state.next_due && state.next_trigger == ResyncTrigger::kRetry) {
      ScheduleRetry(from);
    } else {
      ScheduleRegular(from);
    }
    if (state.next_due && *state.next_due < ToUnix(now) &&
        state.next_trigger != ResyncTrigger::kResyncAt) {
      state.next_due = ToUnix(now);
    }
    Persist();
  }

  // ---- one resync ----------------------------------------------------------------------------

  std::unique_ptr<SyslogClient> MakeSyslog() const {
    SyslogSettings s;
    s.syslog_server = Param("Syslog_Server");
    s.debug_server = Param("Debug_Server");
    s.debug_level = Param("Debug_Level");
    if (s.debug_level.empty()) s.debug_level = "NOTICE";
    const ParameterStore* store = options.store;
    s.lookup = [store](std::string_view name) -> std::optional<std::string> {
      return store->Get(name);
    };
    auto client = SyslogClient::Create(s);
    return client.ok() ? std::move(client.value()) : nullptr;
  }

  std::optional<cwmp::Secret> Ikm() const {
    std::string text = Param("IKM_HTTP_Encrypt_Content");
    if (text.empty()) return std::nullopt;
    auto raw = cwmp::content::Base64UrlDecode(text);
    return cwmp::Secret(raw.ok() && !raw->empty() ? std::move(raw.value()) : std::move(text));
  }

  resync_internal::RuleTransferContext TransferContext(SyslogClient* syslog) const {
    resync_internal::RuleTransferContext ctx;
    ctx.fetch = &options.fetch;
    ctx.dhcp_tftp_server = options.dhcp_tftp_server ? options.dhcp_tftp_server() : "";
    ctx.ikm = Ikm();
    ctx.fails_on_fnf = IsYes(Param("Resync_Fails_On_FNF"));
    ctx.apply = options.apply_profile;
    ctx.store = options.store;
    ctx.syslog = syslog;
    ctx.clock = options.clock;
    return ctx;
  }

  bool ShouldReport(const resync_internal::RuleTransfer& t, bool is_explicit) const {
    if (!options.report_transfer || !t.transferred) return false;
    if (is_explicit) return true;
    return t.file.ok ? t.file.changed : !state.failure_reported;
  }

  void Report(const resync_internal::RuleTransfer& t) {
    TransferResult r;
    r.autonomous = true;
    r.fault.fault_code = t.file.ok ? 0 : t.fault_code;
    r.fault.fault_string = t.file.ok ? "" : t.file.error;
    r.start_time = cwmp::soap::FormatDateTime(t.start);
    r.complete_time = cwmp::soap::FormatDateTime(t.complete);
    r.transfer_url = t.file.url;
    r.is_download = true;
    r.file_type = std::string(kFileTypeConfig);
    r.file_size = static_cast<uint32_t>(std::min<size_t>(t.file_size, UINT32_MAX));
    (void)options.report_transfer(std::move(r));
  }

  // Digest bookkeeping and the autonomous-transfer report of one rule.
  void Account(resync_internal::RuleTransfer& t, bool is_explicit) {
    if (t.digest && t.file.rule != kExplicitRuleName) {
      auto it = state.digests.find(t.file.rule);
      t.file.changed = it == state.digests.end() || it->second != *t.digest;
      state.digests[t.file.rule] = *t.digest;
    } else if (t.digest) {
      t.file.changed = true;
    }
    if (ShouldReport(t, is_explicit)) {
      Report(t);
      if (!t.file.ok) state.failure_reported = true;
    }
  }

  std::vector<std::pair<std::string, std::string>> RulesToRun(
      const std::optional<std::string>& rule) const {
    std::vector<std::pair<std::string, std::string>> rules;
    if (rule) {
      rules.emplace_back(kExplicitRuleName, *rule);
    } else {
      for (const char* name : kRuleNames) rules.emplace_back(name, Param(name));
    }
    return rules;
  }

  // Runs the rules in order; the first failure stops the sequence.
  ResyncResult RunSequence(ResyncTrigger trigger, const std::optional<std::string>& rule,
                           bool is_explicit) {
    const sys_seconds start = Now();
    ResyncResult result;
    result.ran = true;
    result.trigger = trigger;
    result.success = true;
    const int prvst = ProvisioningState(trigger);
    const int64_t prvtmr = ProvisioningTimer(start);
    std::unique_ptr<SyslogClient> syslog = MakeSyslog();
    for (const auto& [name, text] : RulesToRun(rule)) {
      prov::MacroVariables vars = BuildMacros(prvst, prvtmr);
      auto selection = prov::EvaluateRuleText(text, prov::RuleKind::kProfile, vars);
      if (!selection.ok()) {
        std::string error = name + ": " + selection.status().message();
        resync_internal::LogRuleFailure(error, syslog.get(), &vars);
        result.files.push_back({name, "", false, error, 0, false});
        result.success = false;
        result.error = error;
        break;
      }
      if (!selection->has_value()) continue;
      resync_internal::RuleTransfer t = resync_internal::RunRuleSelection(
          name, **selection, TransferContext(syslog.get()), &vars);
      Account(t, is_explicit);
      result.files.push_back(t.file);
      if (!t.file.ok) {
        result.success = false;
        result.error = t.file.error;
        break;
      }
    }
    Record(result, start);
    return result;
  }

  void Record(const ResyncResult& result, sys_seconds start) {
    const sys_seconds finish = Now();
    state.last_attempt = ToUnix(start);
    state.last_finish = ToUnix(finish);
    state.last_succeeded = result.success;
    state.prvst = ProvisioningState(result.trigger);
    if (result.success) {
      state.last_success = ToUnix(finish);
      state.last_error.clear();
      state.consecutive_failures = 0;
      state.failure_reported = false;
      state.periodic_index =
          result.trigger == ResyncTrigger::kPeriodic ? state.periodic_index + 1 : 0;
      ScheduleRegular(finish);
    } else {
      state.last_error = result.error;
      ++state.consecutive_failures;
      ScheduleRetry(finish);
    }
    basis = Basis();
    Persist();
  }

  // ---- what is due ---------------------------------------------------------------------------

  std::optional<DueItem> Due(sys_seconds now) const {
    if (pending) return DueItem{pending->trigger, pending->rule, pending->since, true};
    if (state.next_due && *state.next_due <= ToUnix(now)) {
      return DueItem{state.next_trigger, std::nullopt, FromUnix(*state.next_due), false};
    }
    return std::nullopt;
  }

  // Resync_Trigger_1/2 gate the periodic and Resync_At resyncs.
  bool TriggersAllow(const DueItem& item, sys_seconds now) {
    waiting_for_triggers = false;
    if (item.trigger != ResyncTrigger::kPeriodic && item.trigger != ResyncTrigger::kResyncAt) {
      return true;
    }
    prov::MacroVariables vars = BuildMacros(1, ProvisioningTimer(now));
    auto allow =
        prov::ResyncTriggersAllow(Param("Resync_Trigger_1"), Param("Resync_Trigger_2"), vars);
    if (allow.ok() && *allow) return true;
    waiting_for_triggers = true;
    state.next_due = ToUnix(now + kTriggerPollInterval);
    Persist();
    return false;
  }

  // Busy lines hold a resync back for at most Forced_Resync_Delay after it became due.
  bool LinesAllow(const DueItem& item, sys_seconds now) {
    waiting_for_idle = false;
    if (LinesIdle()) return true;
    idle_deadline = item.since + ForcedResyncDelay();
    if (now >= idle_deadline) return true;
    waiting_for_idle = true;
    return false;
  }

  std::optional<ResyncResult> RunDue(sys_seconds now) {
    if (!ProvisionEnabled()) return std::nullopt;
    RefreshSchedule(now);
    std::optional<DueItem> item = Due(now);
    if (!item) return std::nullopt;
    if (!TriggersAllow(*item, now) || !LinesAllow(*item, now)) return std::nullopt;
    if (item->is_explicit) {
      pending.reset();
    } else {
      state.next_due.reset();
    }
    return RunSequence(item->trigger, item->rule, item->is_explicit);
  }

  std::optional<sys_seconds> NextWakeup() {
    if (!ProvisionEnabled()) return std::nullopt;
    const sys_seconds now = Now();
    RefreshSchedule(now);
    std::optional<sys_seconds> at;
    if (pending) {
      at = pending->since;
    } else if (state.next_due) {
      at = FromUnix(*state.next_due);
    }
    if (!at) return std::nullopt;
    if (waiting_for_idle && *at <= now) return std::min(now + kLinePollInterval, idle_deadline);
    return at;
  }
};

ResyncEngine::ResyncEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResyncEngine::~ResyncEngine() = default;

cwmp::Result<std::unique_ptr<ResyncEngine>> ResyncEngine::Create(ResyncEngineOptions options) {
  if (options.store == nullptr) return cwmp::InvalidArgument("ResyncEngine: no parameter store");
  if (options.clock == nullptr) return cwmp::InvalidArgument("ResyncEngine: no clock");
  auto impl = std::make_unique<Impl>();
  impl->state_dir = options.state_dir.empty() ? options.store->state_dir() : options.state_dir;
  CWMP_RETURN_IF_ERROR(EnsureStateDir(impl->state_dir));
  auto text = ReadStateFile(impl->state_dir, resync_internal::kStateFileName);
  if (text.ok()) {
    auto parsed = resync_internal::ParseState(*text);
    if (!parsed.ok()) return parsed.status();
    impl->state = std::move(parsed.value());
  } else if (text.status().code() != cwmp::StatusCode::kNotFound) {
    return text.status();
  }
  if (options.random == nullptr) {
    impl->own_random = std::make_unique<ClockRandom>(options.clock);
    impl->random = impl->own_random.get();
  } else {
    impl->random = options.random;
  }
  if (!options.apply_profile) {
    ParameterStore* store = options.store;
    options.apply_profile = [store](const prov::FlatProfile& p) {
      return store->ApplyProfile(p, ChangeSource::kLocal);
    };
  }
  if (options.fetch.user_agent.empty()) {
    prov::MacroVariables mac;
    (void)mac.SetMac(options.identity.mac_address);
    UserAgentIdentity ua;
    ua.model = options.identity.model_name;
    ua.version = UserAgentVersion(options.identity.software_version);
    ua.mac = std::string(mac.Lookup("MA").value_or(""));
    options.fetch.user_agent = BuildUserAgent(ua);
  }
  impl->created = options.clock->Now();
  impl->options = std::move(options);
  return std::unique_ptr<ResyncEngine>(new ResyncEngine(std::move(impl)));
}

void ResyncEngine::OnBoot() {
  Impl& m = *impl_;
  const sys_seconds now = m.Now();
  m.pending.reset();
  if (m.ProvisionEnabled() && IsYes(m.Param("Resync_On_Reset"))) {
    uint64_t max_delay = ParseUnsigned(m.Param("Resync_Random_Delay")).value_or(0);
    m.state.next_due = ToUnix(now) + static_cast<int64_t>(m.random->Uniform(max_delay));
    m.state.next_trigger = ResyncTrigger::kPowerUp;
    m.basis = m.Basis();
  }
  m.Persist();
}

std::optional<sys_seconds> ResyncEngine::NextWakeup() { return impl_->NextWakeup(); }

std::optional<ResyncResult> ResyncEngine::RunDue(sys_seconds now) { return impl_->RunDue(now); }

ResyncResult ResyncEngine::ResyncNow(std::optional<std::string> rule_or_url) {
  Impl& m = *impl_;
  ResyncResult refused;
  refused.trigger = ResyncTrigger::kExplicit;
  if (!m.ProvisionEnabled()) {
    refused.error = "Provision_Enable is No";
    return refused;
  }
  const sys_seconds now = m.Now();
  m.pending = Impl::Pending{ResyncTrigger::kExplicit, std::move(rule_or_url), now};
  if (auto ran = m.RunDue(now)) return std::move(*ran);
  refused.deferred = true;
  refused.error = "waiting for idle lines";
  return refused;
}

void ResyncEngine::RequestResyncAfterUpgrade() {
  Impl& m = *impl_;
  if (!m.ProvisionEnabled() || !IsYes(m.Param("Resync_After_Upgrade_Attempt"))) return;
  if (m.pending) return;  // an explicit request already covers it
  m.pending = Impl::Pending{ResyncTrigger::kAfterUpgrade, std::nullopt, m.Now()};
}

ResyncStatus ResyncEngine::Status() const {
  const Impl& m = *impl_;
  ResyncStatus s;
  s.provision_enabled = m.ProvisionEnabled();
  if (m.state.last_attempt) s.last_attempt = FromUnix(*m.state.last_attempt);
  if (m.state.last_success) s.last_success = FromUnix(*m.state.last_success);
  s.last_succeeded = m.state.last_succeeded;
  s.last_error = m.state.last_error;
  s.prvst = m.state.prvst;
  s.consecutive_failures = m.state.consecutive_failures;
  if (m.pending) {
    s.next_due = m.pending->since;
    s.next_trigger = m.pending->trigger;
  } else if (m.state.next_due) {
    s.next_due = FromUnix(*m.state.next_due);
    s.next_trigger = m.state.next_trigger;
  }
  s.waiting_for_idle_lines = m.waiting_for_idle;
  s.waiting_for_triggers = m.waiting_for_triggers;
  return s;
}

}  // namespace agent
