#pragma once
// The acsd command line: `acsd migrate`, `acsd token create`, and --help for each.
// main() only calls Run(); everything else is here so tests drive it in-process.
//
// Exit codes: 0 success, 1 the command failed (database unreachable, migration refused, ...),
// 2 usage error (unknown command or option, missing or malformed argument).

#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "acs/store.h"
#include "cwmp/base/status.h"

namespace acs::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Environment variable read when --db is absent (keeps passwords out of `ps`).
inline constexpr const char* kDatabaseUrlEnv = "ACSD_DATABASE_URL";

struct HelpCommand {
  std::string text;  // what to print on stdout
};
struct VersionCommand {};
struct MigrateCommand {
  std::string database_url;
};
struct TokenCreateCommand {
  std::string database_url;
  ApiScope scope = ApiScope::kRead;
  std::string description;
};
using Command = std::variant<HelpCommand, VersionCommand, MigrateCommand, TokenCreateCommand>;

// Parses the arguments after the program name. `env_database_url` is the value of
// ACSD_DATABASE_URL (nullopt when unset). Errors are kInvalidArgument with a message for the
// operator that names the command, the offending argument and the fix.
cwmp::Result<Command> Parse(const std::vector<std::string>& args,
                            const std::optional<std::string>& env_database_url);

// Parses and executes; writes results to `out`, diagnostics to `err`; returns the exit code.
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Help texts (also used by Parse for --help).
std::string MainHelp();
std::string MigrateHelp();
std::string TokenHelp();
std::string TokenCreateHelp();

}  // namespace acs::cli
