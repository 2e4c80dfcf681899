// The admin web server on a real loopback socket, driven with raw HTTP and with the curl CLI
// exactly as the guide writes the commands; behind it a real parameter store
// (StoreAdminActions).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <fstream>
#include <thread>

#include "agent/admin_server.h"
#include "http_client.h"
#include "loopback_port.h"
#include "store_admin_actions.h"

namespace agent_admin_test {
namespace {

using namespace std::chrono_literals;

class AdminHttpTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(actions_.ok()); }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  void StartServer(agent::AdminServerOptions options = {}) {
    if (options.listen.empty() && options.bind_address == "0.0.0.0") {
      options.listen = "127.0.0.1:0";
    }
    options.log = [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_ += std::string(line) + "\n";
    };
    auto server = agent::AdminServer::Start(std::move(options), actions_);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }
  void SetPasswords() {
    ASSERT_TRUE(actions_.Set({{"Admin_Password", "adm1n"}, {"User_Password", "us3r"}}).ok());
  }
  std::string Log() {
    std::lock_guard lock(log_mu_);
    return log_;
  }
  std::string Url(const std::string& target) {
    return "http://127.0.0.1:" + std::to_string(port_) + target;
  }
  // Waits until the server's port() satisfies `pred` (the settings poll runs asynchronously).
  template <typename Pred>
  bool WaitFor(Pred pred) {
    for (int i = 0; i < 200; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  StoreAdminActions actions_;
  std::unique_ptr<agent::AdminServer> server_;
  uint16_t port_ = 0;
  std::mutex log_mu_;
  std::string log_;
};

TEST_F(AdminHttpTest, FactoryDefaultNeedsNoPasswordAndShowsStatus) {
  actions_.SetLastResync(
      {true, std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} + 14h + 5min + 9s,
       "http://prov/cfg.xml"});
  StartServer();
  auto a = Fetch(port_, Get("/admin/status"));
  ASSERT_EQ(a.status, 200) << a.head;
  EXPECT_EQ(a.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_NE(a.body.find("Software Version: sip68xx.11-3-7MPP-0001\n"), std::string::npos) << a.body;
  EXPECT_NE(a.body.find("Provisioning Status: Idle\n"), std::string::npos);
  EXPECT_NE(a.body.find("Last Resync Status: Last resync succeeded on 11/26/2026 14:05:09: "
                        "http://prov/cfg.xml\n"),
            std::string::npos)
      << a.body;
  EXPECT_NE(a.body.find("Last Upgrade Status: No upgrade yet\n"), std::string::npos);
  EXPECT_NE(a.body.find("Custom CA Provisioning Status: No custom CA provisioning yet\n"),
            std::string::npos);
  EXPECT_NE(a.body.find("Custom CA Info: Not Installed\n"), std::string::npos);
  EXPECT_NE(a.body.find("Line 1 Call State: idle\n"), std::string::npos);
}

TEST_F(AdminHttpTest, ResyncCommands) {
  SetPasswords();
  StartServer();
  // The guide's form with credentials in the URL and a space in the file name.
  auto a = Fetch(port_, Get("/admin/resync?tftp://192.168.15.100/my%20config.xml&xuser=admin"
                            "&xpassword=adm1n"));
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.body, "Resync requested\n");
  a = Fetch(port_, Get("/admin/resync?https://prov.supervoip.com/cisco-init/1234abcd&xuser=admin"
                       "&xpassword=adm1n"));
  EXPECT_EQ(a.status, 200);
  a = Fetch(port_, Get("/admin/resync&xuser=admin&xpassword=adm1n"));  // bare: configured rules
  EXPECT_EQ(a.status, 200);
  auto resyncs = actions_.resyncs();
  ASSERT_EQ(resyncs.size(), 3u);
  EXPECT_EQ(resyncs[0].value_or(""), "tftp://192.168.15.100/my config.xml");
  EXPECT_EQ(resyncs[1].value_or(""), "https://prov.supervoip.com/cisco-init/1234abcd");
  EXPECT_FALSE(resyncs[2].has_value());
  // Provision_Enable=No refuses it (the guide: it also controls the resync URL command).
  ASSERT_TRUE(actions_.Set({{"Provision_Enable", "No"}}).ok());
  a = Fetch(port_, Get("/admin/resync&xuser=admin&xpassword=adm1n"));
  EXPECT_EQ(a.status, 403);
  EXPECT_EQ(a.body, "Provision_Enable is No\n");
  EXPECT_EQ(actions_.resyncs().size(), 3u);
  EXPECT_NE(Log().find("admin: resync requested with a rule from 127.0.0.1:"), std::string::npos);
  EXPECT_EQ(Log().find("adm1n"), std::string::npos);
}

TEST_F(AdminHttpTest, UpgradeAndReboot) {
  StartServer();
  auto a =
      Fetch(port_, Get("/admin/upgrade?http://10.0.0.5:8080/image/sip68xx.11-3-7MPP-0001.loads"));
  ASSERT_EQ(a.status, 200) << a.body;
  ASSERT_EQ(actions_.upgrades().size(), 1u);
  EXPECT_EQ(actions_.upgrades()[0], "http://10.0.0.5:8080/image/sip68xx.11-3-7MPP-0001.loads");
  EXPECT_EQ(Fetch(port_, Get("/admin/upgrade")).status, 400);
  EXPECT_EQ(Fetch(port_, Get("/admin/upgrade?")).status, 400);
  EXPECT_EQ(Fetch(port_, Get("/admin/upgrade?nonsense")).status, 400);
  ASSERT_TRUE(actions_.Set({{"Upgrade_Enable", "No"}}).ok());
  EXPECT_EQ(Fetch(port_, Get("/admin/upgrade?tftp://h/x.loads")).status, 403);
  EXPECT_EQ(actions_.upgrades().size(), 1u);

  HttpConnection c(port_);
  a = c.Exchange(Get("/admin/reboot"));
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.Header("Connection"), "close");
  EXPECT_TRUE(c.Closed());
  EXPECT_TRUE(actions_.WaitForRestarts(1));
  EXPECT_EQ(actions_.reboots(), 1);
}

