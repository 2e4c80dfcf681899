// Store methods added for the NBI (see the "NBI (acsnbi)" block in store.h).
#include <algorithm>

#include "acs/store.h"

namespace acs {

cwmp::Result<std::vector<FaultRecord>> Store::ListRecentFaults(int limit) {
  if (limit < 1) return cwmp::InvalidArgument("limit must be positive");
  std::vector<FaultRecord> out;
  auto newer = [](const FaultRecord& a, const FaultRecord& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  };
  DeviceFilter f;
  f.limit = 1000;
  for (;;) {
    auto page = ListDevices(f);
    if (!page.ok()) return page.status();
    for (const auto& d : page->devices) {
      auto faults = ListFaults(d.id);
      if (!faults.ok()) return faults.status();
      out.insert(out.end(), faults->begin(), faults->end());
      // Keep only the newest `limit` so memory stays bounded however large the fleet.
      if (out.size() > static_cast<size_t>(limit) * 2) {
        std::sort(out.begin(), out.end(), newer);
        out.resize(static_cast<size_t>(limit));
      }
    }
    if (page->next_after_id.empty()) break;
    f.after_id = page->next_after_id;
  }
  std::sort(out.begin(), out.end(), newer);
  if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
  return out;
}

}  // namespace acs
