// HttpRequestReader: framing (Content-Length, chunked, pipelining, 100-continue), limits and
// malformed heads, also when the bytes arrive one at a time.
#include <gtest/gtest.h>

#include "admin/http_request_reader.h"

namespace {

using agent::internal::HttpRequestReader;
using Kind = HttpRequestReader::Kind;

HttpRequestReader::Step FeedAll(HttpRequestReader& r, const std::string& bytes) {
  r.Append(bytes);
  return r.Next();
}

TEST(HttpReader, GetWithKeepAliveDefaults) {
  HttpRequestReader r(8192, 1024);
  auto s = FeedAll(r, "GET /admin/status HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(s.kind, Kind::kRequest) << s.error;
  EXPECT_EQ(s.request.head.method, "GET");
  EXPECT_EQ(s.request.head.target, "/admin/status");
  EXPECT_TRUE(s.request.keep_alive);
  EXPECT_FALSE(r.HasPartial());

  s = FeedAll(r, "GET / HTTP/1.0\r\n\r\n");
  ASSERT_EQ(s.kind, Kind::kRequest);
  EXPECT_FALSE(s.request.keep_alive);
  s = FeedAll(r, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  EXPECT_TRUE(s.request.keep_alive);
  s = FeedAll(r, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(s.request.keep_alive);
}

TEST(HttpReader, ContentLengthBodyByteByByte) {
  HttpRequestReader r(8192, 1024);
  std::string req = "POST /admin/config.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  for (size_t i = 0; i + 1 < req.size(); ++i) {
    r.Append(req.substr(i, 1));
    ASSERT_EQ(r.Next().kind, Kind::kNeedMore) << i;
    EXPECT_TRUE(r.HasPartial());
  }
  r.Append(req.substr(req.size() - 1));
  auto s = r.Next();
  ASSERT_EQ(s.kind, Kind::kRequest);
  EXPECT_EQ(s.request.body, "hello");
}

TEST(HttpReader, PipelinedRequestsComeOutInOrder) {
  HttpRequestReader r(8192, 1024);
  r.Append(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
      "\r\nokGET /c HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.Next().request.head.target, "/a");
  auto b = r.Next();
  EXPECT_EQ(b.request.head.target, "/b");
  EXPECT_EQ(b.request.body, "ok");
  EXPECT_EQ(r.Next().request.head.target, "/c");
  EXPECT_EQ(r.Next().kind, Kind::kNeedMore);
}

TEST(HttpReader, ChunkedBodyWithExtensionsAndTrailer) {
  HttpRequestReader r(8192, 1024);
  auto s =
      FeedAll(r,
              "POST /admin/config.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: y\r\n\r\n");
  ASSERT_EQ(s.kind, Kind::kRequest) << s.error;
  EXPECT_EQ(s.request.body, "hello world");
}

TEST(HttpReader, ExpectContinueIsAnnouncedOnce) {
  HttpRequestReader r(8192, 1024);
  auto s = FeedAll(r,
                   "POST /admin/config.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                   "Expect: 100-continue\r\n\r\n");
  EXPECT_EQ(s.kind, Kind::kExpectContinue);
  EXPECT_EQ(r.Next().kind, Kind::kNeedMore);
  s = FeedAll(r, "abc");
  ASSERT_EQ(s.kind, Kind::kRequest);
  EXPECT_EQ(s.request.body, "abc");
}

struct BadCase {
  const char* name;
  std::string bytes;
  int status;
};

class HttpReaderBad : public testing::TestWithParam<BadCase> {};

TEST_P(HttpReaderBad, AnswersWithAnError) {
  HttpRequestReader r(1024, 64);
  auto s = FeedAll(r, GetParam().bytes);
  ASSERT_EQ(s.kind, Kind::kError);
  EXPECT_EQ(s.error_status, GetParam().status) << s.error;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HttpReaderBad,
    testing::Values(
        BadCase{"garbage_line", "hello\r\n\r\n", 400},
        BadCase{"http2", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
        BadCase{"http19", "GET / HTTP/1.9\r\nHost: x\r\n\r\n", 505},
        BadCase{"no_host_11", "GET / HTTP/1.1\r\n\r\n", 400},
        BadCase{"header_without_colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", 400},
        BadCase{"nul_in_head", std::string("GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n", 28), 400},
        BadCase{"head_too_long", "GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(2000, 'a'), 431},
        BadCase{"body_too_long", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n", 413},
        BadCase{"huge_length",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
        BadCase{"negative_length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400},
        BadCase{"two_lengths",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                400},
        BadCase{
            "te_and_cl",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            400},
        BadCase{"gzip_te", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
        BadCase{"bad_chunk_size",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
        BadCase{"chunks_too_long",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", 413},
        BadCase{"chunk_without_crlf",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc", 400},
        BadCase{"bad_expect", "GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n", 417}),
    [](const testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

}  // namespace
