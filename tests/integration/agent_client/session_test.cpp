// The session engine against a scripted ACS on 127.0.0.1: every test asserts what crossed the
// wire (headers and envelopes) and what the delegate was asked.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <map>

#include "acs_script.h"
#include "agent/cwmp_client.h"
#include "agent/http_client.h"
#include "agent/network_worker.h"
#include "scripted_http_server.h"
#include "test_delegate.h"

namespace agent_test {
namespace {

using namespace std::chrono_literals;
using agent::SessionOutcome;
using cwmp::soap::CwmpVersion;

struct WireRun {
  SessionOutcome outcome;
  std::vector<RecordedRequest> wire;
};

WireRun RunOne(ScriptedHttpServer& acs, RecordingDelegate& device,
               agent::HttpClientOptions http = {}, CwmpVersion max = CwmpVersion::k1_4,
               uint32_t retry_count = 0) {
  agent::SessionOptions options;
  options.acs_url = acs.Url();
  options.max_version = max;
  options.session_timeout = 5s;
  auto client = agent::MakeAcsHttpClient(std::move(http));
  auto session = client->StartSession();
  EXPECT_TRUE(session.ok());
  WireRun run;
  run.outcome = agent::RunSession(**session, device, options, retry_count, {});
  run.wire = acs.requests();
  return run;
}

bool IsEmptyPost(const RecordedRequest& r) {
  return r.method == "POST" && r.body.empty() && r.Header("Content-Length") == "0" &&
         !r.Header("SOAPAction") && !r.Header("Content-Type");
}

cwmp::soap::Envelope DecodeOrDie(const RecordedRequest& r) {
  auto d = cwmp::soap::Decode(r.body);
  EXPECT_TRUE(d.ok()) << d.status().ToString() << "\n" << r.body;
  return d.ok() ? d->envelope : cwmp::soap::Envelope{};
}

TEST(Session, FullSessionInformEmptyPostGetParameterValues) {
  ScriptedHttpServer acs(Script({
      InformResponseStep(),
      Reply(Soap(AcsEnvelope(kNs12, "ACS-7", "", GpvBody()))),
      NoContent(),
  }));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  ASSERT_EQ(run.wire.size(), 3u);

  const RecordedRequest& inform = run.wire[0];
  EXPECT_EQ(inform.method, "POST");
  EXPECT_EQ(inform.target, "/acs");
  EXPECT_EQ(inform.Header("Content-Type"), "text/xml; charset=\"utf-8\"");
  EXPECT_EQ(inform.Header("SOAPAction"), "\"urn:dslforum-org:cwmp-1-2#Inform\"");
  EXPECT_FALSE(inform.Header("Expect"));
  EXPECT_NE(inform.body.find("urn:dslforum-org:cwmp-1-2"), std::string::npos);
  cwmp::soap::Envelope sent = DecodeOrDie(inform);
  EXPECT_FALSE(sent.id.empty());
  EXPECT_EQ(sent.supported_cwmp_versions, "1.0,1.1,1.2,1.3,1.4");
  ASSERT_TRUE(std::holds_alternative<cwmp::soap::Inform>(sent.body));
  const auto& i = std::get<cwmp::soap::Inform>(sent.body);
  EXPECT_EQ(i.device_id.serial_number, "FCH1234ABCD");
  ASSERT_EQ(i.events.size(), 1u);
  EXPECT_EQ(i.events[0].event_code, "1 BOOT");
  EXPECT_EQ(i.retry_count, 0u);

  EXPECT_TRUE(IsEmptyPost(run.wire[1])) << run.wire[1].raw_head;

  const RecordedRequest& gpvr = run.wire[2];
  EXPECT_EQ(gpvr.Header("SOAPAction"), "");  // present, no value
  EXPECT_NE(gpvr.raw_head.find("\r\nSOAPAction:\r\n"), std::string::npos) << gpvr.raw_head;
  EXPECT_EQ(gpvr.Header("Content-Type"), "text/xml; charset=\"utf-8\"");
  cwmp::soap::Envelope answer = DecodeOrDie(gpvr);
  EXPECT_EQ(answer.id, "ACS-7");  // cwmp:ID echoed
  ASSERT_TRUE(std::holds_alternative<cwmp::soap::GetParameterValuesResponse>(answer.body));
  EXPECT_EQ(std::get<cwmp::soap::GetParameterValuesResponse>(answer.body).parameters.at(0).value,
            "sip6800.12-0-1");
  EXPECT_NE(gpvr.body.find("sip6800.12-0-1"), std::string::npos);

  // Keep-alive: one connection for the whole session.
  EXPECT_EQ(run.wire[0].connection, 1);
  EXPECT_EQ(run.wire[2].connection, 1);
  EXPECT_EQ(device.calls, (std::vector<std::string>{
                              "BuildInform(0)", "OnInformAccepted", "NextCpeRequest",
                              "HandleAcsRequest(GetParameterValues)", "OnSessionEnd(true)"}));
  EXPECT_EQ(run.outcome.acs_requests, 1u);
}

TEST(Session, NoContentOnFirstEmptyPostEndsSession) {
  ScriptedHttpServer acs(Script({InformResponseStep(), NoContent()}));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  ASSERT_EQ(run.wire.size(), 2u);
  EXPECT_TRUE(IsEmptyPost(run.wire[1]));
  EXPECT_EQ(device.calls.back(), "OnSessionEnd(true)");
  EXPECT_EQ(run.outcome.acs_requests, 0u);
}

TEST(Session, EmptyTwoHundredAlsoEndsSession) {
  ScriptedHttpServer acs(
      Script({InformResponseStep(), Reply(ScriptedResponse{200, {}, "", false})}));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  EXPECT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  EXPECT_EQ(run.wire.size(), 2u);
}

// ---- HTTP Digest ------------------------------------------------------------------------------

std::string Md5Hex(const std::string& s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), md, &len, EVP_md5(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

std::map<std::string, std::string> DigestParams(std::string v) {
  std::map<std::string, std::string> out;
  if (v.rfind("Digest ", 0) != 0) return out;
  v = v.substr(7);
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == ',')) ++i;
    size_t eq = v.find('=', i);
    if (eq == std::string::npos) break;
    std::string key = v.substr(i, eq - i);
    std::string value;
    i = eq + 1;
    if (i < v.size() && v[i] == '"') {
      size_t end = v.find('"', i + 1);
      value = v.substr(i + 1, end - i - 1);
      i = end + 1;
    } else {
      size_t end = v.find(',', i);
      if (end == std::string::npos) end = v.size();
      value = v.substr(i, end - i);
      i = end;
    }
    out[key] = value;
  }
  return out;
}

