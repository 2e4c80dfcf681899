#pragma once
// A realistic flat profile (the phone's XML open format) of about `size` bytes: lines, proxies,
// dial plans, speed dials and a few secrets, as a provisioning server would render them.

#include <cstddef>
#include <string>

namespace cwmp::content::bench {

std::string GenerateFlatProfile(size_t size);

}  // namespace cwmp::content::bench
