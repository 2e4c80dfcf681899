// The network worker's messages and frames (networker/wire.h, networker/messages.h).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "networker/messages.h"
#include "networker/wire.h"

namespace agent_test {
namespace {

using agent::networker::WireReader;
using agent::networker::WireWriter;
namespace nw = agent::networker;
namespace ti = agent::transfer_internal;
using namespace std::chrono_literals;

std::string Binary() { return std::string("a\0b\xff\r\n", 6); }

ti::Request SampleRequest() {
  ti::Request r;
  r.url = "https://prov.example.com:8443/cfg/$MA.xml";
  r.host = "prov.example.com";
  r.port = 8443;
  r.address = "192.0.2.7";
  r.method = "PUT";
  r.body = Binary();
  r.send_body = true;
  r.credentials = ti::Credentials::kServer;
  r.digest = true;
  r.custom_ca_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  return r;
}

agent::FetchOptions SampleOptions() {
  agent::FetchOptions o;
  o.user_agent = "Cisco-CP-6841-3PCC/11.0 (00562b043615)";
  o.http_version = agent::HttpVersion::k1_0;
  o.username = "admin";
  o.password = cwmp::Secret("p@ss'; DROP TABLE x;--");
  o.max_bytes = 12345;
  o.connect_timeout_ms = 1500;
  o.total_timeout_ms = 9000;
  o.client_cert_file = "/state/cert.pem";
  o.client_key_file = "/state/key.pem";
  return o;
}

agent::HttpClientOptions SampleClientOptions() {
  agent::HttpClientOptions o;
  o.username = "cpe";
  o.password = cwmp::Secret("secret");
  o.allow_basic_without_tls = true;
  o.verify_server = false;
  o.extra_ca_file = "/state/ca/custom_ca.pem";
  o.client_cert_file = "/c.pem";
  o.client_key_file = "/k.pem";
  o.connect_timeout = 1234ms;
  o.request_timeout = 5678ms;
  o.max_response_bytes = 999;
  o.user_agent = "cpe-agent CP-6841-3PCC";
  return o;
}

agent::HttpRequest SampleHttpRequest() {
  agent::HttpRequest r;
  r.url = "http://acs.example.com/cwmp";
  r.body = "<soap:Envelope/>" + Binary();
  r.headers = {{"SOAPAction", ""}, {"Content-Type", "text/xml; charset=\"utf-8\""}};
  r.timeout = 777ms;
  return r;
}

ti::Response SampleResponse() {
  ti::Response r;
  r.connect_failed = false;
  r.ok_transport = true;
  r.tftp_not_found = false;
  r.http_status = 302;
  r.status_line = "HTTP/1.1 302 Found";
  r.headers = {{"location", "http://b/"}, {"content-encoding", "aes128gcm"}};
  r.redirect_url = "http://b/";
  r.body = Binary();
  r.error = "";
  return r;
}

agent::HttpResponse SampleHttpResponse() {
  agent::HttpResponse r;
  r.status = 200;
  r.headers = {{"Set-Cookie", "s=1"}, {"Set-Cookie", "t=2"}};
  r.body = Binary();
  r.effective_url = "http://acs2.example.com/cwmp";
  return r;
}

TEST(NetworkWorkerWire, PerformRequestRoundTrips) {
  std::string wire = nw::EncodePerform(SampleRequest(), SampleOptions());
  WireReader in(wire);
  auto call = nw::DecodeCallHeader(in);
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(*call, nw::Call::kPerform);
  ti::Request r;
  agent::FetchOptions o;
  ASSERT_TRUE(nw::DecodePerform(in, &r, &o));
  ti::Request want = SampleRequest();
  EXPECT_EQ(r.url, want.url);
  EXPECT_EQ(r.host, want.host);
  EXPECT_EQ(r.port, 8443);
  EXPECT_EQ(r.address, want.address);
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.body, Binary());
  EXPECT_TRUE(r.send_body);
  EXPECT_EQ(r.credentials, ti::Credentials::kServer);
  EXPECT_TRUE(r.digest);
  EXPECT_EQ(r.custom_ca_pem, want.custom_ca_pem);
  agent::FetchOptions wo = SampleOptions();
  EXPECT_EQ(o.user_agent, wo.user_agent);
  EXPECT_EQ(o.http_version, agent::HttpVersion::k1_0);
  EXPECT_EQ(o.username, "admin");
  EXPECT_EQ(o.password.Reveal(), wo.password.Reveal());
  EXPECT_EQ(o.max_bytes, 12345u);
  EXPECT_EQ(o.connect_timeout_ms, 1500);
  EXPECT_EQ(o.total_timeout_ms, 9000);
  EXPECT_EQ(o.client_cert_file, "/state/cert.pem");
  EXPECT_EQ(o.client_key_file, "/state/key.pem");
}

TEST(NetworkWorkerWire, SessionCallsRoundTrip) {
  {
    std::string wire = nw::EncodeSessionStart(SampleClientOptions());
    WireReader in(wire);
    ASSERT_EQ(*nw::DecodeCallHeader(in), nw::Call::kSessionStart);
    agent::HttpClientOptions o;
    ASSERT_TRUE(nw::DecodeSessionStart(in, &o));
    EXPECT_EQ(o.username, "cpe");
    EXPECT_EQ(o.password.Reveal(), "secret");
    EXPECT_TRUE(o.allow_basic_without_tls);
    EXPECT_FALSE(o.verify_server);
    EXPECT_EQ(o.extra_ca_file, "/state/ca/custom_ca.pem");
    EXPECT_EQ(o.client_cert_file, "/c.pem");
    EXPECT_EQ(o.client_key_file, "/k.pem");
    EXPECT_EQ(o.connect_timeout, 1234ms);
    EXPECT_EQ(o.request_timeout, 5678ms);
    EXPECT_EQ(o.max_response_bytes, 999u);
    EXPECT_EQ(o.user_agent, "cpe-agent CP-6841-3PCC");
  }
  for (bool with_timeout : {true, false}) {
    agent::HttpRequest want = SampleHttpRequest();
    if (!with_timeout) want.timeout.reset();
    std::string wire = nw::EncodeSessionPost(want);
    WireReader in(wire);
    ASSERT_EQ(*nw::DecodeCallHeader(in), nw::Call::kSessionPost);
    agent::HttpRequest r;
    ASSERT_TRUE(nw::DecodeSessionPost(in, &r));
    EXPECT_EQ(r.url, want.url);
    EXPECT_EQ(r.body, want.body);
    EXPECT_EQ(r.headers, want.headers);
    EXPECT_EQ(r.timeout, want.timeout);
  }
}

cwmp::content::DecodeOptions SampleDecodeOptions() {
  cwmp::content::DecodeOptions o;
  o.key = cwmp::Secret("MyOwnSecret");
  o.aes128gcm = true;
  o.max_input = 1000;
  o.max_output = 2000;
  o.pbkdf2_iterations = 12345;
  return o;
}

agent::FirmwareManifest SampleManifest() {
  agent::FirmwareManifest m;
  m.version = "sip68xx.11-2-4MPP-0002";
  m.models = {"CP-6841-3PCC", "CP-6851-3PCC"};
  m.payload_length = 1u << 30;
  m.payload_sha256 = std::string(64, 'a');
  m.signature_algorithm = "ed25519";
  m.signature = Binary();
  return m;
}

TEST(NetworkWorkerWire, IsolatedCryptoCallsRoundTrip) {
  {
    std::string wire = nw::EncodeDecode(Binary(), SampleDecodeOptions());
    WireReader in(wire);
    ASSERT_EQ(*nw::DecodeCallHeader(in), nw::Call::kDecode);
    std::string bytes;
    cwmp::content::DecodeOptions o;
    o.ikm = cwmp::Secret("stale");  // must be reset: the request carries no ikm
    ASSERT_TRUE(nw::DecodeDecode(in, &bytes, &o));
    EXPECT_EQ(bytes, Binary());
    ASSERT_TRUE(o.key.has_value());
    EXPECT_EQ(o.key->Reveal(), "MyOwnSecret");
    EXPECT_FALSE(o.ikm.has_value());
    EXPECT_TRUE(o.aes128gcm);
    EXPECT_EQ(o.max_input, 1000u);
    EXPECT_EQ(o.max_output, 2000u);
    EXPECT_EQ(o.pbkdf2_iterations, 12345);
  }
  {
    std::string wire = nw::EncodeCaCommonName("-----BEGIN CERTIFICATE-----");
    WireReader in(wire);
    ASSERT_EQ(*nw::DecodeCallHeader(in), nw::Call::kCaCommonName);
    std::string pem;
    ASSERT_TRUE(nw::DecodeCaCommonName(in, &pem));
    EXPECT_EQ(pem, "-----BEGIN CERTIFICATE-----");
  }
  {
    std::string wire = nw::EncodeVerifyFirmwareSignature(SampleManifest(), "KEY");
    WireReader in(wire);
    ASSERT_EQ(*nw::DecodeCallHeader(in), nw::Call::kVerifyFirmwareSignature);
    agent::FirmwareManifest m;
    std::string key;
    ASSERT_TRUE(nw::DecodeVerifyFirmwareSignature(in, &m, &key));
    EXPECT_EQ(m.version, SampleManifest().version);
    EXPECT_EQ(m.models, SampleManifest().models);
    EXPECT_EQ(m.payload_length, 1u << 30);
    EXPECT_EQ(m.payload_sha256, std::string(64, 'a'));
    EXPECT_EQ(m.signature_algorithm, "ed25519");
    EXPECT_EQ(m.signature, Binary());
    EXPECT_EQ(key, "KEY");
  }
  cwmp::content::Decoded decoded{"<flat-profile/>", {"aes-256-cbc/sha256", "gzip"}};
  auto d = nw::DecodeDecodeReply(nw::EncodeDecodeReply(decoded));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->plaintext, decoded.plaintext);
  EXPECT_EQ(d->layers, decoded.layers);
  auto wrong_key = nw::DecodeDecodeReply(
      nw::EncodeDecodeReply(cwmp::DecryptError("openssl enc: wrong key or corrupt data")));
  EXPECT_EQ(wrong_key.status().code(), cwmp::StatusCode::kDecryptError);
  EXPECT_EQ(*nw::DecodeStringReply(nw::EncodeStringReply(std::string("Test Root CA"))),
            "Test Root CA");
}

