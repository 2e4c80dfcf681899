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

// The built-in catalog is checked through a flat name index of its own; any other catalog
// through Catalog::Find and Catalog::Validate's wording. Both must give the same diagnostics,
// for every catalog name, for near misses and for the Validate message of each bad value.
TEST(ProfileCheck, BuiltinIndexAgreesWithCatalogLookup) {
  const Catalog& builtin = Catalog::Builtin();
  FlatProfile p;
  for (const ParamDef& def : builtin.params()) {
    p.elements.push_back({def.name, def.default_value, std::nullopt, 1, 1});
    p.elements.push_back({def.name, std::string("\x01not valid"), std::nullopt, 2, 1});
    p.elements.push_back({def.name + "x", std::string("1"), std::nullopt, 3, 1});
    p.elements.push_back({def.name.substr(0, def.name.size() - 1), std::string("1"), std::nullopt, 4, 1});
  }
  p.elements.push_back({"", std::string("1"), std::nullopt, 5, 1});
  // A copy of the catalog at another address takes the generic path.
  const Catalog copy = builtin;
  CheckOptions options;
  options.suggest = false;  // suggestions are the same code on both paths; keep the test fast
  auto via_index = CheckProfile(p, builtin, options);
  auto via_find = CheckProfile(p, copy, options);
  ASSERT_EQ(via_index.size(), via_find.size());
  for (size_t i = 0; i < via_index.size(); ++i) {
    EXPECT_EQ(via_index[i].message, via_find[i].message);
    EXPECT_EQ(via_index[i].line, via_find[i].line);
    EXPECT_EQ(via_index[i].warning, via_find[i].warning);
  }
  // And every bad value reads exactly as Catalog::Validate words it.
  size_t bad = 0;
  for (const CheckDiagnostic& d : via_index) {
    if (d.line != 2) continue;
    ++bad;
  }
  EXPECT_GT(bad, builtin.params().size() / 2);
  for (const ParamDef& def : builtin.params()) {
    Status st = builtin.Validate(def.name, "\x01not valid");
    if (st.ok()) continue;
    FlatProfile one;
    one.elements.push_back({def.name, std::string("\x01not valid"), std::nullopt, 1, 1});
    auto d = CheckProfile(one, builtin, options);
    ASSERT_EQ(d.size(), 1u) << def.name;
    EXPECT_EQ(d[0].message, st.message());
  }
}

}  // namespace
}  // namespace cwmp::prov
