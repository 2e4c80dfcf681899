#include "test_acs.h"

#include <thread>

#include "acs_script.h"

namespace agent_test {

namespace soap = cwmp::soap;

bool SeenInform::Has(const std::string& code) const {
  for (const auto& e : events) {
    if (e == code) return true;
  }
  return false;
}

std::string SeenInform::CommandKeyOf(const std::string& code) const {
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i] == code) return command_keys[i];
  }
  return "";
}

TestAcs::TestAcs() : server_([this](const RecordedRequest& r) { return Handle(r); }) {}

void TestAcs::QueueRpc(std::string body, size_t from_inform) {
  std::lock_guard lock(mu_);
  queued_.emplace_back(std::move(body), from_inform);
}

std::vector<SeenInform> TestAcs::informs() const {
  std::lock_guard lock(mu_);
  return informs_;
}

std::vector<soap::Body> TestAcs::responses() const {
  std::lock_guard lock(mu_);
  return responses_;
}

bool TestAcs::WaitFor(const std::function<bool(const std::vector<SeenInform>&)>& pred,
                      std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred(informs())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred(informs());
}

bool TestAcs::WaitForResponses(size_t n, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (responses().size() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return responses().size() >= n;
}

ScriptedResponse TestAcs::Handle(const RecordedRequest& r) {
  std::lock_guard lock(mu_);
  auto next_request = [&]() -> ScriptedResponse {
    if (queued_.empty() || queued_.front().second > informs_.size()) {
      return ScriptedResponse{204, {}, "", false};
    }
    std::string body = std::move(queued_.front().first);
    queued_.pop_front();
    return Soap(AcsEnvelope(kNs12, "acs-" + std::to_string(next_id_++), "", body));
  };
  if (r.body.empty()) return next_request();
  auto decoded = soap::Decode(r.body);
  if (!decoded.ok()) return ScriptedResponse{400, {}, "", false};
  const soap::Body& body = decoded->envelope.body;
  if (const auto* inform = std::get_if<soap::Inform>(&body)) {
    SeenInform seen;
    seen.serial = inform->device_id.serial_number;
    for (const auto& e : inform->events) {
      seen.events.push_back(e.event_code);
      seen.command_keys.push_back(e.command_key);
    }
    for (const auto& p : inform->parameters) seen.parameters[p.name] = p.value;
    seen.retry_count = inform->retry_count;
    seen.at = std::chrono::steady_clock::now();
    informs_.push_back(std::move(seen));
    return Soap(AcsEnvelope(kNs12, decoded->envelope.id, "", InformResponseBody()));
  }
  if (std::holds_alternative<soap::TransferComplete>(body)) {
    return Soap(AcsEnvelope(kNs12, decoded->envelope.id, "", "<cwmp:TransferCompleteResponse/>"));
  }
  if (std::holds_alternative<soap::AutonomousTransferComplete>(body)) {
    return Soap(AcsEnvelope(kNs12, decoded->envelope.id, "",
                            "<cwmp:AutonomousTransferCompleteResponse/>"));
  }
  responses_.push_back(body);  // the answer to one of our requests
  return next_request();
}

std::string SpvBody(const std::string& name, const std::string& type, const std::string& value,
                    const std::string& key) {
  return "<cwmp:SetParameterValues><ParameterList "
         "soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]\">"
         "<ParameterValueStruct><Name>" +
         name + "</Name><Value xsi:type=\"" + type + "\">" + value +
         "</Value></ParameterValueStruct></ParameterList><ParameterKey>" + key +
         "</ParameterKey></cwmp:SetParameterValues>";
}

std::string GpvBody(const std::string& name) {
  return "<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType=\"xsd:string[1]\">"
         "<string>" +
         name + "</string></ParameterNames></cwmp:GetParameterValues>";
}

}  // namespace agent_test
