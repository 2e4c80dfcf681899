#pragma once
// Applies the embedded migrations (see Store::Migrate for the contract).

#include "acs/store.h"
#include "store/pg_connection.h"

namespace acs::pg {

cwmp::Result<MigrationReport> RunMigrations(Connection& conn);
cwmp::Result<int> ReadSchemaVersion(Connection& conn);

}  // namespace acs::pg
