// acsctl: the operator's command line over the ACS's REST API. Logic is in src/acsctl.cpp.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "acsctl.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  acsctl::Environment env;
  if (const char* t = std::getenv("ACSCTL_TOKEN")) env.token = t;
  if (const char* u = std::getenv("ACSCTL_URL")) env.url = u;
  return acsctl::Run(args, env, std::cout, std::cerr);
}
