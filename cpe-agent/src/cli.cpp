#include "agent/cli.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

#include "agent/network_worker.h"
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
    "  net-worker  (internal) the network worker process that `run` starts for each ACS\n"
    "            session, transfer and decryption (cpe-agent net-worker --help)\n"
    "\n"
    "Options:\n"
    "  -h, --help   show this help\n";

constexpr const char* kNetWorkerUsage =
    "usage: cpe-agent net-worker --fd N\n"
    "\n"
    "Internal: `cpe-agent run` starts this process for each ACS session, each transfer and\n"
    "each decryption or certificate check of fetched content, and sends it the work to do\n"
    "(HTTP, HTTPS, TFTP through libcurl; OpenSSL) on the stream socket N; it exits when the\n"
    "daemon closes the socket. Keeping libcurl and TLS in this short-lived process keeps the\n"
    "idle phone small and isolates the code that parses what servers send\n"
    "(docs/agent-memory.md). Not meant to be run by hand.\n"
    "\n"
    "Options:\n"
    "  --fd N       the socket to serve (a connected stream socket)\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 when the daemon closed the socket, 1 on a broken connection, 2 on bad usage.\n";

int RunNetWorkerCommand(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
    std::fputs(kNetWorkerUsage, stdout);
    return 0;
  }
  char* end = nullptr;
  long fd = args.size() == 2 && args[0] == "--fd" ? std::strtol(args[1].c_str(), &end, 10) : -1;
  if (fd < 0 || end == nullptr || *end != '\0' || fd > 65535) {
    std::fprintf(stderr, "cpe-agent net-worker: expected --fd N\n\n%s", kNetWorkerUsage);
    return 2;
  }
  struct stat st {};
  if (::fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) {
    std::fprintf(stderr, "cpe-agent net-worker: file descriptor %ld is not a socket\n", fd);
    return 2;
  }
  return RunNetworkWorker(static_cast<int>(fd));
}

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
  if (args[0] == "net-worker") {
    return RunNetWorkerCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "dhcp" || args[0] == "dhcp-event") return cli::RunDhcpCommand(args);
  std::fprintf(stderr, "cpe-agent: unknown command '%s'\n\n%s", args[0].c_str(), kUsage);
  return 2;
}

}  // namespace agent
