#pragma once
// One network worker child process and the process-wide worker settings (network_worker.h).

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace agent::networker {

// Slack on top of a request's own timeouts before the daemon gives up on a worker.
inline constexpr std::chrono::milliseconds kWorkerGrace{10000};
// Room for status line, headers and framing on top of a body limit.
inline constexpr size_t kReplyOverhead = 1u << 20;

class WorkerProcess {
 public:
  // Starts `<executable> net-worker --fd 3` with the executable given to EnableNetworkWorker.
  static cwmp::Result<std::unique_ptr<WorkerProcess>> Start();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;
  // Kills (SIGKILL) and reaps the process if it still runs.
  ~WorkerProcess();

  // Sends one request and returns its reply (at most `max_reply` bytes) within `timeout`.
  // After any failure the worker is stopped and every later call fails at once.
  cwmp::Result<std::string> Call(std::string_view request, size_t max_reply,
                                 std::chrono::milliseconds timeout);

  pid_t pid() const { return pid_; }

 private:
  WorkerProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
  // Stops the process and says how it ended ("exited with status 3", "killed by signal 11").
  std::string Stop(bool wait_for_exit);

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string failure_;  // set once a call failed
};

// The configured worker program ("" when the worker is off).
std::string WorkerExecutable();

}  // namespace agent::networker
