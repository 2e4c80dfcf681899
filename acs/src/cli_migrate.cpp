// `acsd migrate`.
#include <ostream>

#include "cli_commands.h"

namespace acs::cli {

int RunMigrate(const MigrateCommand& command, std::ostream& out, std::ostream& err) {
  const std::string where = RedactDatabaseUrl(command.database_url);
  StoreOptions options;
  options.database_url = command.database_url;
  options.max_connections = 1;
  auto store = OpenPostgresStore(options);
  if (!store.ok()) {
    err << "acsd migrate: " << where << ": " << store.status().message() << "\n";
    return store.status().code() == cwmp::StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto report = (*store)->Migrate();
  if (!report.ok()) {
    err << "acsd migrate: " << where << ": " << report.status().message() << "\n";
    return kExitFailure;
  }
  for (const auto& name : report->applied) out << "applied " << name << "\n";
  if (report->applied.empty()) {
    out << "schema version " << report->version_after << ": up to date, nothing to apply\n";
  } else {
    out << "schema version " << report->version_before << " -> " << report->version_after << "\n";
  }
  return kExitOk;
}

}  // namespace acs::cli
