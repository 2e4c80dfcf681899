#include "agent/parameter_store.h"

#include <cstdlib>

#include "agent/state_file.h"
#include "cwmp/prov/profile_check.h"

namespace agent {
namespace {

namespace prov = cwmp::prov;

constexpr std::string_view kMagic = "cpe-agent-parameters";
constexpr int kVersion = 1;

// Agent-local parameters: TR-069 management settings that the phone's flat profile has no
// element for. Same format as schema/datamodel/phone-params.tsv.
constexpr std::string_view kLocalCatalog =
    "Parameter_Key\tStr32\t\tna\t-\tDevice.ManagementServer.ParameterKey\t-\n"
    "Periodic_Inform_Time\tStr32\t0001-01-01T00:00:00Z\tna\t-\t"
    "Device.ManagementServer.PeriodicInformTime\t-\n"
    "CWMP_Retry_Minimum_Wait_Interval\tUns16\t5\tna\t-\t"
    "Device.ManagementServer.CWMPRetryMinimumWaitInterval\t-\n"
    "CWMP_Retry_Interval_Multiplier\tUns16\t2000\tna\t-\t"
    "Device.ManagementServer.CWMPRetryIntervalMultiplier\t-\n"
    "Provisioning_Code\tStr64\t\tna\t-\tDevice.DeviceInfo.ProvisioningCode\t-\n"
    // TR-069 Annex G STUN (TR-111 part 2), docs/agent-runtime.md. Not the SIP STUN_* elements.
    "TR-069_STUN_Enable\tBool\tNo\tna\t-\tDevice.ManagementServer.STUNEnable\t-\n"
    "TR-069_STUN_Server_Address\tStr256\t\tna\t-\tDevice.ManagementServer.STUNServerAddress\t-\n"
    "TR-069_STUN_Server_Port\tPort\t3478\tna\t-\tDevice.ManagementServer.STUNServerPort\t-\n"
    "TR-069_STUN_Username\tStr256\t\tna\t-\tDevice.ManagementServer.STUNUsername\t-\n"
    "TR-069_STUN_Password\tStr256\t\tna\tsecret\tDevice.ManagementServer.STUNPassword\t-\n"
    "TR-069_STUN_Minimum_Keep_Alive_Period\tUns32\t30\tna\t-\t"
    "Device.ManagementServer.STUNMinimumKeepAlivePeriod\t-\n"
    "TR-069_STUN_Maximum_Keep_Alive_Period\tSig32\t-1\tna\t-\t"
    "Device.ManagementServer.STUNMaximumKeepAlivePeriod\t-\n"
    "TR-069_UDP_Connection_Request_Address_Notification_Limit\tUns32\t0\tna\t-\t"
    "Device.ManagementServer.UDPConnectionRequestAddressNotificationLimit\t-\n";

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t c = text.find(',');
    out.emplace_back(text.substr(0, c));
    if (c == std::string_view::npos) break;
    text.remove_prefix(c + 1);
  }
  return out;
}

}  // namespace

const prov::Catalog& LocalCatalog() {
  static const prov::Catalog* local = [] {
    auto parsed = prov::Catalog::Parse(kLocalCatalog);
    if (!parsed.ok()) std::abort();  // constant text; the unit tests load it
    return new prov::Catalog(std::move(*parsed));
  }();
  return *local;
}

cwmp::Result<std::unique_ptr<ParameterStore>> ParameterStore::Open(std::string state_dir,
                                                                   const prov::Catalog& catalog) {
  CWMP_RETURN_IF_ERROR(EnsureStateDir(state_dir));
  std::unique_ptr<ParameterStore> store(new ParameterStore(std::move(state_dir), catalog));
  CWMP_RETURN_IF_ERROR(store->Load());
  return store;
}

