// Catalog: the built-in catalog's integrity, spot checks against the guide, lookups, messages
// and the file format's error handling.

#include "cwmp/prov/catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace cwmp::prov {
namespace {

const Catalog& Cat() { return Catalog::Builtin(); }

TEST(Catalog, BuiltinLoads) {
  EXPECT_GT(Cat().params().size(), 1000u);
  EXPECT_GT(Cat().template_count(), 550u);
  EXPECT_LT(Cat().template_count(), Cat().params().size());
}

TEST(Catalog, NamesAndPathsAreUnique) {
  std::set<std::string> names, paths;
  for (const ParamDef& p : Cat().params()) {
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
    EXPECT_TRUE(paths.insert(p.tr069_path).second) << p.tr069_path;
    EXPECT_EQ(Cat().Find(p.name), &p);
    EXPECT_EQ(Cat().FindByPath(p.tr069_path), &p);
  }
}

TEST(Catalog, EveryDefaultValidates) {
  for (const ParamDef& p : Cat().params()) {
    Status st = Cat().Validate(p.name, p.default_value);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
}

TEST(Catalog, PathsAreWellFormed) {
  // TR-106 names: letters, digits, '_' and '-' between dots; vendor objects carry X_<VENDOR>_.
  const std::regex path_re(R"(Device(\.[A-Za-z_][A-Za-z0-9_-]*|\.[0-9]+)+)");
  for (const ParamDef& p : Cat().params()) {
    EXPECT_TRUE(std::regex_match(p.tr069_path, path_re)) << p.name << " " << p.tr069_path;
    bool vendor = p.tr069_path.rfind("Device.X_TR069PHONE_Phone.", 0) == 0;
    bool standard = p.tr069_path.find(".X_") == std::string::npos;
    EXPECT_TRUE(vendor || standard) << p.tr069_path;
  }
}

TEST(Catalog, EverySecretIsFlagged) {
  // Passwords, passphrases, keys and the special-purpose GPPs hold secrets.
  const std::regex secret_re(R"((^|_)(Password|Passphrase)(_|$)|^WEP_Key_|^GPP_S[A-D]$|^IKM_)");
  size_t secrets = 0;
  for (const ParamDef& p : Cat().params()) {
    bool looks_secret = std::regex_search(p.name, secret_re) && p.name != "User_Password_Prompt" &&
                        p.name != "Preferred_Password_Input_Mode";
    EXPECT_EQ(p.secret, looks_secret) << p.name;
    if (p.secret) {
      ++secrets;
      EXPECT_EQ(p.default_value, "") << p.name;
    }
  }
  for (const char* name :
       {"Admin_Password", "User_Password", "IKM_HTTP_Encrypt_Content", "GPP_SA", "GPP_SD",
        "Password_1_", "Password_4_", "Wi-Fi_Password_2_", "PSK_Passphrase_3_", "WEP_Key_4_",
        "ACS_Password", "Connection_Request_Password", "BACKUP_ACS_Password", "XMPP_Password",
        "LDAP_Password", "Login_Password_1_", "Auth_Page_Password_2_"}) {
    const ParamDef* p = Cat().Find(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_TRUE(p->secret) << name;
  }
  EXPECT_GE(secrets, 39u);
}

struct Spot {
  const char* name;
  const char* type;
  const char* default_value;
  Access access;
  const char* path;
};

// Checked against the guide: parameter tables for defaults, the XML sample for ua.
const Spot kSpots[] = {
    {"ACS_URL", "Str1024", "", Access::kNa, "Device.ManagementServer.URL"},
    {"ACS_Username", "Str255", "", Access::kNa, "Device.ManagementServer.Username"},
    {"ACS_Password", "Str127", "", Access::kNa, "Device.ManagementServer.Password"},
    {"Periodic_Inform_Enable", "Bool", "Yes", Access::kNa,
     "Device.ManagementServer.PeriodicInformEnable"},
    {"Periodic_Inform_Interval", "Uns32", "20", Access::kNa,
     "Device.ManagementServer.PeriodicInformInterval"},
    {"Connection_Request_Username", "Str255", "", Access::kNa,
     "Device.ManagementServer.ConnectionRequestUsername"},
    {"Enable_TR-069", "Bool", "No", Access::kNa, "Device.ManagementServer.EnableCWMP"},
    {"Resync_Periodic", "DelayList", "3600", Access::kNa,
     "Device.X_TR069PHONE_Phone.Resync_Periodic"},
    {"Profile_Rule", "ProvisioningRuleSyntax", "/$PSN.xml", Access::kNa,
     "Device.X_TR069PHONE_Phone.Profile_Rule"},
    {"Provision_Enable", "Bool", "Yes", Access::kNa, "Device.X_TR069PHONE_Phone.Provision_Enable"},
    {"Resync_Random_Delay", "Uns32", "2", Access::kNa,
     "Device.X_TR069PHONE_Phone.Resync_Random_Delay"},
    {"Resync_At_Random_Delay", "Uns32", "600", Access::kNa,
     "Device.X_TR069PHONE_Phone.Resync_At_Random_Delay"},
    {"Forced_Resync_Delay", "Uns32", "14400", Access::kNa,
     "Device.X_TR069PHONE_Phone.Forced_Resync_Delay"},
    {"Resync_At__HHmm_", "HHmm", "", Access::kNa, "Device.X_TR069PHONE_Phone.Resync_At__HHmm_"},
    {"DHCP_Option_To_Use", "Str255", "66,160,159,150,60,43,125", Access::kNa,
     "Device.X_TR069PHONE_Phone.DHCP_Option_To_Use"},
    {"Upgrade_Error_Retry_Delay", "DelayList", "3600", Access::kNa,
     "Device.X_TR069PHONE_Phone.Upgrade_Error_Retry_Delay"},
    {"Resync_Fails_On_FNF", "Bool", "Yes", Access::kNa,
     "Device.X_TR069PHONE_Phone.Resync_Fails_On_FNF"},
    {"Peer_Firmware_Sharing", "Bool", "Yes", Access::kNa,
     "Device.X_TR069PHONE_Phone.Peer_Firmware_Sharing"},
    {"Log_Upgrade_Failure_Msg", "Str512", "$PN $MAC -- Upgrade failed: $ERR", Access::kNa,
     "Device.X_TR069PHONE_Phone.Log_Upgrade_Failure_Msg"},
    {"GPP_A", "Str2048", "", Access::kNa, "Device.X_TR069PHONE_Phone.GPP.A.Value"},
    {"GPP_P", "Str2048", "", Access::kNa, "Device.X_TR069PHONE_Phone.GPP.P.Value"},
    {"User_Password", "Str127", "", Access::kRw, "Device.X_TR069PHONE_Phone.User_Password"},
    {"Line_Enable_3_", "Bool", "Yes", Access::kNa,
     "Device.Services.VoiceService.1.CallControl.Line.3.Enable"},
    {"Proxy_2_", "FQDN", "", Access::kNa,
     "Device.Services.VoiceService.1.SIP.Network.2.ProxyServer"},
    {"SIP_Port_1_", "Port", "5060", Access::kNa,
     "Device.Services.VoiceService.1.SIP.Network.1.UserAgentPort"},
    {"SIP_Port_3_", "Port", "5062", Access::kNa,
     "Device.Services.VoiceService.1.SIP.Network.3.UserAgentPort"},
    {"Privacy_Header_4_", "{Disabled,none,header,session,user,id}", "Disabled", Access::kNa,
     "Device.X_TR069PHONE_Phone.Line.4.Privacy_Header"},
    {"Default_Ring_2_", "{No Ring,1,2,3,4,5,6,7,8,9,10,11,12,13,14}", "1", Access::kRw,
     "Device.X_TR069PHONE_Phone.Line.2.Default_Ring"},
    {"Network_Name_1_", "Str127", "", Access::kRw, "Device.WiFi.EndPoint.1.Profile.1.SSID"},
    {"Wi-Fi_Profile_Order_3_", "{1,2,3,4}", "3", Access::kRw,
     "Device.WiFi.EndPoint.1.Profile.3.Priority"},
    {"Unit_1_Key_28_", "Str1024", "", Access::kNa,
     "Device.X_TR069PHONE_Phone.AttendantConsole.Unit.1.Key.28.Function"},
    {"Cadence_2", "CadScript", "60(.3/.2,1/.2,.3/4)", Access::kNa,
     "Device.X_TR069PHONE_Phone.DistinctiveRing.2.Cadence"},
    {"Dial_Tone", "ToneScript", "350@-19,440@-19;10(*/0/1+2)", Access::kNa,
     "Device.X_TR069PHONE_Phone.Dial_Tone"},
    {"Call_Return_Code", "StarCode", "*69", Access::kNa,
     "Device.X_TR069PHONE_Phone.Call_Return_Code"},
    {"Primary_NTP_Server", "FQDN", "", Access::kRw, "Device.Time.NTPServer1"},
    {"RTP_Port_Min", "Port", "16384", Access::kNa,
     "Device.Services.VoiceService.1.VoIPProfile.1.RTP.LocalPortMin"},
};

TEST(Catalog, SpotChecks) {
  for (const Spot& s : kSpots) {
    const ParamDef* p = Cat().Find(s.name);
    ASSERT_NE(p, nullptr) << s.name;
    EXPECT_EQ(p->type_spec, s.type) << s.name;
    EXPECT_EQ(p->default_value, s.default_value) << s.name;
    EXPECT_EQ(p->access, s.access) << s.name;
    EXPECT_EQ(p->tr069_path, s.path) << s.name;
    EXPECT_EQ(Cat().FindByPath(s.path), p) << s.path;
  }
}

TEST(Catalog, RestoredNamesFromTheGuide) {
  // Names the PDF extraction damaged, in their real form.
  for (const char* name : {"Enable_Web_Server",
                           "Enable_802.1X_Authentication",
                           "Phone-UI-readonly",
                           "TR-069_Traceability",
                           "Enable_TR-069",
                           "CWMP_V1.2_Support",
                           "Resync_Trigger_1",
                           "Resync_Trigger_2",
                           "Downgrade_Rev_Limit",
                           "Custom_CA_Rule",
                           "Syslog_Server",
                           "Debug_Server",
                           "Debug_Level",
                           "Log_Request_Msg",
                           "Log_Success_Msg",
                           "Log_Failure_Msg",
                           "Peer_Firmware_Sharing_Log_Server",
                           "Set_Local_Date__mm_dd_yyyy_",
                           "Set_Local_Time__HH_mm_",
                           "Time_Offset__HH_mm_",
                           "Session_Timer_m_",
                           "Countdown_Timer_s_",
                           "Ring4",
                           "iLBC_30ms_Dynamic_Payload",
                           "Alternate_Proxy_1_",
                           "Wake_up_phone_screen_when_BLF_pickup_is_ringing",
                           "Speed_Dial_9_Number",
                           "PSK_16",
                           "Log_Missed_Calls_for_EXT_4",
                           "Extension_4_",
                           "Short_Name_1_",
                           "G722.2_Enable_4_",
                           "Auth_Resync-Reboot_2_",
                           "Ntfy_Refer_On_1xx-To-Inv_3_",
                           "Start-Xfer_Key_List"}) {
    EXPECT_NE(Cat().Find(name), nullptr) << name;
  }
  for (const char* absent : {"Line_Enable_5_", "Line_Enable_0_", "Line_Enable_{i}_",
                             "Line_Enable_3", "Enable Web Server", "GPP_Q", "Unit_1_Key_29_"}) {
    EXPECT_EQ(Cat().Find(absent), nullptr) << absent;
  }
}

TEST(Catalog, InstancesShareTheirTemplate) {
  const ParamDef* a = Cat().Find("Line_Enable_1_");
  const ParamDef* b = Cat().Find("Line_Enable_4_");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->template_name, "Line_Enable_{i}_");
  EXPECT_EQ(b->template_name, "Line_Enable_{i}_");
  EXPECT_EQ(Cat().Find("Resync_Periodic")->template_name, "Resync_Periodic");
  EXPECT_EQ(Cat().Find("GPP_SC")->tr069_path, "Device.X_TR069PHONE_Phone.GPP.SC.Value");
}

TEST(Catalog, ParamsFollowTheGuideOrder) {
  const auto& ps = Cat().params();
  auto pos = [&](const char* name) { return Cat().Find(name) - ps.data(); };
  EXPECT_EQ(ps.front().name, "Restricted_Access_Domains");
  EXPECT_LT(pos("Enable_Web_Server"), pos("Resync_Periodic"));
  EXPECT_LT(pos("Resync_Periodic"), pos("GPP_A"));
  EXPECT_LT(pos("Line_Enable_1_"), pos("Line_Enable_2_"));
  EXPECT_LT(pos("ACS_URL"), pos("BACKUP_ACS_Password"));
}

TEST(Catalog, ValidateMessages) {
  Status st = Cat().Validate("Resync_Periodic", "abc");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message().rfind("Resync_Periodic: \"abc\" is not an unsigned integer", 0), 0u)
      << st.message();
  EXPECT_TRUE(Cat().Validate("Resync_Periodic", "600, 1200, 300").ok());
  EXPECT_EQ(Cat().Validate("Line_Enable_3_", "perhaps").message(),
            "Line_Enable_3_: \"perhaps\" is not a boolean (Yes or No)");
  EXPECT_EQ(Cat().Validate("SIP_Port_2_", "70000").message(),
            "SIP_Port_2_: \"70000\" is not a port number (0-65535)");
  // The guide's syslog example: <Debug_Server>192.168.1.210</Debug_Server>, <Debug_Level>3.
  EXPECT_TRUE(Cat().Validate("Debug_Server", "192.168.1.210").ok());
  EXPECT_TRUE(Cat().Validate("Debug_Level", "3").ok());
  EXPECT_TRUE(Cat().Validate("Debug_Level", "NOTICE").ok());
  EXPECT_FALSE(Cat().Validate("Debug_Level", "4").ok());
  // Peer_Firmware_Sharing_Log_Server example: 10.98.76.123:514.
  EXPECT_TRUE(Cat().Validate("Peer_Firmware_Sharing_Log_Server", "10.98.76.123:514").ok());
  Status unknown = Cat().Validate("No_Such_Param", "1");
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.message(), "No_Such_Param: unknown parameter");
}

