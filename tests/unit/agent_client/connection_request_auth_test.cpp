// HTTP connection-request protocol logic: request parsing, Digest, nonce expiry, replay, rate
// limit, paths. No sockets; the clock is injected.
#include <gtest/gtest.h>

#include "agent/connection_request.h"
#include "fake_clock.h"

namespace {

using agent::ConnectionRequestAuthenticator;
using agent::HttpRequestHead;
using agent::Md5Hex;
using namespace std::chrono_literals;

TEST(Md5Hex, Rfc1321Vectors) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(DigestHeader, ParsesQuotedAndBareValues) {
  auto p = agent::ParseDigestHeader(
      R"(Digest username="acs", realm="cpe-agent", nonce="n1", uri="/x", qop=auth, nc=00000001, cnonce="c\"q", response="abc")");
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)["username"], "acs");
  EXPECT_EQ((*p)["qop"], "auth");
  EXPECT_EQ((*p)["nc"], "00000001");
  EXPECT_EQ((*p)["cnonce"], "c\"q");
  EXPECT_FALSE(agent::ParseDigestHeader("Basic YWNzOnB3"));
  EXPECT_FALSE(agent::ParseDigestHeader("Digest username=\"unterminated"));
  EXPECT_FALSE(agent::ParseDigestHeader("Digest novalue"));
}

TEST(HttpRequestHead, ParsesAndRejects) {
  auto h = agent::ParseHttpRequestHead(
      "GET /cr HTTP/1.1\r\nHost: a\r\nAuthorization: Digest x=1\r\n\r\n");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->method, "GET");
  EXPECT_EQ(h->target, "/cr");
  EXPECT_EQ(h->Header("authorization"), "Digest x=1");
  const char* bad[] = {"",
                       "GET\r\n\r\n",
                       "GET /cr\r\n\r\n",
                       "GET /cr FTP/1.0\r\n\r\n",
                       "GET /cr HTTP/1.1\r\nNoColon\r\n\r\n",
                       "GET /cr HTTP/1.1\r\n: v\r\n\r\n"};
  for (const char* b : bad)
    EXPECT_EQ(agent::ParseHttpRequestHead(b).status().code(), cwmp::StatusCode::kParseError) << b;
  EXPECT_EQ(agent::ParseHttpRequestHead(std::string(9000, 'G')).status().code(),
            cwmp::StatusCode::kLimitExceeded);
}

class Authenticator : public ::testing::Test {
 protected:
  Authenticator() {
    options.username = "acs-cr";
    options.password = cwmp::Secret("crpass");
    options.max_requests = 3;
    options.window = 60s;
    options.nonce_lifetime = 30s;
    auth = std::make_unique<ConnectionRequestAuthenticator>(
        options, "/a1b2c3", clock, [this] { return "nonce" + std::to_string(++nonces); });
  }

  HttpRequestHead Get(const std::string& path, std::optional<std::string> authorization = {}) {
    HttpRequestHead h;
    h.method = "GET";
    h.target = path;
    if (authorization) h.headers.emplace_back("Authorization", *authorization);
    return h;
  }

  // The nonce of a 401 answer.
  static std::string NonceOf(const agent::ConnectionRequestReply& r) {
    EXPECT_EQ(r.status, 401);
    auto p = agent::ParseDigestHeader(r.headers.at(0).second);
    return p ? (*p)["nonce"] : "";
  }

  std::string Authorization(const std::string& nonce, const std::string& password,
                            const std::string& nc = "00000001", const std::string& uri = "/a1b2c3",
                            const std::string& user = "acs-cr") {
    std::string ha1 = Md5Hex(user + ":cpe-agent:" + password);
    std::string ha2 = Md5Hex("GET:" + uri);
    std::string response = Md5Hex(ha1 + ":" + nonce + ":" + nc + ":0a4f113b:auth:" + ha2);
    return "Digest username=\"" + user + "\", realm=\"cpe-agent\", nonce=\"" + nonce +
           "\", uri=\"" + uri + "\", algorithm=MD5, qop=auth, nc=" + nc +
           ", cnonce=\"0a4f113b\", response=\"" + response + "\"";
  }

  agent_test::FakeClientClock clock;
  agent::ConnectionRequestOptions options;
  int nonces = 0;
  std::unique_ptr<ConnectionRequestAuthenticator> auth;
};