TEST(NetworkWorkerWire, RepliesRoundTrip) {
  auto perform = nw::DecodePerformReply(nw::EncodePerformReply(SampleResponse()));
  ASSERT_TRUE(perform.ok()) << perform.status().ToString();
  EXPECT_TRUE(perform->ok_transport);
  EXPECT_EQ(perform->http_status, 302);
  EXPECT_EQ(perform->status_line, "HTTP/1.1 302 Found");
  EXPECT_EQ(perform->headers, SampleResponse().headers);
  EXPECT_EQ(perform->redirect_url, "http://b/");
  EXPECT_EQ(perform->body, Binary());

  auto post = nw::DecodePostReply(nw::EncodePostReply(SampleHttpResponse()));
  ASSERT_TRUE(post.ok()) << post.status().ToString();
  EXPECT_EQ(post->status, 200);
  EXPECT_EQ(post->headers, SampleHttpResponse().headers);
  EXPECT_EQ(post->body, Binary());
  EXPECT_EQ(post->effective_url, "http://acs2.example.com/cwmp");

  EXPECT_TRUE(nw::DecodeStatusReply(nw::EncodeStatusReply(cwmp::Status::Ok())).ok());
}

TEST(NetworkWorkerWire, ErrorsCrossUnchanged) {
  cwmp::Status refused = cwmp::IoError("POST http://acs/: Connection refused");
  for (const cwmp::Status& got :
       {nw::DecodeStatusReply(nw::EncodeStatusReply(refused)),
        nw::DecodePostReply(nw::EncodePostReply(refused)).status(),
        nw::DecodePerformReply(nw::EncodeStatusReply(refused)).status()}) {
    EXPECT_EQ(got.code(), cwmp::StatusCode::kIoError);
    EXPECT_EQ(got.message(), refused.message());
  }
  auto limit = nw::DecodePostReply(nw::EncodePostReply(cwmp::LimitExceeded("too big")));
  EXPECT_EQ(limit.status().code(), cwmp::StatusCode::kLimitExceeded);
}

