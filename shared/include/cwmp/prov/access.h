#pragma once
// User access of a parameter, from the flat profile's `ua` attribute (guide: "User Access
// Attribute"): na = no access, ro = read-only, rw = read/write for the phone's user account.
// The admin account always has full access.

#include <optional>
#include <string_view>

namespace cwmp::prov {

enum class Access { kNa, kRo, kRw };

// "na"/"ro"/"rw" (exact, lower case, as the guide writes them); nullopt for anything else.
constexpr std::optional<Access> ParseAccess(std::string_view text) {
  if (text == "na") return Access::kNa;
  if (text == "ro") return Access::kRo;
  if (text == "rw") return Access::kRw;
  return std::nullopt;
}

constexpr std::string_view AccessName(Access access) {
  switch (access) {
    case Access::kNa: return "na";
    case Access::kRo: return "ro";
    case Access::kRw: return "rw";
  }
  return "na";
}

}  // namespace cwmp::prov
