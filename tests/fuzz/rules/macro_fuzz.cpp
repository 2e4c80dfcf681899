// Fuzzes macro expansion. Input: text, optionally '\0' and a value for every GPP (A-P, SA-SD).
// Checks: with a context that knows no names the output is the input with each "$$" turned
// into "$"; text without '$' is unchanged; expansion is single pass (a value holding '$' is
// copied as is).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cwmp/prov/macro.h"

namespace {

class NoNames : public cwmp::prov::MacroContext {
 public:
  std::optional<std::string_view> Lookup(std::string_view) const override { return std::nullopt; }
};

std::string CollapseDollars(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    out.push_back(s[i]);
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '$') ++i;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cwmp::prov;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view text = in;
  std::string_view value;
  size_t nul = in.find('\0');
  if (nul != std::string_view::npos) {
    text = in.substr(0, nul);
    value = in.substr(nul + 1);
  }
  MacroVariables vars;
  (void)vars.SetMac("000e08012345");
  for (char c = 'A'; c <= 'P'; ++c) vars.SetParameter(std::string("GPP_") + c, value);
  for (char c = 'A'; c <= 'D'; ++c) vars.SetParameter(std::string("GPP_S") + c, value);

  std::string general = ExpandMacros(text, vars, MacroScope::kGeneral);
  std::string credential = ExpandMacros(text, vars, MacroScope::kCredential);
  if (text.find('$') == std::string_view::npos && (general != text || credential != text)) abort();
  if (ExpandMacros(text, NoNames()) != CollapseDollars(text)) abort();
  // "$A" expands to the value verbatim, whatever it holds.
  if (ExpandMacros("$A", vars) != value) abort();
  if (ExpandMacros("$SA", vars) != "$SA") abort();
  return 0;
}
