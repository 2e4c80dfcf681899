#pragma once
// A small scripted ACS for the runtime tests, on the real HTTP server of the client tests
// (tests/integration/agent_client/scripted_http_server.h): answers every Inform with an
// InformResponse, TransferComplete and AutonomousTransferComplete with their responses, and
// each empty POST / CPE response with the next queued RPC or 204. Records every Inform and
// every CPE response.

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cwmp/soap/codec.h"
#include "scripted_http_server.h"

namespace agent_test {

struct SeenInform {
  std::string serial;
  std::vector<std::string> events;        // event codes
  std::vector<std::string> command_keys;  // parallel to events
  std::map<std::string, std::string> parameters;
  uint32_t retry_count = 0;
  std::chrono::steady_clock::time_point at;
  bool Has(const std::string& code) const;
  std::string CommandKeyOf(const std::string& code) const;
};

class TestAcs {
 public:
  TestAcs();
  std::string Url() const { return server_.Url("/acs"); }
  // The body element of an ACS request (e.g. "<cwmp:Reboot>...</cwmp:Reboot>"), sent in answer
  // to the next empty POST or CPE response.
  // With `from_inform` = n: held back until the n-th Inform (1-based) has arrived.
  void QueueRpc(std::string body, size_t from_inform = 0);
  std::vector<SeenInform> informs() const;
  std::vector<cwmp::soap::Body> responses() const;
  // Waits until pred(informs()) holds; false on timeout.
  bool WaitFor(const std::function<bool(const std::vector<SeenInform>&)>& pred,
               std::chrono::milliseconds timeout) const;
  bool WaitForResponses(size_t n, std::chrono::milliseconds timeout) const;

 private:
  ScriptedResponse Handle(const RecordedRequest& r);
  mutable std::mutex mu_;
  std::deque<std::pair<std::string, size_t>> queued_;
  std::vector<SeenInform> informs_;
  std::vector<cwmp::soap::Body> responses_;
  uint64_t next_id_ = 1;
  ScriptedHttpServer server_;  // last: stops before the state above dies
};

// A cwmp:SetParameterValues body with one xsd-typed value.
std::string SpvBody(const std::string& name, const std::string& type, const std::string& value,
                    const std::string& key = "k1");
std::string GpvBody(const std::string& name);

}  // namespace agent_test
