// HTTP/1.1 request parsing: framing, limits, error statuses, pipelining, keep-alive.
#include <gtest/gtest.h>

#include "acs/http_request.h"

namespace acs::http {
namespace {

// Feeds `wire` all at once, then byte by byte into a fresh parser; both must agree.
struct Outcome {
  ParseState state;
  int status;
  Request request;
};

Outcome ParseWhole(const std::string& wire, Limits limits = {}) {
  RequestParser p(limits);
  ParseState s = p.Feed(wire);
  Outcome o{s, p.error_status(), {}};
  if (s == ParseState::kComplete) o.request = p.TakeRequest();
  return o;
}

Outcome ParseBytewise(const std::string& wire, Limits limits = {}) {
  RequestParser p(limits);
  ParseState s = ParseState::kNeedMore;
  for (char c : wire) {
    s = p.Feed(std::string_view(&c, 1));
    if (s != ParseState::kNeedMore) break;
  }
  Outcome o{s, p.error_status(), {}};
  if (s == ParseState::kComplete) o.request = p.TakeRequest();
  return o;
}

TEST(HttpRequest, CwmpPostWithContentLength) {
  const std::string wire =
      "POST /cwmp HTTP/1.1\r\nHost: acs.example:7547\r\nContent-Type: text/xml; "
      "charset=\"utf-8\"\r\nSOAPAction:\r\nContent-Length: 11\r\nCookie: s=1\r\n\r\n<Envelope/>";
  for (const Outcome& o : {ParseWhole(wire), ParseBytewise(wire)}) {
    ASSERT_EQ(o.state, ParseState::kComplete);
    EXPECT_EQ(o.request.method, "POST");
    EXPECT_EQ(o.request.target, "/cwmp");
    EXPECT_EQ(o.request.version_minor, 1);
    EXPECT_EQ(o.request.body, "<Envelope/>");
    EXPECT_TRUE(o.request.keep_alive);
    EXPECT_FALSE(o.request.chunked);
    ASSERT_NE(o.request.Find("soapaction"), nullptr);
    EXPECT_EQ(*o.request.Find("SOAPAction"), "");
    EXPECT_EQ(*o.request.Find("content-type"), "text/xml; charset=\"utf-8\"");
    EXPECT_EQ(o.request.Find("Authorization"), nullptr);
  }
}

TEST(HttpRequest, ChunkedBodyWithExtensionsAndTrailers) {
  const std::string wire =
      "POST /cwmp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nHello\r\n1A\r\n, this is a chunked body!!\r\n0\r\nX-Trailer: yes\r\n\r\n";
  for (const Outcome& o : {ParseWhole(wire), ParseBytewise(wire)}) {
    ASSERT_EQ(o.state, ParseState::kComplete) << o.status;
    EXPECT_EQ(o.request.body, "Hello, this is a chunked body!!");
    EXPECT_TRUE(o.request.chunked);
  }
}

TEST(HttpRequest, EmptyPostAndBareLfLines) {
  Outcome o = ParseWhole("POST /cwmp HTTP/1.1\nContent-Length: 0\n\n");
  ASSERT_EQ(o.state, ParseState::kComplete);
  EXPECT_EQ(o.request.body, "");
  o = ParseWhole("GET / HTTP/1.1\r\n\r\n");
  ASSERT_EQ(o.state, ParseState::kComplete);
  EXPECT_EQ(o.request.method, "GET");
}

TEST(HttpRequest, KeepAliveRules) {
  struct Case {
    std::string wire;
    bool keep_alive;
  } cases[] = {
      {"GET / HTTP/1.1\r\n\r\n", true},
      {"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false},
      {"GET / HTTP/1.1\r\nConnection: Upgrade, CLOSE\r\n\r\n", false},
      {"GET / HTTP/1.0\r\n\r\n", false},
      {"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true},
  };
  for (const auto& c : cases) {
    Outcome o = ParseWhole(c.wire);
    ASSERT_EQ(o.state, ParseState::kComplete) << c.wire;
    EXPECT_EQ(o.request.keep_alive, c.keep_alive) << c.wire;
  }
}

TEST(HttpRequest, MalformedAndOverLimitInputGetsTheRightStatus) {
  Limits small;
  small.max_head_bytes = 256;
  small.max_headers = 4;
  small.max_body_bytes = 16;
  struct Case {
    std::string name;
    std::string wire;
    int status;
  } cases[] = {
      {"no version", "GET /\r\n\r\n", 400},
      {"extra space", "GET  / HTTP/1.1\r\n\r\n", 400},
      {"bad method", "G(T / HTTP/1.1\r\n\r\n", 400},
      {"control in target", "GET /a\x01 HTTP/1.1\r\n\r\n", 400},
      {"lower-case version", "GET / http/1.1\r\n\r\n", 400},
      {"HTTP/2", "GET / HTTP/2.0\r\n\r\n", 505},
      {"HTTP/1.2", "GET / HTTP/1.2\r\n\r\n", 505},
      {"no colon", "GET / HTTP/1.1\r\nHost\r\n\r\n", 400},
      {"space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400},
      {"obs-fold", "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", 400},
      {"bare CR", "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", 400},
      {"NUL in value", std::string("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 27), 400},
      {"TE and CL", "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
       400},
      {"two CL", "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400},
      {"CL list", "POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc", 400},
      {"negative CL", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"CL plus sign", "POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc", 400},
      {"huge CL", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400},
      {"gzip TE", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"TE in 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"bad Expect", "POST / HTTP/1.1\r\nExpect: magic\r\nContent-Length: 1\r\n\r\nx", 417},
      {"body too large", "POST / HTTP/1.1\r\nContent-Length: 17\r\n\r\n", 413},
      {"chunks too large",
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n1\r\n", 413},
      {"chunk size overflow",
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 400},
      {"chunk size not hex", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400},
      {"chunk longer than size",
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400},
      {"too many headers", "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", 431},
      {"head too large", "GET /" + std::string(300, 'a') + " HTTP/1.1\r\n\r\n", 431},
      {"unterminated head too large", "GET / HTTP/1.1\r\nA: " + std::string(300, 'a'), 431},
      {"trailers too large",
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: " + std::string(300, 't') +
           "\r\n\r\n",
       431},
      {"bad trailer", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nnocolon\r\n\r\n",
       400},
  };
  for (const auto& c : cases) {
    for (const Outcome& o : {ParseWhole(c.wire, small), ParseBytewise(c.wire, small)}) {
      EXPECT_EQ(o.state, ParseState::kError) << c.name;
      EXPECT_EQ(o.status, c.status) << c.name;
    }
  }
}

TEST(HttpRequest, IncompleteInputWaits) {
  for (const std::string& partial :
       {std::string("POST /cwmp HTTP/1.1\r\nContent-Length: 5\r\n\r\nabc"),
        std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"),
        std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"),
        std::string("GET / HTTP/1.1\r\nHost: x\r\n")}) {
    RequestParser p;
    EXPECT_EQ(p.Feed(partial), ParseState::kNeedMore) << partial;
  }
}

TEST(HttpRequest, PipelinedRequestsAreParsedInTurn) {
  RequestParser p;
  ASSERT_EQ(p.Feed("POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\nxGET /b HTTP/1.1\r\n\r\nGET /c"),
            ParseState::kComplete);
  EXPECT_EQ(p.TakeRequest().target, "/a");
  ASSERT_EQ(p.state(), ParseState::kComplete);
  EXPECT_EQ(p.TakeRequest().target, "/b");
  EXPECT_EQ(p.state(), ParseState::kNeedMore);
  EXPECT_EQ(p.buffered(), 6u);
  ASSERT_EQ(p.Feed(" HTTP/1.1\r\n\r\n"), ParseState::kComplete);
  EXPECT_EQ(p.TakeRequest().target, "/c");
}

TEST(HttpRequest, ExpectContinueIsReportedUntilTheBodyArrives) {
  RequestParser p;
  ASSERT_EQ(p.Feed("POST /cwmp HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"),
            ParseState::kNeedMore);
  EXPECT_TRUE(p.wants_continue());
  ASSERT_EQ(p.Feed("ok"), ParseState::kComplete);
  EXPECT_FALSE(p.wants_continue());
  EXPECT_EQ(p.TakeRequest().body, "ok");
}

TEST(HttpRequest, ErrorIsSticky) {
  RequestParser p;
  ASSERT_EQ(p.Feed("BAD\r\n\r\n"), ParseState::kError);
  EXPECT_EQ(p.Feed("GET / HTTP/1.1\r\n\r\n"), ParseState::kError);
  EXPECT_EQ(p.error_status(), 400);
  EXPECT_FALSE(p.error_message().empty());
}

TEST(HttpResponse, Serialize) {
  Response r;
  r.status = 401;
  r.headers = {{"WWW-Authenticate", "Digest realm=\"acs\""}};
  r.keep_alive = false;
  EXPECT_EQ(Serialize(r),
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"acs\"\r\n"
            "Content-Length: 0\r\nConnection: close\r\n\r\n");
  Response ok;
  ok.status = 204;
  EXPECT_EQ(Serialize(ok), "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
  ok.status = 200;
  ok.body = "hi";
  EXPECT_EQ(Serialize(ok), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
}

}  // namespace
}  // namespace acs::http
