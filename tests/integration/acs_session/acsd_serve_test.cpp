// The real acsd binary: `acsd serve` starts (migrating), serves a CPE, logs JSON, and stops
// gracefully on SIGTERM; a restart keeps queued tasks.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <variant>

#include <fstream>
#include <mutex>

#include "acs/api_token.h"
#include "acs/http_digest.h"
#include "acs/http_server.h"
#include "cwmp/base/json.h"
#include "serve_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

namespace soap = cwmp::soap;

class Acsd {
 public:
  explicit Acsd(std::vector<std::string> args) {
    int err_pipe[2];
    EXPECT_EQ(::pipe(err_pipe), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(err_pipe[1], 2);
      ::close(err_pipe[0]);
      std::vector<char*> argv;
      std::string bin = ACSD_BINARY;
      argv.push_back(bin.data());
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(err_pipe[1]);
    fd_ = err_pipe[0];
  }
  ~Acsd() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }

  // Reads log lines until one contains `needle`; returns it ("" on timeout or EOF).
  std::string WaitFor(const std::string& needle) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      size_t nl;
      while ((nl = buf_.find('\n')) != std::string::npos) {
        std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        all_ += line + "\n";
        if (line.find(needle) != std::string::npos) return line;
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char b[4096];
      ssize_t n = ::read(fd_, b, sizeof b);
      if (n <= 0) return "";
      buf_.append(b, static_cast<size_t>(n));
    }
    return "";
  }

  int Terminate() {
    ::kill(pid_, SIGTERM);
    return Wait();
  }
  // Waits for the process to exit by itself; its exit status (-1: killed by a signal).
  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    WaitFor("\n\n");  // drains the log up to EOF into log()
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& log() const { return all_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buf_;
  std::string all_;
};

uint16_t PortOf(const std::string& json_line, const std::string& key) {
  auto v = cwmp::json::Parse(json_line);
  EXPECT_TRUE(v.ok()) << json_line;
  if (!v.ok() || v->Find(key) == nullptr) return 0;
  std::string addr = v->Find(key)->as_string();
  return static_cast<uint16_t>(std::stoi(addr.substr(addr.rfind(':') + 1)));
}

using AcsdServeTest = ServeTest;

TEST_F(AcsdServeTest, ServesACpeAndStopsGracefullyOnSigterm) {
  std::vector<std::string> args = {"serve",         "--db",        pg_->UrlFor(db_),
                                   "--cwmp-listen", "127.0.0.1:0", "--nbi-listen",
                                   "127.0.0.1:0",   "--cpe-auth",  "none",
                                   "--log-format",  "json",        "--no-discovery"};
  const std::string device = std::string(kDevice) + "BIN";
  {
    Acsd acsd(args);
    std::string listening = acsd.WaitFor("\"listening\"");
    ASSERT_FALSE(listening.empty()) << acsd.log();
    EXPECT_NE(acsd.log().find("applied migration"), std::string::npos);  // migrated at start
    CpeClient cpe(PortOf(listening, "cwmp"));
    Inform(cpe, "BIN");
    EXPECT_EQ(cpe.Post("").status, 204);
    CpeClient nbi(PortOf(listening, "nbi"));
    EXPECT_EQ(nbi.Request("GET", "/metrics", "").status, 200);
    EXPECT_EQ(acsd.Terminate(), 0);
    EXPECT_NE(acsd.log().find("\"session started\""), std::string::npos) << acsd.log();
  }
  // Queue a task while acsd is down; the next acsd delivers it.
  StoreOptions so;
  so.database_url = pg_->UrlFor(db_);
  auto store = OpenPostgresStore(so);
  ASSERT_TRUE(store.ok());
  NewTask t;
  t.device_id = device;
  t.name = "reboot";
  t.args_json = R"({"name":"reboot"})";
  auto id = (*store)->EnqueueTask(t, std::chrono::system_clock::now());
  ASSERT_TRUE(id.ok());
  args.push_back("--no-migrate");
  Acsd again(args);
  std::string listening = again.WaitFor("\"listening\"");
  ASSERT_FALSE(listening.empty()) << again.log();
  CpeClient cpe(PortOf(listening, "cwmp"));
  Inform(cpe, "BIN");
  HttpReply r = cpe.Post("");
  soap::Envelope env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::Reboot>(env.body));
  EXPECT_EQ(cpe.PostBody(soap::RebootResponse{}, env.id).status, 204);
  EXPECT_EQ((*store)->GetTask(*id)->status, TaskStatus::kDone);
  EXPECT_EQ(again.Terminate(), 0);
}

// The NBI listener of `acsd serve` is the REST API: a bearer token is required, and a device that
// informed on the CWMP listener is listed there.
TEST_F(AcsdServeTest, TheRestApiIsServedOnTheNbiListener) {
  Acsd acsd({"serve", "--db", pg_->UrlFor(db_), "--cwmp-listen", "127.0.0.1:0", "--nbi-listen",
             "127.0.0.1:0", "--cpe-auth", "none", "--log-format", "json", "--no-discovery"});
  std::string listening = acsd.WaitFor("\"listening\"");
  ASSERT_FALSE(listening.empty()) << acsd.log();
  StoreOptions so;
  so.database_url = pg_->UrlFor(db_);
  auto store = OpenPostgresStore(so);
  ASSERT_TRUE(store.ok());
  auto token = GenerateApiToken();
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE((*store)->AddApiToken(*token, ApiScope::kRead, "test").ok());

  CpeClient cpe(PortOf(listening, "cwmp"));
  Inform(cpe, "NBI");
  EXPECT_EQ(cpe.Post("").status, 204);

  CpeClient nbi(PortOf(listening, "nbi"));
  EXPECT_EQ(nbi.Request("GET", "/devices", "").status, 401);
  HttpReply list = nbi.Request("GET", "/devices", "", "Bearer " + token->Reveal());
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find(std::string(kDevice) + "NBI"), std::string::npos) << list.body;
  EXPECT_EQ(nbi.Request("POST", "/devices/x/tasks", "{}", "Bearer " + token->Reveal()).status,
            403);  // a read token cannot queue tasks
  EXPECT_EQ(acsd.Terminate(), 0);
}