// 401 with a Digest challenge for every request without a valid Authorization for
// cpe/secret; the others go to `next`.
ScriptedHttpServer::Handler DigestGate(ScriptedHttpServer::Handler next, int* challenges,
                                       std::vector<std::string>* authorizations) {
  return [=](const RecordedRequest& r) {
    auto auth = r.Header("Authorization");
    if (auth) authorizations->push_back(*auth);
    auto p = DigestParams(auth.value_or(""));
    std::string ha1 = Md5Hex("cpe:acs@example:secret");
    std::string ha2 = Md5Hex("POST:" + p["uri"]);
    std::string expect =
        Md5Hex(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2);
    if (!auth || p["username"] != "cpe" || p["response"] != expect) {
      ++*challenges;
      return ScriptedResponse{401,
                              {{"WWW-Authenticate",
                                "Digest realm=\"acs@example\", nonce=\"4f2a9c\", qop=\"auth\", "
                                "algorithm=MD5"}},
                              "",
                              false};
    }
    return next(r);
  };
}

TEST(Session, DigestChallengeThenSuccess) {
  int challenges = 0;
  std::vector<std::string> auths;
  ScriptedHttpServer acs(
      DigestGate(Script({InformResponseStep(), NoContent()}), &challenges, &auths));
  RecordingDelegate device;
  agent::HttpClientOptions http;
  http.username = "cpe";
  http.password = cwmp::Secret("secret");
  WireRun run = RunOne(acs, device, std::move(http));
  ASSERT_FALSE(run.wire.empty());
  // First POST without credentials → 401; curl answers the challenge with Digest.
  EXPECT_FALSE(run.wire[0].Header("Authorization"));
  ASSERT_GE(run.wire.size(), 2u);
  auto auth = run.wire[1].Header("Authorization");
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->rfind("Digest ", 0), 0u) << *auth;
  EXPECT_EQ(DigestParams(*auth)["qop"], "auth");
  EXPECT_EQ(challenges, 1);
  // curl probes a Digest-only server with an empty body; the Inform goes with the credentials.
  EXPECT_NE(run.wire[1].body.find("<cwmp:Inform>"), std::string::npos);
  EXPECT_EQ(device.calls.at(1), "OnInformAccepted");
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  // Later POSTs of the session carry credentials too (curl reuses the challenge).
  EXPECT_TRUE(IsEmptyPost(run.wire.back()));
  EXPECT_TRUE(run.wire.back().Header("Authorization"));
}

