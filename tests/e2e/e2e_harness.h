#pragma once
// End-to-end harness: the real programs (`acsd`, `cpe-agent run`/`fleet`) as child processes,
// against a private PostgreSQL (tests/integration/harness/pg_instance.h), nginx
// (tests/integration/harness/nginx_instance.h) and, for crash tests, a TCP proxy that can freeze
// a CWMP session at a chosen message.
//
//   ChildProcess   fork/exec with stdout+stderr in a log file; SIGKILLed and reaped by the
//                  destructor; dies with the test process (PR_SET_PDEATHSIG).
//   Acsd           `acsd migrate`, `acsd token create --scope admin`, `acsd serve` on free
//                  loopback ports with Digest CPE auth and default CPE and connection-request
//                  credentials; the REST client below talks to its NBI.
//   Rest           a small REST API client (acs::http::Fetch) with the bearer token.
//   Agent          one `cpe-agent run` with its own state dir; restartable, killable.
//   FreezingProxy  forwards CPE→ACS HTTP requests one whole request at a time; when a request
//                  contains a needle it can forward it and hold everything after it
//                  (FreezeAfter), or hold that request itself (HoldAt). Crash tests kill the
//                  agent while the session is frozen at exactly that point.
//
// Every wait is bounded; a timeout is a test failure that says what was awaited.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cwmp/base/json.h"
#include "pg_instance.h"

namespace e2e {

using namespace std::chrono_literals;
using Json = cwmp::json::Value;

// Binaries, from the build (compile definitions set by tests/e2e/CMakeLists.txt).
std::string AcsdBinary();
std::string AcsctlBinary();
std::string AgentBinary();
// True when built with ASan/UBSan (CWMP_SANITIZE): slower, so load tests scale down.
bool Sanitized();

// Polls `done` every `step` until it is true or `timeout` passes. Returns its last value.
bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout,
               std::chrono::milliseconds step = 50ms);

// A fresh directory under $TMPDIR (removed by the destructor unless E2E_KEEP is set).
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "cwmp-e2e");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path);
bool WriteFile(const std::string& path, const std::string& content, mode_t mode = 0644);

// A program run to completion (stdout and stderr captured).
struct RunResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};
RunResult Run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
              std::chrono::seconds timeout = 120s);

