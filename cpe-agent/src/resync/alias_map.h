#pragma once
// The --alias map of a profile rule (guide: "[--alias b]": the profile's element tags "must be
// remapped to proper parameter names by the aliases map stored in GPP_B"). The guide gives no
// syntax; ours (docs/agent-resync.md): pairs "source=Target" separated by ';', ',' or white
// space, e.g. "user=User_ID_1_; pw=Password_1_". Names are XML names without spaces or '='.
#include <map>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"
#include "cwmp/prov/flat_profile.h"

namespace agent::resync_internal {

using AliasMap = std::map<std::string, std::string, std::less<>>;

// Errors name the bad entry: `alias map entry "x": expected source=Target`.
cwmp::Result<AliasMap> ParseAliasMap(std::string_view text);

// Renames every element whose name is a source of `aliases` to its target.
void ApplyAliases(const AliasMap& aliases, cwmp::prov::FlatProfile* profile);

}  // namespace agent::resync_internal
