// `acsd token create`.
#include <ostream>

#include "acs/api_token.h"
#include "cli_commands.h"

namespace acs::cli {

int RunTokenCreate(const TokenCreateCommand& command, std::ostream& out, std::ostream& err) {
  const std::string where = RedactDatabaseUrl(command.database_url);
  StoreOptions options;
  options.database_url = command.database_url;
  options.max_connections = 1;
  auto store = OpenPostgresStore(options);
  if (!store.ok()) {
    err << "acsd token create: " << where << ": " << store.status().message() << "\n";
    return store.status().code() == cwmp::StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto version = (*store)->SchemaVersion();
  if (!version.ok()) {
    err << "acsd token create: " << where << ": " << version.status().message() << "\n";
    return kExitFailure;
  }
  if (*version < LatestSchemaVersion()) {
    err << "acsd token create: " << where << ": database schema is at version " << *version
        << ", this acsd needs " << LatestSchemaVersion() << ": run `acsd migrate` first\n";
    return kExitFailure;
  }
  auto token = GenerateApiToken();
  if (!token.ok()) {
    err << "acsd token create: " << token.status().message() << "\n";
    return kExitFailure;
  }
  cwmp::Status st = (*store)->AddApiToken(*token, command.scope, command.description);
  if (!st.ok()) {
    err << "acsd token create: " << where << ": " << st.message() << "\n";
    return kExitFailure;
  }
  out << "created a " << ApiScopeName(command.scope)
      << " API token; only its SHA-256 is stored, so copy it now:\n"
      // The one place a token is shown, by design: the operator must receive it once.
      << token->Reveal() << "\n";
  return kExitOk;
}

}  // namespace acs::cli