TEST_F(AdminHttpTest, PasswordsAreRequiredOnceSet) {
  SetPasswords();
  StartServer();
  auto a = Fetch(port_, Get("/admin/status"));
  ASSERT_EQ(a.status, 401);
  EXPECT_EQ(a.CountHeader("WWW-Authenticate"), 2);  // Digest and Basic
  EXPECT_NE(a.head.find("WWW-Authenticate: Digest realm=\"cpe-agent\", qop=\"auth\""),
            std::string::npos);
  EXPECT_NE(a.head.find("WWW-Authenticate: Basic realm=\"cpe-agent\""), std::string::npos);
  // Wrong password in every form.
  EXPECT_EQ(Fetch(port_, Get("/admin/status&xuser=admin&xpassword=nope")).status, 401);
  EXPECT_EQ(Fetch(port_, Get("/admin/status?xuser=user&xpassword=adm1n")).status, 401);
  EXPECT_EQ(Fetch(port_, Get("/admin/status", "Authorization: Basic YWRtaW46bm9wZQ==\r\n")).status,
            401);  // admin:nope
  EXPECT_EQ(Fetch(port_, Get("/admin/status", "Authorization: Basic !!!\r\n")).status, 401);
  EXPECT_EQ(Fetch(port_, Get("/admin/status&xuser=root&xpassword=adm1n")).status, 401);
  EXPECT_EQ(Fetch(port_, Get("/admin/reboot&xuser=admin&xpassword=")).status, 401);
  EXPECT_EQ(actions_.reboots(), 0);
  EXPECT_NE(Log().find("admin: failed login as \"admin\" from 127.0.0.1:"), std::string::npos);
  EXPECT_EQ(Log().find("nope"), std::string::npos);
  // Right passwords.
  EXPECT_EQ(Fetch(port_, Get("/admin/status", "Authorization: Basic YWRtaW46YWRtMW4=\r\n")).status,
            200);  // admin:adm1n
  EXPECT_EQ(Fetch(port_, Get("/admin/status&xuser=user&xpassword=us3r")).status, 200);
}

