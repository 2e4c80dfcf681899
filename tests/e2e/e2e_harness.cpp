#include "e2e_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "acs/http_client.h"

namespace e2e {
namespace fs = std::filesystem;

std::string AcsdBinary() { return E2E_ACSD_BINARY; }
std::string AcsctlBinary() { return E2E_ACSCTL_BINARY; }
std::string AgentBinary() { return E2E_AGENT_BINARY; }
bool Sanitized() { return E2E_SANITIZED != 0; }

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout,
               std::chrono::milliseconds step) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

TempDir::TempDir(const std::string& prefix) {
  std::string templ = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) != nullptr) path_ = buf.data();
}

TempDir::~TempDir() {
  if (path_.empty() || std::getenv("E2E_KEEP") != nullptr) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteFile(const std::string& path, const std::string& content, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) return false;
  }
  return ::chmod(path.c_str(), mode) == 0;
}

namespace {

std::vector<std::string> BuildEnv(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    if (env.count(kv.substr(0, kv.find('='))) == 0) out.push_back(kv);
  }
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

// fork + exec with stdout to `out_path` and stderr to `err_path` (appending); the child dies
// with this process.
pid_t Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            const std::string& out_path, const std::string& err_path) {
  std::vector<std::string> argv_s = args;
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = BuildEnv(env);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  int e = out_path == err_path ? o : ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) ::dup2(devnull, 0);
  if (o >= 0) ::dup2(o, 1);
  if (e >= 0) ::dup2(e, 2);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) _exit(125);
  ::execve(argv[0], argv.data(), envp.data());
  _exit(127);
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

RunResult Run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              std::chrono::seconds timeout) {
  TempDir dir("cwmp-e2e-run");
  RunResult r;
  pid_t pid = Spawn(argv, env, dir / "out", dir / "err");
  if (pid < 0) return r;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) {
      r.exit_code = DecodeStatus(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      r.exit_code = -1;
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  r.out = ReadFile(dir / "out");
  r.err = ReadFile(dir / "err");
  std::error_code ec;
  fs::remove_all(dir.path(), ec);  // nothing to keep here, even with E2E_KEEP
  return r;
}

std::unique_ptr<ChildProcess> ChildProcess::Start(const std::vector<std::string>& argv,
                                                  const std::string& log_path,
                                                  const std::map<std::string, std::string>& env) {
  std::unique_ptr<ChildProcess> p(new ChildProcess());
  p->log_path_ = log_path;
  p->pid_ = Spawn(argv, env, log_path, log_path);
  if (p->pid_ < 0) return nullptr;
  return p;
}

ChildProcess::~ChildProcess() { Kill(); }

bool ChildProcess::Running() {
  if (status_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = DecodeStatus(status);
    return false;
  }
  return true;
}

void ChildProcess::Signal(int sig) {
  if (Running()) ::kill(pid_, sig);
}

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  WaitUntil([&] { return !Running(); }, timeout, 10ms);
  return status_;
}

void ChildProcess::Kill() {
  if (pid_ <= 0 || status_) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  status_ = DecodeStatus(status);
}

