#include "nginx_instance.h"

#include "loopback_port.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace cwmp_test {
namespace {

namespace fs = std::filesystem;

bool PortAccepts(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteAll(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  return static_cast<bool>(out);
}

// The locations every listener serves (see the header).
std::string Locations(const std::string& work) {
  std::string s;
  s += "    location /files/ { alias " + work + "/files/; }\n";
  for (const char* code : {"301", "302", "303", "307"}) {
    s += std::string("    location ~ ^/r") + code + "/(.*)$ { return " + code + " /files/$1; }\n";
  }
  s += "    location ~ ^/loop/(.*)$ { return 302 /loop/$1; }\n";
  s += "    location /auth/ { auth_basic \"phones\"; auth_basic_user_file " + work +
       "/htpasswd; alias " + work + "/files/; }\n";
  for (const char* code :
       {"400", "403", "404", "405", "407", "410", "418", "500", "501", "502", "503", "504"}) {
    s += std::string("    location = /status/") + code + " { return " + code + "; }\n";
  }
  s += "    location = /echo/ua { default_type text/plain; return 200 \"$http_user_agent\"; }\n";
  s += "    location = /echo/method { default_type text/plain; "
       "return 200 \"$request_method $content_length $server_protocol\"; }\n";
  s += "    location = /echo/body { default_type text/plain; echo_read_request_body; "
       "echo_request_body; }\n";
  s += "    location = /echo/dn { default_type text/plain; return 200 \"$ssl_client_s_dn\"; }\n";
  s += "    location = /echo/verify { default_type text/plain; "
       "return 200 \"$ssl_client_verify\"; }\n";
  s += "    location = /reflect { default_type text/plain; "
       "return 200 \"<flat-profile><GPP_D>$ssl_client_s_dn</GPP_D></flat-profile>\"; }\n";
  s += "    location /client-required/ { if ($ssl_client_verify != SUCCESS) { return 403; } "
       "alias " +
       work + "/files/; }\n";
  s += "    location = /chunked { default_type text/plain; echo \"first chunk\"; echo_flush; "
       "echo \"second chunk\"; }\n";
  s += "    location = /slow { default_type text/plain; echo_sleep 3; echo \"late\"; }\n";
  s += "    location /throttled/ { alias " + work + "/files/; limit_rate 64k; }\n";
  s += "    location /aes128gcm/ { alias " + work +
       "/files/; add_header Content-Encoding aes128gcm; }\n";
  s += "    location /upload/ { alias " + work +
       "/upload/; dav_methods PUT; "
       "create_full_put_path on; dav_access user:rw group:r all:r; }\n";
  return s;
}

std::string Config(const std::string& work, const TestCa& ca, uint16_t http, uint16_t https,
                   uint16_t mtls) {
  std::string locations = Locations(work);
  std::string tls = "    ssl_certificate " + ca.server_cert() + ";\n    ssl_certificate_key " +
                    ca.server_key() + ";\n    ssl_client_certificate " + ca.ca_cert() +
                    ";\n    ssl_verify_depth 2;\n";
  std::string c;
  const char* echo_module = "/usr/lib/nginx/modules/ngx_http_echo_module.so";
  c += std::string("load_module ") + echo_module + ";\n";
  if (geteuid() == 0) c += "user root root;\n";
  c += "daemon off;\nmaster_process on;\nworker_processes 1;\n";
  c += "pid " + work + "/nginx.pid;\nerror_log " + work + "/error.log info;\n";
  c += "events { worker_connections 64; }\n";
  c += "http {\n";
  c += "  log_format cwmp '$status $request_method $request_uri $server_protocol "
       "ua=$http_user_agent';\n";
  c += "  access_log " + work + "/access.log cwmp;\n";
  c += "  client_body_temp_path " + work + "/tmp/body;\n";
  c += "  proxy_temp_path " + work + "/tmp/proxy;\n  fastcgi_temp_path " + work +
       "/tmp/fastcgi;\n  uwsgi_temp_path " + work + "/tmp/uwsgi;\n  scgi_temp_path " + work +
       "/tmp/scgi;\n";
  c += "  types { text/plain txt cfg xml; application/octet-stream loads bin; }\n";
  c += "  default_type application/octet-stream;\n  keepalive_timeout 5;\n";
  c += "  client_max_body_size 16m;\n";
  c += "  server {\n    listen 127.0.0.1:" + std::to_string(http) + ";\n" + locations + "  }\n";
  c += "  server {\n    listen 127.0.0.1:" + std::to_string(https) + " ssl;\n" + tls +
       "    ssl_verify_client optional;\n" + locations + "  }\n";
  c += "  server {\n    listen 127.0.0.1:" + std::to_string(mtls) + " ssl;\n" + tls +
       "    ssl_verify_client on;\n" + locations + "  }\n";
  c += "}\n";
  return c;
}

}  // namespace

std::unique_ptr<NginxInstance> NginxInstance::Start(const std::string& work_dir, const TestCa& ca,
                                                    std::string* error) {
  std::error_code ec;
  for (const char* sub : {"files", "upload", "tmp"})
    fs::create_directories(work_dir + "/" + sub, ec);
  // Basic-auth password file in the apr1 format nginx reads, made by the real openssl.
  std::string htpasswd = work_dir + "/htpasswd";
  if (RunShell("printf '%s:' " + ShellQuote(kAuthUser) + " > " + ShellQuote(htpasswd) +
               " && openssl passwd -apr1 " + ShellQuote(kAuthPassword) + " >> " +
               ShellQuote(htpasswd)) != 0) {
    *error = "cannot make " + htpasswd + " with openssl passwd";
    return nullptr;
  }
  // A port picked here can be taken by someone else before nginx binds it: retry a few times.
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::unique_ptr<NginxInstance> n(new NginxInstance());
    n->work_dir_ = work_dir;
    // Three distinct ports: the kernel may hand out the same free port twice in a row, and
    // nginx then merges the plain listener into an ssl one ("no ssl_certificate is defined").
    n->http_port_ = FreeLoopbackPort(SOCK_STREAM);
    do {
      n->https_port_ = FreeLoopbackPort(SOCK_STREAM);
    } while (n->https_port_ != 0 && n->https_port_ == n->http_port_);
    do {
      n->https_mtls_port_ = FreeLoopbackPort(SOCK_STREAM);
    } while (n->https_mtls_port_ != 0 &&
             (n->https_mtls_port_ == n->http_port_ || n->https_mtls_port_ == n->https_port_));
    if (!WriteAll(work_dir + "/nginx.conf",
                  Config(work_dir, ca, n->http_port_, n->https_port_, n->https_mtls_port_))) {
      *error = "cannot write nginx.conf";
      return nullptr;
    }
    std::string conf = work_dir + "/nginx.conf";
    std::string prefix = work_dir + "/";
    pid_t pid = fork();
    if (pid < 0) {
      *error = "fork failed";
      return nullptr;
    }
    if (pid == 0) {
      int devnull = open("/dev/null", O_RDWR);
      if (devnull >= 0) {
        dup2(devnull, STDIN_FILENO);
        dup2(devnull, STDOUT_FILENO);
      }
      execl("/usr/sbin/nginx", "nginx", "-p", prefix.c_str(), "-c", conf.c_str(), "-e",
            (work_dir + "/error.log").c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    n->pid_ = pid;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    bool exited = false;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        n->pid_ = -1;
        break;
      }
      if (PortAccepts(n->http_port_) && PortAccepts(n->https_port_) &&
          PortAccepts(n->https_mtls_port_)) {
        return n;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    *error = "nginx did not start: " + ReadAll(work_dir + "/error.log");
    if (!exited) return nullptr;  // the destructor of n stops it
  }
  return nullptr;
}

void NginxInstance::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGQUIT);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  // The worker is killed with the master's process group only if it is still there; nginx's
  // master stops its workers on SIGQUIT before exiting.
}