TEST_F(AdminHttpTest, DigestLoginOnOneKeepAliveConnection) {
  SetPasswords();
  StartServer();
  HttpConnection c(port_);
  auto challenge = c.Exchange(Get("/admin/config.xml"));
  ASSERT_EQ(challenge.status, 401);
  EXPECT_EQ(challenge.Header("Connection"), "keep-alive");
  std::string auth = DigestAuthorization(challenge, "GET", "/admin/config.xml", "admin", "adm1n");
  auto a = c.Exchange(Get("/admin/config.xml", auth));
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.Header("Content-Type"), "application/xml; charset=utf-8");
  // The same nonce-count again is a replay; the next count is fine.
  EXPECT_EQ(c.Exchange(Get("/admin/config.xml", auth)).status, 401);
  EXPECT_EQ(
      c.Exchange(Get("/admin/config.xml", DigestAuthorization(challenge, "GET", "/admin/config.xml",
                                                              "admin", "adm1n", "00000002")))
          .status,
      200);
  // A wrong password, and a digest computed for another URI.
  EXPECT_EQ(
      c.Exchange(Get("/admin/config.xml", DigestAuthorization(challenge, "GET", "/admin/config.xml",
                                                              "admin", "bad", "00000003")))
          .status,
      401);
  EXPECT_EQ(c.Exchange(Get("/admin/reboot", DigestAuthorization(challenge, "GET", "/admin/status",
                                                                "admin", "adm1n", "00000004")))
                .status,
            401);
  EXPECT_EQ(actions_.reboots(), 0);
}

TEST_F(AdminHttpTest, CurlDigestAndBasicAsOperatorsUseThem) {
  SetPasswords();
  StartServer();
  std::string digest = Shell("curl -s --digest -u admin:adm1n '" + Url("/admin/status") + "'");
  EXPECT_NE(digest.find("Software Version:"), std::string::npos) << digest;
  std::string basic = Shell("curl -s -u user:us3r '" + Url("/admin/call") + "'");
  EXPECT_NE(basic.find("All lines idle: yes"), std::string::npos) << basic;
  std::string code = Shell("curl -s -o /dev/null -w '%{http_code}' --digest -u admin:wrong '" +
                           Url("/admin/status") + "'");
  EXPECT_EQ(code, "401");
}

TEST_F(AdminHttpTest, UserAccountIsRestricted) {
  SetPasswords();
  StartServer();
  const std::string user = "&xuser=user&xpassword=us3r";
  EXPECT_EQ(Fetch(port_, Get("/admin/resync" + user)).status, 403);
  EXPECT_EQ(Fetch(port_, Get("/admin/upgrade?tftp://h/a.loads" + user)).status, 403);
  EXPECT_EQ(Fetch(port_, Get("/admin/reboot" + user)).status, 403);
  EXPECT_TRUE(actions_.resyncs().empty());
  EXPECT_EQ(actions_.reboots(), 0);
  auto a = Fetch(port_, Get("/admin/config.xml" + user));
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body.find("<Admin_Password"), std::string::npos);
  EXPECT_EQ(a.body.find("<Resync_Periodic"), std::string::npos);  // na
  EXPECT_NE(a.body.find("<User_Password ua=\"rw\"/>"), std::string::npos) << a.body.substr(0, 500);
  EXPECT_NE(a.body.find("<IP_Mode ua=\"rw\">Dual Mode</IP_Mode>"), std::string::npos);
  EXPECT_EQ(a.body.find("us3r"), std::string::npos);
  EXPECT_EQ(Fetch(port_, Get("/admin/status" + user)).status, 200);
  EXPECT_EQ(Fetch(port_, Get("/admin/call?line=2&state=busy" + user)).status, 200);
  EXPECT_FALSE(actions_.LinesIdle());
}

