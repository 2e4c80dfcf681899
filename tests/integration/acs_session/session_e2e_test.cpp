// acsd serve end to end with a scripted CPE: the basic session, CWMP 1.4 negotiation,
// reconnects within a session, Digest authentication, discovery, malformed input, metrics.
#include <cstdio>
#include <variant>

#include "acs/connection_request.h"
#include "acs/http_digest.h"
#include "acs/nbi_api.h"
#include "cwmp/base/json.h"
#include "serve_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

namespace soap = cwmp::soap;

using SessionE2eTest = ServeTest;

TEST_F(SessionE2eTest, InformThenEmptyPostEndsWith204AndTheDeviceIsStored) {
  serve::Server& server = StartServer();
  CpeClient cpe(server.cwmp_port());
  HttpReply r = cpe.Post(ReadData("inform_periodic.xml", {{"SERIAL", "S1"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.Header("content-type").find("text/xml"), std::string::npos);
  EXPECT_NE(r.Header("set-cookie").find("acsd_session="), std::string::npos);
  soap::Envelope env = r.Envelope();
  EXPECT_EQ(env.id, "1002");  // the CPE's cwmp:ID echoed
  ASSERT_TRUE(std::holds_alternative<soap::InformResponse>(env.body));
  EXPECT_EQ(std::get<soap::InformResponse>(env.body).max_envelopes, 1u);
  EXPECT_FALSE(env.use_cwmp_version.has_value());

  // The Inform was committed before the answer.
  auto device = server.store().GetDevice(std::string(kDevice) + "S1");
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  EXPECT_EQ(device->device.identity.manufacturer, "Cisco");
  auto informs = server.store().ListInforms(std::string(kDevice) + "S1", 10);
  ASSERT_TRUE(informs.ok());
  ASSERT_EQ(informs->size(), 1u);
  ASSERT_EQ((*informs)[0].events.size(), 1u);
  EXPECT_EQ((*informs)[0].events[0].code, "2 PERIODIC");
  EXPECT_EQ(ParamValue(std::string(kDevice) + "S1", "Device.DeviceInfo.SoftwareVersion"),
            "sip88xx.12-0-1MPP");
  // the lease is held (live leases)
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "1");

  r = cpe.Post("");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  // and released (live leases)
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "0");
  EXPECT_EQ(server.sessions().active_sessions(), 0u);
  EXPECT_EQ(cpe.connections(), 1);  // keep-alive
}

// RequestDownload: recorded as device history (also in GET /devices/{id}/events) and, when a
// file of that FileType is registered for the device's model with a URL, answered with a
// download task that goes out on the CPE's next empty POST.
TEST_F(SessionE2eTest, RequestDownloadIsRecordedAndGetsTheRegisteredFile) {
  serve::Server& server = StartServer();
  const std::string device = std::string(kDevice) + "RD1";
  const auto now = std::chrono::system_clock::now();
  auto file = [](std::string name, std::string type, std::string oui, std::string pc,
                 std::string url) {
    FileInfo f;
    f.name = std::move(name);
    f.file_type = std::move(type);
    f.oui = std::move(oui);
    f.product_class = std::move(pc);
    f.version = "1";
    f.size = 1234;
    f.sha256 = std::string(64, 'a');
    f.url = std::move(url);
    return f;
  };
  const std::string cfg = "3 Vendor Configuration File";
  // The most specific file of the type wins over a generic one; another model's never does.
  ASSERT_TRUE(server.store()
                  .PutFile(file("generic.xml", cfg, "", "", "http://files.example/generic.xml"),
                           now)
                  .ok());
  ASSERT_TRUE(server.store()
                  .PutFile(file("cfg-6861.xml", cfg, "000E08", "CP-6861-3PCC",
                                "http://files.example/cfg-6861.xml"),
                           now)
                  .ok());
  ASSERT_TRUE(server.store()
                  .PutFile(file("cfg-8851.xml", cfg, "000E08", "CP-8851-3PCC",
                                "http://files.example/cfg-8851.xml"),
                           now + std::chrono::seconds(1))
                  .ok());

  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "RD1");
  soap::RequestDownload rd;
  rd.file_type = cfg;
  rd.file_type_args = {{"Version", "2"}};
  HttpReply r = cpe.PostBody(rd);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(std::holds_alternative<soap::RequestDownloadResponse>(r.Envelope().body));
  soap::RequestDownload fw;
  fw.file_type = "1 Firmware Upgrade Image";  // no such file registered: recorded only
  r = cpe.PostBody(fw, "cpe-2");
  EXPECT_TRUE(std::holds_alternative<soap::RequestDownloadResponse>(r.Envelope().body));

  auto requests = server.store().ListCpeRequests(device, 10);
  ASSERT_TRUE(requests.ok()) << requests.status().ToString();
  ASSERT_EQ(requests->size(), 2u);
  EXPECT_EQ((*requests)[0].file_type, "1 Firmware Upgrade Image");
  EXPECT_FALSE((*requests)[0].file_name.has_value());
  EXPECT_FALSE((*requests)[0].task_id.has_value());
  EXPECT_EQ((*requests)[1].method, "RequestDownload");
  EXPECT_EQ((*requests)[1].file_name, "cfg-6861.xml");
  ASSERT_TRUE((*requests)[1].task_id.has_value());
  EXPECT_EQ((*requests)[1].args_json, R"({"Version": "2"})");

  // The queued download goes out on the empty POST.
  r = cpe.Post("");
  ASSERT_EQ(r.status, 200) << r.body;
  soap::Envelope env = r.Envelope();
  const auto* dl = std::get_if<soap::Download>(&env.body);
  ASSERT_NE(dl, nullptr) << soap::MethodName(env.body);
  EXPECT_EQ(dl->url, "http://files.example/cfg-6861.xml");
  EXPECT_EQ(dl->file_type, cfg);
  EXPECT_EQ(dl->file_size, 1234u);
  EXPECT_EQ(dl->target_file_name, "cfg-6861.xml");
  soap::DownloadResponse accepted;
  accepted.status = 1;  // will be done later; TransferComplete follows
  EXPECT_EQ(cpe.PostBody(accepted, env.id).status, 204);
  EXPECT_EQ(GetTask(*(*requests)[1].task_id).name, "download");

  // The REST API shows both requests among the device's events, newest first.
  ASSERT_TRUE(
      server.store().AddApiToken(cwmp::Secret("acs_rd-test-token"), ApiScope::kRead, "t").ok());
  StoreConnectionRequester requester(server.store(), ConnectionRequestOptions{});
  nbi::Api api(server.store(), requester, nbi::ApiOptions{});
  http::Request get;
  get.method = "GET";
  get.target = "/devices/" + device + "/events";
  get.headers.push_back({"Authorization", "Bearer acs_rd-test-token"});
  http::Response events = api.Handle(get, http::ConnectionInfo{});
  ASSERT_EQ(events.status, 200) << events.body;
  auto list = cwmp::json::Parse(events.body);
  ASSERT_TRUE(list.ok()) << events.body;
  ASSERT_EQ(list->as_array().size(), 3u) << events.body;  // 2 requests, 1 Inform
  const auto& newest = list->as_array()[0];
  EXPECT_EQ(newest.Find("method")->as_string(), "RequestDownload") << events.body;
  EXPECT_EQ(list->as_array()[1].Find("file")->as_string(), "cfg-6861.xml") << events.body;
  EXPECT_EQ(list->as_array()[1].Find("taskId")->as_int(), *(*requests)[1].task_id);
  EXPECT_EQ(list->as_array()[2].Find("method")->as_string(), "Inform") << events.body;
}

