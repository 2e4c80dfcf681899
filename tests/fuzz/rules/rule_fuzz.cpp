// Fuzzes Profile_Rule/Upgrade_Rule parsing and evaluation. Input: one byte choosing the rule
// kind, then the rule text, optionally followed by '\0' and a value for GPP_A (so expanded
// macros are fuzzed too). Checks that a selected URL survives a round trip.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cwmp/prov/rule.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cwmp::prov;
  if (size < 1) return 0;
  RuleKind kind = (data[0] & 1) ? RuleKind::kUpgrade : RuleKind::kProfile;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string_view rule_text = in;
  std::string_view gpp_a;
  size_t nul = in.find('\0');
  if (nul != std::string_view::npos) {
    rule_text = in.substr(0, nul);
    gpp_a = in.substr(nul + 1);
  }
  MacroVariables vars;
  (void)vars.SetMac("000E08012345");
  (void)vars.Set("PN", "CP-6841-3PCC");
  (void)vars.Set("SWVER", "sip68xx.11-0-1MPP");
  (void)vars.Set("PRVTMR", "900");
  vars.SetParameter("GPP_A", gpp_a);
  vars.SetParameter("GPP_SA", "secret");

  cwmp::Result<Rule> rule = ParseRule(rule_text, kind);
  if (!rule.ok()) return 0;
  for (size_t i = 0; i + 1 < rule->alternatives.size(); ++i) {
    if (!rule->alternatives[i].condition) abort();  // parser must enforce this
  }
  auto sel = EvaluateRule(rule.value(), vars);
  if (!sel.ok() || !sel.value()) return 0;
  const RuleSelection& s = *sel.value();
  if (s.alternative >= rule->alternatives.size()) abort();
  if (s.url) {
    if (kind == RuleKind::kUpgrade && s.url->host.empty()) abort();
    auto again = ParseProvisioningUrl(s.url->ToString());
    if (!again.ok() || again->host != s.url->host || again->port != s.url->port ||
        again->path != s.url->path || again->scheme != s.url->scheme) {
      abort();
    }
  }
  return 0;
}
