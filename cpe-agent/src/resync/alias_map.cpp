#include "resync/alias_map.h"

namespace agent::resync_internal {
namespace {

bool IsSeparator(char c) {
  return c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

cwmp::Result<AliasMap> ParseAliasMap(std::string_view text) {
  AliasMap out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSeparator(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !IsSeparator(text[i])) ++i;
    std::string_view entry = text.substr(start, i - start);
    if (entry.empty()) continue;
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == entry.size() ||
        entry.find('=', eq + 1) != std::string_view::npos) {
      return cwmp::InvalidArgument("alias map entry \"" + std::string(entry) +
                                   "\": expected source=Target");
    }
    out[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  return out;
}

void ApplyAliases(const AliasMap& aliases, cwmp::prov::FlatProfile* profile) {
  if (aliases.empty()) return;
  for (cwmp::prov::ProfileElement& e : profile->elements) {
    if (auto it = aliases.find(e.name); it != aliases.end()) e.name = it->second;
  }
}

}  // namespace agent::resync_internal