TEST(Session, WrongPasswordFailsWithRefusedCredentials) {
  int challenges = 0;
  std::vector<std::string> auths;
  ScriptedHttpServer acs(DigestGate(Script({InformResponseStep()}), &challenges, &auths));
  RecordingDelegate device;
  agent::HttpClientOptions http;
  http.username = "cpe";
  http.password = cwmp::Secret("wrong");
  WireRun run = RunOne(acs, device, std::move(http));
  EXPECT_EQ(run.outcome.status.code(), cwmp::StatusCode::kFailedPrecondition);
  EXPECT_NE(run.outcome.status.message().find("401"), std::string::npos);
  EXPECT_EQ(run.outcome.status.message().find("wrong"), std::string::npos);  // no secret
  EXPECT_EQ(device.calls.back(), "OnSessionEnd(false)");
}

TEST(Session, BasicChallengeIsRefusedOverPlainHttp) {
  ScriptedHttpServer acs(Script({
      Reply(ScriptedResponse{401, {{"WWW-Authenticate", "Basic realm=\"acs\""}}, "", false}),
      Reply(ScriptedResponse{401, {{"WWW-Authenticate", "Basic realm=\"acs\""}}, "", false}),
  }));
  RecordingDelegate device;
  agent::HttpClientOptions http;
  http.username = "cpe";
  http.password = cwmp::Secret("secret");
  WireRun run = RunOne(acs, device, std::move(http));
  EXPECT_FALSE(run.outcome.status.ok());
  for (const auto& r : run.wire) EXPECT_FALSE(r.Header("Authorization")) << r.raw_head;
}

TEST(Session, BasicAllowedOverPlainHttpWhenConfigured) {
  ScriptedHttpServer acs(Script({
      Reply(ScriptedResponse{401, {{"WWW-Authenticate", "Basic realm=\"acs\""}}, "", false}),
      InformResponseStep(),
      NoContent(),
  }));
  RecordingDelegate device;
  agent::HttpClientOptions http;
  http.username = "cpe";
  http.password = cwmp::Secret("secret");
  http.allow_basic_without_tls = true;
  WireRun run = RunOne(acs, device, std::move(http));
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  EXPECT_EQ(run.wire.at(1).Header("Authorization"), "Basic Y3BlOnNlY3JldA==");
}

