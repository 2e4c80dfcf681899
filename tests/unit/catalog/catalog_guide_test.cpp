// The catalog against the guide itself: every element of the "XML Open Format Sample" and every
// row of the provisioning parameter tables must be a catalog parameter.

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "cwmp/prov/catalog.h"

namespace cwmp::prov {
namespace {

// The PDF extraction turned '_' into ' ', dropped trailing '_' and changed case here and
// there, so names are compared by their letters and digits only, case-insensitively.
std::string Key(std::string_view name) {
  std::string k;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return k;
}

// OCR misreadings in the sample (key as extracted -> key of the real name).
const std::map<std::string, std::string> kTypos = {{"rinq4", "ring4"}};

std::string ReadGuide() {
  std::ifstream in(CWMP_GUIDE_FILE);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::map<std::string, const ParamDef*> CatalogByKey() {
  std::map<std::string, const ParamDef*> keys;
  for (const ParamDef& p : Catalog::Builtin().params()) keys[Key(p.name)] = &p;
  return keys;
}

TEST(CatalogGuide, EverySampleElementIsInTheCatalog) {
  if (!std::filesystem::exists(CWMP_GUIDE_FILE)) {
    GTEST_SKIP() << "guide text not found at " << CWMP_GUIDE_FILE << " (../shared/seed)";
  }
  std::string guide = ReadGuide();
  size_t start = guide.find("XML Open Format Sample\n\n```");
  ASSERT_NE(start, std::string::npos);
  size_t end = guide.find("</flat-profile>", start);
  ASSERT_NE(end, std::string::npos);
  std::string sample = guide.substr(start, end - start);

  const std::regex element(
      R"re(<\s*(?:a href=")?([A-Za-z][A-Za-z0-9 _.\-]*?)(?:</pre>)?\s+ua="(na|ro|rw)")re");
  auto keys = CatalogByKey();
  size_t elements = 0;
  for (auto it = std::sregex_iterator(sample.begin(), sample.end(), element);
       it != std::sregex_iterator(); ++it) {
    ++elements;
    std::string key = Key((*it)[1].str());
    if (auto typo = kTypos.find(key); typo != kTypos.end()) key = typo->second;
    auto found = keys.find(key);
    if (found == keys.end()) {
      ADD_FAILURE() << "sample element <" << (*it)[1].str() << "> is not in the catalog";
      continue;
    }
    // The sample's ua attribute is the default user access.
    EXPECT_EQ(AccessName(found->second->access), (*it)[2].str()) << found->second->name;
  }
  EXPECT_GE(elements, 570u) << "sample elements found: " << elements;  // "about 575"
}

TEST(CatalogGuide, EveryTableParameterIsInTheCatalog) {
  // Rows of "Configuration Profile Parameters", "Firmware Upgrade Parameters" and "General
  // Purpose Parameters", names restored (the guide: "Par Name" is written Par_Name).
  const char* kTableRows[] = {
      "Provision_Enable", "Resync_On_Reset", "Resync_Random_Delay", "Resync_At__HHmm_",
      "Resync_At_Random_Delay", "Resync_Periodic", "Resync_Error_Retry_Delay",
      "Forced_Resync_Delay", "Resync_From_SIP", "Resync_After_Upgrade_Attempt", "Resync_Trigger_1",
      "Resync_Trigger_2", "Resync_Fails_On_FNF", "Profile_Rule", "Profile_Rule_B", "Profile_Rule_C",
      "Profile_Rule_D", "DHCP_Option_To_Use", "Log_Request_Msg", "Log_Success_Msg",
      "Log_Failure_Msg", "User_Configurable_Resync", "Upgrade_Enable", "Upgrade_Error_Retry_Delay",
      "Upgrade_Rule", "Log_Upgrade_Request_Msg", "Log_Upgrade_Success_Msg",
      "Log_Upgrade_Failure_Msg", "Peer_Firmware_Sharing", "Peer_Firmware_Sharing_Log_Server",
      "GPP_A", "GPP_B", "GPP_C", "GPP_D", "GPP_E", "GPP_F", "GPP_G", "GPP_H", "GPP_I", "GPP_J",
      "GPP_K", "GPP_L", "GPP_M", "GPP_N", "GPP_O", "GPP_P",
      // Named in the text: special-purpose GPPs, IKM, downgrade limit, debug syslog, accounts.
      "GPP_SA", "GPP_SB", "GPP_SC", "GPP_SD", "IKM_HTTP_Encrypt_Content", "Downgrade_Rev_Limit",
      "Debug_Server", "Debug_Level", "Syslog_Server", "User_Password", "Admin_Password",
      "Privacy_Header_1_", "Custom_CA_Rule"};
  for (const char* name : kTableRows) {
    EXPECT_NE(Catalog::Builtin().Find(name), nullptr) << name;
  }
}

TEST(CatalogGuide, TableDefaultsWinOverSampleValues) {
  // The sample uses example values; the tables state the defaults.
  const Catalog& cat = Catalog::Builtin();
  EXPECT_EQ(cat.Find("Resync_Periodic")->default_value, "3600");        // sample: 60
  EXPECT_EQ(cat.Find("Forced_Resync_Delay")->default_value, "14400");   // sample: 1440
  EXPECT_EQ(cat.Find("Resync_At_Random_Delay")->default_value, "600");  // sample: 30
  EXPECT_EQ(cat.Find("Profile_Rule")->default_value, "/$PSN.xml");      // sample: /$PSN-a.xml
}

}  // namespace
}  // namespace cwmp::prov