TEST(Catalog, SecretValuesAreMaskedInMessages) {
  std::string long_value(200, 'k');
  Status st = Cat().Validate("Admin_Password", long_value);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().find(long_value), std::string::npos);
  EXPECT_NE(st.message().find("********"), std::string::npos) << st.message();
}

TEST(Catalog, BuiltinIsSharedAcrossThreads) {
  const Catalog* seen[4] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&seen, i] { seen[i] = &Catalog::Builtin(); });
  }
  for (auto& t : threads) t.join();
  for (const Catalog* c : seen) EXPECT_EQ(c, &Catalog::Builtin());
}

TEST(Catalog, LoadFileMatchesBuiltin) {
  Result<Catalog> file =
      Catalog::LoadFile(std::string(CWMP_SOURCE_DIR) + "/schema/datamodel/phone-params.tsv");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->params().size(), Cat().params().size());
  for (size_t i = 0; i < file->params().size(); ++i) {
    EXPECT_EQ(file->params()[i].name, Cat().params()[i].name);
    EXPECT_EQ(file->params()[i].default_value, Cat().params()[i].default_value);
  }
  Result<Catalog> missing = Catalog::LoadFile(std::string(CWMP_BINARY_DIR) + "/no-such.tsv");
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);
}

TEST(Catalog, ParseSmallCatalog) {
  Result<Catalog> cat = Catalog::Parse(
      "# comment\n"
      "Max_Forward\tUns16\t70\tna\t-\tDevice.X_T_P.Max_Forward\t-\n"
      "Name_{i}_\tStr8\tn{i}\trw\t-\tDevice.X_T_P.Line.{i}.Name\t1-3\n"
      "Key_{i}\tStr8\t\tna\tsecret\tDevice.X_T_P.Key.{i}\tA-B\n"
      "=Name_2_\tsecond\n"
      "Text\tStr32\ta\\tb\\nc\\\\\tro\t-\tDevice.X_T_P.Text\t-\r\n");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  EXPECT_EQ(cat->template_count(), 4u);
  ASSERT_EQ(cat->params().size(), 7u);
  EXPECT_EQ(cat->Find("Name_1_")->default_value, "n1");
  EXPECT_EQ(cat->Find("Name_2_")->default_value, "second");
  EXPECT_EQ(cat->Find("Name_3_")->tr069_path, "Device.X_T_P.Line.3.Name");
  EXPECT_EQ(cat->Find("Name_3_")->access, Access::kRw);
  EXPECT_TRUE(cat->Find("Key_B")->secret);
  EXPECT_EQ(cat->Find("Text")->default_value, "a\tb\nc\\");
  EXPECT_EQ(cat->Find("Text")->access, Access::kRo);
  EXPECT_EQ(cat->FindByPath("Device.X_T_P.Key.A"), cat->Find("Key_A"));
}

