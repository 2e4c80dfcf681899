#include "cwmp/prov/profile_check.h"

#include <gtest/gtest.h>

namespace cwmp::prov {
namespace {

FlatProfile Parse(std::string_view xml) {
  auto parsed = ParseFlatProfile(xml);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : FlatProfile{};
}

TEST(ProfileCheck, GuideOpenProfileExampleIsValid) {
  // Guide, "Example: Open Profile Format".
  FlatProfile p = Parse(
      "<flat-profile>\n<Resync_On_Reset> Yes </Resync_On_Reset>\n"
      "<Resync_Periodic> 7200 </Resync_Periodic>\n"
      "<Profile_Rule> tftp://prov.telco.com:6900/cisco/config/CP_xxxx_MPP.cfg</Profile_Rule>\n"
      "</flat-profile>\n");
  EXPECT_TRUE(CheckProfile(p, Catalog::Builtin()).empty());
}

TEST(ProfileCheck, ReportsEachBadValueWithItsPosition) {
  FlatProfile p = Parse(
      "<flat-profile>\n"
      "  <Resync_On_Reset>Maybe</Resync_On_Reset>\n"
      "  <Resync_Periodic>abc</Resync_Periodic>\n"
      "  <Station_Name ua=\"rw\"/>\n"
      "</flat-profile>\n");
  auto d = CheckProfile(p, Catalog::Builtin());
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 3);
  EXPECT_NE(d[0].message.find("Resync_On_Reset: \"Maybe\""), std::string::npos) << d[0].message;
  EXPECT_EQ(d[1].line, 3);
  EXPECT_NE(d[1].message.find("Resync_Periodic: \"abc\""), std::string::npos) << d[1].message;
  EXPECT_FALSE(d[0].warning);
}

TEST(ProfileCheck, UnknownNamesAreErrorsOrWarningsWithASuggestion) {
  FlatProfile p = Parse("<flat-profile><Resync_Periodik>60</Resync_Periodik></flat-profile>");
  auto strict = CheckProfile(p, Catalog::Builtin());
  ASSERT_EQ(strict.size(), 1u);
  EXPECT_FALSE(strict[0].warning);
  EXPECT_NE(strict[0].message.find("did you mean \"Resync_Periodic\"?"), std::string::npos)
      << strict[0].message;
  CheckOptions lenient;
  lenient.allow_unknown = true;
  auto relaxed = CheckProfile(p, Catalog::Builtin(), lenient);
  ASSERT_EQ(relaxed.size(), 1u);
  EXPECT_TRUE(relaxed[0].warning);
}

TEST(ProfileCheck, NoSuggestionForUnrelatedNames) {
  EXPECT_EQ(SuggestParameterName("Completely_Unrelated_Thing", Catalog::Builtin()), "");
  EXPECT_EQ(SuggestParameterName("Line_Enable_1", Catalog::Builtin()), "Line_Enable_1_");
}

TEST(ProfileCheck, SecretValuesNeverAppearInMessages) {
  const Catalog& catalog = Catalog::Builtin();
  // Find a secret parameter whose type rejects some value; a too-long string always fails Str<n>.
  for (const ParamDef& def : catalog.params()) {
    if (!def.secret) continue;
    const std::string value = "TopSecret-" + std::string(5000, 'x');
    FlatProfile p;
    p.elements.push_back({def.name, value, std::nullopt, 1, 1});
    for (const auto& d : CheckProfile(p, catalog)) {
      EXPECT_EQ(d.message.find("TopSecret"), std::string::npos) << d.message;
    }
  }
}

TEST(ProfileCheck, EveryCatalogDefaultPasses) {
  const Catalog& catalog = Catalog::Builtin();
  FlatProfile p;
  for (const ParamDef& def : catalog.params()) {
    p.elements.push_back({def.name, def.default_value, def.access, 1, 1});
  }
  auto reparsed = ParseFlatProfile(SerializeFlatProfile(p));
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
  EXPECT_EQ(reparsed->elements.size(), catalog.params().size());
  auto d = CheckProfile(*reparsed, catalog);
  EXPECT_TRUE(d.empty()) << d.front().message;
}

}  // namespace
}  // namespace cwmp::prov
