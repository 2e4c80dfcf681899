#include "agent/cli.h"

#include <cstdio>

#include "cli/dhcp_cli.h"
#include "cli/firmware_cli.h"
#include "cli/fleet_cli.h"
#include "cli/profile_cli.h"
#include "cli/run_cli.h"

namespace agent {
namespace {

constexpr const char* kUsage =
    "usage: cpe-agent <command> [options]\n"
    "\n"
    "Commands:\n"
    "  run       the phone's TR-069 agent daemon (cpe-agent run --help)\n"
    "  fleet     N phones in one process, a load generator for the ACS\n"
    "            (cpe-agent fleet --help)\n"
    "  profile   check, decode, encode flat profiles and expand provisioning rules\n"
    "            (cpe-agent profile --help)\n"
    "  firmware  pack and inspect .loads firmware bundles (cpe-agent firmware --help)\n"
    "  dhcp      DHCP discovery: dhcp-event (called by the DHCP client's hook), and\n"
    "            encode/decode of options 43/125 (cpe-agent dhcp --help)\n"
    "\n"
    "Options:\n"
    "  -h, --help   show this help\n";

}  // namespace

int RunCli(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "profile") {
    return cli::RunProfileCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "firmware") {
    return cli::RunFirmwareCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "run") {
    return cli::RunRunCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "fleet") {
    return cli::RunFleetCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "dhcp" || args[0] == "dhcp-event") return cli::RunDhcpCommand(args);
  std::fprintf(stderr, "cpe-agent: unknown command '%s'\n\n%s", args[0].c_str(), kUsage);
  return 2;
}

}  // namespace agent