TEST(Catalog, ParseErrorsNameTheLine) {
  struct Bad {
    const char* text;
    const char* needle;
  };
  const Bad kBad[] = {
      {"A\tUns8\t300\tna\t-\tDevice.X.A\t-\n", "line 1: A: default \"300\" does not fit"},
      {"A\tUns9\t1\tna\t-\tDevice.X.A\t-\n", "Uns<n> needs n = 8, 16 or 32"},
      {"A\tBogus\t1\tna\t-\tDevice.X.A\t-\n", "unknown data type"},
      {"A\tUns8\t1\tnone\t-\tDevice.X.A\t-\n", "access must be"},
      {"A\tUns8\t1\tna\tsecret,x\tDevice.X.A\t-\n", "flags must be"},
      {"A\tUns8\t1\tna\t-\tDevice.X.A\n", "expected 7 tab-separated columns"},
      {"A\tUns8\t1\tna\t-\tDevice.X.A\t-\nA\tUns8\t1\tna\t-\tDevice.X.B\t-\n",
       "line 2: A: duplicate parameter name"},
      {"A\tUns8\t1\tna\t-\tDevice.X.A\t-\nB\tUns8\t1\tna\t-\tDevice.X.A\t-\n",
       "duplicate TR-069 path"},
      {"A_{i}\tUns8\t1\tna\t-\tDevice.X.A.{i}\t-\n", "exactly when"},
      {"A\tUns8\t1\tna\t-\tDevice.X.A\t1-2\n", "exactly when"},
      {"A_{i}\tUns8\t1\tna\t-\tDevice.X.A\t1-2\n", "needs {i}"},
      {"A_{i}\tUns8\t1\tna\t-\tDevice.X.A.{i}\t2-1\n", "bad instance range"},
      {"A\tUns8\t1\tna\t-\tX.A\t-\n", "must start with Device."},
      {"A\tStr8\t\\q\tna\t-\tDevice.X.A\t-\n", "unknown escape"},
      {"=A\t1\n", "unknown parameter"},
      {"A\tUns8\t1\tna\t-\tDevice.X.A\t-\n=A\tx\n", "line 2: A: default \"x\""},
      {"# nothing\n", "no parameters"},
  };
  for (const Bad& b : kBad) {
    Result<Catalog> cat = Catalog::Parse(b.text);
    ASSERT_FALSE(cat.ok()) << b.text;
    EXPECT_EQ(cat.status().code(), StatusCode::kParseError);
    EXPECT_NE(cat.status().message().find(b.needle), std::string::npos)
        << cat.status().message() << " / wanted: " << b.needle;
  }
}

