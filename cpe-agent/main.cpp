// cpe-agent: the IP phone's device agent. main() only dispatches to a subcommand.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "agent/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return agent::RunCli(args);
}