TEST_F(AdminHttpTest, AdminConfigXmlHidesSecrets) {
  SetPasswords();
  ASSERT_TRUE(actions_.Set({{"Password_1_", "line-secret"}, {"GPP_A", "abc"}}).ok());
  StartServer();
  auto a = Fetch(port_, Get("/admin/config.xml&xuser=admin&xpassword=adm1n"));
  ASSERT_EQ(a.status, 200);
  for (const char* secret : {"adm1n", "us3r", "line-secret"}) {
    EXPECT_EQ(a.body.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(a.body.find("<Admin_Password ua=\"na\"/>"), std::string::npos);
  EXPECT_NE(a.body.find("<GPP_A ua=\"na\">abc</GPP_A>"), std::string::npos);
  EXPECT_NE(a.body.find("<Resync_Periodic ua=\"na\">"), std::string::npos);
}

TEST_F(AdminHttpTest, ConfigPostHonoursUa) {
  SetPasswords();
  StartServer();
  auto post = [&](const std::string& creds, const std::string& xml) {
    return Fetch(port_, "POST /admin/config.xml" + creds +
                            " HTTP/1.1\r\nHost: phone\r\nContent-Type: application/xml\r\n"
                            "Content-Length: " +
                            std::to_string(xml.size()) + "\r\n\r\n" + xml);
  };
  const std::string admin = "&xuser=admin&xpassword=adm1n", user = "&xuser=user&xpassword=us3r";
  auto a = post(admin,
                "<flat-profile><GPP_A ua=\"rw\">from-admin</GPP_A><Bogus>1</Bogus>"
                "</flat-profile>");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.body, "Applied 1 parameter elements\nIgnored unknown parameters: Bogus\n");
  EXPECT_EQ(actions_.Get("GPP_A"), "from-admin");
  // The user may change rw parameters (GPP_A is rw now) ...
  a = post(user,
           "<flat-profile><GPP_A>from-user</GPP_A><IP_Mode>IPv4 Only</IP_Mode>"
           "</flat-profile>");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(actions_.Get("GPP_A"), "from-user");
  // ... but a profile touching an na parameter changes nothing and says why.
  a = post(user,
           "<flat-profile><GPP_A>again</GPP_A><Admin_Password>x</Admin_Password>"
           "<Resync_Periodic>60</Resync_Periodic></flat-profile>");
  EXPECT_EQ(a.status, 403);
  EXPECT_NE(a.body.find("Admin_Password (ua=na)"), std::string::npos) << a.body;
  EXPECT_NE(a.body.find("Resync_Periodic (ua=na)"), std::string::npos);
  EXPECT_NE(a.body.find("nothing was applied"), std::string::npos);
  EXPECT_EQ(actions_.Get("GPP_A"), "from-user");
  EXPECT_EQ(actions_.Get("Admin_Password"), "adm1n");
  // Broken XML and invalid values: 400, nothing applied.
  a = post(admin, "<flat-profile><GPP_A>x</GPP_B></flat-profile>");
  EXPECT_EQ(a.status, 400);
  a = post(admin,
           "<flat-profile><GPP_A>y</GPP_A><Resync_Periodic>x</Resync_Periodic>"
           "</flat-profile>");
  EXPECT_EQ(a.status, 400);
  EXPECT_NE(a.body.find("Resync_Periodic"), std::string::npos);
  EXPECT_EQ(actions_.Get("GPP_A"), "from-user");
  EXPECT_EQ(post(admin, "").status, 400);
  EXPECT_EQ(post(admin, "<!DOCTYPE x [<!ENTITY a \"b\">]><flat-profile/>").status, 400);
}

TEST_F(AdminHttpTest, GuideCurlPostOfAConfigFile) {
  SetPasswords();
  StartServer();
  // Guide: curl -d @my_config.xml
  // "http://192.168.15.1/admin/config.xml&xuser=admin&xpassword=admin" (curl -d strips the file's
  // newlines; the profile must still apply).
  TempDir dir;
  std::string file = dir.path() + "/my_config.xml";
  std::ofstream(file) << "<flat-profile>\n  <GPP_B ua=\"na\">via-curl</GPP_B>\n"
                         "  <Station_Name ua=\"ro\">Lobby Phone</Station_Name>\n</flat-profile>\n";
  std::string out = Shell("curl -s -d @" + file + " '" +
                          Url("/admin/config.xml&xuser=admin&xpassword=adm1n") + "'");
  EXPECT_EQ(out, "Applied 2 parameter elements\n");
  EXPECT_EQ(actions_.Get("GPP_B"), "via-curl");
  EXPECT_EQ(actions_.Get("Station_Name"), "Lobby Phone");
  // A large profile: curl sends "Expect: 100-continue" and a chunked upload with -T.
  std::string big = "<flat-profile>";
  for (int i = 0; i < 2000; ++i) big += "<!-- padding " + std::to_string(i) + " -->";
  big += "<GPP_C>big</GPP_C></flat-profile>";
  std::ofstream(file) << big;
  out = Shell("curl -s -H 'Transfer-Encoding: chunked' --data-binary @" + file + " '" +
              Url("/admin/config.xml&xuser=admin&xpassword=adm1n") + "'");
  EXPECT_EQ(out, "Applied 1 parameter elements\n");
  EXPECT_EQ(actions_.Get("GPP_C"), "big");
}

TEST_F(AdminHttpTest, AdminAccessDisabled) {
  SetPasswords();
  ASSERT_TRUE(actions_.Set({{"Enable_Web_Admin_Access", "No"}}).ok());
  StartServer();
  auto a = Fetch(port_, Get("/admin/resync&xuser=admin&xpassword=adm1n"));
  EXPECT_EQ(a.status, 403);
  EXPECT_NE(a.body.find("Enable_Web_Admin_Access"), std::string::npos);
  EXPECT_TRUE(actions_.resyncs().empty());
  EXPECT_EQ(Fetch(port_, Get("/admin/status&xuser=user&xpassword=us3r")).status, 200);
  // Without an admin password the admin does not get in by default either.
  ASSERT_TRUE(actions_.Set({{"Admin_Password", ""}, {"User_Password", ""}}).ok());
  a = Fetch(port_, Get("/admin/reboot"));
  EXPECT_EQ(a.status, 403);  // acts as the user account
  EXPECT_EQ(actions_.reboots(), 0);
}

TEST_F(AdminHttpTest, DisabledWebServerStopsListening) {
  agent::AdminServerOptions options;
  options.settings_poll = 20ms;
  StartServer(options);
  ASSERT_EQ(Fetch(port_, Get("/admin/status")).status, 200);
  HttpConnection idle(port_);  // an open keep-alive connection is closed too
  ASSERT_TRUE(idle.connected());
  ASSERT_TRUE(actions_.Set({{"Enable_Web_Server", "No"}}).ok());
  server_->Refresh();
  ASSERT_TRUE(WaitFor([&] { return server_->port() == 0; }));
  EXPECT_EQ(Fetch(port_, Get("/admin/status")).status, 0);  // refused
  EXPECT_TRUE(idle.Closed());
  EXPECT_NE(Log().find("web server disabled"), std::string::npos);
  ASSERT_TRUE(actions_.Set({{"Enable_Web_Server", "Yes"}}).ok());
  ASSERT_TRUE(WaitFor([&] { return server_->port() != 0; }));  // by the settings poll
  EXPECT_EQ(Fetch(server_->port(), Get("/admin/status")).status, 200);
}

TEST_F(AdminHttpTest, FollowsWebServerPort) {
  uint16_t first = cwmp_test::FreeLoopbackPort(SOCK_STREAM);
  ASSERT_NE(first, 0);
  ASSERT_TRUE(actions_.Set({{"Web_Server_Port", std::to_string(first)}}).ok());
  agent::AdminServerOptions options;
  options.bind_address = "127.0.0.1";
  options.settings_poll = 20ms;
  StartServer(options);
  EXPECT_EQ(port_, first);
  uint16_t second = cwmp_test::FreeLoopbackPort(SOCK_STREAM);
  ASSERT_NE(second, 0);
  // A profile POST that moves the port: answered on the old one, then the server moves.
  std::string xml = "<flat-profile><Web_Server_Port>" + std::to_string(second) +
                    "</Web_Server_Port></flat-profile>";
  auto a = Fetch(first, "POST /admin/config.xml HTTP/1.1\r\nHost: p\r\nContent-Length: " +
                            std::to_string(xml.size()) + "\r\n\r\n" + xml);
  ASSERT_EQ(a.status, 200) << a.body;
  ASSERT_TRUE(WaitFor([&] { return server_->port() == second; }));
  EXPECT_EQ(Fetch(second, Get("/admin/status")).status, 200);
  EXPECT_EQ(Fetch(first, Get("/admin/status")).status, 0);
}

TEST_F(AdminHttpTest, BadListenAddressIsAnError) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:99999", ":80", "[::1]80", "host:80"}) {
    agent::AdminServerOptions options;
    options.listen = bad;
    EXPECT_FALSE(agent::AdminServer::Start(options, actions_).ok()) << bad;
  }
}

