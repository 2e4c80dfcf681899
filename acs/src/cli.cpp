// acsd argument parsing, help texts and dispatch.
#include "acs/cli.h"

#include <cstdlib>
#include <ostream>

#include "cli_commands.h"

namespace acs::cli {
namespace {

constexpr const char* kVersion = "0.1.0";

cwmp::Status Usage(const std::string& command, const std::string& message) {
  return cwmp::InvalidArgument(command + ": " + message + " (see `" + command + " --help`)");
}

bool IsHelp(const std::string& a) { return a == "--help" || a == "-h"; }

// Options shared by the database commands: --db URL / --db=URL, plus per-command extras.
struct OptionParser {
  const std::string command;
  const std::vector<std::string>& args;
  size_t i;

  // If args[i] is --name VALUE or --name=VALUE, stores VALUE, advances and returns true.
  cwmp::Result<bool> Take(const std::string& name, std::string* value) {
    const std::string& a = args[i];
    if (a == name) {
      if (i + 1 >= args.size()) return Usage(command, name + " needs a value");
      *value = args[i + 1];
      i += 2;
      return true;
    }
    if (a.rfind(name + "=", 0) == 0) {
      *value = a.substr(name.size() + 1);
      i += 1;
      return true;
    }
    return false;
  }
};

cwmp::Result<std::string> DatabaseUrl(const std::string& command, const std::string& flag,
                                      const std::optional<std::string>& env) {
  std::string url = flag;
  if (url.empty() && env) url = *env;
  if (url.empty()) {
    return Usage(command, std::string("no database: pass --db URL or set ") + kDatabaseUrlEnv);
  }
  cwmp::Status st = ValidateDatabaseUrl(url);
  if (!st.ok()) return Usage(command, st.message());
  return url;
}

cwmp::Result<Command> ParseMigrate(const std::vector<std::string>& args, size_t start,
                                   const std::optional<std::string>& env) {
  const std::string command = "acsd migrate";
  OptionParser p{command, args, start};
  std::string db;
  while (p.i < args.size()) {
    if (IsHelp(args[p.i])) return Command(HelpCommand{MigrateHelp()});
    auto took = p.Take("--db", &db);
    if (!took.ok()) return took.status();
    if (*took) continue;
    return Usage(command, "unknown argument " + args[p.i]);
  }
  auto url = DatabaseUrl(command, db, env);
  if (!url.ok()) return url.status();
  return Command(MigrateCommand{*url});
}

cwmp::Result<Command> ParseTokenCreate(const std::vector<std::string>& args, size_t start,
                                       const std::optional<std::string>& env) {
  const std::string command = "acsd token create";
  OptionParser p{command, args, start};
  std::string db, scope, description;
  bool have_scope = false;
  while (p.i < args.size()) {
    if (IsHelp(args[p.i])) return Command(HelpCommand{TokenCreateHelp()});
    auto took = p.Take("--db", &db);
    if (!took.ok()) return took.status();
    if (*took) continue;
    took = p.Take("--scope", &scope);
    if (!took.ok()) return took.status();
    if (*took) {
      have_scope = true;
      continue;
    }
    took = p.Take("--description", &description);
    if (!took.ok()) return took.status();
    if (*took) continue;
    return Usage(command, "unknown argument " + args[p.i]);
  }
  if (!have_scope) return Usage(command, "--scope admin|read is required");
  auto parsed_scope = ParseApiScope(scope);
  if (!parsed_scope.ok()) return Usage(command, "--scope: " + parsed_scope.status().message());
  auto url = DatabaseUrl(command, db, env);
  if (!url.ok()) return url.status();
  return Command(TokenCreateCommand{*url, *parsed_scope, description});
}

}  // namespace

std::string MainHelp() {
  return "Usage: acsd <command> [options]\n"
         "\n"
         "The TR-069 auto-configuration server. All state lives in PostgreSQL.\n"
         "\n"
         "Commands:\n"
         "  migrate        Apply the database migrations this acsd carries (idempotent).\n"
         "  token create   Create an API token for the northbound REST API.\n"
         "  serve          Run the ACS: CWMP endpoint, REST API, metrics.\n"
         "\n"
         "Options:\n"
         "  -h, --help     Show this help; `acsd <command> --help` shows a command's options.\n"
         "  --version      Print the version.\n"
         "\n"
         "Database URLs are postgresql://user[:password]@host[:port]/dbname[?sslmode=...] or\n"
         "libpq \"key=value\" strings. Commands take --db URL; without it they read " +
         std::string(kDatabaseUrlEnv) +
         ".\n"
         "\n"
         "Exit status: 0 success, 1 the command failed, 2 usage error.\n";
}

std::string MigrateHelp() {
  return "Usage: acsd migrate --db URL\n"
         "\n"
         "Applies, in order, each numbered migration (schema/sql/NNN_name.sql, compiled into\n"
         "acsd) that the database lacks, each in its own transaction. Several acsd processes may\n"
         "run it at once: a PostgreSQL advisory lock makes the others wait, then find nothing\n"
         "to do. Refuses a database that has a migration this acsd does not know (a newer acsd\n"
         "migrated it) or one whose text changed since it was applied.\n"
         "\n"
         "Options:\n"
         "  --db URL       PostgreSQL database (default: $" +
         std::string(kDatabaseUrlEnv) +
         ").\n"
         "  -h, --help     Show this help.\n";
}

std::string TokenHelp() {
  return "Usage: acsd token <subcommand> [options]\n"
         "\n"
         "Subcommands:\n"
         "  create         Create an API token (see `acsd token create --help`).\n";
}

std::string TokenCreateHelp() {
  return "Usage: acsd token create --db URL --scope admin|read [--description TEXT]\n"
         "\n"
         "Creates a random API token for the northbound REST API and prints it as the last line\n"
         "of output. Only its SHA-256 is stored: keep the printed token, it cannot be shown\n"
         "again. Clients send it as `Authorization: Bearer <token>`.\n"
         "\n"
         "Options:\n"
         "  --db URL            PostgreSQL database (default: $" +
         std::string(kDatabaseUrlEnv) +
         ").\n"
         "  --scope SCOPE       admin (read and change everything) or read (read only).\n"
         "  --description TEXT  Who or what the token is for (stored, shown in listings).\n"
         "  -h, --help          Show this help.\n";
}

cwmp::Result<Command> Parse(const std::vector<std::string>& args,
                            const std::optional<std::string>& env_database_url) {
  if (args.empty()) return Usage("acsd", "no command given");
  const std::string& cmd = args[0];
  if (IsHelp(cmd)) return Command(HelpCommand{MainHelp()});
  if (cmd == "--version") return Command(VersionCommand{});
  if (cmd == "migrate") return ParseMigrate(args, 1, env_database_url);
  if (cmd == "token") {
    if (args.size() < 2) return Usage("acsd token", "no subcommand given");
    if (IsHelp(args[1])) return Command(HelpCommand{TokenHelp()});
    if (args[1] == "create") return ParseTokenCreate(args, 2, env_database_url);
    return Usage("acsd token", "unknown subcommand " + args[1]);
  }
  if (cmd.rfind("-", 0) == 0) return Usage("acsd", "unknown option " + cmd);
  return Usage("acsd", "unknown command " + cmd);
}

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (!args.empty() && args[0] == "serve") {
    return RunServe(std::vector<std::string>(args.begin() + 1, args.end()), out, err);
  }
  const char* env = std::getenv(kDatabaseUrlEnv);
  auto command =
      Parse(args, env != nullptr && *env != '\0' ? std::optional<std::string>(env) : std::nullopt);
  if (!command.ok()) {
    err << command.status().message() << "\n";
    return kExitUsage;
  }
  if (auto* help = std::get_if<HelpCommand>(&*command)) {
    out << help->text;
    return kExitOk;
  }
  if (std::holds_alternative<VersionCommand>(*command)) {
    out << "acsd " << kVersion << " (schema version " << LatestSchemaVersion() << ")\n";
    return kExitOk;
  }
  if (auto* migrate = std::get_if<MigrateCommand>(&*command)) {
    return RunMigrate(*migrate, out, err);
  }
  return RunTokenCreate(std::get<TokenCreateCommand>(*command), out, err);
}

}  // namespace acs::cli