std::string ChildProcess::WaitForLog(const std::string& needle, std::chrono::milliseconds timeout) {
  std::string found;
  WaitUntil(
      [&] {
        std::string log = Log();
        size_t at = log.find(needle);
        if (at != std::string::npos) {
          size_t b = log.rfind('\n', at);
          b = b == std::string::npos ? 0 : b + 1;
          size_t e = log.find('\n', at);
          found = log.substr(b, e == std::string::npos ? std::string::npos : e - b);
          return true;
        }
        return !Running();
      },
      timeout, 20ms);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Rest

Rest::Reply Rest::Do(const std::string& method, const std::string& path,
                     const std::string& body) const {
  acs::http::ClientRequest req;
  req.method = method;
  req.url = base_ + path;
  req.headers.push_back({"Authorization", "Bearer " + token_});
  if (!body.empty()) req.headers.push_back({"Content-Type", "application/json"});
  req.body = body;
  req.timeout = 70s;
  Reply r;
  auto resp = acs::http::Fetch(req);
  if (!resp.ok()) {
    r.body = resp.status().ToString();
    return r;
  }
  r.status = resp->status;
  r.body = resp->body;
  if (const std::string* next = resp->Find("X-Next-After")) r.next_after = *next;
  auto parsed = cwmp::json::Parse(r.body, cwmp::json::JsonLimits{16u << 20, 32, 1u << 20, 1000000});
  if (parsed.ok()) r.json = *parsed;
  return r;
}

Rest::Reply Rest::Get(const std::string& path) const { return Do("GET", path, ""); }
Rest::Reply Rest::Post(const std::string& path, const std::string& body) const {
  return Do("POST", path, body);
}
Rest::Reply Rest::Delete(const std::string& path) const { return Do("DELETE", path, ""); }

std::string Rest::DevicePath(const std::string& id) {
  return "/devices/" + acs::http::PercentEncode(id);
}

Json Rest::Device(const std::string& id) const {
  Reply r = Get(DevicePath(id));
  return r.status == 200 ? r.json : Json();
}

std::optional<std::string> Rest::Param(const std::string& id, const std::string& name) const {
  Json d = Device(id);
  const Json* params = d.Find("parameters");
  if (params == nullptr) return std::nullopt;
  const Json* p = params->Find(name);
  if (p == nullptr) return std::nullopt;
  const Json* v = p->Find("value");
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->as_string();
}

Rest::Reply Rest::CreateTask(const std::string& id, const std::string& body,
                             int cr_timeout_ms) const {
  std::string path = DevicePath(id) + "/tasks";
  if (cr_timeout_ms > 0) path += "?connection_request&timeout=" + std::to_string(cr_timeout_ms);
  return Post(path, body);
}

Json Rest::Task(int64_t task_id) const { return Get("/tasks/" + std::to_string(task_id)).json; }

Json Rest::WaitTask(int64_t task_id, std::chrono::milliseconds timeout) const {
  Json task;
  WaitUntil(
      [&] {
        task = Task(task_id);
        const Json* s = task.Find("status");
        return s != nullptr && s->is_string() && s->as_string() != "pending";
      },
      timeout, 100ms);
  return task;
}

Json Rest::Events(const std::string& id) const {
  return Get(DevicePath(id) + "/events?limit=1000").json;
}

int Rest::CountEvents(const std::string& id, const std::string& code) const {
  Json informs = Events(id);
  if (!informs.is_array()) return 0;
  int n = 0;
  for (const auto& inform : informs.as_array()) {
    const Json* events = inform.Find("events");
    if (events == nullptr || !events->is_array()) continue;
    for (const auto& e : events->as_array()) {
      const Json* c = e.Find("code");
      if (c != nullptr && c->is_string() && c->as_string() == code) {
        ++n;
        break;
      }
    }
  }
  return n;
}

bool Rest::HasEvent(const std::string& id, const std::string& code,
                    const std::optional<std::string>& command_key) const {
  Json informs = Events(id);
  if (!informs.is_array()) return false;
  for (const auto& inform : informs.as_array()) {
    const Json* events = inform.Find("events");
    if (events == nullptr || !events->is_array()) continue;
    for (const auto& e : events->as_array()) {
      const Json* c = e.Find("code");
      const Json* k = e.Find("commandKey");
      if (c == nullptr || !c->is_string() || c->as_string() != code) continue;
      if (!command_key) return true;
      if (k != nullptr && k->is_string() && k->as_string() == *command_key) return true;
    }
  }
  return false;
}

std::vector<std::string> Rest::DeviceIds(const std::string& prefix) const {
  std::vector<std::string> ids;
  std::string after;
  for (int page = 0; page < 1000; ++page) {
    std::string path = "/devices?limit=1000&prefix=" + acs::http::PercentEncode(prefix);
    if (!after.empty()) path += "&after=" + acs::http::PercentEncode(after);
    Reply r = Get(path);
    if (r.status != 200 || !r.json.is_array()) break;
    for (const auto& d : r.json.as_array()) {
      if (const Json* id = d.Find("id"); id != nullptr && id->is_string()) {
        ids.push_back(id->as_string());
      }
    }
    if (r.next_after.empty()) break;
    after = r.next_after;
  }
  return ids;
}

std::optional<std::string> ResultValue(const Json& task, const std::string& name) {
  const Json* result = task.Find("result");
  if (result == nullptr) return std::nullopt;
  const Json* pv = result->Find("parameterValues");
  if (pv == nullptr || !pv->is_array()) return std::nullopt;
  for (const auto& row : pv->as_array()) {
    if (!row.is_array() || row.as_array().size() < 2) continue;
    const auto& a = row.as_array();
    if (a[0].is_string() && a[0].as_string() == name && a[1].is_string()) return a[1].as_string();
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Acsd

namespace {

uint16_t PortOfListen(const std::string& json_line, const std::string& key) {
  auto v = cwmp::json::Parse(json_line);
  if (!v.ok() || v->Find(key) == nullptr || !v->Find(key)->is_string()) return 0;
  const std::string& addr = v->Find(key)->as_string();
  return static_cast<uint16_t>(std::atoi(addr.substr(addr.rfind(':') + 1).c_str()));
}

}  // namespace

std::unique_ptr<Acsd> Acsd::Start(const cwmp::testing::PgInstance& pg, const std::string& database,
                                  const std::string& work_dir, const AcsdOptions& options,
                                  std::string* error) {
  std::unique_ptr<Acsd> a(new Acsd());
  a->options_ = options;
  a->work_dir_ = work_dir;
  a->db_url_ = pg.UrlFor(database);
  RunResult migrate = Run({AcsdBinary(), "migrate", "--db", a->db_url_});
  if (migrate.exit_code != 0) {
    *error = "acsd migrate: " + migrate.out + migrate.err;
    return nullptr;
  }
  RunResult token = Run({AcsdBinary(), "token", "create", "--db", a->db_url_, "--scope", "admin",
                         "--description", "e2e"});
  if (token.exit_code != 0) {
    *error = "acsd token create: " + token.out + token.err;
    return nullptr;
  }
  std::string out = token.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  a->token_ = out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
  // The default connection-request password travels in a 0600 file, never on a command line.
  const std::string cr_password_file = work_dir + "/cr.password";
  {
    std::ofstream pw(cr_password_file, std::ios::trunc);
    pw << options.cr_password << "\n";
  }
  ::chmod(cr_password_file.c_str(), 0600);
  std::vector<std::string> argv = {AcsdBinary(),     "serve",         "--db",
                                   a->db_url_,       "--no-migrate",  "--cwmp-listen",
                                   "127.0.0.1:0",    "--nbi-listen",  "127.0.0.1:0",
                                   "--cpe-auth",     "digest",        "--cpe-username",
                                   options.cpe_username, "--cr-username",
                                   options.cr_username, "--cr-password-file",
                                   cr_password_file, "--session-timeout",
                                   std::to_string(options.session_timeout_s), "--log-format",
                                   "json"};
  if (!options.discovery) argv.push_back("--no-discovery");
  a->process_ = ChildProcess::Start(argv, work_dir + "/acsd.log",
                                    {{"ACSD_CPE_PASSWORD", options.cpe_password}});
  if (!a->process_) {
    *error = "fork failed";
    return nullptr;
  }
  std::string listening = a->process_->WaitForLog("\"listening\"", 30s);
  a->cwmp_port_ = PortOfListen(listening, "cwmp");
  a->nbi_port_ = PortOfListen(listening, "nbi");
  if (a->cwmp_port_ == 0 || a->nbi_port_ == 0) {
    *error = "acsd serve did not log its listening ports: " + a->process_->Log();
    return nullptr;
  }
  a->rest_ = Rest(a->nbi_url(), a->token_);
  // The API is installed a moment after the listeners are bound (503 "starting" until then).
  WaitUntil([&] { return a->rest_.Get("/devices?limit=1").status == 200; }, 10s);
  return a;
}

Acsd::~Acsd() {
  if (process_) process_->Kill();
}

int Acsd::Stop() {
  if (!process_) return -1;
  process_->Signal(SIGTERM);
  auto code = process_->Wait(20s);
  if (!code) {
    process_->Kill();
    return -1;
  }
  return *code;
}

// ---------------------------------------------------------------------------------------------
// Agent

std::string FlatProfile(const std::vector<std::pair<std::string, std::string>>& elements,
                        const std::string& padding_comment) {
  std::string s = "<flat-profile>\n";
  if (!padding_comment.empty()) s += "<!-- " + padding_comment + " -->\n";
  for (const auto& [name, value] : elements) s += "<" + name + ">" + value + "</" + name + ">\n";
  s += "</flat-profile>\n";
  return s;
}

Agent::Agent(AgentOptions options, std::string work_dir)
    : options_(std::move(options)), work_dir_(std::move(work_dir)) {
  fs::create_directories(work_dir_);
}

Agent::~Agent() {
  if (process_) process_->Kill();
}

bool Agent::Start(std::string* error) {
  if (Running()) {
    *error = "already running";
    return false;
  }
  ++starts_;
  std::vector<std::string> argv = {AgentBinary(), "run",          "--state",  state_dir(),
                                   "--mac",       options_.mac,   "--serial", options_.serial,
                                   "--model",     options_.model, "--swver",  options_.swver,
                                   "--cr-listen", "127.0.0.1:0",  "--cr-host", "127.0.0.1",
                                   "--log-format", "json"};
  if (!options_.acs_url.empty()) {
    argv.insert(argv.end(), {"--acs", options_.acs_url});
  }
  if (!options_.acs_username.empty()) {
    argv.insert(argv.end(), {"--acs-username", options_.acs_username});
  }
  if (!options_.acs_password.empty()) {
    std::string pw = work_dir_ + "/acs-password";
    WriteFile(pw, options_.acs_password + "\n", 0600);
    argv.insert(argv.end(), {"--acs-password-file", pw});
  }
  if (!options_.profile.empty()) {
    std::string profile = work_dir_ + "/profile.xml";
    WriteFile(profile, FlatProfile(options_.profile));
    argv.insert(argv.end(), {"--profile", profile});
  }
  process_ = ChildProcess::Start(argv, work_dir_ + "/agent-" + std::to_string(starts_) + ".log");
  if (!process_) {
    *error = "fork failed";
    return false;
  }
  std::this_thread::sleep_for(100ms);
  if (!process_->Running()) {
    *error = "cpe-agent run exited at once: " + process_->Log();
    return false;
  }
  return true;
}

std::optional<int> Agent::Terminate() {
  if (!process_) return std::nullopt;
  process_->Signal(SIGTERM);
  auto code = process_->Wait(20s);
  if (!code) process_->Kill();
  return code;
}

void Agent::Kill9() {
  if (process_) process_->Kill();
}

std::string Agent::Log() const {
  std::string all;
  for (int i = 1; i <= starts_; ++i) {
    all += "--- agent start " + std::to_string(i) + " ---\n" +
           ReadFile(work_dir_ + "/agent-" + std::to_string(i) + ".log");
  }
  return all;
}

std::string Agent::DeviceId() const {
  std::string oui;
  for (char c : options_.mac) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      oui += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (oui.size() == 6) break;
  }
  return oui + "-" + options_.model + "-" + options_.serial;
}

// ---------------------------------------------------------------------------------------------
// FreezingProxy

namespace {

int ConnectLoopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads one HTTP message (head + body by Content-Length or chunked; a response without either
// is read to the end of the connection unless it cannot have a body). `buffer` keeps bytes read
// past the message. Returns "" when the peer closed before a whole message or `stop` is set.
std::string ReadMessage(int fd, std::string* buffer, bool is_response,
                        const std::atomic<bool>& stop) {
  auto fill = [&]() -> int {
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, 100);
    if (r <= 0) return r < 0 && errno != EINTR ? -1 : 0;
    char b[16384];
    ssize_t n = ::recv(fd, b, sizeof b, 0);
    if (n <= 0) return -1;
    buffer->append(b, static_cast<size_t>(n));
    return 1;
  };
  size_t head_end;
  while ((head_end = buffer->find("\r\n\r\n")) == std::string::npos) {
    if (stop.load()) return "";
    if (fill() < 0) return "";
  }
  std::string head = Lower(buffer->substr(0, head_end));
  size_t body_start = head_end + 4;
  size_t total = std::string::npos;
  bool chunked = head.find("transfer-encoding: chunked") != std::string::npos;
  size_t cl = head.find("content-length:");
  if (!chunked && cl != std::string::npos) {
    total = body_start + std::strtoul(head.c_str() + cl + 15, nullptr, 10);
  } else if (!chunked) {
    bool no_body = !is_response || head.compare(9, 3, "204") == 0 ||
                   head.compare(9, 3, "304") == 0 || head.compare(9, 1, "1") == 0;
    if (no_body) total = body_start;
  }
  while (true) {
    if (total != std::string::npos && buffer->size() >= total) break;
    if (chunked) {
      size_t end = buffer->find("\r\n0\r\n\r\n", body_start > 2 ? body_start - 2 : 0);
      if (end != std::string::npos) {
        total = end + 7;
        break;
      }
    }
    if (stop.load()) return "";
    int r = fill();
    if (r < 0) {
      if (total == std::string::npos && !chunked && is_response) {
        total = buffer->size();  // delimited by close
        break;
      }
      return "";
    }
  }
  std::string message = buffer->substr(0, total);
  buffer->erase(0, total);
  return message;
}

}  // namespace

FreezingProxy::FreezingProxy(uint16_t target_port) : target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::listen(listen_fd_, 64) == 0 &&
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port_ = ntohs(addr.sin_port);
  }
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FreezingProxy::~FreezingProxy() {
  stop_ = true;
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
  ::close(listen_fd_);
}

void FreezingProxy::FreezeAfter(const std::string& needle) {
  std::lock_guard<std::mutex> lock(mu_);
  mode_ = Mode::kFreezeAfter;
  needle_ = needle;
}

void FreezingProxy::HoldAt(const std::string& needle) {
  std::lock_guard<std::mutex> lock(mu_);
  mode_ = Mode::kHoldAt;
  needle_ = needle;
}

void FreezingProxy::Release() {
  std::lock_guard<std::mutex> lock(mu_);
  mode_ = Mode::kPass;
  frozen_ = false;
}

std::vector<std::string> FreezingProxy::Forwarded() const {
  std::lock_guard<std::mutex> lock(mu_);
  return forwarded_;
}

void FreezingProxy::AcceptLoop() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([this, client] { Serve(client); });
  }
}