TEST_F(Authenticator, ChallengeThenGoodCredentialsTriggers) {
  auto challenge = auth->Handle(Get("/a1b2c3"));
  EXPECT_FALSE(challenge.trigger);
  ASSERT_EQ(challenge.headers.at(0).first, "WWW-Authenticate");
  const std::string& www = challenge.headers[0].second;
  EXPECT_NE(www.find("Digest realm=\"cpe-agent\""), std::string::npos) << www;
  EXPECT_NE(www.find("qop=\"auth\""), std::string::npos);
  EXPECT_NE(www.find("algorithm=MD5"), std::string::npos);
  std::string nonce = NonceOf(challenge);
  auto ok = auth->Handle(Get("/a1b2c3", Authorization(nonce, "crpass")));
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(ok.trigger);
}

TEST_F(Authenticator, RefusalsNeverTrigger) {
  std::string nonce = NonceOf(auth->Handle(Get("/a1b2c3")));
  struct Case {
    const char* name;
    std::string path;
    std::optional<std::string> authorization;
    int status;
  } cases[] = {
      {"bad password", "/a1b2c3", Authorization(nonce, "guess"), 401},
      {"wrong user", "/a1b2c3", Authorization(nonce, "crpass", "00000001", "/a1b2c3", "root"), 401},
      {"unknown nonce", "/a1b2c3", Authorization("forged", "crpass"), 401},
      {"uri of another path", "/a1b2c3", Authorization(nonce, "crpass", "00000001", "/other"), 401},
      {"basic", "/a1b2c3", std::string("Basic YWNzLWNyOmNycGFzcw=="), 401},
      {"wrong path", "/", Authorization(nonce, "crpass"), 404},
      {"path prefix", "/a1b2c3d", std::nullopt, 404},
  };
  for (const auto& c : cases) {
    auto r = auth->Handle(Get(c.path, c.authorization));
    EXPECT_EQ(r.status, c.status) << c.name;
    EXPECT_FALSE(r.trigger) << c.name;
  }
  HttpRequestHead post = Get("/a1b2c3", Authorization(nonce, "crpass"));
  post.method = "POST";
  EXPECT_EQ(auth->Handle(post).status, 405);
}

TEST_F(Authenticator, ReplayedNonceCountIsRefused) {
  std::string nonce = NonceOf(auth->Handle(Get("/a1b2c3")));
  EXPECT_TRUE(auth->Handle(Get("/a1b2c3", Authorization(nonce, "crpass"))).trigger);
  EXPECT_FALSE(auth->Handle(Get("/a1b2c3", Authorization(nonce, "crpass"))).trigger);
  EXPECT_TRUE(auth->Handle(Get("/a1b2c3", Authorization(nonce, "crpass", "00000002"))).trigger);
}

TEST_F(Authenticator, ExpiredNonceGetsStaleChallenge) {
  std::string nonce = NonceOf(auth->Handle(Get("/a1b2c3")));
  clock.Advance(31s);
  auto r = auth->Handle(Get("/a1b2c3", Authorization(nonce, "crpass")));
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.headers.at(0).second.find("stale=true"), std::string::npos);
  EXPECT_FALSE(r.trigger);
}

TEST_F(Authenticator, RateLimitAnswers503WithoutRetryAfterThenRecovers) {
  std::string nonce = NonceOf(auth->Handle(Get("/a1b2c3")));
  int nc = 0;
  auto next = [&] {
    char buf[9];
    std::snprintf(buf, sizeof(buf), "%08x", ++nc);
    return auth->Handle(Get("/a1b2c3", Authorization(nonce, "crpass", buf)));
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(next().status, 200) << i;
  auto limited = next();
  EXPECT_EQ(limited.status, 503);
  EXPECT_FALSE(limited.trigger);
  EXPECT_TRUE(limited.headers.empty());  // no Retry-After
  clock.Advance(29s);                    // nonce still fresh, window not over
  EXPECT_EQ(next().status, 503);
  // A fresh nonce after the window.
  clock.Advance(31s);
  nonce = NonceOf(auth->Handle(Get("/a1b2c3")));
  nc = 0;
  EXPECT_EQ(next().status, 200);
}

}  // namespace