NginxInstance::~NginxInstance() { Stop(); }

std::string NginxInstance::HttpUrl(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(http_port_) + path;
}
std::string NginxInstance::HttpsUrl(const std::string& path) const {
  return "https://localhost:" + std::to_string(https_port_) + path;
}
std::string NginxInstance::HttpsMtlsUrl(const std::string& path) const {
  return "https://localhost:" + std::to_string(https_mtls_port_) + path;
}

bool NginxInstance::PutFile(const std::string& name, const std::string& content) const {
  return WriteAll(files_dir() + "/" + name, content);
}

std::string NginxInstance::ReadAccessLog() const { return ReadAll(work_dir_ + "/access.log"); }

int NginxInstance::CountRequests(const std::string& uri_prefix) const {
  // nginx writes the access-log line when it finalises a request, which can be a moment after
  // the client has read the whole response: count until two reads 50 ms apart agree.
  int last = CountLoggedRequests(uri_prefix);
  for (int attempt = 0; attempt < 40; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const int now = CountLoggedRequests(uri_prefix);
    if (now == last) return now;
    last = now;
  }
  return last;
}

int NginxInstance::CountLoggedRequests(const std::string& uri_prefix) const {
  std::istringstream lines(ReadAccessLog());
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    // "<status> <method> <uri> ..."
    size_t a = line.find(' ');
    if (a == std::string::npos) continue;
    size_t b = line.find(' ', a + 1);
    if (b == std::string::npos) continue;
    if (line.compare(b + 1, uri_prefix.size(), uri_prefix) == 0) ++n;
  }
  return n;
}

}  // namespace cwmp_test
