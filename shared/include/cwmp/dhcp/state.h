#pragma once
// The DHCP discovery state file, DIR/dhcp.json, written by `cpe-agent dhcp-event` (the DHCP
// client hook) and read by the agent daemon. docs/dhcp.md states the contract; in short:
//
//   * dhcp-event is the only writer of dhcp.json; it writes it atomically (temp file in DIR,
//     fsync, rename, fsync DIR), so a reader sees the old or the new file, never a mix.
//   * acs_url is the ACS URL most recently received in option 43. A lease without it keeps the
//     previous value (and its generation); it is never cleared by DHCP.
//   * acs_url_generation counts ACS URL changes: 0 before any URL was discovered; each time a
//     lease carries a URL different (byte for byte) from acs_url it becomes
//     max(acs_url_generation, acknowledged generation) + 1.
//   * The daemon owns DIR/dhcp-bootstrap.ack: after the ACS answered an Inform carrying
//     "0 BOOTSTRAP" to the URL of generation G, it writes G (decimal, atomically) there.
//     A "0 BOOTSTRAP" is due exactly while acs_url_generation > the ack value (no file = 0).
//     bootstrap_due in dhcp.json is that comparison as of the event, for humans and scripts.
//   * provisioning_server, tftp_servers and gateway describe the latest lease only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/status.h"
#include "cwmp/dhcp/options.h"

namespace cwmp::dhcp {

inline constexpr int kStateVersion = 1;
inline constexpr std::string_view kStateFileName = "dhcp.json";
inline constexpr std::string_view kBootstrapAckFileName = "dhcp-bootstrap.ack";
// Both files are tiny; readers refuse anything larger.
inline constexpr size_t kMaxStateFileBytes = 64 * 1024;

struct DhcpState {
  int version = kStateVersion;
  std::string updated;  // UTC time of the last event, "2026-11-26T12:00:00Z"
  std::optional<std::string> acs_url;
  std::optional<std::string> previous_acs_url;  // the URL before the last change
  uint64_t acs_url_generation = 0;
  bool bootstrap_due = false;
  // From the option 43 that carried acs_url (replaced together with it).
  std::optional<std::string> provisioning_code;
  std::optional<uint32_t> retry_min_wait;
  std::optional<uint32_t> retry_multiplier;
  // From the latest lease only.
  std::optional<ProvisioningServer> provisioning_server;
  std::vector<std::string> tftp_servers;      // option 150
  std::optional<GatewayAssociation> gateway;  // option 125 enterprise 3561
  friend bool operator==(const DhcpState&, const DhcpState&) = default;
};

// Pretty JSON, keys in a fixed order, absent values as null, ending in a newline.
std::string SerializeState(const DhcpState& state);
// Parses what SerializeState writes (any key order; unknown keys ignored so later versions
// may add fields; a different "version" is an error). Bounded by kMaxStateFileBytes.
Result<DhcpState> ParseState(std::string_view json);

// The daemon's acknowledgement file: a decimal generation, optional trailing newline.
Result<uint64_t> ParseBootstrapAck(std::string_view text);

// One DHCP event: the new state from the previous one (nullopt when there was no file), the
// decoded lease, the DHCP_Option_To_Use order, the acknowledged generation and the time.
DhcpState ApplyLease(const std::optional<DhcpState>& previous, const DhcpLease& lease,
                     const std::vector<int>& order, uint64_t acked_generation, std::string now_utc);

}  // namespace cwmp::dhcp
