// Reading is tolerant: each captured-style envelope in tests/data/cwmp/ shows one habit of
// deployed CPEs and ACSs, and the table says what the codec must make of it.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>

#include "cwmp/soap/codec.h"

namespace cwmp::soap {
namespace {

namespace fs = std::filesystem;

std::string ReadCaptured(const std::string& name) {
  fs::path p = fs::path(CWMP_SOURCE_DIR) / "tests" / "data" / "cwmp" / name;
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Case {
  const char* file;
  std::function<void(const Decoded&)> check;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file; }

template <class T>
const T& As(const Decoded& d) {
  const T* p = std::get_if<T>(&d.envelope.body);
  if (p == nullptr) {
    ADD_FAILURE() << "body is " << MethodName(d.envelope.body);
    static const T empty{};
    return empty;
  }
  return *p;
}

const Case kCases[] = {
    {"inform-1-0-soapenv-prefix.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.namespace_version, CwmpVersion::k1_0);
       EXPECT_EQ(d.envelope.id, "1804289383");
       const auto& inf = As<Inform>(d);
       EXPECT_EQ(inf.device_id.oui, "00562B");
       ASSERT_EQ(inf.events.size(), 2u);
       EXPECT_EQ(inf.events[0].event_code, "0 BOOTSTRAP");
       ASSERT_EQ(inf.parameters.size(), 3u);
       EXPECT_EQ(inf.parameters[2].value, "3600");
       EXPECT_EQ(inf.parameters[2].type, "xsd:unsignedInt");
     }},
    {"inform-1-1-no-xsi-type.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.namespace_version, CwmpVersion::k1_1);
       const auto& inf = As<Inform>(d);
       ASSERT_EQ(inf.parameters.size(), 2u);
       EXPECT_EQ(inf.parameters[0].value, "4242");
       EXPECT_EQ(inf.parameters[0].type, "");  // no xsi:type: left empty
       EXPECT_EQ(inf.parameters[1].value, "rev B");
     }},
    {"inform-1-2-arraytype-padded.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.namespace_version, CwmpVersion::k1_2);
       const auto& inf = As<Inform>(d);
       // "[0008]" with three entries: the entries count, not the attribute.
       ASSERT_EQ(inf.parameters.size(), 3u);
       EXPECT_EQ(inf.parameters[2].name, "Device.C");
       EXPECT_EQ(inf.events.size(), 1u);
     }},
    {"inform-arraytype-undercount.xml",
     [](const Decoded& d) {
       const auto& inf = As<Inform>(d);
       ASSERT_EQ(inf.parameters.size(), 3u);  // "[1]" with three entries keeps all three
     }},
    {"inform-no-arraytype.xml",
     [](const Decoded& d) {
       const auto& inf = As<Inform>(d);
       ASSERT_EQ(inf.events.size(), 1u);
       EXPECT_EQ(inf.events[0].event_code, "1 BOOT");
       ASSERT_EQ(inf.parameters.size(), 1u);
       EXPECT_EQ(inf.retry_count, 1u);
     }},
    {"inform-default-namespace.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.namespace_version, CwmpVersion::k1_0);
       EXPECT_EQ(d.envelope.id, "dflt");
       const auto& inf = As<Inform>(d);
       EXPECT_EQ(inf.device_id.serial_number, "S1");
       ASSERT_EQ(inf.parameters.size(), 1u);
     }},
    {"inform-utf8-bom.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.envelope.id, "bom-1");
       EXPECT_EQ(As<Inform>(d).parameters.size(), 2u);
     }},
    {"inform-whitespace-cdata.xml",
     [](const Decoded& d) {
       const auto& inf = As<Inform>(d);
       EXPECT_EQ(inf.max_envelopes, 1u);
       EXPECT_EQ(inf.retry_count, 0u);
       ASSERT_EQ(inf.parameters.size(), 2u);
       EXPECT_EQ(inf.parameters[0].value, "<b>Welcome & hello</b>");
       EXPECT_EQ(inf.parameters[1].value, "true");
       EXPECT_EQ(inf.events[0].event_code, "4 VALUE CHANGE");
     }},
    {"inform-datetime-variants.xml",
     [](const Decoded& d) {
       const auto& inf = As<Inform>(d);
       EXPECT_EQ(inf.current_time, "2026-11-26T11:00:00");
       auto no_zone = ParseDateTime(inf.current_time);
       ASSERT_TRUE(no_zone.ok());
       auto with_fraction = ParseDateTime(inf.parameters[0].value);
       ASSERT_TRUE(with_fraction.ok());
       EXPECT_EQ(*no_zone, *with_fraction);  // 12:00+01:00 is 11:00 UTC
       EXPECT_EQ(inf.parameters[1].value, kUnknownTime);
       EXPECT_TRUE(ParseDateTime(inf.parameters[1].value).ok());
     }},
    {"inform-empty-parameterlist.xml",
     [](const Decoded& d) {
       const auto& inf = As<Inform>(d);
       EXPECT_TRUE(inf.parameters.empty());
       EXPECT_TRUE(inf.events.empty());
       EXPECT_EQ(inf.retry_count, 3u);
     }},
    {"informresponse-cwmp-1-3-namespace.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.namespace_version, CwmpVersion::k1_3);
       EXPECT_EQ(As<InformResponse>(d).max_envelopes, 1u);
     }},
    {"informresponse-nomorerequests.xml",
     [](const Decoded& d) {
       EXPECT_TRUE(d.envelope.no_more_requests);
       EXPECT_EQ(d.envelope.id, "nmr");
       As<InformResponse>(d);
     }},
    {"informresponse-holdrequests-sessiontimeout.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.envelope.hold_requests, std::optional<bool>(true));
       EXPECT_EQ(d.envelope.session_timeout, std::optional<uint32_t>(45));
       EXPECT_EQ(d.envelope.use_cwmp_version, std::optional<std::string>("1.4"));
     }},
    {"inform-1-4-supported-versions.xml",
     [](const Decoded& d) {
       ASSERT_TRUE(d.envelope.supported_cwmp_versions.has_value());
       EXPECT_EQ(NegotiateVersion(d.envelope.supported_cwmp_versions, CwmpVersion::k1_4,
                                  d.namespace_version),
                 CwmpVersion::k1_4);
       EXPECT_EQ(As<Inform>(d).events[0].event_code, "13 WAKEUP");
     }},
    {"inform-unknown-header-mustunderstand-0.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.envelope.id, "u0");
       EXPECT_EQ(As<Inform>(d).device_id.serial_number, "S6");
     }},
    {"inform-mustunderstand-true.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.envelope.id, "mu-true");
       As<Inform>(d);
     }},
    {"getparametervaluesresponse-xs-prefix.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.envelope.id, "gpv-7");
       const auto& r = As<GetParameterValuesResponse>(d);
       ASSERT_EQ(r.parameters.size(), 3u);
       EXPECT_EQ(r.parameters[0].type, "xsd:unsignedInt");  // any prefix, normalised
       EXPECT_EQ(r.parameters[1].type, "xsd:boolean");
       EXPECT_EQ(r.parameters[1].value, "1");
       EXPECT_EQ(r.parameters[2].value, "a <b> & \xE2\x98\xBA");
     }},
    {"getparameternames-booleans.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.envelope.hold_requests, std::optional<bool>(false));
       EXPECT_TRUE(As<GetParameterNames>(d).next_level);
     }},
    {"setparameterattributes-booleans.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.envelope.hold_requests, std::optional<bool>(true));
       const auto& r = As<SetParameterAttributes>(d);
       ASSERT_EQ(r.parameters.size(), 2u);
       EXPECT_TRUE(r.parameters[0].notification_change);
       EXPECT_FALSE(r.parameters[0].access_list_change);
       EXPECT_TRUE(r.parameters[0].access_list.empty());
       EXPECT_TRUE(r.parameters[1].notification_change);
       EXPECT_FALSE(r.parameters[1].access_list_change);
       EXPECT_EQ(r.parameters[1].access_list, std::vector<std::string>{"Subscriber"});
     }},
    {"fault-unqualified-faultcode-spv.xml",
     [](const Decoded& d) {
       const auto& f = As<Fault>(d);
       EXPECT_EQ(f.soap_faultcode, "Client");
       EXPECT_EQ(f.code, 9003u);
       ASSERT_EQ(f.set_parameter_values_faults.size(), 2u);
       EXPECT_EQ(f.set_parameter_values_faults[0].fault_code, 9007u);
       EXPECT_EQ(f.set_parameter_values_faults[1].fault_code, 9008u);
       EXPECT_EQ(f.set_parameter_values_faults[1].fault_string, "");
     }},
    {"fault-acs-soap-prefix.xml",
     [](const Decoded& d) {
       const auto& f = As<Fault>(d);
       EXPECT_EQ(f.soap_faultcode, "Server");
       EXPECT_EQ(f.code, 8005u);
       EXPECT_EQ(f.string, "Retry request");
     }},
    {"transfercomplete-fractional-times.xml",
     [](const Decoded& d) {
       const auto& t = As<TransferComplete>(d);
       EXPECT_EQ(t.fault.fault_code, 0u);
       auto start = ParseDateTime(t.start_time);
       auto end = ParseDateTime(t.complete_time);
       ASSERT_TRUE(start.ok() && end.ok());
       EXPECT_EQ((*end - *start).count(), 12);  // 08:59:58 UTC to 09:00:10 UTC
     }},
    {"getrpcmethods-self-closing.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.envelope.id, "rpc-1");
       As<GetRPCMethods>(d);
     }},
    {"download-unknown-and-reordered-elements.xml",
     [](const Decoded& d) {
       const auto& dl = As<Download>(d);
       EXPECT_EQ(dl.command_key, "fw-7");
       EXPECT_EQ(dl.username, "user");
       EXPECT_EQ(dl.password.Reveal(), "pw");
       EXPECT_EQ(dl.file_size, 100u);
     }},
    {"setvouchers-unknown-method.xml",
     [](const Decoded& d) {
       EXPECT_EQ(d.envelope.id, "sv");  // so the CPE can answer 9000 under this ID
       EXPECT_EQ(As<UnknownMethod>(d).name, "SetVouchers");
     }},
    {"changedustate-other-prefixes.xml",
     [](const Decoded& d) {
       const auto& c = As<ChangeDUState>(d);
       ASSERT_EQ(c.operations.size(), 2u);
       ASSERT_TRUE(std::holds_alternative<InstallOp>(c.operations[0]));
       EXPECT_EQ(std::get<InstallOp>(c.operations[0]).url, "http://acs.example.net/du.ipk");
       EXPECT_FALSE(std::get<InstallOp>(c.operations[0]).uuid.has_value());
       ASSERT_TRUE(std::holds_alternative<UninstallOp>(c.operations[1]));
       EXPECT_EQ(c.command_key, std::optional<std::string>("du-9"));
     }},
};

