// The Inform fast path (shared/src/soap/inform_fast.h) against the gSOAP path: whatever the
// fast path accepts must decode exactly as gSOAP decodes it, whatever it does not understand
// must fall back, and Decode() must return what the gSOAP path alone returns, on every
// captured-style envelope in tests/data/cwmp and tests/data/acs_session and on variants of the
// Inform the codec writes.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cwmp/soap/codec.h"
#include "soap/inform_fast.h"

namespace cwmp::soap {
namespace {

namespace fs = std::filesystem;
using internal::DecodeInformFast;
using internal::DecodeWithGsoap;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Decode() (fast path first) and the gSOAP path agree: same status, or same envelope and
// namespace version. Returns whether the fast path took the envelope.
bool ExpectSameAsGsoap(const std::string& xml, const DecodeLimits& limits = {}) {
  Result<Decoded> gsoap = DecodeWithGsoap(xml, limits);
  Result<Decoded> decoded = Decode(xml, limits);
  EXPECT_EQ(decoded.ok(), gsoap.ok());
  if (decoded.ok() && gsoap.ok()) {
    EXPECT_TRUE(decoded->envelope == gsoap->envelope);
    EXPECT_EQ(decoded->namespace_version, gsoap->namespace_version);
  } else if (!decoded.ok() && !gsoap.ok()) {
    EXPECT_EQ(decoded.status().ToString(), gsoap.status().ToString());
  }
  std::optional<Decoded> fast = DecodeInformFast(xml, limits);
  if (fast) {
    EXPECT_TRUE(gsoap.ok()) << "fast path accepted what gSOAP refuses: "
                            << gsoap.status().ToString();
    if (gsoap.ok()) {
      EXPECT_TRUE(fast->envelope == gsoap->envelope);
      EXPECT_EQ(fast->namespace_version, gsoap->namespace_version);
    }
  }
  return fast.has_value();
}

Envelope InformWith(int parameters) {
  Inform inf;
  inf.device_id = {"Cisco", "00562B", "CP-6841-3PCC", "FCH2411ABCD"};
  inf.events = {{"1 BOOT", ""}, {"M Reboot", "reboot-42"}};
  inf.current_time = "2026-11-26T11:00:00Z";
  inf.retry_count = 3;
  for (int i = 0; i < parameters; ++i) {
    inf.parameters.push_back({"Device.Services.VoiceService.1.VoiceProfile.1.Line." +
                                  std::to_string(i) + ".SIP.AuthUserName",
                              "user-" + std::to_string(i) + "@voip.example.net", "xsd:string"});
  }
  inf.parameters.push_back({"Device.DeviceInfo.UpTime", "12345", "xsd:unsignedInt"});
  inf.parameters.push_back({"Device.X_Acme.Url", "http://a/?x=1&y=<2>", "xsd:string"});
  Envelope e;
  e.id = "1804289383";
  e.body = std::move(inf);
  return e;
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(InformFastPath, EveryDataEnvelopeDecodesAsWithGsoap) {
  size_t files = 0;
  size_t fast = 0;
  std::vector<std::string> taken;
  for (const char* dir : {"cwmp", "acs_session"}) {
    for (const auto& entry :
         fs::directory_iterator(fs::path(CWMP_SOURCE_DIR) / "tests" / "data" / dir)) {
      if (entry.path().extension() != ".xml") continue;
      SCOPED_TRACE(entry.path().string());
      ++files;
      if (ExpectSameAsGsoap(ReadFile(entry.path()))) {
        ++fast;
        taken.push_back(entry.path().filename().string());
      }
    }
  }
  EXPECT_GE(files, 30u);
  // The plain Informs take the fast path (the test would prove nothing otherwise).
  for (const char* name : {"inform_periodic.xml", "inform_bootstrap.xml"}) {
    EXPECT_NE(std::find(taken.begin(), taken.end(), name), taken.end()) << name;
  }
  EXPECT_GE(fast, 4u);
}

TEST(InformFastPath, WrittenInformsTakeTheFastPathInEveryVersion) {
  for (CwmpVersion v :
       {CwmpVersion::k1_0, CwmpVersion::k1_1, CwmpVersion::k1_2, CwmpVersion::k1_4}) {
    for (int n : {0, 1, 20}) {
      SCOPED_TRACE(std::string(VersionString(v)) + " with " + std::to_string(n));
      Envelope e = InformWith(n);
      Result<std::string> xml = Encode(e, v);
      ASSERT_TRUE(xml.ok()) << xml.status().ToString();
      EXPECT_TRUE(ExpectSameAsGsoap(*xml));
      std::optional<Decoded> fast = DecodeInformFast(*xml, {});
      ASSERT_TRUE(fast.has_value());
      EXPECT_TRUE(fast->envelope == e);
    }
  }
}

// Variants that the fast path understands, each decoding as gSOAP decodes it.
TEST(InformFastPath, UnderstoodVariantsMatchGsoap) {
  const std::string base = Encode(InformWith(3), CwmpVersion::k1_2).value();
  const std::vector<std::pair<std::string, std::string>> variants = {
      {"as written", base},
      {"no declaration", base.substr(base.find("<SOAP-ENV:Envelope"))},
      {"open-close CommandKey", Replace(base, "<CommandKey/>", "<CommandKey></CommandKey>")},
      {"no xsi:type", Replace(base, "<Value xsi:type=\"xsd:unsignedInt\">", "<Value>")},
      {"empty Value", Replace(base, ">12345</Value>", "/>")},
      {"single quotes",
       Replace(base, "xsi:type=\"xsd:unsignedInt\"", "xsi:type='xsd:unsignedInt'")},
      {"no header",
       Replace(base,
               base.substr(base.find("<SOAP-ENV:Header>"),
                           base.find("<SOAP-ENV:Body") - base.find("<SOAP-ENV:Header>")),
               "")},
      {"no arrayType", Replace(base, " SOAP-ENC:arrayType=\"cwmp:EventStruct[2]\"", "")},
      {"padded arrayType", Replace(base, "cwmp:EventStruct[2]", "cwmp:EventStruct[0008]")},
      {"mustUnderstand 0",
       Replace(base, "SOAP-ENV:mustUnderstand=\"1\"", "SOAP-ENV:mustUnderstand=\"0\"")},
      {"cwmp 1-3 namespace",
       Replace(base, "urn:dslforum-org:cwmp-1-2", "urn:dslforum-org:cwmp-1-3")},
      {"quot entity", Replace(base, "FCH2411ABCD", "FCH&quot;2411&apos;")},
      {"leading zeros", Replace(base, "<MaxEnvelopes>1<", "<MaxEnvelopes>0001<")},
      {"largest unsigned", Replace(base, "<RetryCount>3<", "<RetryCount>4294967295<")},
  };
  for (const auto& [name, xml] : variants) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(ExpectSameAsGsoap(xml));
  }
}

// What the fast path does not understand falls back to gSOAP: same result either way.
TEST(InformFastPath, OtherShapesFallBackToGsoap) {
  const std::string base = Encode(InformWith(3), CwmpVersion::k1_2).value();
  const std::vector<std::pair<std::string, std::string>> variants = {
      {"comment", Replace(base, "<DeviceId>", "<!-- c --><DeviceId>")},
      {"CDATA", Replace(base, ">12345<", "><![CDATA[12345]]><")},
      {"space around a value", Replace(base, ">12345<", "> 12345 <")},
      {"newline in a value", Replace(base, "M Reboot", "M\nReboot")},
      {"character reference", Replace(base, "FCH2411ABCD", "FCH&#65;")},
      {"non-ASCII", Replace(base, "FCH2411ABCD", "FCH\xC3\xA9")},
      {"BOM", "\xEF\xBB\xBF" + base},
      {"other header", Replace(base, "</SOAP-ENV:Header>",
                               "<cwmp:HoldRequests>0</cwmp:HoldRequests></SOAP-ENV:Header>")},
      {"unknown attribute", Replace(base, "<DeviceId>", "<DeviceId id=\"d\">")},
      {"reordered", Replace(base, "<MaxEnvelopes>1</MaxEnvelopes>", "")},
      {"qualified child",
       Replace(Replace(base, "<DeviceId>", "<cwmp:DeviceId>"), "</DeviceId>", "</cwmp:DeviceId>")},
      {"mismatched end tag", Replace(base, "</Manufacturer>", "</Manufacturer2>")},
      {"plus sign", Replace(base, "<RetryCount>3<", "<RetryCount>+3<")},
      {"too large a number", Replace(base, "<RetryCount>3<", "<RetryCount>99999999999<")},
      {"xs prefix",
       Replace(Replace(base, "xmlns:xsd=", "xmlns:xs="), "xsd:unsignedInt", "xs:unsignedInt")},
      {"other cwmp namespace",
       Replace(base, "urn:dslforum-org:cwmp-1-2", "urn:dslforum-org:cwmp-1-9")},
      {"trailing text", base + "x"},
      // Found by the fuzzer: a '>' inside the declaration ends it earlier for gSOAP.
      {"declaration with markup",
       "<?xml v='>'\n<<?xml version=\"1.0\"?>\n" + base.substr(base.find("<SOAP-ENV:Envelope"))},
      {"not an Inform", Replace(Replace(base, "<cwmp:Inform>", "<cwmp:Inform2>"), "</cwmp:Inform>",
                                "</cwmp:Inform2>")},
  };
  for (const auto& [name, xml] : variants) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(DecodeInformFast(xml, {}).has_value());
    ExpectSameAsGsoap(xml);
  }
}

// At the limits exactly, both paths must still agree (and the fast path may take the envelope).
TEST(InformFastPath, AgreesWithGsoapAtTheLimits) {
  const Envelope e = InformWith(20);
  const std::string xml = Encode(e, CwmpVersion::k1_2).value();
  const auto& inform = std::get<Inform>(e.body);
  size_t longest = 0;
  for (const ParameterValue& p : inform.parameters) {
    longest = std::max({longest, p.name.size(), p.value.size()});
  }
  for (size_t max_string : {longest - 1, longest, longest + 1}) {
    SCOPED_TRACE("max_string " + std::to_string(max_string));
    DecodeLimits limits;
    limits.max_string = max_string;
    ExpectSameAsGsoap(xml, limits);
  }
  for (size_t max_items :
       {inform.parameters.size() - 1, inform.parameters.size(), inform.parameters.size() + 1}) {
    SCOPED_TRACE("max_items " + std::to_string(max_items));
    DecodeLimits limits;
    limits.max_items = max_items;
    ExpectSameAsGsoap(xml, limits);
  }
}

TEST(InformFastPath, LimitsAreLeftToGsoap) {
  const std::string xml = Encode(InformWith(20), CwmpVersion::k1_2).value();
  DecodeLimits small_strings;
  small_strings.max_string = 16;
  EXPECT_FALSE(DecodeInformFast(xml, small_strings).has_value());
  ExpectSameAsGsoap(xml, small_strings);
  EXPECT_EQ(Decode(xml, small_strings).status().code(), StatusCode::kLimitExceeded);

  DecodeLimits few_items;
  few_items.max_items = 5;
  EXPECT_FALSE(DecodeInformFast(xml, few_items).has_value());
  ExpectSameAsGsoap(xml, few_items);
  EXPECT_FALSE(Decode(xml, few_items).ok());
}

}  // namespace
}  // namespace cwmp::soap
