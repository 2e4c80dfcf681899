// ParameterSet: layered, all-or-nothing application of parsed profiles.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/parameter_set.h"
#include "test_util.h"

namespace cwmp::prov {
namespace {

using testing::ReadProfileFile;

FlatProfile Parse(std::string_view xml) {
  Result<FlatProfile> parsed = ParseFlatProfile(xml);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : FlatProfile{};
}

const std::set<std::string, std::less<>> kCatalog = {
    "Resync_Periodic", "Station_Name", "Dial_Plan_1_", "GPP_A", "GPP_B", "Profile_Rule"};

bool Known(std::string_view name) { return kCatalog.contains(name); }

ParameterState State(std::optional<std::string> value, std::optional<Access> access) {
  return ParameterState{std::move(value), access};
}

TEST(ParameterSetTest, LaterProfileOverridesEarlier) {
  ParameterSet set;
  EXPECT_TRUE(set.Apply(Parse(ReadProfileFile("layer_base.xml")), Known).empty());
  std::vector<ProfileElement> unknown =
      set.Apply(Parse(ReadProfileFile("layer_override.xml")), Known);

  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].name, "Not_A_Phone_Parameter");
  EXPECT_EQ(unknown[0].line, 8);
  EXPECT_EQ(unknown[0].column, 3);
  EXPECT_EQ(set.Get("Not_A_Phone_Parameter"), nullptr);

  // No ua: value changes, access kept.
  EXPECT_EQ(*set.Get("Resync_Periodic"), State("7200", Access::kNa));
  // <Station_Name ua="ro"/>: access changes, value kept.
  EXPECT_EQ(*set.Get("Station_Name"), State("Lobby", Access::kRo));
  // <X ua="na"></X>: empty string and access.
  EXPECT_EQ(*set.Get("Dial_Plan_1_"), State("", Access::kNa));
  // Last occurrence wins.
  EXPECT_EQ(*set.Get("GPP_A"), State("third", std::nullopt));
  EXPECT_EQ(set.size(), 4u);
}

TEST(ParameterSetTest, LastOccurrenceWinsPerField) {
  ParameterSet set;
  set.Apply(Parse("<flat-profile><GPP_A ua=\"ro\">1</GPP_A><GPP_A>2</GPP_A>"
                  "<GPP_A ua=\"rw\"/></flat-profile>"),
            Known);
  EXPECT_EQ(*set.Get("GPP_A"), State("2", Access::kRw));
}

TEST(ParameterSetTest, UaOnlyOnNewNameHasNoValue) {
  ParameterSet set;
  set.Apply(Parse("<flat-profile><GPP_B ua=\"na\"/></flat-profile>"), Known);
  EXPECT_EQ(*set.Get("GPP_B"), State(std::nullopt, Access::kNa));
}

TEST(ParameterSetTest, NullKnownAcceptsEverything) {
  ParameterSet set;
  Result<ApplyReport> report = set.Apply(Parse("<flat-profile><X>1</X><Y>2</Y></flat-profile>"));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->applied, 2u);
  EXPECT_TRUE(report->unknown.empty());
  EXPECT_EQ(set.size(), 2u);
}

TEST(ParameterSetTest, ValidationFailureChangesNothing) {
  ParameterSet set;
  set.Apply(Parse(ReadProfileFile("layer_base.xml")), Known);
  const auto before = set.parameters();

  ApplyOptions options;
  options.known = Known;
  options.validate = [](const ProfileElement& e) -> Status {
    if (e.name == "Resync_Periodic" &&
        e.value->find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgument(e.name + ": \"" + *e.value + "\" is not a number");
    }
    return Status::Ok();
  };
  Result<ApplyReport> report = set.Apply(
      Parse("<flat-profile>\n<GPP_A>changed</GPP_A>\n<Station_Name ua=\"na\"/>\n"
            "  <Resync_Periodic>abc</Resync_Periodic>\n<GPP_B>new</GPP_B>\n</flat-profile>"),
      options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(report.status().message(), "4:3: Resync_Periodic: \"abc\" is not a number");
  EXPECT_EQ(set.parameters(), before);

  // The same profile with a valid value applies whole.
  report = set.Apply(Parse("<flat-profile><GPP_A>changed</GPP_A>"
                           "<Resync_Periodic>60</Resync_Periodic></flat-profile>"),
                     options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(set.Get("GPP_A")->value, "changed");
  EXPECT_EQ(set.Get("Resync_Periodic")->value, "60");
}

TEST(ParameterSetTest, ValidatorSeesOnlyKnownElementsWithValues) {
  ParameterSet set;
  std::vector<std::string> seen;
  ApplyOptions options;
  options.known = Known;
  options.validate = [&](const ProfileElement& e) {
    seen.push_back(e.name);
    return Status::Ok();
  };
  ASSERT_TRUE(set.Apply(Parse("<flat-profile><GPP_A>1</GPP_A><GPP_B ua=\"rw\"/><Other>x</Other>"
                              "</flat-profile>"),
                        options)
                  .ok());
  EXPECT_EQ(seen, std::vector<std::string>{"GPP_A"});
}

TEST(ParameterSetTest, SetGetErase) {
  ParameterSet set;
  EXPECT_TRUE(set.Set("Station_Name", "Lobby", Access::kRw).ok());
  EXPECT_TRUE(set.Set("Station_Name", "Hall").ok());
  EXPECT_EQ(*set.Get("Station_Name"), State("Hall", Access::kRw));
  EXPECT_TRUE(set.SetAccess("GPP_A", Access::kNa).ok());
  EXPECT_EQ(*set.Get("GPP_A"), State(std::nullopt, Access::kNa));
  EXPECT_EQ(set.Set("Bad Name", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(set.Set("", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(set.Set("1abc", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(set.SetAccess("a<b", Access::kRo).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(set.Erase("GPP_A"));
  EXPECT_FALSE(set.Erase("GPP_A"));
  EXPECT_EQ(set.Get("GPP_A"), nullptr);
}

TEST(ParameterSetTest, ParameterNames) {
  for (const char* good :
       {"GPP_A", "Dial_Plan_1_", "Phone-UI-User-Mode", "Enable_802.1X_Authentication", "_x"}) {
    EXPECT_TRUE(IsParameterName(good)) << good;
  }
  for (const char* bad : {"", "1A", "-A", "A B", "a:b", "A/B", "\xC3\xA9"}) {
    EXPECT_FALSE(IsParameterName(bad)) << bad;
  }
  EXPECT_TRUE(IsParameterName(std::string(256, 'a')));
  EXPECT_FALSE(IsParameterName(std::string(257, 'a')));
}

TEST(ParameterSetTest, ToFlatProfileRebuildsTheSet) {
  ParameterSet set;
  set.Apply(Parse(ReadProfileFile("system_sample.xml")), nullptr);
  ASSERT_TRUE(set.Set("GPP_A", "a & <b>", Access::kRo).ok());
  FlatProfile exported = set.ToFlatProfile();
  ASSERT_EQ(exported.elements.size(), set.size());
  EXPECT_EQ(exported.elements.front().name, "Block_Nonproxy_SIP");  // name order

  ParameterSet copy;
  copy.Apply(Parse(SerializeFlatProfile(exported)), nullptr);
  EXPECT_EQ(copy.parameters(), set.parameters());
}

}  // namespace
}  // namespace cwmp::prov