cwmp::Status ParameterStore::Load() {
  auto text = ReadStateFile(dir_, kFileName);
  if (!text.ok()) {
    if (text.status().code() == cwmp::StatusCode::kNotFound) return cwmp::Status::Ok();
    return text.status();
  }
  auto records = ParseStateRecords(*text, kMagic, kVersion, kFileName);
  if (!records.ok()) return records.status();
  State s;
  for (const auto& r : *records) {
    auto bad = [&] { return cwmp::ParseError(std::string(kFileName) + ": bad record \"" +
                                             (r.empty() ? "" : r[0]) + "\""); };
    if (r.size() == 3 && r[0] == "v") {
      CWMP_RETURN_IF_ERROR(s.params.Set(r[1], r[2]));
    } else if (r.size() == 3 && r[0] == "a") {
      auto ua = prov::ParseAccess(r[2]);
      if (!ua) return bad();
      CWMP_RETURN_IF_ERROR(s.params.SetAccess(r[1], *ua));
    } else if (r.size() == 3 && r[0] == "n") {
      int n = std::atoi(r[2].c_str());
      if (n < 0 || n > 2 || r[2].size() != 1) return bad();
      s.attributes[r[1]].notification = n;
    } else if (r.size() == 3 && r[0] == "l") {
      s.attributes[r[1]].access_list = SplitList(r[2]);
    } else if (r.size() == 2 && r[0] == "x") {
      s.absent_instances.insert(r[1]);
    } else {
      return bad();
    }
  }
  state_ = std::move(s);
  return cwmp::Status::Ok();
}

cwmp::Status ParameterStore::Persist(const State& s) const {
  StateWriter w(kMagic, kVersion);
  for (const auto& [name, ps] : s.params.parameters()) {
    if (ps.value) w.Record({"v", name, *ps.value});
    if (ps.access) w.Record({"a", name, prov::AccessName(*ps.access)});
  }
  for (const auto& [key, attr] : s.attributes) {
    if (attr.notification) w.Record({"n", key, std::to_string(*attr.notification)});
    if (attr.access_list) w.Record({"l", key, JoinList(*attr.access_list)});
  }
  for (const auto& key : s.absent_instances) w.Record({"x", key});
  return WriteStateFile(dir_, kFileName, w.Finish());
}

const prov::ParamDef* ParameterStore::Find(std::string_view name) const {
  if (const auto* def = catalog_.Find(name)) return def;
  return LocalCatalog().Find(name);
}

std::string ParameterStore::Effective(const State& s, std::string_view name) const {
  if (const auto* ps = s.params.Get(name); ps && ps->value) return *ps->value;
  if (const auto* def = Find(name)) return def->default_value;
  return {};
}

std::string ParameterStore::Get(std::string_view name) const { return Effective(state_, name); }

bool ParameterStore::IsSet(std::string_view name) const {
  const auto* ps = state_.params.Get(name);
  return ps && ps->value;
}

prov::Access ParameterStore::GetAccess(std::string_view name) const {
  if (const auto* ps = state_.params.Get(name); ps && ps->access) return *ps->access;
  if (const auto* def = Find(name)) return def->access;
  return prov::Access::kNa;
}

ParamAttributes ParameterStore::GetAttributes(std::string_view key) const {
  auto it = state_.attributes.find(key);
  return it == state_.attributes.end() ? ParamAttributes{} : it->second;
}

bool ParameterStore::InstancePresent(std::string_view instance_key) const {
  return !state_.absent_instances.contains(instance_key);
}

cwmp::Status ParameterStore::Replace(State next, ChangeSource source) {
  CWMP_RETURN_IF_ERROR(Persist(next));
  bool active = false;
  if (source == ChangeSource::kLocal) {
    // Names whose effective value may have changed: every name either state holds.
    std::set<std::string> names;
    for (const auto& [n, ps] : state_.params.parameters()) names.insert(n);
    for (const auto& [n, ps] : next.params.parameters()) names.insert(n);
    for (const auto& n : names) {
      if (Effective(state_, n) == Effective(next, n)) continue;
      auto it = next.attributes.find(n);
      int notification = (it != next.attributes.end() && it->second.notification)
                             ? *it->second.notification
                             : 0;
      if (notification >= 1) changed_.insert(n);
      if (notification == 2) active = true;
    }
  }
  state_ = std::move(next);
  if (active && on_active_) on_active_();
  return cwmp::Status::Ok();
}

