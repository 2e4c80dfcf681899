// The acsd executable against a real PostgreSQL: migrate, token create, and their errors.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "acs/cli.h"
#include "store_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string LastLine() const {
    std::string s = out;
    while (!s.empty() && s.back() == '\n') s.pop_back();
    size_t nl = s.rfind('\n');
    return nl == std::string::npos ? s : s.substr(nl + 1);
  }
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs build/bin/acsd with `args`; `env_url` sets ACSD_DATABASE_URL (else it is unset).
Outcome RunAcsd(const std::vector<std::string>& args,
                const std::optional<std::string>& env_url = std::nullopt) {
  char dir_template[] = "/tmp/acsd-cli-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (dir == nullptr) return {};
  std::string out_path = std::string(dir) + "/out", err_path = std::string(dir) + "/err";
  std::vector<std::string> argv_s = {ACSD_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The child's environment is built here: after fork() only async-signal-safe calls.
  const std::string key = std::string(cli::kDatabaseUrlEnv) + "=";
  std::vector<std::string> env_s;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind(key, 0) != 0) env_s.emplace_back(*e);
  }
  if (env_url) env_s.push_back(key + *env_url);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  Outcome r;
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = Slurp(out_path);
  r.err = Slurp(err_path);
  std::filesystem::remove_all(dir);
  return r;
}

class AcsdCliTest : public StoreTest {
 protected:
  bool MigrateInSetUp() const override { return false; }
  std::string Url() const { return pg_->UrlFor(db_); }
};

TEST_F(AcsdCliTest, MigrateAppliesThenReportsUpToDate) {
  Outcome first = RunAcsd({"migrate", "--db", Url()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied 001_devices\n"), std::string::npos) << first.out;
  EXPECT_EQ(first.LastLine(), "schema version 0 -> " + std::to_string(LatestSchemaVersion()));
  EXPECT_EQ(first.err, "");

  Outcome again = RunAcsd({"migrate", "--db=" + Url()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "schema version " + std::to_string(LatestSchemaVersion()) +
                           ": up to date, nothing to apply\n");
}

TEST_F(AcsdCliTest, ConcurrentMigrateProcessesAgree) {
  std::vector<std::thread> threads;
  std::vector<Outcome> outcomes(3);
  for (auto& o : outcomes) {
    threads.emplace_back([&o, url = Url()] { o = RunAcsd({"migrate", "--db", url}); });
  }
  for (auto& t : threads) t.join();
  int applied_lines = 0;
  for (const auto& o : outcomes) {
    EXPECT_EQ(o.exit_code, 0) << o.err;
    for (size_t p = o.out.find("applied "); p != std::string::npos;
         p = o.out.find("applied ", p + 1)) {
      ++applied_lines;
    }
  }
  EXPECT_EQ(static_cast<size_t>(applied_lines), MigrationCount());
}

TEST_F(AcsdCliTest, TokenCreatePrintsATokenTheStoreRecognises) {
  Outcome early = RunAcsd({"token", "create", "--db", Url(), "--scope", "admin"});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_NE(early.err.find("run `acsd migrate` first"), std::string::npos) << early.err;

  ASSERT_EQ(RunAcsd({"migrate", "--db", Url()}).exit_code, 0);
  Outcome admin =
      RunAcsd({"token", "create", "--db", Url(), "--scope", "admin", "--description", "ops"});
  ASSERT_EQ(admin.exit_code, 0) << admin.err;
  Outcome reader = RunAcsd({"token", "create", "--scope=read"}, Url());  // URL from the env
  ASSERT_EQ(reader.exit_code, 0) << reader.err;
  ASSERT_NE(admin.LastLine(), reader.LastLine());

  store_ = Open();
  ASSERT_NE(store_, nullptr);
  auto scope = store_->LookupApiToken(cwmp::Secret(admin.LastLine()));
  ASSERT_TRUE(scope.ok()) << scope.status().ToString() << " for " << admin.out;
  EXPECT_EQ(*scope, ApiScope::kAdmin);
  scope = store_->LookupApiToken(cwmp::Secret(reader.LastLine()));
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(*scope, ApiScope::kRead);
  EXPECT_EQ(Scalar("SELECT description FROM api_tokens ORDER BY id LIMIT 1"), "ops");
}

TEST_F(AcsdCliTest, ErrorsAreClearAndUseTheRightExitCode) {
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string err_part;
  } cases[] = {
      {{"token", "create", "--db", Url(), "--scope", "superuser"}, 2, "is not admin or read"},
      {{"migrate", "--db", "http://example.com/"}, 2, "neither postgresql://"},
      {{"migrate", "--db", "postgresql://acs:hunter2@127.0.0.1:1/acs"},
       1,
       "postgresql://acs:********@127.0.0.1:1/acs: cannot connect to PostgreSQL"},
      {{"migrate", "--db", pg_->UrlFor("missing_db")}, 1, "missing_db"},
      {{"migrate"}, 2, "ACSD_DATABASE_URL"},
      {{"serve", "--bogus"}, 2, "acsd serve: unknown option --bogus"},
  };
  for (const auto& c : cases) {
    Outcome o = RunAcsd(c.args);
    EXPECT_EQ(o.exit_code, c.exit_code) << c.args.back() << ": " << o.err;
    EXPECT_NE(o.err.find(c.err_part), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("hunter2"), std::string::npos) << "password leaked: " << o.err;
    EXPECT_EQ(o.out, "");
  }
  EXPECT_EQ(Scalar("SELECT to_regclass('api_tokens') IS NULL"), "t");
}

TEST_F(AcsdCliTest, HelpForEveryCommand) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"migrate", "--help"}, {"token", "--help"}, {"token", "create", "--help"}}) {
    Outcome o = RunAcsd(args);
    EXPECT_EQ(o.exit_code, 0) << args.front();
    EXPECT_EQ(o.out.rfind("Usage: acsd", 0), 0u) << o.out;
  }
}

}  // namespace
}  // namespace acs::testing
