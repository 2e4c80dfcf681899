#pragma once
// A SessionDelegate double for the client tests: records every call and answers from canned
// values. (The real one is the Device, a separate component.)

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "agent/session_delegate.h"
#include "cwmp/soap/codec.h"

namespace agent_test {

class RecordingDelegate : public agent::SessionDelegate {
 public:
  RecordingDelegate() {
    inform.device_id = {"Cisco", "0021A1", "CP-6851-3PCC", "FCH1234ABCD"};
    inform.events = {{"1 BOOT", ""}};
    inform.current_time = "2026-11-26T12:00:00Z";
    inform.parameters = {{"Device.ManagementServer.ConnectionRequestURL",
                          "http://192.0.2.10:7547/abc", "xsd:string"}};
  }

  cwmp::soap::Inform BuildInform(uint32_t retry_count) override {
    calls.push_back("BuildInform(" + std::to_string(retry_count) + ")");
    return inform;
  }
  void OnInformAccepted(const cwmp::soap::Inform& sent) override {
    calls.push_back("OnInformAccepted");
    accepted.push_back(sent);
  }
  std::optional<cwmp::soap::Body> NextCpeRequest() override {
    calls.push_back("NextCpeRequest");
    if (cpe_requests.empty()) return std::nullopt;
    return cpe_requests.front();
  }
  void OnCpeRequestAnswered(const cwmp::soap::Body& request,
                            const cwmp::soap::Body& response) override {
    calls.push_back("OnCpeRequestAnswered(" + std::string(cwmp::soap::MethodName(request)) + "," +
                    std::string(cwmp::soap::MethodName(response)) + ")");
    if (!std::holds_alternative<cwmp::soap::Fault>(response)) cpe_requests.pop_front();
  }
  cwmp::soap::Body HandleAcsRequest(const cwmp::soap::Body& request) override {
    calls.push_back("HandleAcsRequest(" + std::string(cwmp::soap::MethodName(request)) + ")");
    acs_requests.push_back(request);
    if (on_acs_request) on_acs_request();
    if (std::holds_alternative<cwmp::soap::GetParameterValues>(request)) {
      cwmp::soap::GetParameterValuesResponse r;
      r.parameters = {{"Device.DeviceInfo.SoftwareVersion", "sip6800.12-0-1", "xsd:string"}};
      return r;
    }
    return cwmp::soap::MakeFault(9000);
  }
  void OnSessionEnd(bool success) override {
    calls.push_back(success ? "OnSessionEnd(true)" : "OnSessionEnd(false)");
  }

  cwmp::soap::Inform inform;
  std::deque<cwmp::soap::Body> cpe_requests;
  std::vector<std::string> calls;
  std::vector<cwmp::soap::Inform> accepted;
  std::vector<cwmp::soap::Body> acs_requests;
  std::function<void()> on_acs_request;
};

}  // namespace agent_test
