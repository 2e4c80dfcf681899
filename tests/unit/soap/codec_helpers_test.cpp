// Version negotiation, fault helpers, SOAPAction checking and dateTime conversion.

#include <gtest/gtest.h>

#include "cwmp/soap/codec.h"

namespace cwmp::soap {
namespace {

TEST(Version, NamesAndNamespaces) {
  EXPECT_EQ(VersionString(CwmpVersion::k1_3), "1.3");
  EXPECT_EQ(ParseVersion("1.4"), CwmpVersion::k1_4);
  EXPECT_FALSE(ParseVersion("1.5").has_value());
  EXPECT_EQ(NamespaceOf(CwmpVersion::k1_0), "urn:dslforum-org:cwmp-1-0");
  EXPECT_EQ(NamespaceOf(CwmpVersion::k1_1), "urn:dslforum-org:cwmp-1-1");
  EXPECT_EQ(NamespaceOf(CwmpVersion::k1_3), "urn:dslforum-org:cwmp-1-2");
  EXPECT_EQ(NamespaceOf(CwmpVersion::k1_4), "urn:dslforum-org:cwmp-1-2");
}

TEST(Version, Negotiation) {
  struct Case {
    std::optional<std::string_view> supported;
    CwmpVersion ours, fallback, want;
  };
  const Case cases[] = {
      {"1.0,1.1,1.2,1.3,1.4", CwmpVersion::k1_4, CwmpVersion::k1_2, CwmpVersion::k1_4},
      {"1.0, 1.1 ,1.2", CwmpVersion::k1_4, CwmpVersion::k1_2, CwmpVersion::k1_2},
      {"1.0,1.1,1.2,1.3,1.4", CwmpVersion::k1_2, CwmpVersion::k1_2, CwmpVersion::k1_2},
      {"1.4,1.0", CwmpVersion::k1_3, CwmpVersion::k1_2, CwmpVersion::k1_0},
      {std::nullopt, CwmpVersion::k1_4, CwmpVersion::k1_0, CwmpVersion::k1_0},
      {std::nullopt, CwmpVersion::k1_1, CwmpVersion::k1_2, CwmpVersion::k1_1},
      {"garbage", CwmpVersion::k1_4, CwmpVersion::k1_1, CwmpVersion::k1_1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NegotiateVersion(c.supported, c.ours, c.fallback), c.want)
        << c.supported.value_or("(none)");
  }
}

TEST(Version, FirstVersionWith) {
  EXPECT_EQ(FirstVersionWith("Inform"), CwmpVersion::k1_0);
  EXPECT_EQ(FirstVersionWith("GetAllQueuedTransfers"), CwmpVersion::k1_1);
  EXPECT_EQ(FirstVersionWith("ChangeDUState"), CwmpVersion::k1_2);
  EXPECT_FALSE(FirstVersionWith("SetVouchers").has_value());
}

TEST(Faults, ClientOrServerByCode) {
  struct Case {
    uint32_t code;
    const char* faultcode;
  };
  const Case cases[] = {{8003, "Client"}, {8005, "Server"}, {9000, "Server"}, {9003, "Client"},
                        {9005, "Client"}, {9008, "Client"}, {9010, "Server"}, {9020, "Client"},
                        {9021, "Client"}, {9850, "Server"}};
  for (const Case& c : cases) {
    Fault f = MakeFault(c.code);
    EXPECT_EQ(f.soap_faultcode, c.faultcode) << c.code;
    EXPECT_EQ(f.code, c.code);
    EXPECT_EQ(f.soap_faultstring, "CWMP fault");
  }
  EXPECT_EQ(MakeFault(9005).string, "Invalid parameter name");
  EXPECT_EQ(MakeFault(9002, "disk full").string, "disk full");
  EXPECT_EQ(FaultText(8006), "ACS version incompatible with CPE");
  EXPECT_EQ(FaultText(1234), "");
}

TEST(SoapAction, LenientCheck) {
  Body inform = Inform{};
  EXPECT_TRUE(CheckSoapAction(std::nullopt, inform).ok());
  EXPECT_TRUE(CheckSoapAction("", inform).ok());
  EXPECT_TRUE(CheckSoapAction("\"\"", inform).ok());
  EXPECT_TRUE(CheckSoapAction("Inform", inform).ok());
  EXPECT_TRUE(CheckSoapAction("\"Inform\"", inform).ok());
  EXPECT_TRUE(CheckSoapAction("urn:dslforum-org:cwmp-1-0#Inform", inform).ok());
  EXPECT_TRUE(CheckSoapAction(" cwmp:Inform ", inform).ok());
  Status wrong = CheckSoapAction("TransferComplete", inform);
  EXPECT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.message().find("TransferComplete"), std::string::npos);
  EXPECT_TRUE(CheckSoapAction("SetVouchers", Body(UnknownMethod{"SetVouchers"})).ok());
}

TEST(DateTime, ParseAndFormat) {
  using std::chrono::sys_days;
  using namespace std::chrono_literals;
  auto base = sys_days(std::chrono::year(2026) / 11 / 26) + 11h;
  struct Case {
    const char* text;
    bool ok;
  };
  const Case cases[] = {
      {"2026-11-26T11:00:00Z", true},      {"2026-11-26T11:00:00", true},
      {"2026-11-26T11:00:00.5Z", true},    {"2026-11-26T12:00:00+01:00", true},
      {"2026-11-26T06:30:00-04:30", true}, {"2026-11-26T11:00:00.000001", true},
      {"2026-11-26 11:00:00", false},      {"2026-13-26T11:00:00Z", false},
      {"2026-02-30T11:00:00Z", false},     {"2026-11-26T11:00:00+1", false},
      {"2026-11-26T11:00:00.Z", false},    {"", false},
  };
  for (const Case& c : cases) {
    Result<std::chrono::sys_seconds> t = ParseDateTime(c.text);
    EXPECT_EQ(t.ok(), c.ok) << c.text;
    if (t.ok()) {
      EXPECT_EQ(*t, base) << c.text;
    }
  }
  EXPECT_EQ(FormatDateTime(std::chrono::sys_seconds(base)), "2026-11-26T11:00:00Z");
  Result<std::chrono::sys_seconds> unknown = ParseDateTime(kUnknownTime);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(FormatDateTime(*unknown), kUnknownTime);
}

TEST(MethodNames, FromBody) {
  EXPECT_EQ(MethodName(Body(GetParameterValuesResponse{})), "GetParameterValuesResponse");
  EXPECT_EQ(MethodName(Body(Fault{})), "Fault");
}

}  // namespace
}  // namespace cwmp::soap