cwmp::Status ParameterStore::Commit(const StoreEdit& edit, ChangeSource source) {
  State next = state_;
  for (const auto& name : edit.resets) {
    if (!Find(name)) return cwmp::NotFound(name + ": unknown parameter");
    if (const auto* ps = next.params.Get(name); ps && ps->value) {
      std::optional<prov::Access> access = ps->access;
      next.params.Erase(name);
      if (access) CWMP_RETURN_IF_ERROR(next.params.SetAccess(name, *access));
    }
  }
  for (const auto& [name, value] : edit.values) {
    const auto* def = Find(name);
    if (!def) return cwmp::NotFound(name + ": unknown parameter");
    const prov::Catalog& owner = catalog_.Find(name) ? catalog_ : LocalCatalog();
    CWMP_RETURN_IF_ERROR(owner.Validate(name, value));
    CWMP_RETURN_IF_ERROR(next.params.Set(name, value));
  }
  for (const auto& change : edit.attributes) {
    if (change.notification && (*change.notification < 0 || *change.notification > 2)) {
      return cwmp::InvalidArgument(change.key + ": notification " +
                                   std::to_string(*change.notification) + " is not 0, 1 or 2");
    }
    if (change.ua) {
      if (!Find(change.key)) return cwmp::NotFound(change.key + ": unknown parameter");
      CWMP_RETURN_IF_ERROR(next.params.SetAccess(change.key, *change.ua));
    }
    auto& attr = next.attributes[change.key];
    if (change.notification) attr.notification = change.notification;
    if (change.access_list) attr.access_list = change.access_list;
    if (attr == ParamAttributes{}) next.attributes.erase(change.key);
  }
  for (const auto& [key, present] : edit.instances) {
    if (present) {
      next.absent_instances.erase(key);
    } else {
      next.absent_instances.insert(key);
    }
  }
  return Replace(std::move(next), source);
}

cwmp::Status ParameterStore::Set(std::string_view name, std::string value, ChangeSource source) {
  StoreEdit edit;
  edit.values.emplace_back(std::string(name), std::move(value));
  return Commit(edit, source);
}

cwmp::Result<ParameterStore::ApplyResult> ParameterStore::ApplyProfile(
    const prov::FlatProfile& profile, ChangeSource source) {
  prov::CheckOptions check;
  check.allow_unknown = true;
  check.suggest = false;
  for (const auto& d : prov::CheckProfile(profile, catalog_, check)) {
    if (!d.warning) {
      return cwmp::InvalidArgument(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
                                   d.message);
    }
  }
  State next = state_;
  prov::ApplyOptions options;
  options.known = [this](std::string_view name) { return catalog_.Find(name) != nullptr; };
  options.validate = [this](const prov::ProfileElement& e) {
    return catalog_.Validate(e.name, *e.value);
  };
  auto report = next.params.Apply(profile, options);
  if (!report.ok()) return report.status();
  CWMP_RETURN_IF_ERROR(Replace(std::move(next), source));
  ApplyResult result;
  result.applied = report->applied;
  for (const auto& e : report->unknown) result.unknown.push_back(e.name);
  return result;
}

cwmp::Status ParameterStore::FactoryReset() {
  CWMP_RETURN_IF_ERROR(Persist(State{}));
  state_ = State{};
  changed_.clear();
  return cwmp::Status::Ok();
}

prov::FlatProfile ParameterStore::ExportProfile(bool all) const {
  prov::FlatProfile out;
  for (const auto& def : catalog_.params()) {
    const auto* ps = state_.params.Get(def.name);
    if (!all && !ps) continue;
    prov::ProfileElement e;
    e.name = def.name;
    e.value = Get(def.name);
    if (ps && !ps->value) e.value.reset();
    e.ua = GetAccess(def.name);
    if (def.secret) e.value.reset();
    out.elements.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> ParameterStore::ChangedParameters() const {
  return {changed_.begin(), changed_.end()};
}

void ParameterStore::ClearChanged(const std::vector<std::string>& names) {
  for (const auto& n : names) changed_.erase(n);
}

}  // namespace agent
