#include "agent/custom_ca.h"

#include <charconv>
#include <map>

#include "agent/network_worker.h"
#include "agent/state_file.h"
#include "cwmp/content/content.h"
#include "cwmp/prov/rule.h"
#include "upgrade/provisioning_context.h"

namespace agent {

using provisioning::FromUnix;
using provisioning::ToUnix;
using std::chrono::sys_seconds;

namespace {

constexpr const char* kStateFile = "customca.state";
constexpr std::string_view kMagic = "cpe-agent-customca";
constexpr int kVersion = 1;

// What customca.state holds.
struct CustomCaState {
  std::string rule;        // Custom_CA_Rule text of the last attempt
  std::string url;         // its effective URL ("" when the rule failed to evaluate)
  bool attempted = false;  // rule + url were attempted
  bool failed = false;     // ... and the attempt failed
  uint64_t failures = 0;   // consecutive failures for rule + url
  int64_t next_retry = 0;  // unix seconds; 0: none
  std::string last_url;
  std::string last_error;
};

std::string Encode(const CustomCaState& s) {
  StateWriter w(kMagic, kVersion);
  const std::string failures = std::to_string(s.failures);
  const std::string next_retry = std::to_string(s.next_retry);
  w.Record({"rule", s.rule});
  w.Record({"url", s.url});
  w.Record({"attempted", s.attempted ? "1" : "0"});
  w.Record({"failed", s.failed ? "1" : "0"});
  w.Record({"failures", failures});
  w.Record({"next_retry", next_retry});
  w.Record({"last_url", s.last_url});
  w.Record({"last_error", s.last_error});
  return w.Finish();
}

template <typename T>
bool ParseNumber(const std::string& text, T* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

cwmp::Result<CustomCaState> Decode(std::string_view text) {
  auto records = ParseStateRecords(text, kMagic, kVersion, kStateFile);
  if (!records.ok()) return records.status();
  std::map<std::string, std::string> f;
  for (const auto& r : *records) {
    if (r.size() != 2) return cwmp::ParseError(std::string(kStateFile) + ": bad record");
    f[r[0]] = r[1];
  }
  CustomCaState s;
  s.rule = f["rule"];
  s.url = f["url"];
  s.attempted = f["attempted"] == "1";
  s.failed = f["failed"] == "1";
  if (!ParseNumber(f["failures"], &s.failures) || !ParseNumber(f["next_retry"], &s.next_retry)) {
    return cwmp::ParseError(std::string(kStateFile) + ": bad number");
  }
  s.last_url = f["last_url"];
  s.last_error = f["last_error"];
  return s;
}

}  // namespace

class CustomCaEngine::Impl {
 public:
  explicit Impl(CustomCaEngineOptions options) : o_(std::move(options)) {
    o_.fetch.ca_store = o_.ca_store;
  }

  cwmp::Status Load() {
    CWMP_RETURN_IF_ERROR(EnsureStateDir(o_.state_dir));
    auto text = ReadStateFile(o_.state_dir, kStateFile);
    if (!text.ok()) {
      if (text.status().code() == cwmp::StatusCode::kNotFound) return cwmp::Status::Ok();
      return text.status();
    }
    auto state = Decode(*text);
    if (!state.ok()) return state.status().WithPrefix(o_.state_dir);
    s_ = std::move(state).value();
    return cwmp::Status::Ok();
  }

  cwmp::Status OnBoot() {
    evaluated_ = false;
    return cwmp::Status::Ok();
  }

  std::optional<sys_seconds> NextWakeup() const {
    const sys_seconds now = o_.clock->Now();
    if (!evaluated_) return now;
    if (s_.failed && s_.next_retry != 0) return std::max(now, FromUnix(s_.next_retry));
    return std::nullopt;
  }

  cwmp::Status RunDue(sys_seconds now) {
    evaluated_ = true;
    const std::string rule_text = o_.store->Get("Custom_CA_Rule");
    if (rule_text.find_first_not_of(" \t") == std::string::npos) return cwmp::Status::Ok();
    cwmp::prov::MacroVariables vars;
    provisioning::SetStoreMacros(*o_.store, &vars);
    if (o_.fill_macros) o_.fill_macros(&vars);
    auto selection = cwmp::prov::EvaluateRuleText(rule_text, cwmp::prov::RuleKind::kProfile, vars);
    if (!selection.ok()) {
      if (!Due(rule_text, "", now)) return cwmp::Status::Ok();
      Track(rule_text, "");
      return RecordFailure("Custom_CA_Rule: " + selection.status().message(), now);
    }
    if (!selection.value() || !(*selection)->url) return cwmp::Status::Ok();
    const cwmp::prov::RuleSelection& chosen = **selection;
    const std::string url = chosen.url->ToString();
    if (!Due(rule_text, url, now)) return cwmp::Status::Ok();
    ApplyAssignments(chosen);
    Track(rule_text, url);
    return Attempt(chosen, now);
  }

