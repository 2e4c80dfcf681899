// Checks the harness itself: a server starts, answers SQL, runs unprivileged, and leaves
// nothing behind (no process, no temp dir) after Stop().
#include "pg_instance.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

CWMP_PG_ENVIRONMENT();

namespace cwmp::testing {
namespace {

TEST(PgEnvironment, SharedInstanceAnswersSql) {
  PgInstance* pg = PgEnvironment::Get();
  ASSERT_NE(pg, nullptr);
  EXPECT_EQ(pg->ExecSql(pg->database(), "CREATE TABLE t (x int); INSERT INTO t VALUES (1)"), "");
  EXPECT_NE(pg->ExecSql(pg->database(), "SELECT * FROM no_such_table"), "");
  std::string value;
  EXPECT_EQ(pg->QueryValue(pg->database(), "SELECT x + 41 FROM t", &value), "");
  EXPECT_EQ(value, "42");
  EXPECT_EQ(pg->QueryValue(pg->database(), "SELECT current_user", &value), "");
  EXPECT_EQ(value, "postgres");
  EXPECT_NE(pg->url().find("postgresql://postgres@127.0.0.1:"), std::string::npos);
}

TEST(PgInstance, StartCreateDatabaseStopCleansUp) {
  std::string dir;
  pid_t pid = -1;
  {
    PgInstance pg;
    ASSERT_EQ(pg.Start("harness_db"), "");
    dir = pg.dir();
    pid = pg.pid();
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(std::filesystem::exists(dir + "/data/PG_VERSION"));
    struct stat st {};
    ASSERT_EQ(::stat((dir + "/data").c_str(), &st), 0);
    if (::geteuid() == 0) {
      EXPECT_NE(st.st_uid, 0u) << "the data dir must belong to the unprivileged server user";
    } else {
      EXPECT_EQ(st.st_uid, ::geteuid());
    }
    EXPECT_EQ(pg.ExecSql("harness_db", "SELECT 1"), "");
    EXPECT_EQ(pg.CreateDatabase("second"), "");
    EXPECT_EQ(pg.ExecSql("second", "SELECT 1"), "");
    EXPECT_NE(pg.CreateDatabase("second"), "") << "creating a database twice must fail";
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

// Alive and not a zombie (a reparented zombie may linger if PID 1 doesn't reap).
bool ProcessAlive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  size_t close_paren = line.rfind(')');
  return close_paren != std::string::npos && close_paren + 2 < line.size() &&
         line[close_paren + 2] != 'Z';
}

TEST(PgInstance, NothingIsLeftWhenTheTestProcessDiesWithoutStopping) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  pid_t child = ::fork();
  if (child == 0) {
    ::close(p[0]);
    PgInstance pg;
    std::string err = pg.Start("crash");
    std::string msg = err.empty() ? std::to_string(pg.pid()) + " " + pg.dir() : "ERR " + err;
    (void)!::write(p[1], msg.data(), msg.size());
    ::_exit(3);  // no destructors: as if the test binary crashed
  }
  ::close(p[1]);
  std::string msg;
  char buf[4096];
  for (ssize_t n; (n = ::read(p[0], buf, sizeof(buf))) > 0;) msg.append(buf, n);
  ::close(p[0]);
  ::waitpid(child, nullptr, 0);
  ASSERT_NE(msg.rfind("ERR", 0), 0u) << msg;
  pid_t postmaster = std::stoi(msg.substr(0, msg.find(' ')));
  std::string dir = msg.substr(msg.find(' ') + 1);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline &&
         (ProcessAlive(postmaster) || std::filesystem::exists(dir))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(ProcessAlive(postmaster));
  EXPECT_FALSE(std::filesystem::exists(dir)) << dir;
}

TEST(PgInstance, MissingBinariesAreReportedNotHung) {
  const char* old = std::getenv("CWMP_PG_BINDIR");
  std::string saved = old != nullptr ? old : "";
  ::setenv("CWMP_PG_BINDIR", "/nonexistent/pg/bin", 1);
  std::string dir;
  {
    PgInstance pg;
    std::string err = pg.Start();
    dir = pg.dir();
    EXPECT_NE(err.find("initdb failed"), std::string::npos) << err;
    EXPECT_FALSE(pg.running());
  }
  if (old != nullptr) {
    ::setenv("CWMP_PG_BINDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("CWMP_PG_BINDIR");
  }
  EXPECT_FALSE(dir.empty());
  EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace
}  // namespace cwmp::testing
