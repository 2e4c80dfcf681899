#pragma once
// DHCP discovery on the command line (docs/dhcp.md):
//   cpe-agent dhcp-event --state DIR [--option43 V] ... [--env]
//       called by the DHCP client hook; records ACS URL, ProvisioningCode, retry parameters and
//       the provisioning server in DIR/dhcp.json (the contract is in cwmp/dhcp/state.h).
//   cpe-agent dhcp event ...      the same
//   cpe-agent dhcp encode --url URL [...] [--format dnsmasq|isc|hex] [--option 43|125]
//       prints DHCP server configuration for option 43 (or 125)
//   cpe-agent dhcp decode --option N VALUE
//       decodes one option value and prints its fields
// Exit codes: 0 success, 1 bad option value or I/O failure (dhcp.json unchanged), 2 usage.

#include <string>
#include <vector>

namespace agent::cli {

// args: the whole command line after the program name, starting with "dhcp" or "dhcp-event".
int RunDhcpCommand(const std::vector<std::string>& args);

int RunDhcpEvent(const std::vector<std::string>& args);
int RunDhcpEncode(const std::vector<std::string>& args);
int RunDhcpDecode(const std::vector<std::string>& args);

}  // namespace agent::cli
