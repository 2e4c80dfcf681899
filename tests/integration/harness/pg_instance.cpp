#include "pg_instance.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace cwmp::testing {
namespace {

namespace fs = std::filesystem;

// The newest /usr/lib/postgresql/<N>/bin holding `postgres`, or $CWMP_PG_BINDIR.
std::string FindBindir() {
  if (const char* env = std::getenv("CWMP_PG_BINDIR"); env != nullptr && *env != '\0') return env;
  std::vector<std::pair<int, std::string>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = entry.path() / "bin";
    if (fs::exists(bin / "postgres") && fs::exists(bin / "initdb")) {
      found.emplace_back(std::atoi(entry.path().filename().c_str()), bin.string());
    }
  }
  if (found.empty()) return "";
  std::sort(found.begin(), found.end());
  return found.back().second;
}

// A loopback port nobody listens on right now (the kernel's pick for port 0).
int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Forks and execs argv with stdout/stderr appended to `log`. In the child: drops to uid/gid when
// asked, and asks the kernel to send `death_signal` when the test process goes away.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log, bool drop, uid_t uid,
            gid_t gid, int death_signal) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  // Child: only async-signal-safe calls from here on.
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd >= 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::close(fd);
  }
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) ::dup2(devnull, 0);
  if (drop) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) _exit(126);
  }
  // Set after setuid: a credential change clears the parent-death signal.
  ::prctl(PR_SET_PDEATHSIG, death_signal);
  if (::getppid() != parent) _exit(125);
  ::execv(argv[0], argv.data());
  _exit(127);
}

// Waits up to `timeout` for pid; returns its wait status or -1 when still running.
int WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return 0;
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

PgInstance::~PgInstance() { Stop(); }

std::string PgInstance::ConninfoFor(const std::string& database) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + database +
         " user=postgres connect_timeout=10";
}

std::string PgInstance::UrlFor(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PgInstance::LogTail() const {
  std::ifstream in(dir_ + "/server.log");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  if (all.size() > 3000) all = all.substr(all.size() - 3000);
  return "\n--- server.log (tail) ---\n" + all;
}

std::string PgInstance::Start(const std::string& database) {
  if (running()) return "already running";
  bindir_ = FindBindir();
  if (bindir_.empty()) {
    return "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin; set "
           "CWMP_PG_BINDIR or install the `postgresql` package)";
  }
  database_ = database;
  drop_privileges_ = ::geteuid() == 0;
  if (drop_privileges_) {
    passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr)
      return "running as root but there is no `postgres` system user to run initdb";
    run_uid_ = pw->pw_uid;
    run_gid_ = pw->pw_gid;
  }
  std::string templ = (fs::temp_directory_path() / "cwmp-pg-XXXXXX").string();
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) return "mkdtemp " + templ + ": " + std::strerror(errno);
  dir_ = buf.data();
  if (std::string err = StartReaper(); !err.empty()) return err;
  if (drop_privileges_ && ::chown(dir_.c_str(), run_uid_, run_gid_) != 0) {
    return "chown " + dir_ + " to postgres: " + std::strerror(errno);
  }
  if (std::string err = RunInitdb(); !err.empty()) return err;
  std::string err;
  for (int attempt = 0; attempt < 3; ++attempt) {
    err = StartPostmaster();
    if (err.empty()) break;
  }
  if (!err.empty()) return err;
  if (database_ != "postgres") {
    if (std::string e = CreateDatabase(database_); !e.empty()) return e;
  }
  return "";
}

std::string PgInstance::StartReaper() {
  // Runs when the pipe's write end closes, i.e. when this process exits in any way. After a
  // normal Stop() there is nothing left to do: postmaster.pid and the dir are already gone.
  static const char kScript[] =
      "read -r _; f=\"$1/data/postmaster.pid\"; "
      "if [ -f \"$f\" ]; then p=$(head -n 1 \"$f\"); kill -QUIT \"$p\" 2>/dev/null; i=0; "
      "while kill -0 \"$p\" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
      "fi; rm -rf \"$1\"";
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  std::vector<std::string> args = {"/bin/sh", "-c", kScript, "pg-reaper", dir_};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[0], 0);  // the duplicate is not close-on-exec
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
    }
    ::setsid();
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(fds[0]);
  if (pid < 0) {
    ::close(fds[1]);
    return std::string("fork: ") + std::strerror(errno);
  }
  reaper_fd_ = fds[1];
  reaper_pid_ = pid;
  return "";
}

