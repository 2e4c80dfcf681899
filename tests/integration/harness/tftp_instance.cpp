#include "tftp_instance.h"

#include "loopback_port.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace cwmp_test {
namespace {

namespace fs = std::filesystem;

// Sends a TFTP read request for a file that does not exist; true if any reply comes back
// within 200 ms (the server answers with an ERROR packet).
bool Answers(uint16_t port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  static const char kRrq[] = "\0\1harness-probe\0octet";
  bool ok = false;
  if (sendto(fd, kRrq, sizeof(kRrq), 0, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) > 0) {
    pollfd p{fd, POLLIN, 0};
    char buf[516];
    if (poll(&p, 1, 200) == 1 && recv(fd, buf, sizeof(buf), 0) > 0) ok = true;
  }
  close(fd);
  return ok;
}

}  // namespace

std::unique_ptr<TftpInstance> TftpInstance::Start(const std::string& work_dir, std::string* error) {
  std::error_code ec;
  fs::create_directories(work_dir + "/tftproot", ec);
  // The server drops to --user; it must be able to reach the root through the temp dirs.
  chmod(work_dir.c_str(), 0755);
  chmod((work_dir + "/tftproot").c_str(), 0755);
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::unique_ptr<TftpInstance> t(new TftpInstance());
    t->work_dir_ = work_dir;
    t->port_ = FreeLoopbackPort(SOCK_DGRAM);
    std::string address = "127.0.0.1:" + std::to_string(t->port_);
    std::string root = t->root_dir();
    std::string log = work_dir + "/tftpd.log";
    pid_t pid = fork();
    if (pid < 0) {
      *error = "fork failed";
      return nullptr;
    }
    if (pid == 0) {
      int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      int devnull = open("/dev/null", O_RDWR);
      if (devnull >= 0) dup2(devnull, STDIN_FILENO);
      if (out >= 0) {
        dup2(out, STDOUT_FILENO);
        dup2(out, STDERR_FILENO);
      }
      // Its own process group, so Stop() also reaches the per-transfer children.
      setpgid(0, 0);
      if (geteuid() == 0) {
        execl("/usr/sbin/in.tftpd", "in.tftpd", "--foreground", "--listen", "--address",
              address.c_str(), "--secure", "--user", "nobody", root.c_str(),
              static_cast<char*>(nullptr));
      } else {
        execl("/usr/sbin/in.tftpd", "in.tftpd", "--foreground", "--listen", "--address",
              address.c_str(), "--secure", root.c_str(), static_cast<char*>(nullptr));
      }
      _exit(127);
    }
    t->pid_ = pid;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool exited = false;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        t->pid_ = -1;
        break;
      }
      if (Answers(t->port_)) return t;
    }
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    *error = "in.tftpd did not start: " + text;
    if (!exited) return nullptr;
  }
  return nullptr;
}

void TftpInstance::Stop() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
}

TftpInstance::~TftpInstance() { Stop(); }

std::string TftpInstance::server() const { return "127.0.0.1:" + std::to_string(port_); }

std::string TftpInstance::Url(const std::string& path) const { return "tftp://" + server() + path; }

bool TftpInstance::PutFile(const std::string& name, const std::string& content) const {
  fs::path p = fs::path(root_dir()) / name;
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  for (fs::path d = p.parent_path(); d.string().size() > root_dir().size(); d = d.parent_path()) {
    chmod(d.c_str(), 0755);
  }
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) return false;
  }
  return chmod(p.c_str(), 0644) == 0;
}

}  // namespace cwmp_test
