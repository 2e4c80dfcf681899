#include "cli/profile_cli.h"

#include <cstdio>

namespace agent::cli {
namespace {

constexpr const char* kUsage =
    "usage: cpe-agent profile <command> [options] ...\n"
    "\n"
    "Commands:\n"
    "  check FILE...     validate flat profiles against the parameter catalog;\n"
    "                    messages as FILE:LINE:COL: ..., exit 1 on any error\n"
    "  decode FILE       detect, decrypt, decompress and print a profile (secrets masked)\n"
    "  encode FILE       gzip and/or encrypt a profile (openssl enc or aes128gcm format)\n"
    "  expand RULE       evaluate a Profile_Rule, Upgrade_Rule or Resync_Trigger for a phone\n"
    "\n"
    "Run 'cpe-agent profile <command> --help' for the options of each command.\n";

}  // namespace

int RunProfileCommand(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "check") return RunProfileCheck(rest);
  if (command == "decode") return RunProfileDecode(rest);
  if (command == "encode") return RunProfileEncode(rest);
  if (command == "expand") return RunProfileExpand(rest);
  std::fprintf(stderr, "cpe-agent profile: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}

}  // namespace agent::cli
