#pragma once
// Profile_Rule, Profile_Rule_B-D and Upgrade_Rule (guide "Profile Rules", lines 1243-1314,
// "Upgrade Rule", lines 1316-1350, "Optional Resync Arguments", lines 1032-1071):
//
//   rule        := alternative ( '|' alternative )*
//   alternative := [ '(' condition ')' '?' ] [ '(' assignment* ')' '!' ] [ [ options ] URL ]
//   assignment  := Name '=' value [ ';' ]            value: "quoted" or a bare word
//   options     := '[' ( option value )* ']'         --key --uid --pwd --post --alias
//
// Every alternative except the last must have a condition. Upgrade_Rule takes no options
// and needs a URL (with a server) in every alternative. ParseRule() checks the structure;
// EvaluateRule() expands macros piece by piece (conditions, assignment values, option
// arguments, URL), so a GPP value containing '|' or ')' cannot change the rule's structure,
// and returns the first alternative whose condition holds.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"
#include "cwmp/prov/macro.h"
#include "cwmp/prov/url.h"

namespace cwmp::prov {

enum class RuleKind {
  kProfile,  // Profile_Rule*: options allowed; URL optional; server optional (DHCP option 66)
  kUpgrade,  // Upgrade_Rule: no options; URL with server required
};

struct RuleAssignment {
  std::string name;   // flat parameter name, e.g. Line_Enable_1_
  std::string value;  // unquoted (raw in a parsed Rule, expanded in a RuleSelection)
  friend bool operator==(const RuleAssignment&, const RuleAssignment&) = default;
};

// Options as written (unexpanded, quotes removed). post/alias hold the GPP letter (a-p,
// lower case).
struct RuleOptions {
  std::optional<std::string> key, uid, pwd;
  std::optional<char> post, alias;
  bool empty() const { return !key && !uid && !pwd && !post && !alias; }
};

struct RuleAlternative {
  size_t offset = 0;                     // 0-based position in the rule text
  std::optional<std::string> condition;  // text between "(" and ")?"
  std::vector<RuleAssignment> assignments;
  RuleOptions options;
  std::string url;  // unexpanded; empty when the alternative has no URL
};

struct Rule {
  RuleKind kind = RuleKind::kProfile;
  std::vector<RuleAlternative> alternatives;  // none for an empty rule
};

// Parses a rule. Errors (kParseError) name the 1-based column: "column 12: unterminated '('".
Result<Rule> ParseRule(std::string_view text, RuleKind kind);

// Options after macro expansion. key/pwd are secrets; $SA-$SD expand only in key, uid, pwd.
struct ResolvedOptions {
  std::optional<Secret> key;
  std::optional<std::string> uid;
  std::optional<Secret> pwd;
  std::optional<std::string> post_parameter;   // "GPP_A" for --post a
  std::string post_body;                       // macro-expanded contents of that GPP
  std::optional<std::string> alias_parameter;  // "GPP_B" for --alias b
  std::string alias_map;                       // contents of that GPP (not expanded)
};

// The chosen alternative, everything expanded.
struct RuleSelection {
  size_t alternative = 0;  // 0-based index
  std::vector<RuleAssignment> assignments;
  ResolvedOptions options;
  std::string expanded_url;  // empty when the alternative has no URL
  std::optional<ProvisioningUrl> url;
};

// Evaluates the alternatives left to right. nullopt: no alternative selected (the rule is
// empty or no condition holds). Errors (a condition's type error, a bad expanded URL) name
// the alternative; the guide treats them as a failed resync/upgrade.
Result<std::optional<RuleSelection>> EvaluateRule(const Rule& rule, const MacroContext& context);

// A human-readable description of a selection, one "field: value" per line, for CLIs and
// logs; --key and --pwd values are shown as Secret::kMask:
//   alternative: 1
//   assign: Line_Enable_1_ = "No"
//   key: ********
//   url: https://p.tel.com:443/init-prov
//   scheme: https / host: p.tel.com / port: 443 / path: /init-prov   (one line each)
// A URL without a server shows "host: (DHCP option 66)". show_secrets prints the --key and
// --pwd values instead of the mask (for an operator's explicit request only).
std::string FormatRuleSelection(const RuleSelection& selection, bool show_secrets = false);

// ParseRule + EvaluateRule.
Result<std::optional<RuleSelection>> EvaluateRuleText(std::string_view text, RuleKind kind,
                                                      const MacroContext& context);

}  // namespace cwmp::prov
