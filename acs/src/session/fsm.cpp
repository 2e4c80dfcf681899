// The session state machine: which message is acceptable in which phase.
#include "acs/session.h"

namespace acs::session {

namespace soap = cwmp::soap;

const char* PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kAwaitInform:
      return "await-inform";
    case Phase::kCpeTurn:
      return "cpe-turn";
    case Phase::kAwaitResponse:
      return "await-response";
    case Phase::kEnded:
      return "ended";
  }
  return "?";
}

Input Classify(const soap::Body& body) {
  if (std::holds_alternative<soap::Inform>(body)) return Input::kInform;
  if (std::holds_alternative<soap::TransferComplete>(body) ||
      std::holds_alternative<soap::AutonomousTransferComplete>(body) ||
      std::holds_alternative<soap::GetRPCMethods>(body) ||
      std::holds_alternative<soap::RequestDownload>(body) ||
      std::holds_alternative<soap::Kicked>(body) ||
      std::holds_alternative<soap::DUStateChangeComplete>(body) ||
      std::holds_alternative<soap::AutonomousDUStateChangeComplete>(body) ||
      std::holds_alternative<soap::UnknownMethod>(body)) {
    return Input::kCpeRequest;
  }
  // Any other body is a response (or a Fault) to an ACS request, or an ACS-side request a CPE
  // has no business sending; the engine checks it against what it sent.
  return Input::kResponse;
}

Action Next(Phase phase, Input input) {
  // A new Inform always starts over: the CPE gave up on the previous session.
  if (input == Input::kInform) return Action::kStartSession;
  switch (phase) {
    case Phase::kAwaitInform:
    case Phase::kEnded:
      return Action::kProtocolError;
    case Phase::kCpeTurn:
      if (input == Input::kCpeRequest) return Action::kAnswerCpeRequest;
      if (input == Input::kEmpty) return Action::kSendNextOrEnd;
      return Action::kProtocolError;  // a response to nothing
    case Phase::kAwaitResponse:
      if (input == Input::kCpeRequest) return Action::kAnswerCpeRequest;
      if (input == Input::kResponse) return Action::kHandleResponse;
      return Action::kAbandonOutstanding;
  }
  return Action::kProtocolError;
}

size_t Refresh::SetNames(const std::vector<soap::ParameterInfo>& infos) {
  leaves_.clear();
  next_ = 0;
  size_t dropped = 0;
  for (const auto& p : infos) {
    if (p.name.empty() || p.name.back() == '.') continue;
    if (leaves_.size() >= limits_.max_parameters) {
      ++dropped;
      continue;
    }
    leaves_.push_back(p.name);
  }
  return dropped;
}

std::optional<soap::GetParameterValues> Refresh::NextBatch() {
  if (next_ >= leaves_.size()) return std::nullopt;
  size_t n =
      std::min(limits_.batch_size == 0 ? size_t{1} : limits_.batch_size, leaves_.size() - next_);
  soap::GetParameterValues req;
  req.names.assign(leaves_.begin() + static_cast<std::ptrdiff_t>(next_),
                   leaves_.begin() + static_cast<std::ptrdiff_t>(next_ + n));
  next_ += n;
  return req;
}

std::vector<std::string> DiscoveryPaths(const std::vector<soap::ParameterValue>& inform) {
  bool igd = false;
  for (const auto& p : inform) {
    if (p.name.rfind("InternetGatewayDevice.", 0) == 0) {
      igd = true;
      break;
    }
  }
  if (igd) return {"InternetGatewayDevice.", "Device.", ""};
  return {"Device.", "InternetGatewayDevice.", ""};
}

}  // namespace acs::session
