#pragma once
// `cpe-agent firmware …`: build and examine `.loads` firmware bundles (docs/firmware-bundle.md).
//   pack     --version V --payload FILE [--model M]... [--sign-key KEY.pem] -o OUT
//   inspect  FILE [--public-key PUB.pem] [--model M] [--downgrade-rev-limit V]
// Exit codes: 0 success, 1 the input is bad (corrupt bundle, bad signature, refused), 2 usage.

#include <string>
#include <vector>

namespace agent::cli {

// args: the words after "firmware".
int RunFirmwareCommand(const std::vector<std::string>& args);

int RunFirmwarePack(const std::vector<std::string>& args);
int RunFirmwareInspect(const std::vector<std::string>& args);

}  // namespace agent::cli