// Every strict prefix and every one-byte extension of a valid message is refused.
template <typename Decode>
void ExpectEveryTruncationAndExtensionRefused(const std::string& wire, Decode decode) {
  ASSERT_TRUE(decode(wire)) << "the untouched message must decode";
  for (size_t n = 0; n < wire.size(); ++n) {
    EXPECT_FALSE(decode(wire.substr(0, n))) << "prefix of " << n << " of " << wire.size();
  }
  EXPECT_FALSE(decode(wire + 'x'));
}

TEST(NetworkWorkerWire, TruncatedOrExtendedMessagesAreRefused) {
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodePerform(SampleRequest(), SampleOptions()), [](const std::string& w) {
        WireReader in(w);
        ti::Request r;
        agent::FetchOptions o;
        return nw::DecodeCallHeader(in).ok() && nw::DecodePerform(in, &r, &o);
      });
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodeSessionStart(SampleClientOptions()), [](const std::string& w) {
        WireReader in(w);
        agent::HttpClientOptions o;
        return nw::DecodeCallHeader(in).ok() && nw::DecodeSessionStart(in, &o);
      });
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodeSessionPost(SampleHttpRequest()), [](const std::string& w) {
        WireReader in(w);
        agent::HttpRequest r;
        return nw::DecodeCallHeader(in).ok() && nw::DecodeSessionPost(in, &r);
      });
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodeDecode(Binary(), SampleDecodeOptions()), [](const std::string& w) {
        WireReader in(w);
        std::string bytes;
        cwmp::content::DecodeOptions o;
        return nw::DecodeCallHeader(in).ok() && nw::DecodeDecode(in, &bytes, &o);
      });
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodeVerifyFirmwareSignature(SampleManifest(), "KEY"), [](const std::string& w) {
        WireReader in(w);
        agent::FirmwareManifest m;
        std::string key;
        return nw::DecodeCallHeader(in).ok() && nw::DecodeVerifyFirmwareSignature(in, &m, &key);
      });
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodeDecodeReply(cwmp::content::Decoded{"x", {"gzip"}}),
      [](const std::string& w) { return nw::DecodeDecodeReply(w).ok(); });
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodeStringReply(std::string("CN")),
      [](const std::string& w) { return nw::DecodeStringReply(w).ok(); });
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodePerformReply(SampleResponse()),
      [](const std::string& w) { return nw::DecodePerformReply(w).ok(); });
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodePostReply(SampleHttpResponse()),
      [](const std::string& w) { return nw::DecodePostReply(w).ok(); });
  ExpectEveryTruncationAndExtensionRefused(
      nw::EncodeStatusReply(cwmp::Status::Ok()),
      [](const std::string& w) { return nw::DecodeStatusReply(w).ok(); });
}

