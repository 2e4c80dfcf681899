// Firmware versions (guide lines 935-957).
#include "cwmp/prov/version.h"

#include <gtest/gtest.h>

namespace cwmp::prov {
namespace {

TEST(Version, ParsesTheGuideFormat) {
  Result<FirmwareVersion> v = ParseFirmwareVersion("sip68xx.11-0-1MPP-BN");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->prefix, "sip68xx");
  ASSERT_EQ(v->fields.size(), 4u);
  EXPECT_EQ(v->fields[0].number, 11u);
  EXPECT_EQ(v->fields[2].number, 1u);
  EXPECT_EQ(v->fields[2].rest, "MPP");
  EXPECT_FALSE(v->fields[3].has_number);
  EXPECT_EQ(v->fields[3].rest, "BN");
  for (const char* ok : {"sipyyyy.11-0-0MPP-BN", "sip68xx.11-0-1MPP", "sip68xx.11-3-1MPP0001-609",
                         "sip68xx.1", "x.0"}) {
    EXPECT_TRUE(ParseFirmwareVersion(ok).ok()) << ok;
    EXPECT_TRUE(LooksLikeFirmwareVersion(ok)) << ok;
  }
}

TEST(Version, RejectsOtherFormats) {
  // 11.0.0 is the guide's own example of an invalid format.
  for (const char* bad :
       {"11.0.0", "", "sip68xx", "sip68xx.", "sip68xx.MPP", "sip68xx.11--0", "sip68xx.11-0-",
        ".11-0-1", "sip-68.11", "sip68xx.11_0", "sip68xx.11 0", "sip68xx.1234567890123456789"}) {
    Result<FirmwareVersion> v = ParseFirmwareVersion(bad);
    EXPECT_FALSE(v.ok()) << bad;
    EXPECT_EQ(v.status().code(), StatusCode::kParseError) << bad;
    EXPECT_FALSE(LooksLikeFirmwareVersion(bad)) << bad;
  }
}

TEST(Version, Ordering) {
  struct Case {
    const char* a;
    const char* b;
    int expected;
  };
  const Case cases[] = {
      {"sip68xx.11-0-0MPP-BN", "sip68xx.11-0-1MPP-BN", -1},  // guide 955
      {"sip68xx.11-0-1MPP", "sip68xx.11-0-1MPP", 0},
      {"sip68xx.11-1-0MPP", "sip68xx.11-0-9MPP", 1},  // leftmost first
      {"sip68xx.12-0-0MPP", "sip68xx.11-99-99MPP", 1},
      {"sip68xx.11-0-10MPP", "sip68xx.11-0-9MPP", 1},  // numerically
      {"sip68xx.11-0-1MPP", "sip68xx.11-0-1MPQ", -1},  // then alphabetically
      {"sip68xx.11-0-1", "sip68xx.11-0-1MPP", -1},
      {"sip68xx.11-0-1MPP", "sip68xx.11-0-1MPP-0042", 0},  // shared fields only
      {"sip68xx.11-0-1MPP-0041", "sip68xx.11-0-1MPP-0042", -1},
      {"sip68xx.11-0-1MPP-BN", "sip68xx.11-0-1MPP-1", -1},  // placeholder before numbers
      {"sip68xx.011-0-1", "sip68xx.11-0-1", 0},
  };
  for (const Case& c : cases) {
    FirmwareVersion a = ParseFirmwareVersion(c.a).value();
    FirmwareVersion b = ParseFirmwareVersion(c.b).value();
    Result<int> ab = CompareFirmwareVersions(a, b);
    Result<int> ba = CompareFirmwareVersions(b, a);
    ASSERT_TRUE(ab.ok() && ba.ok()) << c.a << " " << c.b;
    EXPECT_EQ(ab.value(), c.expected) << c.a << " vs " << c.b;
    EXPECT_EQ(ba.value(), -c.expected) << c.b << " vs " << c.a;
    EXPECT_EQ(SameFirmwareVersion(a, b), c.expected == 0) << c.a << " vs " << c.b;
  }
}

TEST(Version, DifferentProductsDoNotOrder) {
  FirmwareVersion a = ParseFirmwareVersion("sip68xx.11-0-1MPP").value();
  FirmwareVersion b = ParseFirmwareVersion("sip78xx.11-0-1MPP").value();
  Result<int> c = CompareFirmwareVersions(a, b);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(SameFirmwareVersion(a, b));
}

}  // namespace
}  // namespace cwmp::prov
