// `acsd serve` options: command line, environment, config file, precedence and errors.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

#include "acs/config.h"
#include "acs/cwmp_endpoint.h"

namespace acs::config {
namespace {

using Env = std::map<std::string, std::string>;

cwmp::Result<ServeConfig> Parse(const std::vector<std::string>& args, const Env& env = {}) {
  bool help = false;
  return ParseServe(
      args,
      [&](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      &help);
}

TEST(ServeConfig, DefaultsAndCommandLine) {
  auto c = Parse({"--db", "postgresql://acs@db/acs"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->cwmp_listen.host, "0.0.0.0");
  EXPECT_EQ(c->cwmp_listen.port, 7547);
  EXPECT_EQ(c->nbi_listen.host, "127.0.0.1");
  EXPECT_EQ(c->nbi_listen.port, 7557);
  EXPECT_EQ(c->cpe_auth, cwmp_endpoint::AuthMode::kDigest);
  EXPECT_TRUE(c->migrate);
  EXPECT_TRUE(c->discovery);

  c = Parse({"--db=postgresql://acs@db/acs", "--cwmp-listen", "[::1]:8443", "--no-migrate",
             "--cpe-auth=basic", "--log-format", "json", "--session-timeout", "30"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->cwmp_listen.host, "::1");
  EXPECT_EQ(c->cwmp_listen.port, 8443);
  EXPECT_FALSE(c->migrate);
  EXPECT_EQ(c->cpe_auth, cwmp_endpoint::AuthMode::kBasic);
  EXPECT_EQ(c->log_format, log::Format::kJson);
  EXPECT_EQ(c->session_timeout, std::chrono::seconds(30));
}

TEST(ServeConfig, EnvironmentAndFileWithPrecedence) {
  std::string path = ::testing::TempDir() + "acsd_serve_test.conf";
  {
    std::ofstream f(path);
    f << "# acsd\n"
         "db = postgresql://file@db/acs\n"
         "cwmp-listen = 10.0.0.1:7547\n"
         "nbi-listen = 10.0.0.1:7557\n"
         "cpe-password = from-file\n"
         "no-discovery = true\n";
  }
  auto c = Parse({"--config", path, "--nbi-listen", "127.0.0.1:9000"},
                 {{"ACSD_CWMP_LISTEN", "10.0.0.2:7547"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->database_url, "postgresql://file@db/acs");
  EXPECT_EQ(c->cwmp_listen.host, "10.0.0.2");  // environment beats file
  EXPECT_EQ(c->nbi_listen.port, 9000);         // command line beats both
  EXPECT_EQ(c->cpe_password.Reveal(), "from-file");
  EXPECT_FALSE(c->discovery);
  c = Parse({}, {{"ACSD_DATABASE_URL", "postgresql://env@db/acs"}, {"ACSD_CONFIG", path}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->database_url, "postgresql://env@db/acs");
  std::remove(path.c_str());
}

TEST(ServeConfig, ErrorsNameTheOption) {
  struct Case {
    std::vector<std::string> args;
    const char* text;
  };
  const Case cases[] = {
      {{}, "no database"},
      {{"--db", "postgresql://a@b/c", "--bogus"}, "unknown option --bogus"},
      {{"--db", "postgresql://a@b/c", "--cwmp-listen", "7547"}, "cwmp-listen"},
      {{"--db", "postgresql://a@b/c", "--cwmp-listen", "h:99999"}, "cwmp-listen"},
      {{"--db", "postgresql://a@b/c", "--cpe-auth", "ntlm"}, "digest, basic or none"},
      {{"--db", "postgresql://a@b/c", "--log-format", "xml"}, "plain or json"},
      {{"--db", "postgresql://a@b/c", "--session-timeout", "0"}, "session-timeout"},
      {{"--db", "postgresql://a@b/c", "--tls-cert", "c.pem"}, "go together"},
      {{"--db", "postgresql://a@b/c", "--tls-client-ca", "ca.pem"}, "needs --tls-cert"},
      {{"--db", "postgresql://a@b/c", "--no-migrate=1"}, "takes no value"},
      {{"--db", "postgresql://a@b/c", "--config", "/nonexistent/acsd.conf"}, "cannot be read"},
      {{"--db", "postgresql://a@b/c", "stray"}, "unexpected argument"},
  };
  for (const auto& c : cases) {
    auto r = Parse(c.args);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.text), std::string::npos) << r.status().message();
  }
}

TEST(ServeConfig, HelpDocumentsEveryOption) {
  bool help = false;
  auto r = ParseServe(
      {"--help"}, [](const std::string&) { return std::nullopt; }, &help);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(help);
  std::string text = ServeHelp();
  for (const char* o : {"--db", "--cwmp-listen", "--nbi-listen", "--tls-cert", "--tls-key",
                        "--tls-client-ca", "--cpe-auth", "--cpe-username", "--cpe-password",
                        "--no-migrate", "--log-format", "--config", "ACSD_"}) {
    EXPECT_NE(text.find(o), std::string::npos) << o;
  }
  auto l = ParseListen("0.0.0.0:7547");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->port, 7547);
}

}  // namespace
}  // namespace acs::config

namespace acs::config {
namespace {

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/acsd-cr-XXXXXX";
    int fd = ::mkstemp(name);
    path_ = name;
    std::ofstream(path_) << content;
    ::close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(ServeConfig, DefaultConnectionRequestCredentials) {
  TempFile pw("s3cret-cr\nignored second line\n");
  auto c = Parse({"--db", "postgresql://acs@db/acs", "--cr-username", "acs-cr",
                  "--cr-password-file", pw.path()});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->cr_username, "acs-cr");
  EXPECT_EQ(c->cr_password.Reveal(), "s3cret-cr");

  // Environment and config file, like every option.
  TempFile conf("cr-username = from-file\ncr-password-file = " + pw.path() + "\n");
  auto f = Parse({"--db", "postgresql://acs@db/acs", "--config", conf.path()});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->cr_username, "from-file");
  EXPECT_EQ(f->cr_password.Reveal(), "s3cret-cr");
  auto e = Parse({"--db", "postgresql://acs@db/acs", "--config", conf.path()},
                 {{"ACSD_CR_USERNAME", "from-env"}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->cr_username, "from-env");

  auto none = Parse({"--db", "postgresql://acs@db/acs"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->cr_username, "");
  EXPECT_TRUE(none->cr_password.empty());

  // A missing or empty file is a usage error naming the option, never a silent empty password.
  auto missing = Parse({"--db", "postgresql://acs@db/acs", "--cr-password-file", "/nonexistent/pw"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("cr-password-file"), std::string::npos);
  TempFile empty("");
  EXPECT_FALSE(Parse({"--db", "postgresql://acs@db/acs", "--cr-password-file", empty.path()}).ok());

  std::string help = ServeHelp();
  EXPECT_NE(help.find("--cr-username"), std::string::npos);
  EXPECT_NE(help.find("--cr-password-file"), std::string::npos);
}

}  // namespace
}  // namespace acs::config
