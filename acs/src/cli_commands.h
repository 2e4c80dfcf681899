#pragma once
// The acsd commands that talk to the database (one file each).

#include <iosfwd>

#include "acs/cli.h"

namespace acs::cli {

int RunMigrate(const MigrateCommand& command, std::ostream& out, std::ostream& err);
int RunTokenCreate(const TokenCreateCommand& command, std::ostream& out, std::ostream& err);

}  // namespace acs::cli
