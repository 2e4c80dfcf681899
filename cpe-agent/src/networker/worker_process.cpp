#include "networker/worker_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "agent/network_worker.h"
#include "networker/wire.h"

extern char** environ;

namespace agent::networker {
namespace {

// The fd number the worker reads its requests on.
constexpr int kWorkerFd = 3;

struct Settings {
  std::mutex mu;
  std::string executable;
  std::function<void()> after_idle;
  int live = 0;
};

Settings& TheSettings() {
  static Settings* settings = new Settings();  // never destroyed: workers may end at exit
  return *settings;
}

void WorkerStarted() {
  std::lock_guard lock(TheSettings().mu);
  ++TheSettings().live;
}

void WorkerEnded() {
  std::function<void()> hook;
  {
    std::lock_guard lock(TheSettings().mu);
    if (--TheSettings().live == 0) hook = TheSettings().after_idle;
  }
  if (hook) hook();
}

std::string Errno(const char* what) { return std::string(what) + ": " + strerror(errno); }

// posix_spawn attributes: the worker starts with no blocked signals and default handlers (the
// daemon blocks SIGTERM/SIGINT/SIGHUP for sigtimedwait and ignores SIGPIPE), and with only
// stdin/stdout/stderr and its socket open.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup(int child_fd) {
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, child_fd, kWorkerFd);
    posix_spawn_file_actions_addclosefrom_np(&actions, kWorkerFd + 1);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

// The daemon's environment minus the ACS password it may have been given in
// $CPE_AGENT_ACS_PASSWORD: a worker gets the credentials it needs with each request.
std::vector<char*> WorkerEnvironment() {
  static constexpr std::string_view kSecret = "CPE_AGENT_ACS_PASSWORD=";
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).substr(0, kSecret.size()) != kSecret) env.push_back(*e);
  }
  env.push_back(nullptr);
  return env;
}

}  // namespace

std::string WorkerExecutable() {
  std::lock_guard lock(TheSettings().mu);
  return TheSettings().executable;
}

cwmp::Result<std::unique_ptr<WorkerProcess>> WorkerProcess::Start() {
  std::string executable = WorkerExecutable();
  if (executable.empty()) return cwmp::FailedPrecondition("network worker: not enabled");
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return cwmp::IoError(Errno("network worker: socketpair"));
  }
  // The child's end must not already be fd 3 (dup2 onto itself would keep close-on-exec).
  int child_fd = ::fcntl(fds[1], F_DUPFD_CLOEXEC, kWorkerFd + 1);
  ::close(fds[1]);
  if (child_fd < 0) {
    ::close(fds[0]);
    return cwmp::IoError(Errno("network worker: fcntl"));
  }
  SpawnSetup setup(child_fd);
  const std::string fd_text = std::to_string(kWorkerFd);
  char* argv[] = {const_cast<char*>("cpe-agent"), const_cast<char*>("net-worker"),
                  const_cast<char*>("--fd"), const_cast<char*>(fd_text.c_str()), nullptr};
  pid_t pid = -1;
  std::vector<char*> env = WorkerEnvironment();
  int rc = ::posix_spawn(&pid, executable.c_str(), &setup.actions, &setup.attr, argv, env.data());
  ::close(child_fd);
  if (rc != 0) {
    ::close(fds[0]);
    return cwmp::IoError("network worker: cannot start " + executable + ": " + strerror(rc));
  }
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  WorkerStarted();
  return std::unique_ptr<WorkerProcess>(new WorkerProcess(pid, fds[0]));
}

WorkerProcess::~WorkerProcess() {
  if (pid_ > 0) Stop(false);
}

std::string WorkerProcess::Stop(bool wait_for_exit) {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  int status = 0;
  pid_t done = 0;
  if (wait_for_exit) {
    // After a closed connection the worker is usually exiting already: give it a moment so
    // that its exit status (a crash signal, say) can be reported.
    for (int i = 0; i < 20 && done == 0; ++i) {
      done = ::waitpid(pid_, &status, WNOHANG);
      if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  if (done == 0) {
    ::kill(pid_, SIGKILL);
    while ((done = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
    }
  }
  pid_ = -1;
  WorkerEnded();
  if (done < 0) return "ended (" + Errno("waitpid") + ")";
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return "was killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "ended";
}

cwmp::Result<std::string> WorkerProcess::Call(std::string_view request, size_t max_reply,
                                               std::chrono::milliseconds timeout) {
  if (!failure_.empty()) return cwmp::IoError(failure_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  cwmp::Status st = WriteFrame(fd_, request, deadline);
  cwmp::Result<std::string> reply = st.ok() ? ReadFrame(fd_, max_reply, deadline)
                                            : cwmp::Result<std::string>(st);
  if (reply.ok()) return reply;
  bool timed_out = std::chrono::steady_clock::now() >= deadline;
  std::string ended = Stop(!timed_out);
  // "network worker: connection closed in the middle of a message (the worker was killed by
  // signal 11 (Segmentation fault))", "network worker: no answer within 12 s (stopped)".
  failure_ = timed_out ? "network worker: no answer within " +
                             std::to_string(timeout.count() / 1000) + " s (stopped)"
                       : reply.status().message() + " (the worker " + ended + ")";
  return cwmp::IoError(failure_);
}

}  // namespace agent::networker

namespace agent {

void EnableNetworkWorker(std::string executable, std::function<void()> after_idle) {
  auto& s = networker::TheSettings();
  std::lock_guard lock(s.mu);
  s.executable = std::move(executable);
  s.after_idle = std::move(after_idle);
}

void DisableNetworkWorker() {
  auto& s = networker::TheSettings();
  std::lock_guard lock(s.mu);
  s.executable.clear();
  s.after_idle = nullptr;
}

bool NetworkWorkerEnabled() { return !networker::WorkerExecutable().empty(); }

int LiveNetworkWorkers() {
  auto& s = networker::TheSettings();
  std::lock_guard lock(s.mu);
  return s.live;
}

}  // namespace agent