TEST(Session, RedirectedInformMovesTheRestOfTheSession) {
  ScriptedHttpServer acs(Script({
      [](const RecordedRequest&) {
        return ScriptedResponse{307, {{"Location", "/acs-node-2"}}, "", false};
      },
      InformResponseStep(),
      NoContent(),
  }));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  ASSERT_EQ(run.wire.size(), 3u);
  EXPECT_EQ(run.wire[0].target, "/acs");
  EXPECT_EQ(run.wire[1].target, "/acs-node-2");
  EXPECT_EQ(run.wire[1].method, "POST");
  EXPECT_EQ(run.wire[1].body, run.wire[0].body);  // the Inform itself was re-sent
  EXPECT_EQ(run.wire[2].target, "/acs-node-2");   // the empty POST follows the redirect
  EXPECT_TRUE(IsEmptyPost(run.wire[2]));
}

// ---- cookies, HoldRequests, faults ------------------------------------------------------------

TEST(Session, CookiesAreReturnedOnEveryLaterPost) {
  ScriptedHttpServer acs(Script({
      InformResponseStep(kNs12, "", {{"Set-Cookie", "session=AFFINITY42; Path=/"}}),
      Reply(Soap(AcsEnvelope(kNs12, "ACS-1", "", GpvBody()), {{"Set-Cookie", "node=b; Path=/"}})),
      NoContent(),
  }));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  ASSERT_EQ(run.wire.size(), 3u);
  EXPECT_FALSE(run.wire[0].Header("Cookie"));
  EXPECT_EQ(run.wire[1].Header("Cookie"), "session=AFFINITY42");
  auto cookie = run.wire[2].Header("Cookie").value_or("");
  EXPECT_NE(cookie.find("session=AFFINITY42"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("node=b"), std::string::npos) << cookie;

  // A new session starts without the old session's cookies.
  ScriptedHttpServer acs2(Script({InformResponseStep(), NoContent()}));
  RecordingDelegate device2;
  WireRun run2 = RunOne(acs2, device2);
  EXPECT_FALSE(run2.wire.at(0).Header("Cookie"));
}

cwmp::soap::TransferComplete SampleTransferComplete() {
  cwmp::soap::TransferComplete tc;
  tc.command_key = "fw-2026-11";
  tc.start_time = "2026-11-26T11:58:00Z";
  tc.complete_time = "2026-11-26T11:59:00Z";
  return tc;
}

TEST(Session, CpeRequestsGoBeforeTheEmptyPost) {
  ScriptedHttpServer acs(Script({
      InformResponseStep(),
      [](const RecordedRequest& r) {
        return Soap(AcsEnvelope(kNs12, IdOf(r), "",
                                "<cwmp:TransferCompleteResponse></cwmp:TransferCompleteResponse>"));
      },
      NoContent(),
  }));
  RecordingDelegate device;
  device.cpe_requests.push_back(SampleTransferComplete());
  WireRun run = RunOne(acs, device);
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  ASSERT_EQ(run.wire.size(), 3u);
  EXPECT_EQ(run.wire[1].Header("SOAPAction"), "\"urn:dslforum-org:cwmp-1-2#TransferComplete\"");
  auto env = DecodeOrDie(run.wire[1]);
  ASSERT_TRUE(std::holds_alternative<cwmp::soap::TransferComplete>(env.body));
  EXPECT_EQ(std::get<cwmp::soap::TransferComplete>(env.body).command_key, "fw-2026-11");
  EXPECT_TRUE(IsEmptyPost(run.wire[2]));
  EXPECT_EQ(run.outcome.cpe_requests, 1u);
  EXPECT_NE(std::find(device.calls.begin(), device.calls.end(),
                      "OnCpeRequestAnswered(TransferComplete,TransferCompleteResponse)"),
            device.calls.end());
  EXPECT_TRUE(device.cpe_requests.empty());
}

TEST(Session, HoldRequestsDefersCpeRequests) {
  ScriptedHttpServer acs(Script({
      InformResponseStep(kNs12,
                         "<cwmp:HoldRequests soap-env:mustUnderstand=\"1\">1</cwmp:HoldRequests>"),
      Reply(Soap(AcsEnvelope(kNs12, "ACS-2", "", GpvBody()))),
      NoContent(),
  }));
  RecordingDelegate device;
  device.cpe_requests.push_back(SampleTransferComplete());
  WireRun run = RunOne(acs, device);
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  EXPECT_TRUE(run.outcome.hold_requests);
  ASSERT_EQ(run.wire.size(), 3u);
  EXPECT_TRUE(IsEmptyPost(run.wire[1]));  // no TransferComplete after the InformResponse
  for (const auto& r : run.wire) EXPECT_EQ(r.body.find("TransferComplete"), std::string::npos);
  EXPECT_EQ(std::count(device.calls.begin(), device.calls.end(), "NextCpeRequest"), 0);
  EXPECT_EQ(device.cpe_requests.size(), 1u);  // still pending for the next session
}

TEST(Session, AcsFaultToInformFailsTheSession) {
  ScriptedHttpServer acs(Script({[](const RecordedRequest& r) {
    return ScriptedResponse{
        500,
        {{"Content-Type", "text/xml"}},
        AcsEnvelope(kNs12, IdOf(r), "",
                    "<soap-env:Fault><faultcode>Server</faultcode><faultstring>CWMP fault"
                    "</faultstring><detail><cwmp:Fault><FaultCode>8005</FaultCode><FaultString>"
                    "Retry request</FaultString></cwmp:Fault></detail></soap-env:Fault>"),
        false};
  }}));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  EXPECT_FALSE(run.outcome.status.ok());
  EXPECT_FALSE(run.outcome.inform_accepted);
  EXPECT_EQ(device.calls, (std::vector<std::string>{"BuildInform(0)", "OnSessionEnd(false)"}));
}

TEST(Session, AcsFaultWithStatus200ToInformNamesTheFault) {
  ScriptedHttpServer acs(Script({[](const RecordedRequest& r) {
    return Soap(AcsEnvelope(kNs12, IdOf(r), "",
                            "<soap-env:Fault><faultcode>Server</faultcode><faultstring>CWMP fault"
                            "</faultstring><detail><cwmp:Fault><FaultCode>8005</FaultCode>"
                            "<FaultString>Retry request</FaultString></cwmp:Fault></detail>"
                            "</soap-env:Fault>"));
  }}));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  EXPECT_EQ(run.outcome.status.code(), cwmp::StatusCode::kFailedPrecondition);
  EXPECT_NE(run.outcome.status.message().find("8005"), std::string::npos)
      << run.outcome.status.ToString();
}

TEST(Session, AcsFaultToCpeRequestLeavesItPendingAndContinues) {
  ScriptedHttpServer acs(Script({
      InformResponseStep(),
      [](const RecordedRequest& r) {
        return Soap(AcsEnvelope(kNs12, IdOf(r), "",
                                "<soap-env:Fault><faultcode>Server</faultcode><faultstring>CWMP "
                                "fault</faultstring><detail><cwmp:Fault><FaultCode>8002</FaultCode>"
                                "<FaultString>Internal error</FaultString></cwmp:Fault></detail>"
                                "</soap-env:Fault>"));
      },
      NoContent(),
  }));
  RecordingDelegate device;
  device.cpe_requests.push_back(SampleTransferComplete());
  WireRun run = RunOne(acs, device);
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  ASSERT_EQ(run.wire.size(), 3u);
  EXPECT_TRUE(IsEmptyPost(run.wire[2]));
  EXPECT_NE(std::find(device.calls.begin(), device.calls.end(),
                      "OnCpeRequestAnswered(TransferComplete,Fault)"),
            device.calls.end());
  EXPECT_EQ(device.cpe_requests.size(), 1u);
}

TEST(Session, ConnectionDroppedMidSessionFails) {
  ScriptedHttpServer acs(Script({InformResponseStep(), Drop()}));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  EXPECT_EQ(run.outcome.status.code(), cwmp::StatusCode::kIoError) << run.outcome.status.ToString();
  EXPECT_TRUE(run.outcome.inform_accepted);
  EXPECT_EQ(device.calls.back(), "OnSessionEnd(false)");
}

TEST(Session, UnparsableAcsMessageFailsTheSession) {
  ScriptedHttpServer acs(Script({InformResponseStep(), Reply(Soap("<not-soap/>"))}));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  EXPECT_EQ(run.outcome.status.code(), cwmp::StatusCode::kParseError)
      << run.outcome.status.ToString();
}

TEST(Session, UnknownMustUnderstandHeaderGetsMustUnderstandFault) {
  ScriptedHttpServer acs(Script({
      InformResponseStep(),
      Reply(Soap(AcsEnvelope(kNs12, "ACS-9",
                             "<x:Weird xmlns:x=\"urn:example\" soap-env:mustUnderstand=\"1\">1"
                             "</x:Weird>",
                             GpvBody()))),
      NoContent(),
  }));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  ASSERT_EQ(run.wire.size(), 3u);
  auto env = DecodeOrDie(run.wire[2]);
  ASSERT_TRUE(std::holds_alternative<cwmp::soap::Fault>(env.body));
  EXPECT_EQ(std::get<cwmp::soap::Fault>(env.body).soap_faultcode, "MustUnderstand");
  EXPECT_TRUE(device.acs_requests.empty());
}

TEST(Session, UnknownMethodGetsFault9000WithTheRequestId) {
  ScriptedHttpServer acs(Script({
      InformResponseStep(),
      Reply(Soap(
          AcsEnvelope(kNs12, "ACS-V", "", "<cwmp:SetVouchers><VoucherList/></cwmp:SetVouchers>"))),
      NoContent(),
  }));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device);
  ASSERT_TRUE(run.outcome.status.ok()) << run.outcome.status.ToString();
  auto env = DecodeOrDie(run.wire.at(2));
  EXPECT_EQ(env.id, "ACS-V");
  ASSERT_TRUE(std::holds_alternative<cwmp::soap::Fault>(env.body));
  EXPECT_EQ(std::get<cwmp::soap::Fault>(env.body).code, 9000u);
}