bool FreezingProxy::Admit(const std::string& request, bool* freeze_after_forwarding) {
  std::lock_guard<std::mutex> lock(mu_);
  if (frozen_.load()) return false;
  bool hit = mode_ != Mode::kPass && request.find(needle_) != std::string::npos;
  if (hit && mode_ == Mode::kHoldAt) {
    frozen_ = true;
    return false;
  }
  *freeze_after_forwarding = hit && mode_ == Mode::kFreezeAfter;
  if (*freeze_after_forwarding) mode_ = Mode::kPass;
  forwarded_.push_back(request);
  return true;
}

void FreezingProxy::Serve(int client) {
  int upstream = -1;
  std::string from_client, from_upstream;
  bool held = false;
  while (!stop_.load()) {
    if (held) {
      // Neither forwarded nor answered: wait until the CPE goes away or the proxy stops.
      pollfd p{client, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        char b[4096];
        if (::recv(client, b, sizeof b, 0) <= 0) break;
      }
      continue;
    }
    std::string request = ReadMessage(client, &from_client, false, stop_);
    if (request.empty()) break;
    bool freeze_after = false;
    if (!Admit(request, &freeze_after)) {
      held = true;
      continue;
    }
    if (upstream < 0) {
      upstream = ConnectLoopback(target_port_);
      from_upstream.clear();
    }
    if (upstream < 0 || !SendAll(upstream, request)) break;
    std::string response = ReadMessage(upstream, &from_upstream, true, stop_);
    if (response.empty()) break;
    if (freeze_after) frozen_ = true;  // before the CPE can send anything else
    if (!SendAll(client, response)) break;
    std::string head = Lower(response.substr(0, response.find("\r\n\r\n")));
    if (head.find("connection: close") != std::string::npos) break;
  }
  if (upstream >= 0) ::close(upstream);
  ::close(client);
}

}  // namespace e2e