TEST_F(AdminHttpTest, CallStateExtension) {
  StartServer();
  auto a = Fetch(port_, Get("/admin/call?line=1&state=busy"));
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.body, "Line 1: busy\nLine 2: idle\nLine 3: idle\nLine 4: idle\nAll lines idle: no\n");
  EXPECT_FALSE(actions_.LinesIdle());
  EXPECT_EQ(Fetch(port_, Get("/admin/call")).body.find("Line 1: busy"), 0u);
  EXPECT_EQ(Fetch(port_, Get("/admin/call?line=1&state=idle")).status, 200);
  EXPECT_TRUE(actions_.LinesIdle());
  EXPECT_EQ(Fetch(port_, Get("/admin/call?line=9&state=busy")).status, 400);
  EXPECT_EQ(Fetch(port_, Get("/admin/call?line=1&state=ringing")).status, 400);
  EXPECT_EQ(Fetch(port_, Get("/admin/call?line=x&state=busy")).status, 400);
  EXPECT_EQ(Fetch(port_, Get("/admin/call?line=1")).status, 400);
  EXPECT_EQ(Fetch(port_, Get("/admin/call?foo=1")).status, 400);
}

TEST_F(AdminHttpTest, KeepAlivePipeliningAndRouting) {
  StartServer();
  HttpConnection c(port_);
  ASSERT_TRUE(c.Send(Get("/admin/status") + Get("/admin/call") + Get("/nope")));
  EXPECT_EQ(c.Read().status, 200);
  EXPECT_EQ(c.Read().status, 200);
  EXPECT_EQ(c.Read().status, 404);
  auto a = c.Exchange("DELETE /admin/config.xml HTTP/1.1\r\nHost: p\r\n\r\n");
  EXPECT_EQ(a.status, 405);
  EXPECT_EQ(a.Header("Allow"), "GET, POST");
  EXPECT_EQ(
      c.Exchange("POST /admin/reboot HTTP/1.1\r\nHost: p\r\nContent-Length: 0\r\n\r\n").status,
      405);
  EXPECT_EQ(c.Exchange(Get("/")).status, 200);
  EXPECT_EQ(c.Exchange("GET /admin/status HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n").status,
            200);
  EXPECT_TRUE(c.Closed());
  EXPECT_EQ(actions_.reboots(), 0);
}

