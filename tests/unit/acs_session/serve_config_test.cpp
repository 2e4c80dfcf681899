// `acsd serve` options: command line, environment, config file, precedence and errors.
#include <gtest/gtest.h>

#include <cstdio>
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

TEST(ServeConfig, DefaultConnectionRequestCredentials) {
  auto c = Parse({"--db", "postgresql://a@b/c", "--connection-request-username", "cr"},
                 {{"ACSD_CONNECTION_REQUEST_PASSWORD", "cr-pw"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->connection_request_username, "cr");
  EXPECT_EQ(c->connection_request_password.Reveal(), "cr-pw");
  EXPECT_NE(ServeHelp().find("--connection-request-password"), std::string::npos);
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
