// The session engine without HTTP, on a real database and an injected clock: idle sessions
// expire and release their leases; a late request of an expired session is refused.
#include <map>
#include <variant>

#include "acs/session.h"
#include "serve_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

namespace soap = cwmp::soap;

class SessionEngineTest : public ServeTest {
 protected:
  void SetUp() override {
    ServeTest::SetUp();
    StoreOptions so;
    so.database_url = pg_->UrlFor(db_);
    auto store = OpenPostgresStore(so);
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate().ok());
    auto ss = OpenPostgresSessionStore(so);
    ASSERT_TRUE(ss.ok());
    sessions_ = std::move(*ss);
    session::SessionOptions o;
    o.session_timeout = std::chrono::seconds(60);
    o.discovery = false;
    manager_ = std::make_unique<session::SessionManager>(
        *store_, *sessions_, o, [this] { return now_; }, metrics_, *logger_);
  }

  session::Reply Send(const std::string& cookie, const std::optional<std::string>& xml) {
    session::RequestContext c;
    c.cookie_session = cookie;
    if (!xml) return manager_->Handle(c, std::nullopt);
    auto d = soap::Decode(*xml);
    EXPECT_TRUE(d.ok());
    return manager_->Handle(c, *d);
  }

  TimePoint now_ = std::chrono::system_clock::now();
  metrics::Registry metrics_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SessionStore> sessions_;
  std::unique_ptr<session::SessionManager> manager_;
};

TEST_F(SessionEngineTest, IdleSessionsExpireAndReleaseTheirLease) {
  session::Reply r = Send("", ReadData("inform_periodic.xml", {{"SERIAL", "TO"}}));
  ASSERT_EQ(r.http_status, 200);
  std::string cookie = r.set_cookie;
  EXPECT_EQ(cookie.rfind(manager_->owner() + ".", 0), 0u);
  EXPECT_TRUE(manager_->HasSession(cookie, 0));
  now_ += std::chrono::seconds(59);
  EXPECT_EQ(manager_->ExpireIdle(), 0);
  now_ += std::chrono::seconds(2);
  EXPECT_EQ(manager_->ExpireIdle(), 1);
  EXPECT_FALSE(manager_->HasSession(cookie, 0));
  EXPECT_EQ(manager_->active_sessions(), 0u);
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "0");
  EXPECT_EQ(metrics_.Value(metrics::kSessionsEnded, {{"reason", "timeout"}}), 1);
  // The CPE's late messages: an empty POST just ends, a response is an error.
  EXPECT_EQ(Send(cookie, std::nullopt).http_status, 204);
  cwmp::soap::Envelope env;
  env.body = soap::RebootResponse{};
  EXPECT_EQ(Send(cookie, *soap::Encode(env, soap::CwmpVersion::k1_2)).http_status, 400);
}

TEST_F(SessionEngineTest, ActivityKeepsTheSessionAndRenewsTheLease) {
  session::Reply r = Send("", ReadData("inform_periodic.xml", {{"SERIAL", "KA"}}));
  ASSERT_EQ(r.http_status, 200);
  std::string cookie = r.set_cookie;
  now_ += std::chrono::seconds(50);
  cwmp::soap::Envelope env;
  env.id = "x";
  env.body = soap::GetRPCMethods{};
  EXPECT_EQ(Send(cookie, *soap::Encode(env, soap::CwmpVersion::k1_2)).http_status, 200);
  now_ += std::chrono::seconds(50);
  EXPECT_EQ(manager_->ExpireIdle(), 0);  // 50 s idle only
  EXPECT_EQ(Scalar("SELECT expires_at > now() + interval '30 seconds' FROM cwmp_sessions"), "t");
  EXPECT_EQ(Send(cookie, std::nullopt).http_status, 204);
}

// The Inform is stored by acs_start_session in one statement: a repeated, unchanged value is
// not rewritten (its updated_at stays), a changed one is, and the device's last Inform moves.
TEST_F(SessionEngineTest, AnInformRewritesOnlyChangedValues) {
  session::Reply r = Send("", ReadData("inform_periodic.xml", {{"SERIAL", "UV"}}));
  ASSERT_EQ(r.http_status, 200);
  ASSERT_EQ(Send(r.set_cookie, std::nullopt).http_status, 204);
  const std::string first = Scalar(
      "SELECT updated_at FROM parameters WHERE name = 'Device.DeviceInfo.SoftwareVersion'");
  now_ += std::chrono::seconds(300);
  std::string xml = ReadData("inform_periodic.xml", {{"SERIAL", "UV"}});
  const std::string old_url = "http://192.0.2.10:7547/cr/abc";
  xml.replace(xml.find(old_url), old_url.size(), "http://192.0.2.99:7547/cr/abc");
  r = Send("", xml);
  ASSERT_EQ(r.http_status, 200);
  ASSERT_EQ(Send(r.set_cookie, std::nullopt).http_status, 204);
  EXPECT_EQ(Scalar("SELECT updated_at FROM parameters WHERE name = "
                   "'Device.DeviceInfo.SoftwareVersion'"),
            first);
  EXPECT_EQ(Scalar("SELECT value FROM parameters WHERE name = "
                   "'Device.ManagementServer.ConnectionRequestURL'"),
            "http://192.0.2.99:7547/cr/abc");
  EXPECT_EQ(Scalar("SELECT (SELECT updated_at FROM parameters WHERE name = "
                   "'Device.ManagementServer.ConnectionRequestURL') - '" + first +
                   "'::timestamptz = interval '300 seconds'"),
            "t");
  EXPECT_EQ(Scalar("SELECT count(*) FROM parameters"), "4");
  EXPECT_EQ(Scalar("SELECT count(*) FROM informs"), "2");
  EXPECT_EQ(Scalar("SELECT last_inform_at - created_at = interval '300 seconds' FROM devices"),
            "t");
}

