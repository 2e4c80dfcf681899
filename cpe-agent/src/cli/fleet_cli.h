#pragma once
// `cpe-agent fleet`: N phones in one process, each the same agent::Phone as `cpe-agent run`.

#include <string>
#include <vector>

namespace agent::cli {

int RunFleetCommand(const std::vector<std::string>& args);

}  // namespace agent::cli
