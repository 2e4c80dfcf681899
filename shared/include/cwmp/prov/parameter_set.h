#pragma once
// ParameterSet: the phone's parameters by flat-profile name, each with a value and a user
// access, and the layered application of profiles to them (guide: "Parameter Properties"):
//   - parameters a profile does not name are left unchanged;
//   - elements apply in document order, so the last occurrence of a name wins; a later
//     profile (a later Apply) overrides an earlier one;
//   - an element without a value (<X ua="rw"/>) changes the access only, one without ua keeps
//     the access;
//   - unrecognised names are ignored and reported;
//   - a profile is applied all or nothing: every element is validated before any is applied,
//     so if one fails nothing changes.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/status.h"
#include "cwmp/prov/access.h"
#include "cwmp/prov/flat_profile.h"

namespace cwmp::prov {

struct ParameterState {
  std::optional<std::string> value;  // nullopt: never given a value (only its access was set)
  std::optional<Access> access;      // nullopt: no ua given yet (the catalog default applies)

  friend bool operator==(const ParameterState&, const ParameterState&) = default;
};

struct ApplyOptions {
  // Whether the phone recognises a name. Null: every name is recognised.
  std::function<bool(std::string_view name)> known;
  // Checks a recognised element that carries a value; a non-OK Status rejects the whole
  // profile. Null: every value is accepted.
  std::function<Status(const ProfileElement& element)> validate;
};

struct ApplyReport {
  std::vector<ProfileElement> unknown;  // unrecognised elements, document order, not applied
  size_t applied = 0;                   // elements applied (duplicates counted)
};

class ParameterSet {
 public:
  // Applies one parsed profile. On a validation failure returns that Status with
  // "LINE:COL: " in front of its message (the element's position) and changes nothing.
  Result<ApplyReport> Apply(const FlatProfile& profile, const ApplyOptions& options = {});
  // Shorthand for Apply with only a `known` predicate; returns the unrecognised elements.
  std::vector<ProfileElement> Apply(const FlatProfile& profile,
                                    const std::function<bool(std::string_view)>& known);

  // nullptr when the name was never set.
  const ParameterState* Get(std::string_view name) const;
  // Sets a value and, when given, the access. The name must be a flat-profile name: ASCII
  // letters, digits, '_', '-', '.', starting with a letter or '_', at most 256 bytes.
  Status Set(std::string_view name, std::string value, std::optional<Access> access = {});
  Status SetAccess(std::string_view name, Access access);
  bool Erase(std::string_view name);

  size_t size() const { return params_.size(); }
  bool empty() const { return params_.empty(); }
  const std::map<std::string, ParameterState, std::less<>>& parameters() const { return params_; }

  // Every parameter as one element, in name order (positions 0). Serializing the result and
  // applying it to an empty set rebuilds this set.
  FlatProfile ToFlatProfile() const;

 private:
  std::map<std::string, ParameterState, std::less<>> params_;
};

// Whether `name` may be a parameter name (see ParameterSet::Set).
bool IsParameterName(std::string_view name);

}  // namespace cwmp::prov
