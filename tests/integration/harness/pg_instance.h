#pragma once
// PgInstance: a private, throwaway PostgreSQL server for integration tests.
//
// Start() creates a temp dir, runs `initdb` into it, starts `postgres` listening on a free
// loopback TCP port (127.0.0.1) and on a unix socket inside the temp dir, and creates one
// database. The destructor (or Stop()) shuts the server down and removes the temp dir.
//
// PostgreSQL refuses to run as root: when the test runs with euid 0 (CI), initdb and postgres
// run as the `postgres` system user (setgid/setuid in the forked child) and the temp dir is
// chowned to it. Every child also gets PR_SET_PDEATHSIG, and a small reaper process (its own
// session, so a process-group kill spares it) waits for the test process to go away and then
// stops the server and deletes the temp dir: a test binary that crashes or is killed leaves
// nothing behind.
//
// Binaries come from $CWMP_PG_BINDIR, else /usr/lib/postgresql/<15..>/bin, else $PATH.
// PgEnvironment wraps one instance as a GoogleTest global environment so that every test in
// a binary shares it (starting a server takes about a second).

#include <gtest/gtest.h>
#include <sys/types.h>

#include <memory>
#include <string>

namespace cwmp::testing {

class PgInstance {
 public:
  PgInstance() = default;
  ~PgInstance();
  PgInstance(const PgInstance&) = delete;
  PgInstance& operator=(const PgInstance&) = delete;

  // Starts the server and creates `database`. Returns an empty string on success, else a
  // description of what failed (with the server log's tail).
  std::string Start(const std::string& database = "acs_test");
  // Stops the server (fast shutdown, then SIGKILL after 15 s) and removes the temp dir.
  void Stop();

  bool running() const { return postmaster_ > 0; }
  int port() const { return port_; }
  // The postmaster's process id (-1 when stopped).
  pid_t pid() const { return postmaster_; }
  const std::string& database() const { return database_; }
  // libpq keyword/value connection string for `database`, e.g.
  // "host=127.0.0.1 port=40123 dbname=acs_test user=postgres".
  std::string conninfo() const { return ConninfoFor(database_); }
  std::string ConninfoFor(const std::string& database) const;
  // The same as a postgresql:// URL (what `acsd --db` takes).
  std::string url() const { return UrlFor(database_); }
  std::string UrlFor(const std::string& database) const;
  // Runs a query and stores the first row's first column in *value ("" for NULL or no row).
  // Returns "" or the error message.
  std::string QueryValue(const std::string& database, const std::string& sql,
                         std::string* value) const;
  // Creates another database on the same server (fresh schema for a test). Empty on success.
  std::string CreateDatabase(const std::string& name) const;
  // Runs one SQL command as superuser in `database`; returns "" or the error message.
  std::string ExecSql(const std::string& database, const std::string& sql) const;
  // The temp dir holding data/, the socket and server.log.
  const std::string& dir() const { return dir_; }

 private:
  std::string RunInitdb();
  std::string StartPostmaster();
  std::string WaitReady();
  std::string LogTail() const;
  std::string StartReaper();

  std::string bindir_;
  std::string dir_;
  std::string database_;
  int port_ = 0;
  pid_t postmaster_ = -1;
  uid_t run_uid_ = 0;
  gid_t run_gid_ = 0;
  bool drop_privileges_ = false;
  int reaper_fd_ = -1;  // write end of the pipe the reaper waits on
  pid_t reaper_pid_ = -1;
};

// GoogleTest environment owning one PgInstance for the whole test binary. Register it once per
// test file with CWMP_PG_ENVIRONMENT(); tests reach it with PgEnvironment::Get().
class PgEnvironment : public ::testing::Environment {
 public:
  void SetUp() override;
  void TearDown() override;
  // The running instance, or nullptr when the server did not start (the set-up failure says
  // why). Fixtures should ASSERT_NE(Get(), nullptr) in SetUp.
  static PgInstance* Get();

 private:
  static PgInstance* instance_;
  std::unique_ptr<PgInstance> owned_;
};

}  // namespace cwmp::testing

// Registers the shared PostgreSQL environment for this test binary.
#define CWMP_PG_ENVIRONMENT()                                                  \
  [[maybe_unused]] static ::testing::Environment* const cwmp_pg_environment_ = \
      ::testing::AddGlobalTestEnvironment(new ::cwmp::testing::PgEnvironment)