class ChildProcess {
 public:
  // `env` adds or replaces variables. Returns nullptr only when fork fails.
  static std::unique_ptr<ChildProcess> Start(const std::vector<std::string>& argv,
                                             const std::string& log_path,
                                             const std::map<std::string, std::string>& env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  void Signal(int sig);
  // Waits for the exit; exit code, 128+signal, or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // SIGKILL and reap (no-op when already gone).
  void Kill();
  std::string Log() const { return ReadFile(log_path_); }
  const std::string& log_path() const { return log_path_; }
  // Waits until the log contains `needle`; returns the line holding it, or "" on timeout/exit.
  std::string WaitForLog(const std::string& needle, std::chrono::milliseconds timeout);

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

// The REST API of acsd.
class Rest {
 public:
  struct Reply {
    int status = 0;  // 0: no answer (the error is in body)
    std::string body;
    Json json;  // null when the body is not JSON
    std::string next_after;  // X-Next-After header
  };
  Rest() = default;
  Rest(std::string base, std::string token) : base_(std::move(base)), token_(std::move(token)) {}

  Reply Get(const std::string& path) const;
  Reply Post(const std::string& path, const std::string& body) const;
  Reply Delete(const std::string& path) const;

  static std::string DevicePath(const std::string& id);
  // GET /devices/{id}: the device object (null when missing).
  Json Device(const std::string& id) const;
  // The stored value of one parameter of a device, if any.
  std::optional<std::string> Param(const std::string& id, const std::string& name) const;
  // POST /devices/{id}/tasks (with ?connection_request&timeout=MS when cr_timeout_ms > 0).
  Reply CreateTask(const std::string& id, const std::string& body, int cr_timeout_ms) const;
  Json Task(int64_t task_id) const;
  // Polls GET /tasks/{id} until its status is not "pending"; the last task seen.
  Json WaitTask(int64_t task_id, std::chrono::milliseconds timeout) const;
  // GET /devices/{id}/events (newest first).
  Json Events(const std::string& id) const;
  // Whether any Inform of the device carried event `code` (and `command_key` when given).
  bool HasEvent(const std::string& id, const std::string& code,
                const std::optional<std::string>& command_key = std::nullopt) const;
  // Number of Informs of the device carrying `code`.
  int CountEvents(const std::string& id, const std::string& code) const;
  // Every device id with this prefix (pages through GET /devices).
  std::vector<std::string> DeviceIds(const std::string& prefix) const;

  const std::string& base() const { return base_; }
  const std::string& token() const { return token_; }

 private:
  Reply Do(const std::string& method, const std::string& path, const std::string& body) const;
  std::string base_;
  std::string token_;
};

// Finds `name` in a task result's parameterValues ([[name,value,type],...]).
std::optional<std::string> ResultValue(const Json& task, const std::string& name);

struct AcsdOptions {
  std::string cpe_username = "cpe";
  std::string cpe_password = "cpe-Secret-42";
  std::string cr_username = "cr";
  std::string cr_password = "cr-Secret-42";
  bool discovery = false;
  int session_timeout_s = 10;
};

class Acsd {
 public:
  // Migrates `database` on `pg`, creates an admin token, starts `acsd serve`. Fills *error.
  static std::unique_ptr<Acsd> Start(const cwmp::testing::PgInstance& pg,
                                     const std::string& database, const std::string& work_dir,
                                     const AcsdOptions& options, std::string* error);
  ~Acsd();
  // SIGTERM and wait: the exit code (-1 when it had to be killed).
  int Stop();

  const AcsdOptions& options() const { return options_; }
  uint16_t cwmp_port() const { return cwmp_port_; }
  uint16_t nbi_port() const { return nbi_port_; }
  std::string cwmp_url() const { return "http://127.0.0.1:" + std::to_string(cwmp_port_) + "/"; }
  std::string nbi_url() const { return "http://127.0.0.1:" + std::to_string(nbi_port_); }
  const std::string& token() const { return token_; }
  const std::string& db_url() const { return db_url_; }
  const Rest& rest() const { return rest_; }
  std::string Log() const { return process_ ? process_->Log() : ""; }

 private:
  Acsd() = default;
  AcsdOptions options_;
  std::string work_dir_;
  std::string db_url_;
  std::string token_;
  uint16_t cwmp_port_ = 0;
  uint16_t nbi_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
  Rest rest_;
};

// Identity and settings of one simulated phone.
struct AgentOptions {
  std::string mac = "00:0E:08:AA:00:01";
  std::string serial = "E2E0001";
  std::string model = "CP-6841-3PCC";
  std::string swver = "sip68xx.12-0-1MPP-0001";
  std::string acs_url;
  std::string acs_username;
  std::string acs_password;
  // Flat-profile elements applied at first start (e.g. {"Periodic_Inform_Interval","300"}).
  std::vector<std::pair<std::string, std::string>> profile;
};

class Agent {
 public:
  Agent(AgentOptions options, std::string work_dir);
  ~Agent();
  // Starts `cpe-agent run` (the state dir survives restarts). False when it exits at once.
  bool Start(std::string* error);
  // SIGTERM and wait: the exit code (nullopt: it did not stop within 20 s, then killed).
  std::optional<int> Terminate();
  void Kill9();
  bool Running() const { return process_ && process_->Running(); }
  std::string Log() const;
  pid_t pid() const { return process_ ? process_->pid() : -1; }

  // OUI-ProductClass-SerialNumber as the ACS names it.
  std::string DeviceId() const;
  std::string state_dir() const { return work_dir_ + "/state"; }
  const AgentOptions& options() const { return options_; }

 private:
  AgentOptions options_;
  std::string work_dir_;
  int starts_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// Writes a flat profile <flat-profile><NAME>VALUE</NAME>...</flat-profile>.
std::string FlatProfile(const std::vector<std::pair<std::string, std::string>>& elements,
                        const std::string& padding_comment = "");

class FreezingProxy {
 public:
  // Listens on a free loopback port and forwards to 127.0.0.1:target_port.
  explicit FreezingProxy(uint16_t target_port);
  ~FreezingProxy();
  FreezingProxy(const FreezingProxy&) = delete;
  FreezingProxy& operator=(const FreezingProxy&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  // The next request containing `needle` is forwarded (and its answer returned), then every
  // later request is held (never forwarded, never answered).
  void FreezeAfter(const std::string& needle);
  // The next request containing `needle` is held, and everything after it.
  void HoldAt(const std::string& needle);
  // Forward everything again (held requests are dropped with their connections).
  void Release();
  bool frozen() const { return frozen_.load(); }
  // Every forwarded request body so far, in order (for assertions on what the CPE sent).
  std::vector<std::string> Forwarded() const;

 private:
  enum class Mode { kPass, kFreezeAfter, kHoldAt };
  void AcceptLoop();
  void Serve(int client);
  // Decides about one complete request; true when it may be forwarded.
  bool Admit(const std::string& request, bool* freeze_after_forwarding);

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  uint16_t target_port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> frozen_{false};
  mutable std::mutex mu_;
  Mode mode_ = Mode::kPass;
  std::string needle_;
  std::vector<std::string> forwarded_;
  std::vector<int> open_fds_;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
};

}  // namespace e2e
