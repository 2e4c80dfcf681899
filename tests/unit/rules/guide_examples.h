#pragma once
// The guide's examples, verbatim (after removing the typesetting backslash in "\$"). The tests
// use these constants, and guide_examples_test.cpp checks that each one really occurs in the
// guide text, so an example cannot drift from its source.

#include <string_view>

namespace cwmp::prov::guide {

// Macro Expansion (892-921), Macro Expansion Variables (2631), GPP (1150)
inline constexpr std::string_view kStrangeMau = "$STRANGE$MAU.cfg";
inline constexpr std::string_view kDollarDollarMau = "$$MAU";
inline constexpr std::string_view kSubstringFrom = "$(A:2)";
inline constexpr std::string_view kSubstringFromLength = "$(A:2:3)";
inline constexpr std::string_view kGppConcat = "$A$B";

// URL Syntax (1000-1005), TFTP examples (2038, 2096, 2106), defaults (2559, 2566, 2568, 2572)
inline constexpr std::string_view kUrlMa = "/$MA.cfg";
inline constexpr std::string_view kUrlCisco = "/cisco/cfg.xml";
inline constexpr std::string_view kUrlIp = "192.168.1.130/profiles/init.cfg";
inline constexpr std::string_view kUrlTftp = "tftp://prov.call.com/cpe/cisco$MA.cfg";
inline constexpr std::string_view kUrlHttpPort = "http://neptune.speak.net:8080/prov/$D/$E.cfg";
inline constexpr std::string_view kUrlHttpsQuery = "https://secure.me.com/profile?Linksys";
inline constexpr std::string_view kUrlTftpPn = "tftp://192.168.1.200/CP-6841-3PCC$MA.cfg";
inline constexpr std::string_view kUrlTftpPort = "tftp://prov.telco.com:6900/cisco/config/$PN.cfg";
inline constexpr std::string_view kUrlTftpGpp = "tftp://prov.telco.com/cisco/$B/$MA.cfg";
inline constexpr std::string_view kProfileRuleDefault = "/$PSN.xml";
inline constexpr std::string_view kLogRequestDefault = "$PN $MAC -Requesting";
inline constexpr std::string_view kLogSuccessDefault =
    "$PN $MAC -Successful Resync % $SCHEME://$SERVIP:$PORT$PATH $ERR";
inline constexpr std::string_view kLogFailureDefault = "$PN $MAC Resync failed: $ERR";

// Conditional Expressions (973), Triggers (1190)
inline constexpr std::string_view kUpgradeRuleSwver =
    "($SWVER ne sip68xx.11-0-0MPP)? http://ps.tell.com/sw/sip68xx.11-0-0MPP-BN.loads";
inline constexpr std::string_view kTrigger = "$UPGTMR gt 300 and $PRVTMR ge 600";

// Optional Resync Arguments (883, 1043-1052, 1066), encryption (2419)
inline constexpr std::string_view kKeyQuotedUrl =
    "[--key \"SecretPhrase1234\"] http://prov.telco.com/path/profile.cfg";
inline constexpr std::string_view kKeyPlain = "[--key VerySecretValue]";
inline constexpr std::string_view kKeyPhrase = "[--key \"my secret phrase\"]";
inline constexpr std::string_view kKeyHex = "[--key a37d2fb9055c1d04883a0745eb0917a4]";
inline constexpr std::string_view kKeySc = "[--key $SC]";
inline constexpr std::string_view kKeySd = "[--key \"$SD\"]";
inline constexpr std::string_view kUidPwd =
    "[--uid $SA --pwd $SB] https://provisioning_server_url/path_to_your_config/your_config.xml";
inline constexpr std::string_view kKeyOwnSecret =
    "[--key MyOwnSecret ] tftp://192.168.1.200/basic.cfg";

// Profile Rules, examples 1-5 (1276, 1285-1286, 1293-1294, 1303, 1311)
inline constexpr std::string_view kProfileExample1 = "http://remote.server.com/cisco/$MA.cfg";
inline constexpr std::string_view kProfileExample2 =
    "($PRVTMR ge 600)? http://p.tel.com/has-reg.cfg\n| [--post a] http://p.tel.com/lost-reg?";
inline constexpr std::string_view kProfileExample3 =
    "(\"$CCERT\" eq \"Installed\")? https://p.tel.com/config?\n| "
    "https://p.tel.com/config?cisco$MAU";
inline constexpr std::string_view kProfileExample4 =
    "(\"$A\" ne \"Provisioned\")? (Line_Enable_1_ = \"No\";)! https://p.tel.com/init-prov | "
    "https://p.tel.com/configs";
inline constexpr std::string_view kProfileExample5 =
    "[--alias b] https://p.tel.com/account/$PN$MA.xml";

// Upgrade Rule (1339, 1347 without its trailing prose, 2588)
inline constexpr std::string_view kUpgradeExample1 =
    "http://p.tel.com/firmware/sip68xx.11-1-0MPP-BN.loads";
inline constexpr std::string_view kUpgradeExample2 =
    "(\"$F\" ne \"beta-customer\")? http://p.tel.com/firmware/sip68xx.11-0-1MPP-BN.loads | "
    "http://p.tel.com/firmware/sip68xx.11-0-1MPP-BN.loads";
inline constexpr std::string_view kUpgradeTableExample =
    "tftp://192.168.1.5/image/sip68xx.11-0-1MPP-EN.loads";

// Configurable Schedules (1222-1239) and the parameter table (2526-2541)
inline constexpr std::string_view kPeriodic1 = "7200";
inline constexpr std::string_view kRetry1 = "1800,3600,7200,14400";
inline constexpr std::string_view kPeriodic2 = "3600+600";
inline constexpr std::string_view kRetry2 = "1800+300,3600+600,7200+900";
inline constexpr std::string_view kUpgradeRetry3 = "1800,3600,7200,14400+3600";
inline constexpr std::string_view kTableMultiple = "600, 1200, 300";
inline constexpr std::string_view kTableRange = "2400+30";
inline constexpr std::string_view kResyncAtExample = "1000";
inline constexpr std::string_view kResyncAtTable = "0959";

inline constexpr std::string_view kAll[] = {kStrangeMau,
                                            kDollarDollarMau,
                                            kSubstringFrom,
                                            kSubstringFromLength,
                                            kGppConcat,
                                            kUrlMa,
                                            kUrlCisco,
                                            kUrlIp,
                                            kUrlTftp,
                                            kUrlHttpPort,
                                            kUrlHttpsQuery,
                                            kUrlTftpPn,
                                            kUrlTftpPort,
                                            kUrlTftpGpp,
                                            kProfileRuleDefault,
                                            kLogRequestDefault,
                                            kLogSuccessDefault,
                                            kLogFailureDefault,
                                            kUpgradeRuleSwver,
                                            kTrigger,
                                            kKeyQuotedUrl,
                                            kKeyPlain,
                                            kKeyPhrase,
                                            kKeyHex,
                                            kKeySc,
                                            kKeySd,
                                            kUidPwd,
                                            kKeyOwnSecret,
                                            kProfileExample1,
                                            kProfileExample2,
                                            kProfileExample3,
                                            kProfileExample4,
                                            kProfileExample5,
                                            kUpgradeExample1,
                                            kUpgradeExample2,
                                            kUpgradeTableExample,
                                            kPeriodic1,
                                            kRetry1,
                                            kPeriodic2,
                                            kRetry2,
                                            kUpgradeRetry3,
                                            kTableMultiple,
                                            kTableRange,
                                            kResyncAtExample,
                                            kResyncAtTable};

}  // namespace cwmp::prov::guide
