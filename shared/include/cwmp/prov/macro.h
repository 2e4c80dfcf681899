#pragma once
// Macro expansion of provisioning parameters (guide "Macro Expansion", lines 892-921, and
// "Macro Expansion Variables", lines 2618-2680). Profile_Rule*, Upgrade_Rule,
// Resync_Trigger_* and the Log_* messages are expanded before they are evaluated.
//
//   $$            a single '$'
//   $NAME         NAME is an upper-case letter followed by upper-case letters and digits,
//                 taken greedily ("$MAU.cfg" is MAU, "$PN$MA" is PN then MA)
//   $(NAME)       the same, delimited
//   $(NAME:p)     substring from offset p to the end
//   $(NAME:p:q)   substring from offset p, at most q characters
//
// A name the context does not recognise is left exactly as written ("$STRANGE", "$(X:1)").
// Expansion is a single pass: text produced by a variable is never expanded again.
// $SA-$SD (GPP_SA-GPP_SD) are expanded only in MacroScope::kCredential, i.e. in the arguments
// of the --key, --uid and --pwd rule options; elsewhere they are left as written.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace cwmp::prov {

// Supplies variable values to the expander. Implementations must be cheap: Lookup() runs for
// every macro in every expansion.
class MacroContext {
 public:
  virtual ~MacroContext() = default;
  // The value of a recognised variable (empty if it has no value yet), or nullopt if `name`
  // is not a variable, in which case the macro is left as written. The view must stay valid
  // until the next call on this object.
  virtual std::optional<std::string_view> Lookup(std::string_view name) const = 0;
};

enum class MacroScope {
  kGeneral,     // everywhere: $SA-$SD are left as written
  kCredential,  // arguments of --key/--uid/--pwd: $SA-$SD are expanded too
};

// True for SA, SB, SC and SD.
bool IsCredentialMacroName(std::string_view name);

// Appends the expansion of `text` to `*out` (no other allocation when `out` has capacity).
void ExpandMacrosAppend(std::string_view text, const MacroContext& context, MacroScope scope,
                        std::string* out);

// Returns the expansion of `text`.
std::string ExpandMacros(std::string_view text, const MacroContext& context,
                         MacroScope scope = MacroScope::kGeneral);

// The phone's macro variables, held in memory. Every name of the guide's table is recognised
// (and expands to "" until set): A-P, SA-SD, MA, MAU, MAC, PN, PSN, SN, CCERT, IP, EXTIP,
// SWVER, HWVER, PRVST, UPGST, UPGERR, PRVTMR, UPGTMR, REGTMR1, REGTMR2, UPGCOND, SCHEME,
// SERV, SERVIP, PORT, PATH, ERR, UID1-UID99, EMS, MUID, MPWD.
class MacroVariables final : public MacroContext {
 public:
  MacroVariables() = default;

  // Sets MA (000e08aabbcc), MAU (000E08AABBCC) and MAC (00:0e:08:aa:bb:cc) from one MAC
  // address written as 12 hex digits, optionally with ':' or '-' between the pairs.
  Status SetMac(std::string_view mac);

  // Sets a variable by its macro name ("PN", "SWVER", "A", "SA", "UID2", ...). MA, MAU and
  // MAC go through SetMac(). Unknown names are an InvalidArgument error.
  Status Set(std::string_view name, std::string_view value);

  // Sets the variable that mirrors a phone parameter: GPP_A-GPP_P (A-P), GPP_SA-GPP_SD
  // (SA-SD), User_ID_n_ (UIDn). Returns false (and changes nothing) for other parameters, so
  // a caller can pass every parameter of a profile.
  bool SetParameter(std::string_view parameter_name, std::string_view value);

  // PSN, when not set, is derived from PN by dropping a leading "CP-" (CP-6841-3PCC gives
  // 6841-3PCC), as in the guide's examples.
  std::optional<std::string_view> Lookup(std::string_view name) const override;

  // True if `name` is one of the recognised variable names above.
  static bool IsVariableName(std::string_view name);

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace cwmp::prov