std::string PgInstance::RunInitdb() {
  std::string log = dir_ + "/server.log";
  pid_t pid = Spawn({bindir_ + "/initdb", "-D", dir_ + "/data", "-U", "postgres", "--auth=trust",
                     "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"},
                    log, drop_privileges_, run_uid_, run_gid_, SIGKILL);
  if (pid < 0) return std::string("fork: ") + std::strerror(errno);
  int status = WaitFor(pid, std::chrono::seconds(120));
  if (status == -1) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return "initdb did not finish within 120 s" + LogTail();
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "initdb failed" + LogTail();
  return "";
}

std::string PgInstance::StartPostmaster() {
  port_ = FreeLoopbackPort();
  if (port_ == 0) return "no free loopback port";
  std::string log = dir_ + "/server.log";
  postmaster_ = Spawn({bindir_ + "/postgres",
                       "-D",
                       dir_ + "/data",
                       "-p",
                       std::to_string(port_),
                       "-k",
                       dir_,
                       "-c",
                       "listen_addresses=127.0.0.1",
                       "-c",
                       "fsync=off",
                       "-c",
                       "synchronous_commit=off",
                       "-c",
                       "full_page_writes=off",
                       "-c",
                       "max_connections=60",
                       "-c",
                       "shared_buffers=32MB",
                       "-c",
                       "logging_collector=off"},
                      log, drop_privileges_, run_uid_, run_gid_, SIGQUIT);
  if (postmaster_ < 0) return std::string("fork: ") + std::strerror(errno);
  std::string err = WaitReady();
  if (!err.empty()) {
    ::kill(postmaster_, SIGKILL);
    ::waitpid(postmaster_, nullptr, 0);
    postmaster_ = -1;
  }
  return err;
}

std::string PgInstance::WaitReady() {
  std::string info = ConninfoFor("postgres");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(postmaster_, &status, WNOHANG) == postmaster_) {
      postmaster_ = -1;
      return "postgres exited during start-up" + LogTail();
    }
    if (PQping(info.c_str()) == PQPING_OK) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "postgres did not accept connections within 60 s" + LogTail();
}

std::string PgInstance::ExecSql(const std::string& database, const std::string& sql) const {
  PGconn* conn = PQconnectdb(ConninfoFor(database).c_str());
  std::string err;
  if (PQstatus(conn) != CONNECTION_OK) {
    err = PQerrorMessage(conn);
  } else {
    PGresult* res = PQexec(conn, sql.c_str());
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) err = PQresultErrorMessage(res);
    PQclear(res);
  }
  PQfinish(conn);
  return err;
}

std::string PgInstance::QueryValue(const std::string& database, const std::string& sql,
                                   std::string* value) const {
  value->clear();
  PGconn* conn = PQconnectdb(ConninfoFor(database).c_str());
  std::string err;
  if (PQstatus(conn) != CONNECTION_OK) {
    err = PQerrorMessage(conn);
  } else {
    PGresult* res = PQexec(conn, sql.c_str());
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
      err = PQresultErrorMessage(res);
    } else if (PQntuples(res) > 0 && PQnfields(res) > 0) {
      *value = PQgetvalue(res, 0, 0);
    }
    PQclear(res);
  }
  PQfinish(conn);
  return err;
}

std::string PgInstance::CreateDatabase(const std::string& name) const {
  return ExecSql("postgres", "CREATE DATABASE \"" + name + "\"");
}

void PgInstance::Stop() {
  if (postmaster_ > 0) {
    ::kill(postmaster_, SIGINT);  // fast shutdown: abort sessions, no checkpoint wait
    if (WaitFor(postmaster_, std::chrono::seconds(15)) == -1) {
      ::kill(postmaster_, SIGKILL);
      ::waitpid(postmaster_, nullptr, 0);
    }
    postmaster_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
  if (reaper_fd_ >= 0) {
    ::close(reaper_fd_);  // the reaper wakes up, finds nothing to do and exits
    reaper_fd_ = -1;
    if (WaitFor(reaper_pid_, std::chrono::seconds(15)) == -1) {
      ::kill(reaper_pid_, SIGKILL);
      ::waitpid(reaper_pid_, nullptr, 0);
    }
    reaper_pid_ = -1;
  }
}

PgInstance* PgEnvironment::instance_ = nullptr;

void PgEnvironment::SetUp() {
  owned_ = std::make_unique<PgInstance>();
  std::string err = owned_->Start();
  if (!err.empty()) {
    owned_.reset();
    FAIL() << "cannot start the test PostgreSQL: " << err;
  }
  instance_ = owned_.get();
}

void PgEnvironment::TearDown() {
  instance_ = nullptr;
  owned_.reset();
}

PgInstance* PgEnvironment::Get() { return instance_; }

}  // namespace cwmp::testing