// ---- namespace negotiation --------------------------------------------------------------------

struct NsCase {
  const char* name;
  std::string ns;
  std::string extra_headers;
  CwmpVersion max;
  bool ok;
  CwmpVersion expect_version;
  const char* expect_ns;  // namespace of the GetParameterValuesResponse on the wire
};

class Negotiation : public ::testing::TestWithParam<NsCase> {};

TEST_P(Negotiation, AnswersInTheAcsVersion) {
  const NsCase& c = GetParam();
  ScriptedHttpServer acs(Script({
      InformResponseStep(c.ns, c.extra_headers),
      Reply(Soap(AcsEnvelope(c.ns, "ACS-N", "", GpvBody()))),
      NoContent(),
  }));
  RecordingDelegate device;
  WireRun run = RunOne(acs, device, {}, c.max);
  ASSERT_EQ(run.outcome.status.ok(), c.ok) << run.outcome.status.ToString();
  // The Inform goes out in our highest version; 1.4 announces the versions we speak.
  auto inform = DecodeOrDie(run.wire.at(0));
  if (c.max == CwmpVersion::k1_4) {
    EXPECT_EQ(inform.supported_cwmp_versions, "1.0,1.1,1.2,1.3,1.4");
  } else {
    EXPECT_FALSE(inform.supported_cwmp_versions);
    EXPECT_EQ(run.wire[0].body.find("SupportedCWMPVersions"), std::string::npos);
  }
  if (!c.ok) return;
  EXPECT_EQ(run.outcome.version, c.expect_version);
  ASSERT_EQ(run.wire.size(), 3u);
  EXPECT_NE(run.wire[2].body.find(c.expect_ns), std::string::npos) << run.wire[2].body;
  auto d = cwmp::soap::Decode(run.wire[2].body);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->envelope.id, "ACS-N");
}

