// acsd: the TR-069 auto-configuration server. All logic is in acs_core (acs/src/cli.cpp).
#include <iostream>
#include <string>
#include <vector>

#include "acs/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return acs::cli::Run(args, std::cout, std::cerr);
}