// Migration 204 looks every reported name up once: a name never reported before is inserted,
// a value whose type alone changed is rewritten, unchanged ones keep their row and time, and
// the Inform's history (informs + inform_events) is complete. The store reads back what the
// REST API's GET /devices/{id} shows.
TEST_F(SessionEngineTest, AnInformAddsNewNamesAndRewritesTypeChanges) {
  session::Reply r = Send("", ReadData("inform_periodic.xml", {{"SERIAL", "NN"}}));
  ASSERT_EQ(r.http_status, 200);
  ASSERT_EQ(Send(r.set_cookie, std::nullopt).http_status, 204);
  const TimePoint first = now_;
  now_ += std::chrono::seconds(60);
  std::string xml = ReadData("inform_periodic.xml", {{"SERIAL", "NN"}});
  const std::string old_key =
      "<Name>Device.ManagementServer.ParameterKey</Name><Value xsi:type=\"xsd:string\"></Value>";
  ASSERT_NE(xml.find(old_key), std::string::npos);
  xml.replace(xml.find(old_key), old_key.size(),
              "<Name>Device.ManagementServer.ParameterKey</Name><Value "
              "xsi:type=\"xsd:base64\"></Value></ParameterValueStruct>"
              "<ParameterValueStruct><Name>Device.DeviceInfo.UpTime</Name><Value "
              "xsi:type=\"xsd:unsignedInt\">4242</Value>");
  xml.replace(xml.find("ParameterValueStruct[4]"), 23, "ParameterValueStruct[5]");
  r = Send("", xml);
  ASSERT_EQ(r.http_status, 200);
  ASSERT_EQ(Send(r.set_cookie, std::nullopt).http_status, 204);
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "0");

  auto device = store_->GetDevice("000E08-CP-6861-3PCC-NN");
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  std::map<std::string, const Parameter*> by_name;
  for (const auto& p : device->parameters) by_name[p.name] = &p;
  ASSERT_EQ(by_name.size(), 5u);
  const Parameter* uptime = by_name["Device.DeviceInfo.UpTime"];
  ASSERT_NE(uptime, nullptr);
  EXPECT_EQ(uptime->value, "4242");
  EXPECT_EQ(uptime->type, "xsd:unsignedInt");
  EXPECT_EQ(uptime->updated_at, std::chrono::floor<std::chrono::microseconds>(now_));
  const Parameter* key = by_name["Device.ManagementServer.ParameterKey"];
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->value, "");
  EXPECT_EQ(key->type, "xsd:base64");
  EXPECT_EQ(key->updated_at, std::chrono::floor<std::chrono::microseconds>(now_));
  const Parameter* version = by_name["Device.DeviceInfo.SoftwareVersion"];
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->value, "sip88xx.12-0-1MPP");
  EXPECT_EQ(version->updated_at, std::chrono::floor<std::chrono::microseconds>(first));
  EXPECT_EQ(Scalar("SELECT count(*) FROM informs"), "2");
  EXPECT_EQ(Scalar("SELECT string_agg(e.code, ',' ORDER BY i.received_at) FROM informs i"
                   " JOIN inform_events e ON e.inform_id = i.id"),
            "2 PERIODIC,2 PERIODIC");
}

TEST_F(SessionEngineTest, ANewInformOfTheSameDeviceReplacesItsSession) {
  session::Reply first = Send("", ReadData("inform_periodic.xml", {{"SERIAL", "RE"}}));
  ASSERT_EQ(first.http_status, 200);
  session::Reply second = Send("", ReadData("inform_periodic.xml", {{"SERIAL", "RE"}}));
  ASSERT_EQ(second.http_status, 200);
  EXPECT_NE(first.set_cookie, second.set_cookie);
  EXPECT_FALSE(manager_->HasSession(first.set_cookie, 0));
  EXPECT_EQ(manager_->active_sessions(), 1u);
  EXPECT_EQ(Send(second.set_cookie, std::nullopt).http_status, 204);
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "0");
}

}  // namespace
}  // namespace acs::testing
