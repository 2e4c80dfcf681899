// The parts of the transfer layer that need no server: the User-Agent, $CCERT, outcome names,
// and URLs that are refused before any network I/O.
#include <gtest/gtest.h>

#include "agent/transfer.h"

namespace agent {
namespace {

TEST(UserAgent, IsTheGuidesExample) {
  EXPECT_EQ(BuildUserAgent(UserAgentIdentity{}), "Cisco-CP-6841-3PCC/11.0 (00562b043615)");
  UserAgentIdentity other{"CP-6871-3PCC", "11.2.4", "000e08abcdef"};
  EXPECT_EQ(BuildUserAgent(other), "Cisco-CP-6871-3PCC/11.2.4 (000e08abcdef)");
}

TEST(FetchOutcome, Names) {
  EXPECT_STREQ(FetchOutcomeName(FetchOutcome::kOk), "ok");
  EXPECT_STREQ(FetchOutcomeName(FetchOutcome::kFileNotFound), "file_not_found");
  EXPECT_STREQ(FetchOutcomeName(FetchOutcome::kFailed), "failed");
}

TEST(ClientCertificateMacro, InstalledOnlyWhenReadable) {
  FetchOptions o;
  EXPECT_EQ(ClientCertificateMacro(o), "Not Installed");
  o.client_cert_file = "/nonexistent/client.pem";
  EXPECT_EQ(ClientCertificateMacro(o), "Not Installed");
  o.client_cert_file =
      std::string(CWMP_SOURCE_DIR) + "/tests/unit/agent_transfer/data/custom_ca.pem";
  EXPECT_EQ(ClientCertificateMacro(o), "Installed");
}

TEST(Fetch, RefusesUrlsBeforeAnyIo) {
  struct Case {
    const char* url;
    const char* error;
  } cases[] = {
      {"http:///basic.txt", "http_get failed: http:///basic.txt: no server in the URL"},
      {"https://host/has space", nullptr},
      {"ftp://host/x", nullptr},
      {"/basic.txt",
       "tftp_get failed: /basic.txt: no server in the URL and no DHCP option 66 server"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    FetchResult r = Fetch(c.url, FetchOptions{});
    EXPECT_EQ(r.outcome, FetchOutcome::kFailed);
    EXPECT_EQ(r.http_status, 0);
    if (c.error) {
      EXPECT_EQ(r.error, c.error);
    } else {
      EXPECT_NE(r.error.find(" failed: "), std::string::npos) << r.error;
    }
  }
}

TEST(Fetch, BadDhcpServerIsReported) {
  FetchOptions o;
  o.dhcp_tftp_server = "bad server";
  FetchResult r = Fetch("/basic.txt", o);
  EXPECT_EQ(r.error, "tftp_get failed: DHCP option 66 server \"bad server\" is not host[:port]");
}

}  // namespace
}  // namespace agent