TEST_F(AdminHttpTest, MalformedAndOversizedRequests) {
  agent::AdminServerOptions options;
  options.max_body_bytes = 4096;
  StartServer(options);
  struct Case {
    std::string bytes;
    int status;
  };
  const Case cases[] = {
      {"hello\r\n\r\n", 400},
      {"GET /admin/status HTTP/1.1\r\n\r\n", 400},  // no Host
      {"GET /admin/status HTTP/2.0\r\nHost: p\r\n\r\n", 505},
      {"GET /admin/status?xuser=%zz HTTP/1.1\r\nHost: p\r\n\r\n", 400},
      {"GET * HTTP/1.1\r\nHost: p\r\n\r\n", 400},
      {"GET /admin/status HTTP/1.1\r\nHost: p\r\nX: " + std::string(10000, 'a') + "\r\n\r\n", 431},
      {"POST /admin/config.xml HTTP/1.1\r\nHost: p\r\nContent-Length: 5000\r\n\r\n", 413},
      {"POST /admin/config.xml HTTP/1.1\r\nHost: p\r\nTransfer-Encoding: chunked\r\n\r\n"
       "2000\r\n",
       413},
      {"POST /admin/config.xml HTTP/1.1\r\nHost: p\r\nContent-Length: 1\r\n"
       "Transfer-Encoding: chunked\r\n\r\n",
       400},
  };
  for (const auto& c : cases) {
    HttpConnection conn(port_);
    auto a = conn.Exchange(c.bytes);
    EXPECT_EQ(a.status, c.status) << c.bytes.substr(0, 60);
    EXPECT_EQ(a.Header("Connection"), "close");
    EXPECT_TRUE(conn.Closed()) << c.bytes.substr(0, 60);
  }
  // Binary garbage on many connections at once; the server keeps answering.
  std::string garbage;
  for (int i = 0; i < 3000; ++i) garbage += static_cast<char>((i * 7919) & 0xff);
  for (int i = 0; i < 20; ++i) {
    HttpConnection conn(port_);
    conn.Send(garbage.substr(static_cast<size_t>(i) * 100));
  }
  EXPECT_EQ(Fetch(port_, Get("/admin/status")).status, 200);
}

