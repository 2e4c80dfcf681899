#include "cwmp/prov/profile_check.h"

#include <algorithm>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/prov/datatype.h"

namespace cwmp::prov {
namespace {

// Levenshtein distance, giving up (returning limit + 1) once every path exceeds `limit`.
size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t limit) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string SuggestParameterName(std::string_view name, const Catalog& catalog) {
  const size_t limit = name.size() <= 6 ? 1 : 2;
  std::string best;
  size_t best_distance = limit + 1;
  for (const ParamDef& def : catalog.params()) {
    const size_t d = BoundedEditDistance(name, def.name, limit);
    if (d < best_distance) {
      best_distance = d;
      best = def.name;
    }
  }
  return best;
}

std::vector<CheckDiagnostic> CheckProfile(const FlatProfile& profile, const Catalog& catalog,
                                          const CheckOptions& options) {
  std::vector<CheckDiagnostic> out;
  for (const ProfileElement& element : profile.elements) {
    const ParamDef* def = catalog.Find(element.name);
    if (def == nullptr) {
      std::string message = "unknown parameter \"" + element.name + "\" (the phone ignores it)";
      if (options.suggest) {
        const std::string suggestion = SuggestParameterName(element.name, catalog);
        if (!suggestion.empty()) message += "; did you mean \"" + suggestion + "\"?";
      }
      out.push_back({element.line, element.column, std::move(message), options.allow_unknown});
      continue;
    }
    if (!element.value) continue;  // ua-only element: an access change, no value to check
    // One catalog lookup per element: the type check runs on the definition found above
    // (Catalog::Validate would look the name up again); the message is Catalog::Validate's.
    Status st = ValidateValue(def->type, *element.value);
    if (st.ok()) continue;
    const std::string shown = def->secret ? std::string(Secret::kMask) : *element.value;
    out.push_back({element.line, element.column,
                   def->name + ": \"" + shown + "\" " + st.message(), false});
  }
  return out;
}

}  // namespace cwmp::prov
