#include "cwmp/prov/parameter_set.h"

#include <utility>

namespace cwmp::prov {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

std::string Position(const ProfileElement& e) {
  return std::to_string(e.line) + ":" + std::to_string(e.column) + ": ";
}

}  // namespace

bool IsParameterName(std::string_view name) {
  if (name.empty() || name.size() > 256 || !IsNameStart(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

Result<ApplyReport> ParameterSet::Apply(const FlatProfile& profile, const ApplyOptions& options) {
  ApplyReport report;
  // Pass 1 decides and validates without touching params_, so a rejected profile changes
  // nothing. Pass 2 cannot fail except by running out of memory. (Staging the new states in a
  // second map and splicing it in made the commit allocation-free too, but tripled the cost
  // of applying a full profile.)
  std::vector<const ProfileElement*> accepted;
  accepted.reserve(profile.elements.size());
  for (const ProfileElement& e : profile.elements) {
    if (options.known && !options.known(e.name)) {
      report.unknown.push_back(e);
      continue;
    }
    if (e.value && options.validate) {
      Status status = options.validate(e);
      if (!status.ok()) return Status(status.code(), Position(e) + status.message());
    }
    accepted.push_back(&e);
  }
  for (const ProfileElement* e : accepted) {
    auto it = params_.lower_bound(e->name);
    if (it == params_.end() || it->first != e->name) {
      it = params_.emplace_hint(it, e->name, ParameterState{});
    }
    if (e->value) it->second.value = *e->value;
    if (e->ua) it->second.access = *e->ua;
  }
  report.applied = accepted.size();
  return report;
}

std::vector<ProfileElement> ParameterSet::Apply(
    const FlatProfile& profile, const std::function<bool(std::string_view)>& known) {
  ApplyOptions options;
  options.known = known;
  // Without a validator Apply cannot fail.
  Result<ApplyReport> result = Apply(profile, options);
  return std::move(result.value().unknown);
}

const ParameterState* ParameterSet::Get(std::string_view name) const {
  auto it = params_.find(name);
  return it == params_.end() ? nullptr : &it->second;
}

Status ParameterSet::Set(std::string_view name, std::string value, std::optional<Access> access) {
  if (!IsParameterName(name)) {
    return InvalidArgument("\"" + std::string(name.substr(0, 64)) + "\" is not a parameter name");
  }
  auto it = params_.find(name);
  if (it == params_.end()) it = params_.emplace(std::string(name), ParameterState{}).first;
  it->second.value = std::move(value);
  if (access) it->second.access = access;
  return Status::Ok();
}

Status ParameterSet::SetAccess(std::string_view name, Access access) {
  if (!IsParameterName(name)) {
    return InvalidArgument("\"" + std::string(name.substr(0, 64)) + "\" is not a parameter name");
  }
  auto it = params_.find(name);
  if (it == params_.end()) it = params_.emplace(std::string(name), ParameterState{}).first;
  it->second.access = access;
  return Status::Ok();
}

bool ParameterSet::Erase(std::string_view name) {
  auto it = params_.find(name);
  if (it == params_.end()) return false;
  params_.erase(it);
  return true;
}

FlatProfile ParameterSet::ToFlatProfile() const {
  FlatProfile profile;
  profile.elements.reserve(params_.size());
  for (const auto& [name, state] : params_) {
    ProfileElement& e = profile.elements.emplace_back();
    e.name = name;
    e.value = state.value;
    e.ua = state.access;
  }
  return profile;
}

}  // namespace cwmp::prov
