// Prometheus rendering, log lines, cookie parsing.
#include <gtest/gtest.h>

#include <sstream>

#include "acs/cwmp_endpoint.h"
#include "acs/log.h"
#include "acs/metrics.h"
#include "cwmp/base/json.h"

namespace acs {
namespace {

TEST(Metrics, RendersCountersHistogramsAndGauges) {
  metrics::Registry r;
  r.DescribeCounter("c_total", "A counter.");
  r.DescribeHistogram("h_seconds", "A histogram.", {0.1, 1});
  r.DescribeGauge("g", "A gauge.", [] { return 3.0; });
  r.Add("c_total", {{"method", "Inform"}});
  r.Add("c_total", {{"method", "Inform"}}, 2);
  r.Add("c_total", {{"method", "a\"b"}});
  r.Observe("h_seconds", 0.05);
  r.Observe("h_seconds", 0.5);
  r.Observe("h_seconds", 5);
  std::string text = r.Render();
  EXPECT_NE(text.find("# HELP c_total A counter.\n# TYPE c_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("c_total{method=\"Inform\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("c_total{method=\"a\\\"b\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_seconds_bucket{le=\"0.10000000000000001\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("h_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("h_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("h_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE g gauge\n"), std::string::npos);
  EXPECT_NE(text.find("\ng 3\n"), std::string::npos);
  EXPECT_EQ(r.Value("c_total", {{"method", "Inform"}}), 3);
  EXPECT_EQ(r.Value("missing"), 0);
}

TEST(Log, PlainAndJsonLines) {
  auto clock = [] {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(1'767'225'600'123));
  };
  std::stringstream plain, json;
  log::Logger p(&plain, log::Format::kPlain, log::Level::kInfo, clock);
  p.Debug("hidden");
  p.Info("session started", {{"device", "000E08-X-1"}, {"note", "two words"}});
  EXPECT_EQ(plain.str(),
            "2026-01-01T00:00:00.123Z INFO session started device=000E08-X-1 note=\"two words\"\n");
  log::Logger j(&json, log::Format::kJson, log::Level::kDebug, clock);
  j.Warn("a \"quoted\" msg", {{"k", "v\n"}});
  auto v = cwmp::json::Parse(json.str().substr(0, json.str().size() - 1));
  ASSERT_TRUE(v.ok()) << json.str();
  EXPECT_EQ(v->Find("level")->as_string(), "warn");
  EXPECT_EQ(v->Find("msg")->as_string(), "a \"quoted\" msg");
  EXPECT_EQ(v->Find("k")->as_string(), "v\n");
  EXPECT_FALSE(log::ParseFormat("xml").ok());
  EXPECT_FALSE(log::ParseLevel("loud").ok());
}

TEST(Cookies, FindsTheSessionCookie) {
  using cwmp_endpoint::CookieValue;
  EXPECT_EQ(CookieValue("acsd_session=abc", "acsd_session"), "abc");
  EXPECT_EQ(CookieValue("a=1; acsd_session=xyz; b=2", "acsd_session"), "xyz");
  EXPECT_EQ(CookieValue("a=1;acsd_session=\"q\"", "acsd_session"), "q");
  EXPECT_EQ(CookieValue("xacsd_session=no", "acsd_session"), "");
  EXPECT_EQ(CookieValue("", "acsd_session"), "");
  EXPECT_EQ(CookieValue(";;=;", "acsd_session"), "");
}

}  // namespace
}  // namespace acs
