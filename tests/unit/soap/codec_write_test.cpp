// Writing is strict: schema limits and patterns are enforced with a message naming the field,
// every Value carries xsi:type, arrayType carries the real count, and a version never gets an
// element or header its schema lacks.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "cwmp/soap/codec.h"
#include "samples.h"

namespace cwmp::soap {
namespace {

using testing::MakeEnvelope;

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

struct Rejected {
  const char* name;
  Body body;
  CwmpVersion version;
  const char* message_part;  // the field (and limit) the error must name
};

std::vector<Rejected> RejectedCases() {
  Download long_key;
  long_key.command_key = std::string(33, 'k');
  long_key.file_type = "1 Firmware Upgrade Image";
  Download bad_type = long_key;
  bad_type.command_key = "ok";
  bad_type.file_type = "4 Tone File";  // fine from 1.2 on, not in 1.0's list
  Download long_url = bad_type;
  long_url.file_type = "1 Firmware Upgrade Image";
  long_url.url = "http://x/" + std::string(250, 'a');
  Inform bad_oui;
  bad_oui.device_id = {"Acme", "00562b", "P", "S"};
  Inform bad_event;
  bad_event.device_id = {"Acme", "00562B", "P", "S"};
  bad_event.events = {{"BOOT", ""}};
  Inform too_many_events = bad_event;
  too_many_events.events.assign(65, {"2 PERIODIC", ""});
  Inform bad_time = bad_event;
  bad_time.events = {};
  bad_time.current_time = "yesterday";
  ScheduleDownload three_windows;
  three_windows.command_key = "k";
  three_windows.file_type = "1 Firmware Upgrade Image";
  three_windows.time_windows.assign(3, TimeWindow{0, 10, "1 At Any Time", "", 0});
  return {
      {"CommandKeyOver32", long_key, CwmpVersion::k1_2, "Download.CommandKey"},
      {"FileTypeNotIn10List", bad_type, CwmpVersion::k1_0, "Download.FileType"},
      {"UrlOver256", long_url, CwmpVersion::k1_2, "at most 256"},
      {"ParameterNameOver256", GetParameterValues{.names = {std::string(257, 'n')}},
       CwmpVersion::k1_2, "ParameterNames.string"},
      {"ParameterKeyOver32",
       SetParameterValues{.parameters = {}, .parameter_key = std::string(40, 'p')},
       CwmpVersion::k1_2, "ParameterKey"},
      {"ValueWithoutType", GetParameterValuesResponse{.parameters = {{"Device.A", "1", ""}}},
       CwmpVersion::k1_2, "type"},
      {"ValueUnknownType",
       GetParameterValuesResponse{.parameters = {{"Device.A", "1", "xsd:float"}}},
       CwmpVersion::k1_2, "xsd:float"},
      {"ValueNotABoolean",
       GetParameterValuesResponse{.parameters = {{"Device.A", "yes", "xsd:boolean"}}},
       CwmpVersion::k1_2, "not a valid xsd:boolean"},
      {"ValueNotAnUnsignedInt",
       GetParameterValuesResponse{.parameters = {{"Device.A", "-1", "xsd:unsignedInt"}}},
       CwmpVersion::k1_2, "xsd:unsignedInt"},
      {"ValueIntOverflow",
       GetParameterValuesResponse{.parameters = {{"Device.A", "2147483648", "xsd:int"}}},
       CwmpVersion::k1_2, "xsd:int"},
      {"EmptyParameterNames", GetParameterValues{}, CwmpVersion::k1_2, "ParameterNames"},
      {"ObjectNameWithoutDot",
       AddObject{.object_name = "Device.Services.VoiceService.1.Line", .parameter_key = ""},
       CwmpVersion::k1_2, "end in \".\""},
      {"StatusOutOfRange", SetParameterValuesResponse{.status = 2}, CwmpVersion::k1_2, "Status"},
      {"NotificationAbove2Before14",
       SetParameterAttributes{.parameters = {{"Device.A", true, 3, false, {}}}}, CwmpVersion::k1_2,
       "Notification"},
      {"AccessListNotSubscriber",
       SetParameterAttributes{.parameters = {{"Device.A", false, 0, true, {"Everyone"}}}},
       CwmpVersion::k1_2, "Subscriber"},
      {"OuiLowerCase", bad_oui, CwmpVersion::k1_2, "DeviceId.OUI"},
      {"EventCodeWithoutNumber", bad_event, CwmpVersion::k1_2, "EventCode"},
      {"MoreThan64Events", too_many_events, CwmpVersion::k1_2, "Inform.Event"},
      {"CurrentTimeNotADateTime", bad_time, CwmpVersion::k1_2, "Inform.CurrentTime"},
      {"ThreeTimeWindows", three_windows, CwmpVersion::k1_2, "TimeWindowList"},
      {"UninstallWithoutUuid",
       ChangeDUState{.operations = {UninstallOp{"not-a-uuid", std::nullopt, std::nullopt}},
                     .command_key = std::nullopt},
       CwmpVersion::k1_2, "UUID"},
      {"FaultCodeOutOfRange", MakeFault(7000), CwmpVersion::k1_2, "7000"},
      {"UnknownMethod", UnknownMethod{"SetVouchers"}, CwmpVersion::k1_2, "UnknownMethod"},
      {"ChangeDUStateIn11",
       ChangeDUState{.operations = {UninstallOp{"6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                                                std::nullopt, std::nullopt}},
                     .command_key = std::nullopt},
       CwmpVersion::k1_1, "needs CWMP 1.2"},
      {"AutonomousTransferCompleteIn10", AutonomousTransferComplete{}, CwmpVersion::k1_0,
       "needs CWMP 1.1"},
  };
}

TEST(Write, RefusesWhatTheSchemaForbids) {
  for (const Rejected& c : RejectedCases()) {
    SCOPED_TRACE(c.name);
    Result<std::string> xml = Encode(MakeEnvelope("1", c.body), c.version);
    ASSERT_FALSE(xml.ok()) << *xml;
    EXPECT_EQ(xml.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(xml.status().message().find(c.message_part), std::string::npos)
        << xml.status().message();
  }
}

TEST(Write, SameValuesAreAcceptedWhereTheSchemaAllowsThem) {
  Download d;
  d.command_key = std::string(32, 'k');
  d.file_type = "4 Tone File";
  d.url = "http://x/" + std::string(247, 'a');  // exactly 256
  EXPECT_TRUE(Encode(MakeEnvelope("1", d), CwmpVersion::k1_2).ok());
  SetParameterAttributes spa{.parameters = {{"Device.A", true, 6, false, {}}}};
  EXPECT_TRUE(Encode(MakeEnvelope("1", spa), CwmpVersion::k1_4).ok());
  Inform inf;
  inf.device_id = {"Acme", "00562B", "P", "S"};
  inf.events = {{"X 00562B MyEvent", ""}, {"M X_ACME_Reset", "k"}};
  EXPECT_TRUE(Encode(MakeEnvelope("1", inf), CwmpVersion::k1_0).ok());
}

TEST(Write, HeadersNeedTheirVersion) {
  Envelope e = MakeEnvelope("1", InformResponse{});
  e.session_timeout = 30;
  Result<std::string> v12 = Encode(e, CwmpVersion::k1_2);
  ASSERT_FALSE(v12.ok());
  EXPECT_NE(v12.status().message().find("SessionTimeout header needs CWMP 1.3"), std::string::npos);
  EXPECT_TRUE(Encode(e, CwmpVersion::k1_3).ok());

  Envelope u = MakeEnvelope("1", InformResponse{});
  u.use_cwmp_version = "1.4";
  EXPECT_FALSE(Encode(u, CwmpVersion::k1_3).ok());
  EXPECT_TRUE(Encode(u, CwmpVersion::k1_4).ok());
  u.use_cwmp_version = "2.0";
  EXPECT_FALSE(Encode(u, CwmpVersion::k1_4).ok());
}

TEST(Write, EveryValueHasXsiTypeAndArraysTheirCount) {
  GetParameterValuesResponse r;
  for (int i = 0; i < 7; ++i) {
    r.parameters.push_back({"Device.P" + std::to_string(i), std::to_string(i), "xsd:int"});
  }
  Result<std::string> xml = Encode(MakeEnvelope("7", r), CwmpVersion::k1_2);
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(Count(*xml, "<Value xsi:type=\"xsd:int\">"), 7u) << *xml;
  EXPECT_EQ(Count(*xml, "<Value"), 7u);
  EXPECT_NE(xml->find("SOAP-ENC:arrayType=\"cwmp:ParameterValueStruct[7]\""), std::string::npos);

  Result<std::string> gpv =
      Encode(MakeEnvelope("8", GetParameterValues{.names = {"A.", "B.", "C."}}), CwmpVersion::k1_0);
  ASSERT_TRUE(gpv.ok());
  EXPECT_NE(gpv->find("SOAP-ENC:arrayType=\"xsd:string[3]\""), std::string::npos);
  EXPECT_NE(gpv->find("xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\""), std::string::npos);

  Result<std::string> empty =
      Encode(MakeEnvelope("9", GetParameterValuesResponse{}), CwmpVersion::k1_2);
  ASSERT_TRUE(empty.ok());
  EXPECT_NE(empty->find("arrayType=\"cwmp:ParameterValueStruct[0]\""), std::string::npos);
}

// For every element carrying soapenc:arrayType="...[N]" in `xml`, the number of its child
// elements; returns {declared, actual} pairs. The codec's output has no comments or CDATA, so a
// tag scan is enough.
std::vector<std::pair<size_t, size_t>> ArrayCounts(const std::string& xml) {
  std::vector<std::pair<size_t, size_t>> out;
  const std::string attr = "SOAP-ENC:arrayType=\"";
  for (size_t at = xml.find(attr); at != std::string::npos; at = xml.find(attr, at + 1)) {
    size_t close_bracket = xml.find(']', at);
    size_t declared = std::stoul(xml.substr(xml.rfind('[', close_bracket) + 1));
    size_t tag_end = xml.find('>', at);
    size_t children = 0;
    if (xml[tag_end - 1] != '/') {
      int depth = 0;
      for (size_t p = xml.find('<', tag_end); p != std::string::npos; p = xml.find('<', p + 1)) {
        if (xml[p + 1] == '/') {
          if (depth == 0) break;  // the array's own end tag
          --depth;
        } else {
          size_t e = xml.find('>', p);
          if (depth == 0) ++children;
          if (xml[e - 1] != '/') ++depth;
        }
      }
    }
    out.push_back({declared, children});
  }
  return out;
}

TEST(Write, ArrayTypeCountsMatchTheChildrenInEveryMessage) {
  size_t arrays = 0;
  for (const testing::Sample& s : testing::AllSamples()) {
    Result<std::string> xml = Encode(s.envelope, CwmpVersion::k1_4);
    ASSERT_TRUE(xml.ok()) << s.name << ": " << xml.status().ToString();
    for (const auto& [declared, actual] : ArrayCounts(*xml)) {
      EXPECT_EQ(declared, actual) << s.name << "\n" << *xml;
      ++arrays;
    }
  }
  EXPECT_GE(arrays, 15u);  // every array type of the schema appears in the samples
}

TEST(Write, HeaderMustUnderstandAsTheSchemasDefine) {
  Envelope e = MakeEnvelope("42", InformResponse{});
  e.hold_requests = true;
  e.session_timeout = 30;
  e.use_cwmp_version = "1.4";
  Result<std::string> xml = Encode(e, CwmpVersion::k1_4);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("<cwmp:ID SOAP-ENV:mustUnderstand=\"1\">42</cwmp:ID>"), std::string::npos);
  EXPECT_NE(xml->find("<cwmp:HoldRequests SOAP-ENV:mustUnderstand=\"1\">true</cwmp:HoldRequests>"),
            std::string::npos);
  EXPECT_NE(xml->find("<cwmp:SessionTimeout>30</cwmp:SessionTimeout>"), std::string::npos);
  EXPECT_NE(xml->find("<cwmp:UseCWMPVersion SOAP-ENV:mustUnderstand=\"1\">1.4<"),
            std::string::npos);
  // 1.2-1.4 share the 1.2 namespace; the non-standard cwmp-1-3 URN is never written.
  EXPECT_NE(xml->find("xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\""), std::string::npos);
  EXPECT_EQ(Encode(e, CwmpVersion::k1_4)->find("cwmp-1-3"), std::string::npos);

  Result<std::string> none = Encode(MakeEnvelope("", GetRPCMethods{}), CwmpVersion::k1_2);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->find("Header"), std::string::npos);
}

TEST(Write, SpecialCharactersAreEscaped) {
  GetParameterValuesResponse r{.parameters = {{"Device.A", "a<b>&\"c'", "xsd:string"}}};
  Result<std::string> xml = Encode(MakeEnvelope("1", r), CwmpVersion::k1_2);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("a&lt;b&gt;&amp;"), std::string::npos) << *xml;
  Result<Decoded> back = Decode(*xml);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<GetParameterValuesResponse>(back->envelope.body).parameters[0].value,
            "a<b>&\"c'");
}

TEST(Write, EncodeIsIndependentOfThePreviousDecode) {
  // gSOAP echoes the last namespace it read; the codec must not.
  ASSERT_TRUE(Decode("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                     "xmlns:c=\"urn:dslforum-org:cwmp-1-0\"><s:Body><c:GetRPCMethods/>"
                     "</s:Body></s:Envelope>")
                  .ok());
  Result<std::string> xml = Encode(MakeEnvelope("1", GetRPCMethods{}), CwmpVersion::k1_2);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("urn:dslforum-org:cwmp-1-2"), std::string::npos);
  EXPECT_EQ(xml->find("urn:dslforum-org:cwmp-1-0"), std::string::npos);
}

}  // namespace
}  // namespace cwmp::soap