TEST(NetworkWorkerWire, MalformedRepliesSayWhatWasMalformed) {
  auto st = nw::DecodePostReply("\x01");
  EXPECT_EQ(st.status().code(), cwmp::StatusCode::kParseError);
  EXPECT_EQ(st.status().message(), "network worker: malformed POST reply");
  // An OK status with a message: never written, so forged.
  WireWriter forged;
  forged.U32(0);
  forged.Str("all good");
  forged.Str("value");
  EXPECT_EQ(nw::DecodeStringReply(forged.payload()).status().code(),
            cwmp::StatusCode::kParseError);
  // A status code this program does not know.
  WireWriter w;
  w.U32(999);
  w.Str("?");
  EXPECT_EQ(nw::DecodeStatusReply(w.payload()).code(), cwmp::StatusCode::kParseError);
  // An HTTP status outside 0..999.
  WireWriter p;
  p.U32(0);
  p.Str("");
  p.I64(-1);
  p.U32(0);
  p.Str("");
  p.Str("");
  EXPECT_EQ(nw::DecodePostReply(p.payload()).status().code(), cwmp::StatusCode::kParseError);
}

TEST(NetworkWorkerWire, ForgedCountsAndLengthsAreRefusedWithoutAllocating) {
  WireWriter w;
  w.U32(0);
  w.Str("");
  w.I64(200);
  w.U32(0xffffffffu);  // header count far beyond the bytes present
  EXPECT_FALSE(nw::DecodePostReply(w.payload()).ok());
  WireWriter s;
  s.U32(0xfffffff0u);  // string length beyond the bytes present
  WireReader in(s.payload());
  std::string out;
  EXPECT_FALSE(in.Str(&out));
  EXPECT_FALSE(in.ok());
  EXPECT_TRUE(out.empty());
}

