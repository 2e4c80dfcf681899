// Server-side HTTP Digest: RFC vectors, header parsing, stateless nonces.
#include <gtest/gtest.h>

#include "acs/http_digest.h"

namespace acs::http {
namespace {

using std::chrono::seconds;

TimePoint At(int64_t s) { return TimePoint(seconds(s)); }

// Deterministic "random" bytes for tests.
RandomFill Counter() {
  auto n = std::make_shared<unsigned char>(0);
  return [n](unsigned char* out, size_t size) {
    for (size_t i = 0; i < size; ++i) out[i] = (*n)++;
  };
}

TEST(DigestResponse, Rfc7616Section3_9_1Vectors) {
  DigestCredentials c;
  c.username = "Mufasa";
  c.realm = "http-auth@example.org";
  c.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  c.uri = "/dir/index.html";
  c.qop = "auth";
  c.nc = "00000001";
  c.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  cwmp::Secret password("Circle of Life");
  c.algorithm = DigestAlgorithm::kMd5;
  EXPECT_EQ(ComputeDigestResponse(c, "GET", password), "8ca523f5e9506fed4657c9700eebdbec");
  c.algorithm = DigestAlgorithm::kSha256;
  EXPECT_EQ(ComputeDigestResponse(c, "GET", password),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(DigestResponse, Rfc2617Section3_5Vector) {
  auto c = ParseDigestAuthorization(
      "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, "
      "nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
      "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->algorithm, DigestAlgorithm::kMd5);
  EXPECT_EQ(c->opaque, "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_EQ(ComputeDigestResponse(*c, "GET", cwmp::Secret("Circle Of Life")), c->response);
}

TEST(DigestParse, QuotingCaseAndErrors) {
  auto c = ParseDigestAuthorization(
      "digest USERNAME=\"a\\\"b\\\\c\" ,realm=r,nonce=n, uri=\"/cwmp?x=1,2\",response=ABCDEF,"
      "algorithm=sha-256-SESS,qop=auth,nc=0000000A,cnonce=c,");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->username, "a\"b\\c");
  EXPECT_EQ(c->uri, "/cwmp?x=1,2");
  EXPECT_EQ(c->response, "abcdef");
  EXPECT_EQ(c->algorithm, DigestAlgorithm::kSha256Sess);

  struct Case {
    std::string header;
    cwmp::StatusCode code;
  } cases[] = {
      {"Basic dXNlcjpwYXNz", cwmp::StatusCode::kParseError},
      {"Digestusername=\"a\"", cwmp::StatusCode::kParseError},
      {"Digest realm=r, nonce=n, uri=/, response=x", cwmp::StatusCode::kParseError},
      {"Digest username=\"a, realm=r", cwmp::StatusCode::kParseError},
      {"Digest username=a, username=b, realm=r, nonce=n, uri=u, response=x",
       cwmp::StatusCode::kParseError},
      {"Digest username=a realm=r", cwmp::StatusCode::kParseError},
      {"Digest username=a, realm=r, nonce=n, uri=u, response=x, qop=auth",
       cwmp::StatusCode::kParseError},
      {"Digest username=a, realm=r, nonce=n, uri=u, response=x, qop=auth, nc=1, cnonce=c",
       cwmp::StatusCode::kParseError},
      {"Digest username=a, realm=r, nonce=n, uri=u, response=x, qop=auth-int, nc=00000001, "
       "cnonce=c",
       cwmp::StatusCode::kUnsupported},
      {"Digest username=a, realm=r, nonce=n, uri=u, response=x, algorithm=SHA-512-256",
       cwmp::StatusCode::kUnsupported},
      {"Digest username=a, realm=r, nonce=n, uri=u, response=x, userhash=true",
       cwmp::StatusCode::kUnsupported},
      {"Digest username=a, realm=r, nonce=n, uri=u, response=x, algorithm=MD5-sess",
       cwmp::StatusCode::kParseError},
      {"Digest username=" + std::string(5000, 'a'), cwmp::StatusCode::kLimitExceeded},
  };
  for (const auto& k : cases) {
    auto r = ParseDigestAuthorization(k.header);
    ASSERT_FALSE(r.ok()) << k.header;
    EXPECT_EQ(r.status().code(), k.code) << k.header << ": " << r.status().ToString();
  }
}

// What a CPE does: take the challenge's nonce, answer it.
DigestCredentials Answer(const std::string& nonce, DigestAlgorithm algorithm,
                         const std::string& password, const std::string& uri = "/cwmp") {
  DigestCredentials c;
  c.username = "0021A0-CP-6851-3PCC-FCH1";
  c.realm = "acs";
  c.nonce = nonce;
  c.uri = uri;
  c.algorithm = algorithm;
  c.qop = "auth";
  c.nc = "00000001";
  c.cnonce = "cpe-cnonce";
  c.response = ComputeDigestResponse(c, "POST", cwmp::Secret(password));
  return c;
}

TEST(DigestAuthenticator, ChallengesOfferSha256ThenMd5) {
  DigestAuthenticator auth(cwmp::Secret("k"), "acs", seconds(300), Counter());
  auto ch = auth.Challenges(At(1000), false);
  ASSERT_EQ(ch.size(), 2u);
  EXPECT_EQ(ch[0].rfind("Digest realm=\"acs\", qop=\"auth\", algorithm=SHA-256, nonce=\"", 0), 0u);
  EXPECT_NE(ch[1].find("algorithm=MD5,"), std::string::npos);
  EXPECT_EQ(ch[0].find("stale"), std::string::npos);
  EXPECT_NE(auth.Challenges(At(1000), true)[0].find(", stale=true"), std::string::npos);
  EXPECT_NE(auth.MakeNonce(At(1000)), auth.MakeNonce(At(1000)));
}

TEST(DigestAuthenticator, NonceWorksAcrossInstancesSharingTheSecret) {
  DigestAuthenticator a(cwmp::Secret("shared"), "acs", seconds(300), Counter());
  DigestAuthenticator b(cwmp::Secret("shared"), "acs", seconds(300), SystemRandom());
  DigestAuthenticator other(cwmp::Secret("different"), "acs", seconds(300), SystemRandom());
  std::string nonce = a.MakeNonce(At(1000));
  for (DigestAlgorithm alg : {DigestAlgorithm::kMd5, DigestAlgorithm::kSha256,
                              DigestAlgorithm::kMd5Sess, DigestAlgorithm::kSha256Sess}) {
    auto c = Answer(nonce, alg, "pw");
    cwmp::Secret pw("pw");
    EXPECT_EQ(a.Verify(c, "POST", "/cwmp", pw, At(1010)), DigestAuthenticator::Verdict::kOk);
    EXPECT_EQ(b.Verify(c, "POST", "/cwmp", pw, At(1010)), DigestAuthenticator::Verdict::kOk);
    EXPECT_EQ(other.Verify(c, "POST", "/cwmp", pw, At(1010)),
              DigestAuthenticator::Verdict::kBadCredentials);
  }
}

TEST(DigestAuthenticator, RejectsWrongPasswordForgedNonceOtherUriAndRealm) {
  DigestAuthenticator auth(cwmp::Secret("k"), "acs", seconds(300), Counter());
  std::string nonce = auth.MakeNonce(At(1000));
  cwmp::Secret pw("pw");
  using V = DigestAuthenticator::Verdict;
  EXPECT_EQ(
      auth.Verify(Answer(nonce, DigestAlgorithm::kMd5, "wrong"), "POST", "/cwmp", pw, At(1001)),
      V::kBadCredentials);
  EXPECT_EQ(auth.Verify(Answer(nonce, DigestAlgorithm::kMd5, "pw"), "GET", "/cwmp", pw, At(1001)),
            V::kBadCredentials);
  EXPECT_EQ(auth.Verify(Answer(nonce, DigestAlgorithm::kMd5, "pw", "/other"), "POST", "/cwmp", pw,
                        At(1001)),
            V::kBadCredentials);
  std::string forged = nonce;
  forged[3] = forged[3] == '0' ? '1' : '0';  // timestamp changed, signature not
  EXPECT_EQ(auth.Verify(Answer(forged, DigestAlgorithm::kMd5, "pw"), "POST", "/cwmp", pw, At(1001)),
            V::kBadCredentials);
  EXPECT_EQ(
      auth.Verify(Answer("short", DigestAlgorithm::kMd5, "pw"), "POST", "/cwmp", pw, At(1001)),
      V::kBadCredentials);
  auto c = Answer(nonce, DigestAlgorithm::kMd5, "pw");
  c.realm = "elsewhere";
  c.response = ComputeDigestResponse(c, "POST", pw);
  EXPECT_EQ(auth.Verify(c, "POST", "/cwmp", pw, At(1001)), V::kBadCredentials);
}

TEST(DigestAuthenticator, OldNonceIsStaleNotWrong) {
  DigestAuthenticator auth(cwmp::Secret("k"), "acs", seconds(300), Counter());
  std::string nonce = auth.MakeNonce(At(1000));
  cwmp::Secret pw("pw");
  auto c = Answer(nonce, DigestAlgorithm::kSha256, "pw");
  using V = DigestAuthenticator::Verdict;
  EXPECT_EQ(auth.Verify(c, "POST", "/cwmp", pw, At(1300)), V::kOk);
  EXPECT_EQ(auth.Verify(c, "POST", "/cwmp", pw, At(1301)), V::kStale);
  EXPECT_EQ(auth.Verify(c, "POST", "/cwmp", pw, At(940)), V::kOk);  // small skew tolerated
  EXPECT_EQ(auth.Verify(c, "POST", "/cwmp", pw, At(900)), V::kStale);
  // Stale only with the right password: a wrong one stays wrong.
  EXPECT_EQ(
      auth.Verify(Answer(nonce, DigestAlgorithm::kSha256, "x"), "POST", "/cwmp", pw, At(5000)),
      V::kBadCredentials);
}

TEST(DigestAuthenticator, LegacyRfc2069ClientWithoutQop) {
  DigestAuthenticator auth(cwmp::Secret("k"), "acs", seconds(300), Counter());
  DigestCredentials c;
  c.username = "u";
  c.realm = "acs";
  c.nonce = auth.MakeNonce(At(0));
  c.uri = "/cwmp";
  c.response = ComputeDigestResponse(c, "POST", cwmp::Secret("pw"));
  EXPECT_EQ(auth.Verify(c, "POST", "/cwmp", cwmp::Secret("pw"), At(1)),
            DigestAuthenticator::Verdict::kOk);
}

}  // namespace
}  // namespace acs::http
