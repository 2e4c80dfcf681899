#pragma once
// The daemon's side of the dhcp.json contract (docs/dhcp.md): reading STATE/dhcp.json and
// STATE/dhcp-bootstrap.ack, and writing the ack atomically. Private to the runtime.

#include <cstdint>
#include <optional>
#include <string>

#include "cwmp/base/status.h"

namespace agent {

struct DhcpDiscovery {
  std::optional<std::string> acs_url;
  uint64_t generation = 0;  // acs_url_generation
  uint64_t acked = 0;       // dhcp-bootstrap.ack (0 when absent)
  std::optional<std::string> provisioning_code;
  std::optional<uint32_t> retry_min_wait;
  std::optional<uint32_t> retry_multiplier;
};

// mtime of STATE/dhcp.json in nanoseconds, -1 when it does not exist.
int64_t DhcpStateMtime(const std::string& state_dir);
// Parses dhcp.json (cwmp::dhcp::ParseState) and the ack file. A malformed ack file reads as 0
// (the bootstrap is then due again, the safe side) and is rewritten at the next ack.
cwmp::Result<DhcpDiscovery> ReadDhcpDiscovery(const std::string& state_dir);
// Writes `generation` to STATE/dhcp-bootstrap.ack: temporary file, fsync, rename, fsync dir.
cwmp::Status WriteBootstrapAck(const std::string& state_dir, uint64_t generation);

}  // namespace agent