TEST(NetworkWorkerWire, OtherVersionsAndUnknownCallsAreUnsupported) {
  std::string wire = nw::EncodeSessionPost(SampleHttpRequest());
  std::string other_version = wire;
  other_version[0] = static_cast<char>(nw::kProtocolVersion + 1);
  WireReader a(other_version);
  auto call = nw::DecodeCallHeader(a);
  EXPECT_EQ(call.status().code(), cwmp::StatusCode::kUnsupported);
  EXPECT_NE(call.status().message().find("protocol version"), std::string::npos);
  std::string unknown = wire;
  unknown[1] = 9;
  WireReader b(unknown);
  EXPECT_EQ(nw::DecodeCallHeader(b).status().code(), cwmp::StatusCode::kUnsupported);
  WireReader c("");
  EXPECT_EQ(nw::DecodeCallHeader(c).status().code(), cwmp::StatusCode::kParseError);
}

class Frames : public ::testing::Test {
 protected:
  // Non-blocking, as on the daemon's side, where the deadlines apply.
  void SetUp() override {
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds_), 0);
  }
  void TearDown() override {
    for (int fd : fds_) {
      if (fd >= 0) ::close(fd);
    }
  }
  static auto In(std::chrono::milliseconds d) { return std::chrono::steady_clock::now() + d; }
  int fds_[2] = {-1, -1};
};

TEST_F(Frames, LargeFramesCrossIntact) {
  std::string big(5u << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 % 251);
  std::thread writer([&] { EXPECT_TRUE(nw::WriteFrame(fds_[0], big, In(10s)).ok()); });
  auto got = nw::ReadFrame(fds_[1], big.size(), In(10s));
  writer.join();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == big);
}

TEST_F(Frames, OversizedFrameIsRefusedBeforeItsPayloadIsRead) {
  ASSERT_TRUE(nw::WriteFrame(fds_[0], std::string(100, 'x'), In(1s)).ok());
  auto got = nw::ReadFrame(fds_[1], 99, In(1s));
  EXPECT_EQ(got.status().code(), cwmp::StatusCode::kLimitExceeded);
  EXPECT_NE(got.status().message().find("100 bytes exceeds the limit of 99"), std::string::npos);
}

TEST_F(Frames, CloseBeforeAFrameIsNotFoundAndInsideAFrameIsAnError) {
  ::close(fds_[0]);
  fds_[0] = -1;
  EXPECT_EQ(nw::ReadFrame(fds_[1], 100, In(1s)).status().code(), cwmp::StatusCode::kNotFound);

  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair), 0);
  ASSERT_EQ(::write(pair[0], "\x0a\x00\x00\x00" "abc", 7), 7);  // 10 announced, 3 sent
  ::close(pair[0]);
  auto got = nw::ReadFrame(pair[1], 100, In(1s));
  ::close(pair[1]);
  EXPECT_EQ(got.status().code(), cwmp::StatusCode::kIoError);
  EXPECT_NE(got.status().message().find("in the middle of a message"), std::string::npos);
}

TEST_F(Frames, SilentPeerTimesOut) {
  auto started = std::chrono::steady_clock::now();
  auto got = nw::ReadFrame(fds_[1], 100, In(200ms));
  EXPECT_EQ(got.status().code(), cwmp::StatusCode::kIoError);
  EXPECT_NE(got.status().message().find("timed out"), std::string::npos);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
}

}  // namespace
}  // namespace agent_test
