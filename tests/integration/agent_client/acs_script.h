#pragma once
// Captured-style ACS envelopes and script steps for the scripted ACS.

#include <memory>
#include <string>
#include <vector>

#include "cwmp/soap/codec.h"
#include "scripted_http_server.h"

namespace agent_test {

inline constexpr const char* kNs10 = "urn:dslforum-org:cwmp-1-0";
inline constexpr const char* kNs12 = "urn:dslforum-org:cwmp-1-2";

// An ACS envelope in namespace `ns` with cwmp:ID `id`, further header elements and a body.
inline std::string AcsEnvelope(const std::string& ns, const std::string& id,
                               const std::string& extra_headers, const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
         "xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\" "
         "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:cwmp=\"" +
         ns + "\"><soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">" + id + "</cwmp:ID>" +
         extra_headers + "</soap-env:Header><soap-env:Body>" + body +
         "</soap-env:Body></soap-env:Envelope>";
}

// The cwmp:ID of the envelope a request carried ("" when it has none or does not parse).
inline std::string IdOf(const RecordedRequest& r) {
  auto d = cwmp::soap::Decode(r.body);
  return d.ok() ? d->envelope.id : "";
}

inline std::string InformResponseBody() {
  return "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>";
}

inline std::string GpvBody() {
  return "<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType=\"xsd:string[1]\">"
         "<string>Device.DeviceInfo.SoftwareVersion</string></ParameterNames>"
         "</cwmp:GetParameterValues>";
}

using Step = std::function<ScriptedResponse(const RecordedRequest&)>;

// Runs the steps in order, one per request; 500 after the last.
inline ScriptedHttpServer::Handler Script(std::vector<Step> steps) {
  auto state = std::make_shared<std::pair<std::vector<Step>, size_t>>(std::move(steps), 0);
  return [state](const RecordedRequest& r) {
    if (state->second >= state->first.size()) return ScriptedResponse{500, {}, "", false};
    return state->first[state->second++](r);
  };
}

// InformResponse echoing the Inform's cwmp:ID.
inline Step InformResponseStep(std::string ns = kNs12, std::string extra_headers = "",
                               std::vector<std::pair<std::string, std::string>> http_headers = {}) {
  return [=](const RecordedRequest& r) {
    return Soap(AcsEnvelope(ns, IdOf(r), extra_headers, InformResponseBody()), http_headers);
  };
}
inline Step Reply(ScriptedResponse response) {
  return [response](const RecordedRequest&) { return response; };
}
inline Step NoContent() { return Reply(ScriptedResponse{204, {}, "", false}); }
inline Step Drop() { return Reply(ScriptedResponse{200, {}, "", true}); }

}  // namespace agent_test