TEST(Catalog, ParseSurvivesTruncatedInput) {
  // Every prefix cut mid-line must parse or fail cleanly (run under ASan in CI).
  std::ifstream in(std::string(CWMP_SOURCE_DIR) + "/schema/datamodel/phone-params.tsv");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  ASSERT_FALSE(text.empty());
  size_t failures = 0;
  for (size_t cut = 1; cut < text.size(); cut += 631) {
    Result<Catalog> cat = Catalog::Parse(std::string_view(text).substr(0, cut));
    if (!cat.ok()) {
      ++failures;
      EXPECT_EQ(cat.status().code(), StatusCode::kParseError);
    }
  }
  EXPECT_GT(failures, 0u);  // some cuts leave a short line
}

TEST(Catalog, EveryTypeRejectsOrAcceptsEveryDefault) {
  // Cross-feeding all defaults to all types must never crash, and every type must reject at
  // least one of them. Str and the structure-only script checks (dial plans, rules) are the
  // exceptions; their rejections are covered by the data type table.
  std::set<std::string> specs;
  for (const ParamDef& p : Cat().params()) specs.insert(p.type_spec);
  for (const std::string& spec : specs) {
    DataType type = *ParseDataType(spec);
    size_t rejected = 0;
    for (const ParamDef& p : Cat().params()) rejected += !ValidateValue(type, p.default_value).ok();
    if (type.kind != TypeKind::kStr && type.kind != TypeKind::kDialPlanScript &&
        type.kind != TypeKind::kProvisioningRuleSyntax) {
      EXPECT_GT(rejected, 0u) << spec;
    }
  }
}

