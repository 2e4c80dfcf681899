#pragma once
// Command-line front end of cpe-agent: `cpe-agent <command> [args]`.
#include <string>
#include <vector>

namespace agent {

// Runs the command named by args[0]; returns the process exit code.
// Output goes to stdout, diagnostics to stderr.
int RunCli(const std::vector<std::string>& args);

}  // namespace agent
