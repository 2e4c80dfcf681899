#pragma once
// The acsd commands that talk to the database (one file each).

#include <iosfwd>
#include <string>
#include <vector>

#include "acs/cli.h"

namespace acs::cli {

int RunMigrate(const MigrateCommand& command, std::ostream& out, std::ostream& err);
int RunTokenCreate(const TokenCreateCommand& command, std::ostream& out, std::ostream& err);
// `acsd serve ARGS...` (its own option parser: acs/config.h).
int RunServe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acs::cli
