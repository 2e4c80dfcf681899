#pragma once
// Checking a parsed flat profile against the parameter catalog: every element must name a
// catalog parameter and every value must be valid for the parameter's data type. Used by
// `cpe-agent profile check/encode`, and wherever a profile is validated before it is applied.

#include <string>
#include <vector>

#include "cwmp/prov/catalog.h"
#include "cwmp/prov/flat_profile.h"

namespace cwmp::prov {

struct CheckDiagnostic {
  int line = 0;    // of the element, 1-based
  int column = 0;  // of the element, 1-based
  std::string message;  // "Name: \"value\" reason" or "unknown parameter \"Name\" ..."
  bool warning = false;  // an unknown name when unknown names are allowed
};

struct CheckOptions {
  bool allow_unknown = false;  // unknown names become warnings (the phone ignores them)
  bool suggest = true;         // add "did you mean X?" for unknown names close to a known one
};

// Diagnostics in document order; empty when the profile is valid. Secret values never appear in
// messages (the catalog masks them).
std::vector<CheckDiagnostic> CheckProfile(const FlatProfile& profile, const Catalog& catalog,
                                          const CheckOptions& options = {});

// The catalog name closest to `name` by edit distance, when it is close enough to be a likely
// typo (at most 2 edits, or 1 for names of 6 characters or fewer); empty otherwise.
std::string SuggestParameterName(std::string_view name, const Catalog& catalog);

}  // namespace cwmp::prov