INSTANTIATE_TEST_SUITE_P(
    Versions, Negotiation,
    ::testing::Values(
        NsCase{"Acs10", kNs10, "", CwmpVersion::k1_4, true, CwmpVersion::k1_0, kNs10},
        NsCase{"Acs12", kNs12, "", CwmpVersion::k1_4, true, CwmpVersion::k1_2, kNs12},
        NsCase{"Acs13SessionTimeout", kNs12,
               "<cwmp:SessionTimeout soap-env:mustUnderstand=\"0\">60</cwmp:SessionTimeout>",
               CwmpVersion::k1_4, true, CwmpVersion::k1_3, kNs12},
        NsCase{"Acs14UseVersion", kNs12,
               "<cwmp:UseCWMPVersion soap-env:mustUnderstand=\"1\">1.4</cwmp:UseCWMPVersion>",
               CwmpVersion::k1_4, true, CwmpVersion::k1_4, kNs12},
        NsCase{"Acs14AsksMoreThanWeSpeak", kNs12,
               "<cwmp:UseCWMPVersion soap-env:mustUnderstand=\"1\">1.4</cwmp:UseCWMPVersion>",
               CwmpVersion::k1_2, false, CwmpVersion::k1_2, kNs12},
        NsCase{"Agent10Acs12", kNs12, "", CwmpVersion::k1_0, true, CwmpVersion::k1_0, kNs10}),
    [](const auto& info) { return std::string(info.param.name); });