// Standard paths must exist in the Broadband Forum models: TR-181 Device:2.17 for Device.*,
// TR-104 VoiceService:2.0 for Device.Services.VoiceService.*.
class ReferenceModel {
 public:
  explicit ReferenceModel(const std::string& file) {
    std::ifstream in(file);
    std::stringstream buf;
    buf << in.rdbuf();
    text_ = buf.str();
  }
  bool ok() const { return !text_.empty(); }
  bool Has(const std::string& object, const std::string& param) const {
    size_t at = text_.find("<object name=\"" + object + "\"");
    if (at == std::string::npos) return false;
    size_t end = text_.find("<object ", at + 1);
    size_t hit = text_.find("<parameter name=\"" + param + "\"", at);
    return hit != std::string::npos && hit < end;
  }

 private:
  std::string text_;
};

TEST(Catalog, StandardPathsExistInReferenceModels) {
  const std::string dir = CWMP_REFERENCE_DIR;
  if (!std::filesystem::exists(dir + "/tr-181-2-17-0-cwmp-full.xml")) {
    GTEST_SKIP() << "reference models not found in " << dir << " (../shared/reference)";
  }
  ReferenceModel tr181(dir + "/tr-181-2-17-0-cwmp-full.xml");
  ReferenceModel tr104(dir + "/tr-104-2-0-2-cwmp-full.xml");
  ASSERT_TRUE(tr181.ok());
  ASSERT_TRUE(tr104.ok());
  const std::regex instance(R"(\.[0-9]+\.)");
  size_t standard = 0;
  for (const ParamDef& p : Cat().params()) {
    if (p.tr069_path.find(".X_") != std::string::npos) continue;
    ++standard;
    std::string generic = p.tr069_path;
    std::string prev;
    while (prev != generic) {  // overlapping matches (".1.2.") need repeated passes
      prev = generic;
      generic = std::regex_replace(generic, instance, ".{i}.");
    }
    size_t dot = generic.rfind('.');
    std::string object = generic.substr(0, dot + 1), param = generic.substr(dot + 1);
    const std::string vs = "Device.Services.";
    if (object.rfind(vs + "VoiceService.", 0) == 0) {
      EXPECT_TRUE(tr104.Has(object.substr(vs.size()), param)) << p.name << " " << p.tr069_path;
    } else {
      EXPECT_TRUE(tr181.Has(object, param)) << p.name << " " << p.tr069_path;
    }
  }
  EXPECT_GT(standard, 40u);
}

}  // namespace
}  // namespace cwmp::prov
