#pragma once
// `cpe-agent run` (the daemon: one phone) and helpers shared with `cpe-agent fleet`.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/phone.h"
#include "cli/args.h"
#include "cwmp/base/status.h"

namespace agent::cli {

int RunRunCommand(const std::vector<std::string>& args);

// "ADDR:PORT", "[v6]:PORT" or "ADDR" (port = default_port).
cwmp::Status ParseListenAddress(const std::string& text, uint16_t default_port,
                                std::string* address, uint16_t* port);
// A flat profile file (gzip/base64 layers removed), for --profile.
cwmp::Result<cwmp::prov::FlatProfile> LoadProfileFile(const std::string& path);
// The ACS password: --acs-password-file (first line) or $CPE_AGENT_ACS_PASSWORD; nullopt: none.
cwmp::Result<std::optional<cwmp::Secret>> LoadAcsPassword(const ParsedArgs& args);
// Blocks SIGTERM, SIGINT (and SIGHUP) in every thread created after this call.
void BlockStopSignals();
// Waits up to `timeout` for a blocked stop signal; returns its number, or 0 on timeout.
int WaitStopSignal(std::chrono::milliseconds timeout);


}  // namespace agent::cli
