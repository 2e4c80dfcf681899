// cpe-agent profile expand
#include <cstdio>

#include "cli/file_io.h"
#include "cli/profile_cli.h"
#include "cli/profile_common.h"
#include "cwmp/prov/condition.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/rule.h"

namespace agent::cli {
namespace {

const char* const kExpandUsage =
    "usage: cpe-agent profile expand [options] RULE\n"
    "\n"
    "Evaluates RULE as the phone would for the identity and state given, and prints the\n"
    "chosen alternative: its assignments, options (--key/--pwd masked) and the macro-expanded\n"
    "URL with scheme, host, port and path. Says so when no alternative is selected.\n"
    "\n"
    "RULE kinds:\n"
    "  (default)           a Profile_Rule, Profile_Rule_B/C/D or Custom_CA_Rule\n"
    "  --upgrade           an Upgrade_Rule (no options; the URL must name a server)\n"
    "  --trigger           a Resync_Trigger_1/2 condition: prints true or false\n"
    "\n"
    "Identity and state (macro variables):\n"
    "  --mac MAC           sets $MA, $MAU, $MAC (000e08aabbcc, 00:0E:08:AA:BB:CC, ...)\n"
    "  --serial SN         sets $SN\n"
    "  --model PN          sets $PN (and $PSN, e.g. CP-6841-3PCC gives 6841-3PCC)\n"
    "  --swver V           sets $SWVER, e.g. sip68xx.11-0-1MPP-0001\n"
    "  --hwver V           sets $HWVER\n"
    "  --set NAME=VALUE    a parameter (GPP_A..GPP_P -> $A..$P, GPP_SA..GPP_SD -> $SA..$SD,\n"
    "                      User_ID_n_ -> $UIDn) or a variable by its macro name (PRVTMR,\n"
    "                      CCERT, IP, ...); repeatable\n"
    "  --profile FILE      take parameters (GPP_*, User_ID_n_) from a plain flat profile\n"
    "  --show-secrets      print --key/--pwd values instead of ********\n";

int Usage(const std::string& error) {
  std::fprintf(stderr, "cpe-agent profile expand: %s\n\n%s", error.c_str(), kExpandUsage);
  return 2;
}

// Applies --profile, the identity flags and --set, in that order (later wins).
cwmp::Status BuildVariables(const ParsedArgs& args, cwmp::prov::MacroVariables& vars) {
  if (auto file = args.Get("profile")) {
    auto text = ReadFileCapped(*file, kDefaultMaxInputBytes);
    if (!text.ok()) return text.status();
    auto profile = cwmp::prov::ParseFlatProfile(*text);
    if (!profile.ok()) return profile.status().WithPrefix(*file);
    for (const auto& element : profile->elements) {
      if (element.value) vars.SetParameter(element.name, *element.value);
    }
  }
  if (auto mac = args.Get("mac")) CWMP_RETURN_IF_ERROR(vars.SetMac(*mac).WithPrefix("--mac"));
  const std::pair<const char*, const char*> identity[] = {
      {"serial", "SN"}, {"model", "PN"}, {"swver", "SWVER"}, {"hwver", "HWVER"}};
  for (const auto& [option, variable] : identity) {
    if (auto value = args.Get(option)) CWMP_RETURN_IF_ERROR(vars.Set(variable, *value));
  }
  for (const std::string& assignment : args.GetAll("set")) {
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      return cwmp::InvalidArgument("--set: \"" + assignment + "\" is not NAME=VALUE");
    }
    const std::string name = assignment.substr(0, eq);
    const std::string value = assignment.substr(eq + 1);
    if (vars.SetParameter(name, value)) continue;
    cwmp::Status st = vars.Set(name, value);
    if (!st.ok()) {
      return cwmp::InvalidArgument("--set: \"" + name +
                                   "\" is neither a GPP_*/User_ID_n_ parameter nor a macro "
                                   "variable");
    }
  }
  return cwmp::Status::Ok();
}

}  // namespace

int RunProfileExpand(const std::vector<std::string>& argv) {
  std::vector<OptionSpec> specs = {
      {"upgrade", "", false, false}, {"trigger", "", false, false},
      {"mac", "", true, false},      {"serial", "", true, false},
      {"model", "", true, false},    {"swver", "", true, false},
      {"hwver", "", true, false},    {"set", "", true, true},
      {"profile", "", true, false},  {"show-secrets", "", false, false}};
  auto args = ParseArgs(argv, specs);
  if (!args.ok()) return Usage(args.status().message());
  if (args->Has("help")) {
    std::fputs(kExpandUsage, stdout);
    return 0;
  }
  if (args->positionals().size() != 1) return Usage("give exactly one RULE (quote it)");
  if (args->Has("upgrade") && args->Has("trigger")) return Usage("--upgrade or --trigger, not both");

  cwmp::prov::MacroVariables vars;
  cwmp::Status st = BuildVariables(*args, vars);
  if (!st.ok()) return Usage(st.message());

  const std::string& rule = args->positionals()[0];
  if (args->Has("trigger")) {
    auto result = cwmp::prov::EvaluateCondition(rule, vars);
    if (!result.ok()) {
      std::fprintf(stderr, "cpe-agent profile expand: %s\n", result.status().message().c_str());
      return 1;
    }
    std::printf("%s\n", *result ? "true" : "false");
    return 0;
  }
  const auto kind = args->Has("upgrade") ? cwmp::prov::RuleKind::kUpgrade
                                         : cwmp::prov::RuleKind::kProfile;
  auto selection = cwmp::prov::EvaluateRuleText(rule, kind, vars);
  if (!selection.ok()) {
    std::fprintf(stderr, "cpe-agent profile expand: %s\n", selection.status().message().c_str());
    return 1;
  }
  if (!selection->has_value()) {
    std::printf("no alternative selected: the rule is skipped\n");
    return 0;
  }
  std::fputs(cwmp::prov::FormatRuleSelection(**selection, args->Has("show-secrets")).c_str(),
             stdout);
  return 0;
}

}  // namespace agent::cli
