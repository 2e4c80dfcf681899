#pragma once
// The phone's parameters, keyed by flat-profile name (Resync_Periodic, Line_Enable_1_), with
// catalog defaults for everything that was never set, the user access (ua) of each parameter,
// the TR-069 attributes (notification 0-2, access list) and the presence of the instances of
// multi-instance objects. Every change is validated against the catalog, applied all or nothing
// and persisted (state file "parameters.state", see state_file.h and
// docs/agent-device-model.md) before the call returns OK; a failed write changes nothing.
//
// Besides the catalog the store knows a few agent-local parameters that have no flat-profile
// form (LocalCatalog(): Parameter_Key, Periodic_Inform_Time, CWMP_Retry_*); they are settable
// through Commit only, never through a profile.
//
// Value-change tracking (TR-069 notification): a change made by the ACS itself
// (ChangeSource::kAcs, i.e. SetParameterValues) never marks the parameter; a local change (a
// resync, a Download of a configuration file, the phone's UI) to a parameter whose notification
// is 1 or 2 marks it for the next Inform's "4 VALUE CHANGE", and notification 2 also calls the
// active-notification callback so that the device opens a session at once.
// Attribute keys are flat names for store parameters and TR-069 paths for the live parameters
// that the store does not hold (DeviceInfo.*, ...).

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/base/status.h"
#include "cwmp/prov/catalog.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/parameter_set.h"

namespace agent {

enum class ChangeSource {
  kAcs,    // SetParameterValues / AddObject / DeleteObject: never raises VALUE CHANGE
  kLocal,  // profile resync, Download of a configuration file, local UI
};

struct ParamAttributes {
  std::optional<int> notification;                     // nullopt: the default
  std::optional<std::vector<std::string>> access_list;  // nullopt: the default (empty)
  bool operator==(const ParamAttributes&) const = default;
};

struct AttributeChange {
  std::string key;  // flat name or TR-069 path
  std::optional<int> notification;
  std::optional<std::vector<std::string>> access_list;  // for keys that are not flat names
  std::optional<cwmp::prov::Access> ua;                 // for flat names
};

// One all-or-nothing change. Order of application: resets, values, attributes, instances.
struct StoreEdit {
  std::vector<std::pair<std::string, std::string>> values;  // flat name -> new value
  std::vector<std::string> resets;                          // back to the catalog default
  std::vector<AttributeChange> attributes;
  std::vector<std::pair<std::string, bool>> instances;  // instance key ("wifi.2") -> present
};

// The agent-local parameters (catalog format, parsed once).
const cwmp::prov::Catalog& LocalCatalog();

class ParameterStore {
 public:
  static constexpr const char* kFileName = "parameters.state";

  // Loads `<state_dir>/parameters.state` when it exists (a corrupt file is an error, never
  // silently replaced). `catalog` must outlive the store.
  static cwmp::Result<std::unique_ptr<ParameterStore>> Open(
      std::string state_dir, const cwmp::prov::Catalog& catalog = cwmp::prov::Catalog::Builtin());

  // Catalog or local definition of a flat name, or nullptr.
  const cwmp::prov::ParamDef* Find(std::string_view name) const;
  // The value, or the catalog default when never set; "" for an unknown name.
  std::string Get(std::string_view name) const;
  // True when the parameter holds a value of its own (not the default).
  bool IsSet(std::string_view name) const;
  // The ua of the parameter: its own, else the catalog's.
  cwmp::prov::Access GetAccess(std::string_view name) const;
  ParamAttributes GetAttributes(std::string_view key) const;
  bool InstancePresent(std::string_view instance_key) const;

  // Validates every value (catalog type) and name, then applies and persists all of it, or
  // nothing. Unknown names: kNotFound; bad values: kInvalidArgument naming the parameter.
  cwmp::Status Commit(const StoreEdit& edit, ChangeSource source);
  cwmp::Status Set(std::string_view name, std::string value, ChangeSource source);

  struct ApplyResult {
    size_t applied = 0;
    std::vector<std::string> unknown;  // names the phone does not know (ignored, as the guide says)
  };
  // Applies a flat profile (values and ua) all or nothing: every element must pass the catalog
  // check (unknown names are ignored and reported); a profile with an invalid value changes
  // nothing and returns kInvalidArgument with "LINE:COL: message". Local parameters cannot be
  // set by a profile.
  cwmp::Result<ApplyResult> ApplyProfile(const cwmp::prov::FlatProfile& profile,
                                         ChangeSource source = ChangeSource::kLocal);

  // Every value, ua, attribute and removed instance back to the catalog defaults; persisted.
  cwmp::Status FactoryReset();

  // The current profile: every parameter that has a value or ua of its own, plus (all=true)
  // every catalog parameter with its effective value; secrets omitted. Catalog order.
  cwmp::prov::FlatProfile ExportProfile(bool all) const;

  // Parameters marked for "4 VALUE CHANGE" (flat names, sorted).
  std::vector<std::string> ChangedParameters() const;
  // Forget marks after the Inform that carried them was accepted.
  void ClearChanged(const std::vector<std::string>& names);
  // Called after a local change to a parameter with notification 2.
  void SetActiveNotificationCallback(std::function<void()> cb) { on_active_ = std::move(cb); }

  const std::string& state_dir() const { return dir_; }

 private:
  struct State {
    cwmp::prov::ParameterSet params;
    std::map<std::string, ParamAttributes, std::less<>> attributes;
    std::set<std::string, std::less<>> absent_instances;
  };
  ParameterStore(std::string dir, const cwmp::prov::Catalog& catalog)
      : dir_(std::move(dir)), catalog_(catalog) {}
  cwmp::Status Load();
  cwmp::Status Persist(const State& next) const;
  std::string Effective(const State& s, std::string_view name) const;
  // Persists `next`, makes it current and records value changes against the old state.
  cwmp::Status Replace(State next, ChangeSource source);

  std::string dir_;
  const cwmp::prov::Catalog& catalog_;
  State state_;
  std::set<std::string> changed_;
  std::function<void()> on_active_;
};

}  // namespace agent
