// cpe-agent profile check
#include <cstdio>

#include "cli/profile_cli.h"
#include "cli/profile_common.h"

namespace agent::cli {
namespace {

const char* const kCheckUsage =
    "usage: cpe-agent profile check [options] FILE...\n"
    "\n"
    "Validates flat profiles (XML, optionally gzip'ed or encrypted) against the parameter\n"
    "catalog: well-formed XML, known parameter names, values of the right data type, ua of\n"
    "na/ro/rw. Diagnostics go to stderr as FILE:LINE:COL: message; a summary line per file\n"
    "goes to stdout. Exit status: 0 all files valid, 1 any error, 2 bad usage.\n"
    "\n"
    "Options:\n"
    "  --allow-unknown     report unknown parameter names as warnings, not errors\n"
    "                      (the phone ignores them)\n";

}  // namespace

int RunProfileCheck(const std::vector<std::string>& argv) {
  auto specs = KeyOptionSpecs();
  specs.push_back({"allow-unknown", "", false, false});
  auto args = ParseArgs(argv, specs);
  if (!args.ok()) {
    std::fprintf(stderr, "cpe-agent profile check: %s\n\n%s%s", args.status().message().c_str(),
                 kCheckUsage, kKeyOptionsHelp);
    return 2;
  }
  if (args->Has("help")) {
    std::printf("%s%s", kCheckUsage, kKeyOptionsHelp);
    return 0;
  }
  if (args->positionals().empty()) {
    std::fprintf(stderr, "cpe-agent profile check: no FILE given\n\n%s%s", kCheckUsage,
                 kKeyOptionsHelp);
    return 2;
  }
  auto keys = ReadKeyOptions(*args);
  if (!keys.ok()) {
    std::fprintf(stderr, "cpe-agent profile check: %s\n", keys.status().message().c_str());
    return 2;
  }
  const bool allow_unknown = args->Has("allow-unknown");
  bool all_ok = true;
  for (const std::string& file : args->positionals()) {
    auto decoded = ReadAndDecode(file, *keys);
    if (!decoded.ok()) {
      std::fprintf(stderr, "%s\n", decoded.status().message().c_str());
      std::printf("%s: FAILED\n", file.c_str());
      all_ok = false;
      continue;
    }
    cwmp::prov::FlatProfile profile;
    const bool ok =
        CheckProfileText(file, decoded->plaintext, allow_unknown, keys->max_bytes, &profile);
    if (ok) {
      std::printf("%s: OK (%zu parameters)\n", file.c_str(), profile.elements.size());
    } else {
      std::printf("%s: FAILED\n", file.c_str());
    }
    all_ok = all_ok && ok;
  }
  return all_ok ? 0 : 1;
}

}  // namespace agent::cli