// --cr-username / --cr-password-file: the credentials acsd uses for a connection request to a
// device that reported none. The CPE side is a real HTTP server that demands Digest.
TEST_F(AcsdServeTest, ConnectionRequestsUseTheConfiguredDefaultCredentials) {
  const cwmp::Secret cr_password("cr-pass-123");
  http::DigestAuthenticator digest(cwmp::Secret("cpe-nonce-key"), "cpe", std::chrono::seconds(60),
                                   http::SystemRandom());
  std::mutex mu;
  std::vector<std::string> accepted_users;
  int challenges = 0;
  http::ServerOptions so;
  auto cpe_side = http::HttpServer::Start(so, [&](const http::Request& req,
                                                  const http::ConnectionInfo&) {
    const auto now = std::chrono::system_clock::now();
    http::Response r;
    if (const std::string* h = req.Find("Authorization")) {
      auto c = http::ParseDigestAuthorization(*h);
      if (c.ok() && digest.Verify(*c, req.method, req.target, cr_password, now) ==
                        http::DigestAuthenticator::Verdict::kOk) {
        std::lock_guard lock(mu);
        accepted_users.push_back(c->username);
        r.status = 200;
        return r;
      }
    }
    std::lock_guard lock(mu);
    ++challenges;
    r.status = 401;
    for (const auto& ch : digest.Challenges(now, false)) r.headers.push_back({"WWW-Authenticate", ch});
    return r;
  });
  ASSERT_TRUE(cpe_side.ok()) << cpe_side.status().ToString();

  const std::string pw_file = ::testing::TempDir() + "/acsd_cr_password";
  std::ofstream(pw_file) << cr_password.Reveal() << "\n";
  Acsd acsd({"serve", "--db", pg_->UrlFor(db_), "--cwmp-listen", "127.0.0.1:0", "--nbi-listen",
             "127.0.0.1:0", "--cpe-auth", "none", "--log-format", "json", "--no-discovery",
             "--cr-username", "cr-user", "--cr-password-file", pw_file});
  std::string listening = acsd.WaitFor("\"listening\"");
  ASSERT_FALSE(listening.empty()) << acsd.log();
  CpeClient cpe(PortOf(listening, "cwmp"));
  Inform(cpe, "CR");
  EXPECT_EQ(cpe.Post("").status, 204);

  StoreOptions opts;
  opts.database_url = pg_->UrlFor(db_);
  auto store = OpenPostgresStore(opts);
  ASSERT_TRUE(store.ok());
  const std::string device = std::string(kDevice) + "CR";
  // The device reported a URL but no ConnectionRequestUsername/Password: point the URL here.
  ParameterUpdate url;
  url.name = "Device.ManagementServer.ConnectionRequestURL";
  url.value = "http://127.0.0.1:" + std::to_string((*cpe_side)->port()) + "/cr";
  ASSERT_TRUE((*store)->UpdateParameters(device, {url}, std::chrono::system_clock::now()).ok());
  auto token = GenerateApiToken();
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE((*store)->AddApiToken(*token, ApiScope::kAdmin, "test").ok());

  CpeClient nbi(PortOf(listening, "nbi"));
  const std::string task = R"({"name":"reboot"})";
  HttpReply r = nbi.SendRaw("POST /devices/" + device +
                            "/tasks?connection_request&timeout=1 HTTP/1.1\r\nHost: acs\r\n"
                            "Content-Type: application/json\r\nAuthorization: Bearer " +
                            token->Reveal() + "\r\nContent-Length: " +
                            std::to_string(task.size()) + "\r\n\r\n" + task);
  EXPECT_EQ(r.status, 202) << r.body;
  auto body = cwmp::json::Parse(r.body);
  ASSERT_TRUE(body.ok()) << r.body;
  ASSERT_NE(body->Find("connectionRequest"), nullptr) << r.body;
  EXPECT_EQ(body->Find("connectionRequest")->Find("outcome")->as_string(), "ok") << r.body;
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(challenges, 1);
    EXPECT_EQ(accepted_users, std::vector<std::string>{"cr-user"});
  }
  EXPECT_EQ(acsd.log().find("cr-pass-123"), std::string::npos);  // never logged
  EXPECT_EQ(acsd.Terminate(), 0);
  (*cpe_side)->Stop();
  std::remove(pw_file.c_str());
}

TEST_F(AcsdServeTest, UsageErrorsExitWith2AndAnUnreachableDatabaseWith1) {
  Acsd bad({"serve", "--db", pg_->UrlFor(db_), "--cwmp-listen", "nowhere"});
  EXPECT_NE(bad.WaitFor("cwmp-listen"), "");
  EXPECT_EQ(bad.Wait(), 2);
  Acsd down({"serve", "--db", "postgresql://nobody@127.0.0.1:1/none", "--log-format", "json"});
  EXPECT_NE(down.WaitFor("could not start"), "");
  EXPECT_EQ(down.Wait(), 1);
}

}  // namespace
}  // namespace acs::testing