TEST_F(SessionE2eTest, ChunkedBodiesAreAccepted) {
  serve::Server& server = StartServer();
  CpeClient cpe(server.cwmp_port());
  std::string inform = ReadData("inform_periodic.xml", {{"SERIAL", "CH"}});
  std::string chunked;
  for (size_t off = 0; off < inform.size(); off += 500) {
    std::string part = inform.substr(off, 500);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", part.size());
    chunked += std::string(size) + "\r\n" + part + "\r\n";
  }
  chunked += "0\r\n\r\n";
  HttpReply r = cpe.SendRaw(
      "POST /cwmp HTTP/1.1\r\nHost: acs\r\nContent-Type: text/xml\r\n"
      "Transfer-Encoding: chunked\r\nSOAPAction: \"\"\r\n\r\n" +
      chunked);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(std::holds_alternative<soap::InformResponse>(r.Envelope().body));
  EXPECT_EQ(cpe.Post("").status, 204);
}

TEST_F(SessionE2eTest, Cwmp14CpeGetsUseCwmpVersion) {
  serve::Server& server = StartServer();
  CpeClient cpe(server.cwmp_port());
  HttpReply r = cpe.Post(ReadData("inform_cwmp14.xml", {{"SERIAL", "S14"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  soap::Envelope env = r.Envelope();
  EXPECT_EQ(env.use_cwmp_version, "1.4");
  EXPECT_EQ(cpe.Post("").status, 204);
}

TEST_F(SessionE2eTest, ReconnectWithinASessionKeepsItByCookie) {
  serve::Server& server = StartServer();
  const std::string device = std::string(kDevice) + "R1";
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "R1");
  int64_t task = Enqueue(device, R"({"name":"reboot","commandKey":"rk"})");
  cpe.Disconnect();  // a new TCP connection for every message, as some CPEs do
  HttpReply r = cpe.Post("");
  ASSERT_EQ(r.status, 200) << r.body;
  soap::Envelope env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::Reboot>(env.body));
  EXPECT_EQ(std::get<soap::Reboot>(env.body).command_key, "rk");
  cpe.Disconnect();
  r = cpe.PostBody(soap::RebootResponse{}, env.id);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(cpe.connections(), 3);
  EXPECT_EQ(GetTask(task).status, TaskStatus::kDone);
}

TEST_F(SessionE2eTest, CpeWithoutCookiesKeepsTheSessionOnItsConnection) {
  serve::Server& server = StartServer();
  const std::string device = std::string(kDevice) + "NC";
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "NC");
  int64_t task = Enqueue(device, R"({"name":"factoryReset"})");
  cpe.ForgetCookie();
  HttpReply r = cpe.Post("");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(std::holds_alternative<soap::FactoryReset>(r.Envelope().body));
  cpe.ForgetCookie();
  EXPECT_EQ(cpe.PostBody(soap::FactoryResetResponse{}).status, 204);
  EXPECT_EQ(GetTask(task).status, TaskStatus::kDone);
}

// Parses `Digest realm="r", qop="auth", algorithm=MD5, nonce="n"`.
std::map<std::string, std::string> ParseChallenge(const std::string& c) {
  std::map<std::string, std::string> out;
  size_t p = c.find(' ');
  while (p != std::string::npos && p < c.size()) {
    size_t b = c.find_first_not_of(" ,", p);
    if (b == std::string::npos) break;
    size_t eq = c.find('=', b);
    if (eq == std::string::npos) break;
    std::string key = c.substr(b, eq - b);
    std::string value;
    if (c[eq + 1] == '"') {
      size_t end = c.find('"', eq + 2);
      value = c.substr(eq + 2, end - eq - 2);
      p = end + 1;
    } else {
      size_t end = c.find(',', eq);
      value = c.substr(eq + 1, end == std::string::npos ? std::string::npos : end - eq - 1);
      p = end;
    }
    out[key] = value;
  }
  return out;
}

std::string DigestHeader(const std::string& challenges, const std::string& user,
                         const std::string& password) {
  // Answer the MD5 challenge, as most CPEs do.
  std::string md5;
  size_t start = 0;
  while (start < challenges.size()) {
    size_t end = challenges.find('\n', start);
    std::string c = challenges.substr(start, end - start);
    if (c.find("algorithm=MD5") != std::string::npos) md5 = c;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  EXPECT_FALSE(md5.empty()) << challenges;
  auto ch = ParseChallenge(md5);
  http::DigestCredentials cr;
  cr.username = user;
  cr.realm = ch["realm"];
  cr.nonce = ch["nonce"];
  cr.uri = "/";
  cr.qop = "auth";
  cr.nc = "00000001";
  cr.cnonce = "0a4f113b";
  cr.algorithm = http::DigestAlgorithm::kMd5;
  cr.response = http::ComputeDigestResponse(cr, "POST", cwmp::Secret(password));
  return "Digest username=\"" + user + "\", realm=\"" + cr.realm + "\", nonce=\"" + cr.nonce +
         "\", uri=\"/\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"" +
         cr.response + "\"";
}

TEST_F(SessionE2eTest, DigestChallengeThenSuccessOnANewConnection) {
  config::ServeConfig c = Config();
  c.cpe_auth = cwmp_endpoint::AuthMode::kDigest;
  c.cpe_username = "cpe";
  c.cpe_password = cwmp::Secret("s3cret");
  c.max_auth_failures = 3;
  serve::Server& server = StartServer(c);
  CpeClient cpe(server.cwmp_port());
  const std::string inform = ReadData("inform_periodic.xml", {{"SERIAL", "D1"}});
  HttpReply r = cpe.Post(inform);
  ASSERT_EQ(r.status, 401);
  std::string challenges = r.Header("www-authenticate");
  EXPECT_NE(challenges.find("algorithm=SHA-256"), std::string::npos);
  EXPECT_NE(challenges.find("algorithm=MD5"), std::string::npos);
  EXPECT_EQ(Scalar("SELECT count(*) FROM devices"), "0");  // nothing stored unauthenticated

  cpe.Disconnect();  // real CPEs reconnect after the 401: the nonce must still be good
  r = cpe.Post(inform, DigestHeader(challenges, "cpe", "s3cret"));
  ASSERT_EQ(r.status, 200) << r.body;
  // Later requests of the session ride on its cookie.
  EXPECT_EQ(cpe.Post("").status, 204);
  EXPECT_EQ(server.metrics().Value(metrics::kAuthFailures, {{"reason", "bad-credentials"}}), 0);

  // Wrong password: 401 each time, then rate limited.
  CpeClient bad(server.cwmp_port());
  for (int i = 0; i < 3; ++i) {
    r = bad.Post(inform, DigestHeader(challenges, "cpe", "wrong"));
    EXPECT_EQ(r.status, 401);
  }
  r = bad.Post(inform, DigestHeader(challenges, "cpe", "s3cret"));
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.Header("retry-after").empty());
  EXPECT_EQ(server.metrics().Value(metrics::kAuthFailures, {{"reason", "bad-credentials"}}), 3);
}

TEST_F(SessionE2eTest, PerDeviceCredentialsBindTheSessionToTheirDevice) {
  config::ServeConfig c = Config();
  c.cpe_auth = cwmp_endpoint::AuthMode::kDigest;
  serve::Server& server = StartServer(c);
  ASSERT_TRUE(
      server.session_store()
          .SetDeviceCredentials({std::string(kDevice) + "P1", "p1-user", cwmp::Secret("p1-pass")})
          .ok());
  CpeClient cpe(server.cwmp_port());
  HttpReply r = cpe.Post(ReadData("inform_periodic.xml", {{"SERIAL", "P1"}}));
  ASSERT_EQ(r.status, 401);
  std::string challenges = r.Header("www-authenticate");
  // Without a default password, only the device's own credentials work...
  r = cpe.Post(ReadData("inform_periodic.xml", {{"SERIAL", "P1"}}),
               DigestHeader(challenges, "p1-user", "p1-pass"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(cpe.Post("").status, 204);
  // ...and only for that device.
  CpeClient other(server.cwmp_port());
  r = other.Post(ReadData("inform_periodic.xml", {{"SERIAL", "P2"}}),
                 DigestHeader(challenges, "p1-user", "p1-pass"));
  EXPECT_EQ(r.status, 403);
}

// With default credentials for any username, a CPE using the default password is accepted
// without a credentials lookup; the Inform's transaction checks that its username has no
// per-device credentials (migration 204). When it has, those decide, as if looked up first:
// the default password is refused and nothing is stored; the device's own password works.
// A message other than an Inform is checked before it is handled.
TEST_F(SessionE2eTest, PerDeviceCredentialsTakePrecedenceOverTheDefaultOnes) {
  config::ServeConfig c = Config();
  c.cpe_auth = cwmp_endpoint::AuthMode::kDigest;
  c.cpe_username = "";  // the default password for any username
  c.cpe_password = cwmp::Secret("s3cret");
  serve::Server& server = StartServer(c);
  ASSERT_TRUE(
      server.session_store()
          .SetDeviceCredentials({std::string(kDevice) + "P3", "p3-user", cwmp::Secret("p3-pass")})
          .ok());
  CpeClient cpe(server.cwmp_port());
  const std::string inform = ReadData("inform_periodic.xml", {{"SERIAL", "P3"}});
  HttpReply r = cpe.Post(inform);
  ASSERT_EQ(r.status, 401);
  const std::string challenges = r.Header("www-authenticate");

  r = cpe.Post(inform, DigestHeader(challenges, "p3-user", "s3cret"));
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(r.Header("www-authenticate").empty());
  EXPECT_EQ(Scalar("SELECT count(*) FROM devices"), "0");
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "0");
  EXPECT_EQ(server.metrics().Value(metrics::kAuthFailures, {{"reason", "bad-credentials"}}), 1);

  CpeClient other(server.cwmp_port());
  r = other.Post("", DigestHeader(challenges, "p3-user", "s3cret"));  // not an Inform
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(server.metrics().Value(metrics::kAuthFailures, {{"reason", "bad-credentials"}}), 2);

  CpeClient own(server.cwmp_port());
  r = own.Post(inform, DigestHeader(challenges, "p3-user", "p3-pass"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(own.Post("").status, 204);
  // Bound to its device, as when the credentials are looked up first.
  CpeClient wrong_device(server.cwmp_port());
  r = wrong_device.Post(ReadData("inform_periodic.xml", {{"SERIAL", "P4"}}),
                        DigestHeader(challenges, "p3-user", "p3-pass"));
  EXPECT_EQ(r.status, 403);

  // Any other username still gets in with the default password, and is stored.
  CpeClient plain(server.cwmp_port());
  r = plain.Post(ReadData("inform_periodic.xml", {{"SERIAL", "P5"}}),
                 DigestHeader(challenges, "anyone", "s3cret"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(plain.Post("").status, 204);
  EXPECT_EQ(Scalar("SELECT string_agg(serial_number, ',' ORDER BY id) FROM devices"), "P3,P5");
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "0");
}

TEST_F(SessionE2eTest, BootstrapDiscoveryReadsTheDataModelInBatches) {
  config::ServeConfig c = Config();
  c.discovery = true;
  c.discovery_batch = 3;
  serve::Server& server = StartServer(c);
  const std::string device = std::string(kDevice) + "B1";
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "B1", "inform_bootstrap.xml");
  HttpReply r = cpe.Post("");
  ASSERT_EQ(r.status, 200) << r.body;
  soap::Envelope env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::GetParameterNames>(env.body));
  EXPECT_EQ(std::get<soap::GetParameterNames>(env.body).parameter_path, "Device.");
  EXPECT_FALSE(std::get<soap::GetParameterNames>(env.body).next_level);

  r = cpe.Post(ReadData("gpn_response_device.xml", {{"ID", env.id}}));
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> asked;
  for (int batch = 0; batch < 2; ++batch) {
    env = r.Envelope();
    ASSERT_TRUE(std::holds_alternative<soap::GetParameterValues>(env.body))
        << soap::MethodName(env.body);
    soap::GetParameterValuesResponse values;
    for (const auto& n : std::get<soap::GetParameterValues>(env.body).names) {
      asked.push_back(n);
      values.parameters.push_back({n, "v:" + n, "xsd:string"});
    }
    r = cpe.PostBody(values, env.id);
  }
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(asked.size(), 4u);  // 4 leaves in batches of 3 and 1
  EXPECT_EQ(ParamValue(device, "Device.DeviceInfo.UpTime"), "v:Device.DeviceInfo.UpTime");
  EXPECT_EQ(Scalar("SELECT writable FROM parameters WHERE name = "
                   "'Device.ManagementServer.PeriodicInformInterval'"),
            "t");

  // The next periodic Inform of the known device does not discover again.
  Inform(cpe, "B1");
  EXPECT_EQ(cpe.Post("").status, 204);
}

TEST_F(SessionE2eTest, DiscoveryFallsBackWhenTheCpeRejectsThePath) {
  config::ServeConfig c = Config();
  c.discovery = true;
  serve::Server& server = StartServer(c);
  const std::string device = std::string(kDevice) + "F1";
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "F1", "inform_bootstrap.xml");
  std::vector<std::string> paths;
  HttpReply r = cpe.Post("");
  for (int i = 0; i < 2; ++i) {
    soap::Envelope env = r.Envelope();
    ASSERT_TRUE(std::holds_alternative<soap::GetParameterNames>(env.body));
    paths.push_back(std::get<soap::GetParameterNames>(env.body).parameter_path);
    r = cpe.Post(ReadData("fault_9005.xml", {{"ID", env.id}}));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  soap::Envelope env = r.Envelope();
  ASSERT_TRUE(std::holds_alternative<soap::GetParameterNames>(env.body));
  paths.push_back(std::get<soap::GetParameterNames>(env.body).parameter_path);
  EXPECT_EQ(paths, (std::vector<std::string>{"Device.", "InternetGatewayDevice.", ""}));
  // The CPE rejects the whole tree too: discovery gives up and records why.
  r = cpe.Post(ReadData("fault_9005.xml", {{"ID", env.id}}));
  EXPECT_EQ(r.status, 204);
  auto faults = server.store().ListFaults(device);
  ASSERT_TRUE(faults.ok());
  ASSERT_EQ(faults->size(), 1u);
  EXPECT_EQ((*faults)[0].code, 9005);
  EXPECT_FALSE((*faults)[0].task_id.has_value());
}

TEST_F(SessionE2eTest, MalformedInputIs4xxAndTheServerKeepsServing) {
  serve::Server& server = StartServer();
  CpeClient cpe(server.cwmp_port());
  for (const char* file : {"malformed_truncated.xml", "malformed_entity.xml"}) {
    HttpReply r = cpe.Post(ReadData(file));
    EXPECT_EQ(r.status, 400) << file << ": " << r.body;
  }
  EXPECT_EQ(cpe.Post("<not-xml").status, 400);
  EXPECT_EQ(cpe.Post(std::string(1000, '\xff')).status, 400);
  // A SOAPAction naming another method than the body.
  EXPECT_EQ(cpe.Post(ReadData("inform_periodic.xml", {{"SERIAL", "M1"}}), "", "\"Reboot\"").status,
            400);
  // A response with no session, and GET.
  EXPECT_EQ(cpe.PostBody(soap::RebootResponse{}).status, 400);
  EXPECT_EQ(cpe.Request("GET", "/", "").status, 405);
  // Over the body limit.
  config::ServeConfig c = Config();
  c.max_body_bytes = 2048;
  serve::Server& small = StartServer(c);
  CpeClient cpe2(small.cwmp_port());
  HttpReply big = cpe2.Post(std::string(4096, ' '));
  EXPECT_EQ(big.status, 413);
  // Still serving.
  CpeClient again(server.cwmp_port());
  Inform(again, "M1");
  EXPECT_EQ(again.Post("").status, 204);
}

TEST_F(SessionE2eTest, AResponseInTheCpeTurnIsAProtocolError) {
  serve::Server& server = StartServer();
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "PE");
  EXPECT_EQ(cpe.PostBody(soap::GetParameterValuesResponse{}).status, 400);
  EXPECT_EQ(server.sessions().active_sessions(), 0u);
  EXPECT_EQ(Scalar("SELECT count(*) FROM cwmp_sessions WHERE session_id <> ''"), "0");
}

TEST_F(SessionE2eTest, CpeRequestsAreAnswered) {
  serve::Server& server = StartServer();
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "Q1");
  HttpReply r = cpe.PostBody(soap::GetRPCMethods{}, "g1");
  ASSERT_EQ(r.status, 200);
  soap::Envelope env = r.Envelope();
  EXPECT_EQ(env.id, "g1");
  ASSERT_TRUE(std::holds_alternative<soap::GetRPCMethodsResponse>(env.body));
  auto methods = std::get<soap::GetRPCMethodsResponse>(env.body).methods;
  EXPECT_NE(std::find(methods.begin(), methods.end(), "TransferComplete"), methods.end());
  soap::Kicked kicked;
  kicked.command = "reset";
  kicked.next = "http://portal.example/next";
  r = cpe.PostBody(kicked);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(std::get<soap::KickedResponse>(r.Envelope().body).next_url,
            "http://portal.example/next");
  soap::RequestDownload rd;
  rd.file_type = "3 Vendor Configuration File";
  r = cpe.PostBody(rd);
  EXPECT_TRUE(std::holds_alternative<soap::RequestDownloadResponse>(r.Envelope().body));
  soap::AutonomousTransferComplete atc;
  atc.transfer_url = "http://files.example/fw.bin";
  atc.file_type = "1 Firmware Upgrade Image";
  atc.fault = {9010, "download failed"};
  r = cpe.PostBody(atc);
  EXPECT_TRUE(std::holds_alternative<soap::AutonomousTransferCompleteResponse>(r.Envelope().body));
  auto faults = server.store().ListFaults(std::string(kDevice) + "Q1");
  ASSERT_TRUE(faults.ok());
  ASSERT_EQ(faults->size(), 1u);
  EXPECT_EQ((*faults)[0].code, 9010);
  EXPECT_EQ(cpe.Post("").status, 204);
}

TEST_F(SessionE2eTest, MetricsOnTheNbiListenerAndNotFoundElsewhere) {
  serve::Server& server = StartServer();
  CpeClient cpe(server.cwmp_port());
  Inform(cpe, "X1");
  EXPECT_EQ(cpe.Post("").status, 204);
  CpeClient nbi(server.nbi_port());
  HttpReply m = nbi.Request("GET", "/metrics", "");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.Header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(m.body.find("acsd_cwmp_informs_total{event=\"2 PERIODIC\"} 1"), std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("acsd_cwmp_sessions_started_total 1"), std::string::npos);
  EXPECT_NE(m.body.find("acsd_cwmp_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m.body.find("acsd_cwmp_sessions_active 0"), std::string::npos);
  HttpReply other = nbi.Request("GET", "/devices", "");
  EXPECT_EQ(other.status, 404);
  EXPECT_TRUE(cwmp::json::Parse(other.body).ok()) << other.body;
}

}  // namespace
}  // namespace acs::testing