TEST_F(AdminHttpTest, SlowAndIdleClientsAreTimedOut) {
  agent::AdminServerOptions options;
  options.request_timeout = 300ms;
  options.idle_timeout = 300ms;
  StartServer(options);
  HttpConnection slow(port_);
  ASSERT_TRUE(slow.Send("GET /admin/status HTTP/1.1\r\nHo"));
  auto a = slow.Read(3000);
  EXPECT_EQ(a.status, 408);
  EXPECT_TRUE(slow.Closed());
  HttpConnection idle(port_);
  EXPECT_EQ(idle.Exchange(Get("/admin/status")).status, 200);
  EXPECT_TRUE(idle.Closed(3000));  // keep-alive connection without a next request
}

TEST_F(AdminHttpTest, RequestsPerConnectionAreCapped) {
  agent::AdminServerOptions options;
  options.max_requests_per_connection = 3;
  StartServer(options);
  HttpConnection c(port_);
  EXPECT_EQ(c.Exchange(Get("/admin/status")).Header("Connection"), "keep-alive");
  EXPECT_EQ(c.Exchange(Get("/admin/status")).Header("Connection"), "keep-alive");
  auto last = c.Exchange(Get("/admin/status"));
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.Header("Connection"), "close");
  EXPECT_TRUE(c.Closed());
}

TEST_F(AdminHttpTest, ConnectionCap) {
  agent::AdminServerOptions options;
  options.max_connections = 2;
  StartServer(options);
  HttpConnection a(port_), b(port_);
  ASSERT_EQ(a.Exchange(Get("/admin/status")).status, 200);
  ASSERT_EQ(b.Exchange(Get("/admin/status")).status, 200);
  HttpConnection c(port_);
  EXPECT_EQ(c.Read().status, 503);
  EXPECT_TRUE(c.Closed());
  EXPECT_EQ(a.Exchange(Get("/admin/status")).status, 200);
}

}  // namespace
}  // namespace agent_admin_test