// ---- HTTP client limits -----------------------------------------------------------------------

TEST(HttpClient, ResponseLargerThanTheCapIsLimitExceeded) {
  ScriptedHttpServer acs(Sequence({ScriptedResponse{200, {}, std::string(70000, 'x'), false}}));
  agent::HttpClientOptions options;
  options.max_response_bytes = 65536;
  auto client = agent::MakeAcsHttpClient(std::move(options));
  auto session = client->StartSession();
  ASSERT_TRUE(session.ok());
  auto r = (*session)->Post({acs.Url(), "x", {}, std::nullopt});
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kLimitExceeded) << r.status().ToString();
}

TEST(HttpClient, TimeoutIsIoError) {
  ScriptedHttpServer acs([](const RecordedRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));  // a slow peer, not a schedule
    return ScriptedResponse{204, {}, "", false};
  });
  auto client = agent::MakeAcsHttpClient({});
  auto session = client->StartSession();
  ASSERT_TRUE(session.ok());
  auto r = (*session)->Post({acs.Url(), "x", {}, std::chrono::milliseconds(150)});
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kIoError);
  EXPECT_NE(r.status().message().find(acs.Url()), std::string::npos) << r.status().ToString();
}

TEST(HttpClient, RefusedConnectionIsIoErrorAndBadSchemeIsInvalid) {
  auto client = agent::MakeAcsHttpClient({});
  auto session = client->StartSession();
  ASSERT_TRUE(session.ok());
  auto r = (*session)->Post({"http://127.0.0.1:1/acs", "x", {}, std::chrono::milliseconds(2000)});
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kIoError);
  auto bad = (*session)->Post({"ftp://127.0.0.1/acs", "x", {}, std::nullopt});
  EXPECT_EQ(bad.status().code(), cwmp::StatusCode::kInvalidArgument);
}

TEST(HttpClient, MissingExtraCaFileIsReportedAtSessionStart) {
  agent::HttpClientOptions options;
  options.extra_ca_file = "/nonexistent/custom-ca.pem";
  auto client = agent::MakeAcsHttpClient(std::move(options));
  auto session = client->StartSession();
  EXPECT_EQ(session.status().code(), cwmp::StatusCode::kIoError);
}

}  // namespace
}  // namespace agent_test
