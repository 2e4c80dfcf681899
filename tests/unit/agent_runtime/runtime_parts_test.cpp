// The runtime's small parts: log lines, listen addresses, URL host/port, the dhcp.json reader
// and the bootstrap ack writer.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "agent/runtime_log.h"
#include "cli/run_cli.h"
#include "cwmp/dhcp/state.h"
#include "runtime/dhcp_watch.h"
#include "runtime/route.h"

namespace {

std::string LogLine(agent::LogFormat format, const agent::RuntimeLog::Fields& fields) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  {
    agent::RuntimeLog log(format, f);
    log.Write("info", "SN1", "session", fields);
  }
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  // Without the leading time for plain lines.
  return format == agent::LogFormat::kPlain ? out.substr(out.find(' ') + 1) : out;
}

TEST(RuntimeLog, PlainQuotesValuesWithSpacesAndJsonEscapes) {
  EXPECT_EQ(LogLine(agent::LogFormat::kPlain,
                    {{"events", "0 BOOTSTRAP,1 BOOT"}, {"outcome", "ok"}, {"rpcs", ""}}),
            "info SN1 session events=\"0 BOOTSTRAP,1 BOOT\" outcome=ok rpcs=\"\"\n");
  std::string json = LogLine(agent::LogFormat::kJson, {{"error", "a \"b\"\nc"}});
  EXPECT_NE(json.find("\"level\":\"info\",\"phone\":\"SN1\",\"msg\":\"session\","
                      "\"error\":\"a \\\"b\\\"\\nc\"}\n"),
            std::string::npos)
      << json;
}

TEST(RuntimeLog, QuietInfoDropsInfoButKeepsWarnings) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  {
    agent::RuntimeLog log(agent::LogFormat::kPlain, f);
    log.set_quiet_info(true);
    log.Write("info", "A", "x");
    log.Write("warn", "A", "y");
    EXPECT_EQ(log.lines(), 1u);
  }
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  EXPECT_EQ(out.find(" x"), std::string::npos);
  EXPECT_NE(out.find("warn A y"), std::string::npos);
}

TEST(ListenAddress, Forms) {
  struct Case {
    const char* text;
    bool ok;
    const char* address;
    uint16_t port;
  } cases[] = {
      {"0.0.0.0:7547", true, "0.0.0.0", 7547},
      {"127.0.0.1:0", true, "127.0.0.1", 0},
      {"127.0.0.1", true, "127.0.0.1", 7547},
      {"[::1]:8080", true, "::1", 8080},
      {"[::]", true, "::", 7547},
      {"::1:80", false, "", 0},
      {":80", false, "", 0},
      {"1.2.3.4:65536", false, "", 0},
      {"1.2.3.4:x", false, "", 0},
      {"[::1", false, "", 0},
  };
  for (const auto& c : cases) {
    std::string address;
    uint16_t port = 0;
    auto st = agent::cli::ParseListenAddress(c.text, 7547, &address, &port);
    EXPECT_EQ(st.ok(), c.ok) << c.text;
    if (c.ok && st.ok()) {
      EXPECT_EQ(address, c.address) << c.text;
      EXPECT_EQ(port, c.port) << c.text;
    }
  }
}

TEST(Route, UrlHostAndPort) {
  std::string host, port;
  ASSERT_TRUE(agent::SplitUrlHostPort("https://acs.example.com/cwmp", &host, &port));
  EXPECT_EQ(host + " " + port, "acs.example.com 443");
  ASSERT_TRUE(agent::SplitUrlHostPort("http://u:p@10.0.0.1:7547/x?y", &host, &port));
  EXPECT_EQ(host + " " + port, "10.0.0.1 7547");
  ASSERT_TRUE(agent::SplitUrlHostPort("http://[2001:db8::1]:9/", &host, &port));
  EXPECT_EQ(host + " " + port, "2001:db8::1 9");
  EXPECT_FALSE(agent::SplitUrlHostPort("acs.example.com", &host, &port));
  // A specific listen address is the ConnectionRequestURL host; otherwise the route's source.
  EXPECT_EQ(agent::ConnectionRequestHost("192.0.2.7", "http://127.0.0.1:1/"), "192.0.2.7");
  EXPECT_EQ(agent::ConnectionRequestHost("0.0.0.0", "http://127.0.0.1:1/"), "127.0.0.1");
}

class DhcpWatch : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/agent-runtime-unit-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  std::string dir_;
};

TEST_F(DhcpWatch, ReadsTheStateAndTheAck) {
  EXPECT_EQ(agent::DhcpStateMtime(dir_), -1);
  EXPECT_FALSE(agent::ReadDhcpDiscovery(dir_).ok());
  cwmp::dhcp::DhcpState s;
  s.updated = "2026-11-26T12:00:00Z";
  s.acs_url = "https://acs.example.com/";
  s.acs_url_generation = 3;
  s.provisioning_code = "EU-1";
  s.retry_min_wait = 30;
  Write("dhcp.json", cwmp::dhcp::SerializeState(s));
  EXPECT_GE(agent::DhcpStateMtime(dir_), 0);
  auto d = agent::ReadDhcpDiscovery(dir_);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(*d->acs_url, "https://acs.example.com/");
  EXPECT_EQ(d->generation, 3u);
  EXPECT_EQ(d->acked, 0u);
  EXPECT_EQ(*d->provisioning_code, "EU-1");
  EXPECT_EQ(*d->retry_min_wait, 30u);
  EXPECT_FALSE(d->retry_multiplier.has_value());

  ASSERT_TRUE(agent::WriteBootstrapAck(dir_, 3).ok());
  std::ifstream ack(dir_ + "/dhcp-bootstrap.ack");
  std::string text((std::istreambuf_iterator<char>(ack)), {});
  EXPECT_EQ(text, "3\n");
  EXPECT_EQ(agent::ReadDhcpDiscovery(dir_)->acked, 3u);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/dhcp-bootstrap.ack.tmp"));

  Write("dhcp-bootstrap.ack", "garbage");  // reads as 0: the bootstrap is due again
  EXPECT_EQ(agent::ReadDhcpDiscovery(dir_)->acked, 0u);
  Write("dhcp.json", "{\"version\": 2}");
  EXPECT_FALSE(agent::ReadDhcpDiscovery(dir_).ok());
}

}  // namespace