  cwmp::Status Install(std::string_view pem) {
    return o_.ca_store->InstallCustomCa(pem, ToUnix(o_.clock->Now()));
  }

  CustomCaStatus Status() const {
    CustomCaStatus st;
    st.provisioning_status = o_.ca_store->ProvisioningStatus();
    st.info = o_.ca_store->CustomCaInfo();
    st.last_url = s_.last_url;
    st.last_error = s_.last_error;
    if (s_.failed && s_.next_retry != 0) st.next_retry = FromUnix(s_.next_retry);
    return st;
  }

 private:
  cwmp::Status Persist() { return WriteStateFile(o_.state_dir, kStateFile, Encode(s_)); }

  bool Due(const std::string& rule, const std::string& url, sys_seconds now) const {
    if (!s_.attempted || rule != s_.rule || url != s_.url) return true;
    return s_.failed && s_.next_retry != 0 && ToUnix(now) >= s_.next_retry;
  }

  void Track(const std::string& rule, const std::string& url) {
    if (rule != s_.rule || url != s_.url) s_.failures = 0;
    s_.rule = rule;
    s_.url = url;
    s_.attempted = true;
  }

  void ApplyAssignments(const cwmp::prov::RuleSelection& chosen) {
    if (chosen.assignments.empty()) return;
    StoreEdit edit;
    for (const auto& a : chosen.assignments) edit.values.emplace_back(a.name, a.value);
    // Unknown names or bad values are ignored, as for profiles.
    (void)o_.store->Commit(edit, ChangeSource::kLocal);
  }

  cwmp::Status Attempt(const cwmp::prov::RuleSelection& chosen, sys_seconds now) {
    s_.last_url = chosen.url->ToString();
    FetchOptions options = o_.fetch;
    if (chosen.options.uid) options.username = *chosen.options.uid;
    if (chosen.options.pwd) options.password = *chosen.options.pwd;
    FetchResult fetched = Fetch(chosen.expanded_url, options);
    if (!fetched.ok()) return RecordFailure(fetched.error, now);
    cwmp::content::DecodeOptions decode;
    decode.key = chosen.options.key;
    auto pem = DecodeContentIsolated(fetched.body, decode);
    if (!pem.ok()) return RecordFailure("custom CA: " + pem.status().message(), now);
    cwmp::Status installed = o_.ca_store->InstallCustomCa(pem->plaintext, ToUnix(now));
    if (!installed.ok()) {
      // InstallCustomCa already recorded the failed provisioning.
      return RecordRetry(installed.message(), now);
    }
    s_.failed = false;
    s_.failures = 0;
    s_.next_retry = 0;
    s_.last_error.clear();
    return Persist();
  }

  cwmp::Status RecordFailure(const std::string& err, sys_seconds now) {
    CWMP_RETURN_IF_ERROR(o_.ca_store->RecordProvisioningFailure(ToUnix(now)));
    return RecordRetry(err, now);
  }

  // Choice: retries follow Resync_Error_Retry_Delay (the guide gives the CA rule none).
  cwmp::Status RecordRetry(const std::string& err, sys_seconds now) {
    s_.failed = true;
    s_.last_error = err;
    auto schedule = cwmp::prov::DelaySchedule::Parse(o_.store->Get("Resync_Error_Retry_Delay"),
                                                     "Resync_Error_Retry_Delay");
    std::optional<uint64_t> delay;
    if (schedule.ok()) delay = schedule->Delay(s_.failures, *o_.random);
    ++s_.failures;
    s_.next_retry = delay ? ToUnix(now) + static_cast<int64_t>(*delay) : 0;
    return Persist();
  }

  CustomCaEngineOptions o_;
  CustomCaState s_;
  bool evaluated_ = false;
};

CustomCaEngine::CustomCaEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CustomCaEngine::~CustomCaEngine() = default;

cwmp::Result<std::unique_ptr<CustomCaEngine>> CustomCaEngine::Create(
    CustomCaEngineOptions options) {
  if (options.store == nullptr || options.ca_store == nullptr || options.clock == nullptr ||
      options.random == nullptr) {
    return cwmp::InvalidArgument("CustomCaEngine: store, ca_store, clock and random are required");
  }
  auto impl = std::make_unique<Impl>(std::move(options));
  CWMP_RETURN_IF_ERROR(impl->Load());
  return std::unique_ptr<CustomCaEngine>(new CustomCaEngine(std::move(impl)));
}

cwmp::Status CustomCaEngine::OnBoot() { return impl_->OnBoot(); }
std::optional<sys_seconds> CustomCaEngine::NextWakeup() const { return impl_->NextWakeup(); }
cwmp::Status CustomCaEngine::RunDue(sys_seconds now) { return impl_->RunDue(now); }
cwmp::Status CustomCaEngine::Install(std::string_view pem) { return impl_->Install(pem); }
CustomCaStatus CustomCaEngine::Status() const { return impl_->Status(); }

}  // namespace agent
