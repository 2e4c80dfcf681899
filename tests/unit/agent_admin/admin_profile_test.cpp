// config.xml over a real parameter store: secrets never exported, the user view holds only
// ua=ro/rw parameters, the user account may change only rw parameters (and no ua), all or nothing.
#include <gtest/gtest.h>

#include "agent/admin_server.h"
#include "cwmp/prov/flat_profile.h"
#include "store_admin_actions.h"

namespace agent_admin_test {
namespace {

namespace prov = cwmp::prov;

std::optional<prov::ProfileElement> Find(const std::string& xml, const std::string& name) {
  auto p = prov::ParseFlatProfile(xml);
  EXPECT_TRUE(p.ok()) << p.status().message();
  if (!p.ok()) return std::nullopt;
  for (const auto& e : p->elements) {
    if (e.name == name) return e;
  }
  return std::nullopt;
}

class AdminProfileTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(actions_.ok());
    ASSERT_TRUE(actions_
                    .Set({{"Admin_Password", "adm1n-pw"},
                          {"User_Password", "us3r-pw"},
                          {"Password_1_", "line-pw"},
                          {"GPP_A", "visible"},
                          {"Station_Name", "desk"}})
                    .ok());
  }
  StoreAdminActions actions_;
};

TEST_F(AdminProfileTest, AdminExportHasEverythingButSecrets) {
  std::string xml = actions_.ExportProfile(false);
  for (const char* secret : {"adm1n-pw", "us3r-pw", "line-pw"}) {
    EXPECT_EQ(xml.find(secret), std::string::npos) << secret;
  }
  auto admin_pw = Find(xml, "Admin_Password");
  ASSERT_TRUE(admin_pw);
  EXPECT_FALSE(admin_pw->value);  // ua only: re-applying the export keeps the password
  EXPECT_EQ(Find(xml, "GPP_A")->value.value_or(""), "visible");
  EXPECT_TRUE(Find(xml, "Resync_Periodic"));  // na parameters too
}

TEST_F(AdminProfileTest, UserViewHasOnlyRoAndRwParameters) {
  std::string xml = actions_.ExportProfile(true);
  EXPECT_FALSE(Find(xml, "Admin_Password"));   // na
  EXPECT_FALSE(Find(xml, "Resync_Periodic"));  // na
  EXPECT_FALSE(Find(xml, "GPP_A"));            // na
  auto user_pw = Find(xml, "User_Password");   // rw, secret
  ASSERT_TRUE(user_pw);
  EXPECT_FALSE(user_pw->value);
  EXPECT_EQ(xml.find("us3r-pw"), std::string::npos);
  auto p = prov::ParseFlatProfile(xml);
  ASSERT_TRUE(p.ok());
  ASSERT_FALSE(p->elements.empty());
  for (const auto& e : p->elements) {
    ASSERT_TRUE(e.ua) << e.name;
    EXPECT_NE(*e.ua, prov::Access::kNa) << e.name;
  }
}

TEST_F(AdminProfileTest, UserMayChangeRwParameters) {
  ASSERT_EQ(actions_.GetAccess("IP_Mode"), prov::Access::kRw);
  auto r = actions_.ApplyProfile(
      "<flat-profile><IP_Mode>IPv4 Only</IP_Mode><User_Password>n3w</User_Password>"
      "<Not_A_Parameter>1</Not_A_Parameter></flat-profile>",
      true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->applied, 2u);
  ASSERT_EQ(r->unknown.size(), 1u);
  EXPECT_EQ(r->unknown[0], "Not_A_Parameter");
  EXPECT_EQ(actions_.Get("IP_Mode"), "IPv4 Only");
  EXPECT_EQ(actions_.Get("User_Password"), "n3w");
}

TEST_F(AdminProfileTest, UserTouchingNaOrRoChangesNothingAndSaysWhy) {
  ASSERT_TRUE(
      actions_.ApplyProfile("<flat-profile><Station_Name ua=\"ro\"/></flat-profile>", false).ok());
  auto r = actions_.ApplyProfile(
      "<flat-profile><IP_Mode>IPv6 Only</IP_Mode><Admin_Password>x</Admin_Password>"
      "<Station_Name>mine</Station_Name></flat-profile>",
      true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("Admin_Password (ua=na)"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("Station_Name (ua=ro)"), std::string::npos);
  EXPECT_EQ(actions_.Get("IP_Mode"), "Dual Mode");  // the rw one was not applied either
  EXPECT_EQ(actions_.Get("Admin_Password"), "adm1n-pw");
  EXPECT_EQ(actions_.Get("Station_Name"), "desk");
}

TEST_F(AdminProfileTest, UserCannotChangeAccess) {
  auto r = actions_.ApplyProfile("<flat-profile><GPP_A ua=\"rw\"/></flat-profile>", true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("GPP_A (the user account cannot change ua)"),
            std::string::npos);
  EXPECT_EQ(actions_.GetAccess("GPP_A"), prov::Access::kNa);
  // Repeating the current ua is not a change.
  EXPECT_TRUE(actions_
                  .ApplyProfile("<flat-profile><IP_Mode ua=\"rw\">IPv4 Only</IP_Mode>"
                                "</flat-profile>",
                                true)
                  .ok());
}

TEST_F(AdminProfileTest, AdminChangesAnythingIncludingUa) {
  auto r = actions_.ApplyProfile(
      "<flat-profile><GPP_A ua=\"rw\">x</GPP_A><Admin_Password>new</Admin_Password>"
      "</flat-profile>",
      false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(actions_.GetAccess("GPP_A"), prov::Access::kRw);
  EXPECT_EQ(actions_.Get("Admin_Password"), "new");
}

TEST_F(AdminProfileTest, BadProfilesChangeNothing) {
  auto r = actions_.ApplyProfile("<flat-profile><GPP_A>x</GPP_B></flat-profile>", false);
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kParseError);
  r = actions_.ApplyProfile(
      "<flat-profile><GPP_A>changed</GPP_A><Resync_Periodic>soon</Resync_Periodic></flat-profile>",
      false);
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(actions_.Get("GPP_A"), "visible");
}

TEST_F(AdminProfileTest, SettingsFollowTheStore) {
  auto s = actions_.Settings();
  EXPECT_TRUE(s.web_server_enabled);
  EXPECT_EQ(s.web_server_port, 80);
  EXPECT_TRUE(s.web_admin_access);
  EXPECT_EQ(s.admin_password.Reveal(), "adm1n-pw");
  EXPECT_EQ(s.sip_port, 5060);
  EXPECT_EQ(s.sip_auth_user, "");
  ASSERT_TRUE(actions_
                  .Set({{"Enable_Web_Server", "no"},
                        {"Web_Server_Port", "0x1f90"},
                        {"Enable_Web_Admin_Access", "No"},
                        {"SIP_Port_1_", "5070"},
                        {"User_ID_1_", "1001"}})
                  .ok());
  s = actions_.Settings();
  EXPECT_FALSE(s.web_server_enabled);
  EXPECT_EQ(s.web_server_port, 8080);
  EXPECT_FALSE(s.web_admin_access);
  EXPECT_EQ(s.sip_port, 5070);
  EXPECT_EQ(s.sip_auth_user, "1001");
  ASSERT_TRUE(actions_.Set({{"Auth_ID_1_", "auth-1001"}}).ok());
  EXPECT_EQ(actions_.Settings().sip_auth_user, "auth-1001");
}

}  // namespace
}  // namespace agent_admin_test
