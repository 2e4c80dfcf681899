// acsd argument parsing and help (no database).
#include "acs/cli.h"

#include <gtest/gtest.h>

#include <sstream>

namespace acs::cli {
namespace {

using Args = std::vector<std::string>;
const std::optional<std::string> kNoEnv;

TEST(CliParse, UsageErrorsNameTheProblem) {
  struct Case {
    Args args;
    std::optional<std::string> env;
    std::string message_part;
  } cases[] = {
      {{}, kNoEnv, "no command given"},
      {{"serve"}, kNoEnv, "unknown command serve"},
      {{"--verbose"}, kNoEnv, "unknown option --verbose"},
      {{"migrate"}, kNoEnv, "pass --db URL or set ACSD_DATABASE_URL"},
      {{"migrate", "--db"}, kNoEnv, "--db needs a value"},
      {{"migrate", "--db", ""}, kNoEnv, "pass --db URL"},
      {{"migrate", "--db", "mysql://h/db"}, kNoEnv, "is neither postgresql://"},
      {{"migrate", "--db", "postgresql://h:port/db"}, kNoEnv, "invalid port"},
      {{"migrate", "--db", "postgresql://h/db", "extra"}, kNoEnv, "unknown argument extra"},
      {{"migrate"}, std::string("nonsense"), "is neither postgresql://"},
      {{"token"}, kNoEnv, "acsd token: no subcommand given"},
      {{"token", "delete"}, kNoEnv, "unknown subcommand delete"},
      {{"token", "create", "--db", "postgresql://h/db"}, kNoEnv, "--scope admin|read is required"},
      {{"token", "create", "--scope", "root", "--db", "postgresql://h/db"},
       kNoEnv,
       "scope \"root\" is not admin or read"},
      {{"token", "create", "--scope", "read"}, kNoEnv, "pass --db URL"},
      {{"token", "create", "--scope"}, kNoEnv, "--scope needs a value"},
  };
  for (const auto& c : cases) {
    auto r = Parse(c.args, c.env);
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    ASSERT_FALSE(r.ok()) << joined;
    EXPECT_EQ(r.status().code(), cwmp::StatusCode::kInvalidArgument) << joined;
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << joined << "=> " << r.status().message();
    EXPECT_NE(r.status().message().find("--help"), std::string::npos) << joined;
  }
}

TEST(CliParse, ValidCommands) {
  auto m = Parse({"migrate", "--db", "postgresql://acs@db/acs"}, kNoEnv);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(std::get<MigrateCommand>(*m).database_url, "postgresql://acs@db/acs");

  m = Parse({"migrate", "--db=host=db dbname=acs"}, kNoEnv);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(std::get<MigrateCommand>(*m).database_url, "host=db dbname=acs");

  m = Parse({"migrate"}, std::string("postgres://env/acs"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::get<MigrateCommand>(*m).database_url, "postgres://env/acs");
  m = Parse({"migrate", "--db", "postgresql://flag/acs"}, std::string("postgres://env/acs"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::get<MigrateCommand>(*m).database_url, "postgresql://flag/acs");

  auto t = Parse({"token", "create", "--scope=admin", "--description", "ops team", "--db",
                  "postgresql://db/acs"},
                 kNoEnv);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const auto& tc = std::get<TokenCreateCommand>(*t);
  EXPECT_EQ(tc.scope, ApiScope::kAdmin);
  EXPECT_EQ(tc.description, "ops team");
  EXPECT_EQ(tc.database_url, "postgresql://db/acs");
  t = Parse({"token", "create", "--scope", "read", "--db", "postgresql://db/acs"}, kNoEnv);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(std::get<TokenCreateCommand>(*t).scope, ApiScope::kRead);

  EXPECT_TRUE(std::holds_alternative<VersionCommand>(*Parse({"--version"}, kNoEnv)));
}

TEST(CliParse, HelpWorksEverywhereWithoutOtherArguments) {
  struct Case {
    Args args;
    std::string expected;
  } cases[] = {
      {{"--help"}, MainHelp()},
      {{"-h"}, MainHelp()},
      {{"migrate", "--help"}, MigrateHelp()},
      {{"migrate", "--db", "bogus", "-h"}, MigrateHelp()},
      {{"token", "--help"}, TokenHelp()},
      {{"token", "create", "--help"}, TokenCreateHelp()},
      {{"token", "create", "--scope", "nope", "--help"}, TokenCreateHelp()},
  };
  for (const auto& c : cases) {
    auto r = Parse(c.args, kNoEnv);
    ASSERT_TRUE(r.ok()) << c.args[0] << ": " << r.status().ToString();
    ASSERT_TRUE(std::holds_alternative<HelpCommand>(*r));
    EXPECT_EQ(std::get<HelpCommand>(*r).text, c.expected);
  }
}

TEST(CliHelp, DocumentsEveryCommandAndOption) {
  for (const char* s :
       {"migrate", "token create", "--help", "--version", "ACSD_DATABASE_URL", "Exit status"}) {
    EXPECT_NE(MainHelp().find(s), std::string::npos) << s;
  }
  EXPECT_NE(MainHelp().find("\n  serve"), std::string::npos) << "serve is a command";
  for (const char* s : {"--db URL", "advisory lock", "--help"}) {
    EXPECT_NE(MigrateHelp().find(s), std::string::npos) << s;
  }
  for (const char* s :
       {"--db URL", "--scope", "admin", "read", "--description", "last line", "SHA-256"}) {
    EXPECT_NE(TokenCreateHelp().find(s), std::string::npos) << s;
  }
}

TEST(CliRun, ExitCodesAndStreams) {
  std::ostringstream out, err;
  EXPECT_EQ(cli::Run({"--help"}, out, err), kExitOk);
  EXPECT_EQ(out.str(), MainHelp());
  EXPECT_EQ(err.str(), "");

  out.str("");
  EXPECT_EQ(cli::Run({"frobnicate"}, out, err), kExitUsage);
  EXPECT_EQ(out.str(), "");
  EXPECT_NE(err.str().find("unknown command frobnicate"), std::string::npos);

  out.str("");
  EXPECT_EQ(cli::Run({"--version"}, out, err), kExitOk);
  EXPECT_EQ(out.str().rfind("acsd ", 0), 0u);
}

}  // namespace
}  // namespace acs::cli