class Captured : public ::testing::TestWithParam<Case> {};

TEST_P(Captured, DecodesAsExpected) {
  std::string xml = ReadCaptured(GetParam().file);
  ASSERT_FALSE(xml.empty()) << "missing tests/data/cwmp/" << GetParam().file;
  Result<Decoded> d = Decode(xml);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  GetParam().check(*d);
}

INSTANTIATE_TEST_SUITE_P(Envelopes, Captured, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string n = info.param.file;
                           n = n.substr(0, n.size() - 4);
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(Captured, UnknownHeaderWithMustUnderstandOneIsRefused) {
  Result<Decoded> d = Decode(ReadCaptured("inform-unknown-header-mustunderstand-1.xml"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kUnsupported) << d.status().ToString();
  EXPECT_NE(d.status().message().find("MustUnderstand"), std::string::npos);
  Fault f = MustUnderstandFault("v:Trace");
  EXPECT_EQ(f.soap_faultcode, "MustUnderstand");
  EXPECT_EQ(f.code, 0u);
  Result<std::string> xml = Encode(Envelope{.id = "",
                                            .hold_requests = std::nullopt,
                                            .session_timeout = std::nullopt,
                                            .supported_cwmp_versions = std::nullopt,
                                            .use_cwmp_version = std::nullopt,
                                            .no_more_requests = false,
                                            .body = f},
                                   CwmpVersion::k1_0);
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  EXPECT_NE(xml->find("<faultcode>SOAP-ENV:MustUnderstand</faultcode>"), std::string::npos);
  EXPECT_EQ(xml->find("<detail>"), std::string::npos);
}

// Every file in tests/data/cwmp is used by a test, and there are at least 20.
TEST(Captured, EveryFileIsCovered) {
  std::set<std::string> used = {"inform-unknown-header-mustunderstand-1.xml"};
  for (const Case& c : kCases) used.insert(c.file);
  size_t files = 0;
  for (const auto& e :
       fs::directory_iterator(fs::path(CWMP_SOURCE_DIR) / "tests" / "data" / "cwmp")) {
    ++files;
    EXPECT_TRUE(used.count(e.path().filename().string())) << e.path().filename();
  }
  EXPECT_GE(files, 20u);
}

}  // namespace
}  // namespace cwmp::soap
