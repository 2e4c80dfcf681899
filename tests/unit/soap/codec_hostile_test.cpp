// Hostile input: limits, DTDs and entities, truncation and garbage never crash and always
// produce a clear error.

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "cwmp/soap/codec.h"
#include "samples.h"

namespace cwmp::soap {
namespace {

const char kHead[] =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "xmlns:c=\"urn:dslforum-org:cwmp-1-2\"><s:Body>";
const char kTail[] = "</s:Body></s:Envelope>";

std::string Wrap(const std::string& body) { return kHead + body + kTail; }

TEST(Hostile, EmptyBodyIsNotAnEnvelope) {
  Result<Decoded> d = Decode("");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
}

TEST(Hostile, SizeLimit) {
  DecodeLimits limits;
  limits.max_bytes = 100;
  Result<Decoded> d = Decode(Wrap("<c:GetRPCMethods/>" + std::string(200, ' ')), limits);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kLimitExceeded);
}

TEST(Hostile, DepthLimit) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<x>";
  for (int i = 0; i < 100; ++i) deep += "</x>";
  Result<Decoded> d = Decode(Wrap("<c:Reboot><CommandKey>k</CommandKey>" + deep + "</c:Reboot>"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kLimitExceeded) << d.status().ToString();
  EXPECT_NE(d.status().message().find("nesting"), std::string::npos);
}

TEST(Hostile, StringLimit) {
  DecodeLimits limits;
  limits.max_string = 1000;
  Result<Decoded> d = Decode(
      Wrap("<c:Reboot><CommandKey>" + std::string(5000, 'k') + "</CommandKey></c:Reboot>"), limits);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kLimitExceeded) << d.status().ToString();
}

TEST(Hostile, ItemLimit) {
  DecodeLimits limits;
  limits.max_items = 10;
  std::string names;
  for (int i = 0; i < 11; ++i) names += "<string>Device.</string>";
  Result<Decoded> d = Decode(Wrap("<c:GetParameterValues><ParameterNames>" + names +
                                  "</ParameterNames>"
                                  "</c:GetParameterValues>"),
                             limits);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kLimitExceeded) << d.status().ToString();
}

TEST(Hostile, NoDtdNoEntities) {
  const std::string cases[] = {
      "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY a \"aaaaaaaaaa\">]>" +
          Wrap("<c:Reboot><CommandKey>&a;</CommandKey></c:Reboot>"),
      "<!DOCTYPE s SYSTEM \"file:///etc/passwd\">" + Wrap("<c:GetRPCMethods/>"),
      Wrap("<c:Reboot><CommandKey>&xxe;</CommandKey></c:Reboot>"),
      Wrap("<c:Reboot><CommandKey a=\"&ent;\">k</CommandKey></c:Reboot>"),
  };
  for (const std::string& xml : cases) {
    Result<Decoded> d = Decode(xml);
    ASSERT_FALSE(d.ok()) << xml;
    EXPECT_EQ(d.status().code(), StatusCode::kParseError) << d.status().ToString();
  }
  // Predefined and character references are fine.
  Result<Decoded> ok =
      Decode(Wrap("<c:Reboot><CommandKey>&lt;&#65;&#x42;&amp;</CommandKey></c:Reboot>"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(std::get<Reboot>(ok->envelope.body).command_key, "<AB&");
}

TEST(Hostile, NotAnEnvelope) {
  const std::string cases[] = {
      "hello",
      "<html><body>502 Bad Gateway</body></html>",
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>"
      "<c:GetRPCMethods xmlns:c=\"urn:dslforum-org:cwmp-1-2\"/></s:Body></s:Envelope>",
      std::string(kHead) + kTail,                 // empty Body
      std::string(kHead) + "<c:GetRPCMethods/>",  // truncated
      Wrap("<c:Inform><DeviceId><OUI>1</OUI>"),   // unbalanced
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
      "xmlns:c=\"urn:dslforum-org:cwmp-1-9\"><s:Body><c:GetRPCMethods/></s:Body></s:Envelope>",
  };
  for (const std::string& xml : cases) {
    Result<Decoded> d = Decode(xml);
    EXPECT_FALSE(d.ok()) << xml;
  }
}

TEST(Hostile, ForeignNamespaceOnIdIsMustUnderstand) {
  Result<Decoded> d = Decode(
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
      "xmlns:f=\"urn:foo\"><s:Header><f:ID s:mustUnderstand=\"1\">1</f:ID></s:Header>"
      "<s:Body/></s:Envelope>");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kUnsupported);
}

// Truncating or flipping bytes of valid envelopes must never crash (ASan builds check memory).
TEST(Hostile, MutatedEnvelopesNeverCrash) {
  std::mt19937 rng(20261126);
  for (const testing::Sample& s : testing::AllSamples()) {
    Result<std::string> xml = Encode(s.envelope, CwmpVersion::k1_4);
    if (!xml.ok()) continue;
    // An envelope cut before its Body closes is never accepted.
    size_t body_end = xml->find("</SOAP-ENV:Body>");
    ASSERT_NE(body_end, std::string::npos);
    for (size_t cut = 0; cut < body_end; cut += 37) {
      EXPECT_FALSE(Decode(std::string_view(*xml).substr(0, cut)).ok()) << s.name << " " << cut;
    }
    for (int i = 0; i < 50; ++i) {
      std::string m = *xml;
      m[rng() % m.size()] = static_cast<char>(rng() % 256);
      Result<Decoded> d = Decode(m);
      if (!d.ok()) {
        EXPECT_FALSE(d.status().message().empty());
      }
    }
  }
}

}  // namespace
}  // namespace cwmp::soap
