// The RPC exchanges of a session: answering CPE requests, choosing and sending the next ACS
// request (data-model reads first, then queued tasks in order), and storing what comes back.
#include "acs/tasks.h"
#include "cwmp/base/json.h"
#include "session/session_state.h"

namespace acs::session {
namespace {

namespace soap = cwmp::soap;
using cwmp::Result;
using cwmp::Status;

Reply Xml(std::string body) {
  Reply r;
  r.http_status = 200;
  r.body = std::move(body);
  return r;
}

Reply NoContent() {
  Reply r;
  r.http_status = 204;
  return r;
}

}  // namespace

Result<std::string> Engine::EncodeFor(const SessionState& s, soap::Envelope envelope) const {
  return soap::Encode(envelope, s.version);
}

Status Engine::CountFault(int code) {
  metrics_.Add(metrics::kFaults, {{"code", std::to_string(code)}});
  return Status::Ok();
}

Result<Reply> Engine::AnswerCpeRequest(SessionState& s, const soap::Envelope& request) {
  soap::Envelope out;
  out.id = request.id;
  std::string method(soap::MethodName(request.body));
  metrics_.Add(
      metrics::kCpeRequests,
      {{"method", std::holds_alternative<soap::UnknownMethod>(request.body) ? std::string("unknown")
                                                                            : method}});
  const TimePoint now = clock_();
  if (const auto* tc = std::get_if<soap::TransferComplete>(&request.body)) {
    auto task = sessions_.FindTransferTask(s.device_id, tc->command_key);
    if (!task.ok()) return task.status();
    if (*task) {
      tasks::Outcome outcome = tasks::TransferOutcome(*tc);
      CWMP_RETURN_IF_ERROR(ApplyTaskOutcome(s, **task, outcome));
    } else {
      log_.Info("TransferComplete matches no task",
                {{"device", s.device_id}, {"command_key", tc->command_key}});
      if (tc->fault.fault_code != 0) {
        TaskFault f{static_cast<int>(tc->fault.fault_code),
                    "TransferComplete " + tc->command_key + ": " + tc->fault.fault_string, "null"};
        CWMP_RETURN_IF_ERROR(sessions_.RecordDeviceFault(s.device_id, f, now));
        (void)CountFault(f.code);
      }
    }
    out.body = soap::TransferCompleteResponse{};
  } else if (const auto* atc = std::get_if<soap::AutonomousTransferComplete>(&request.body)) {
    log_.Info("autonomous transfer complete",
              {{"device", s.device_id},
               {"file_type", atc->file_type},
               {"url", atc->transfer_url},
               {"fault_code", std::to_string(atc->fault.fault_code)}});
    if (atc->fault.fault_code != 0) {
      TaskFault f{
          static_cast<int>(atc->fault.fault_code),
          "AutonomousTransferComplete " + atc->transfer_url + ": " + atc->fault.fault_string,
          "null"};
      CWMP_RETURN_IF_ERROR(sessions_.RecordDeviceFault(s.device_id, f, now));
      (void)CountFault(f.code);
    }
    out.body = soap::AutonomousTransferCompleteResponse{};
  } else if (std::holds_alternative<soap::GetRPCMethods>(request.body)) {
    out.body =
        soap::GetRPCMethodsResponse{{"Inform", "GetRPCMethods", "TransferComplete",
                                     "AutonomousTransferComplete", "RequestDownload", "Kicked"}};
  } else if (const auto* rd = std::get_if<soap::RequestDownload>(&request.body)) {
    // Recorded (device history), and answered with a download task when a file of that type
    // is registered for the device; the task goes out on the CPE's next empty POST.
    cwmp::json::Object args;
    for (const auto& a : rd->file_type_args) args.emplace_back(a.name, cwmp::json::Value(a.value));
    auto recorded = sessions_.RecordRequestDownload(s.device_id, rd->file_type,
                                                    cwmp::json::Serialize(args), clock_());
    if (!recorded.ok()) return recorded.status();
    log_.Info("CPE requested a download",
              {{"device", s.device_id},
               {"file_type", rd->file_type},
               {"file", recorded->file_name.value_or("")},
               {"task", recorded->task_id ? std::to_string(*recorded->task_id) : ""}});
    out.body = soap::RequestDownloadResponse{};
  } else if (const auto* k = std::get_if<soap::Kicked>(&request.body)) {
    log_.Info("CPE kicked", {{"device", s.device_id}, {"command", k->command}});
    out.body = soap::KickedResponse{k->next};
  } else if (std::holds_alternative<soap::DUStateChangeComplete>(request.body)) {
    out.body = soap::DUStateChangeCompleteResponse{};
  } else if (std::holds_alternative<soap::AutonomousDUStateChangeComplete>(request.body)) {
    out.body = soap::AutonomousDUStateChangeCompleteResponse{};
  } else {
    out.body = soap::MakeFault(8000, "Method not supported: " + method);
  }
  auto xml = EncodeFor(s, std::move(out));
  if (!xml.ok()) return xml.status();
  return Xml(std::move(*xml));
}

Status Engine::ApplyTaskOutcome(SessionState& s, const Task& task, const tasks::Outcome& o) {
  const TimePoint now = clock_();
  if (!o.delete_prefix.empty()) {
    auto deleted = store_.DeleteParameters(s.device_id, o.delete_prefix);
    if (!deleted.ok()) return deleted.status();
  }
  if (!o.updates.empty())
    CWMP_RETURN_IF_ERROR(store_.UpdateParameters(s.device_id, o.updates, now));
  switch (o.kind) {
    case tasks::Outcome::Kind::kDone:
    case tasks::Outcome::Kind::kRefresh:
      CWMP_RETURN_IF_ERROR(store_.CompleteTask(task.id, o.result_json, now));
      metrics_.Add(metrics::kTasksCompleted, {{"outcome", "done"}});
      log_.Info("task done",
                {{"device", s.device_id}, {"task", std::to_string(task.id)}, {"name", task.name}});
      return Status::Ok();
    case tasks::Outcome::Kind::kAwaitTransfer:
      log_.Info("transfer accepted, awaiting TransferComplete",
                {{"device", s.device_id}, {"task", std::to_string(task.id)}});
      return sessions_.MarkAwaitingTransfer(task.id, now);
    case tasks::Outcome::Kind::kFault:
      CWMP_RETURN_IF_ERROR(store_.FailTask(task.id, o.fault, now));
      metrics_.Add(metrics::kTasksCompleted, {{"outcome", "fault"}});
      (void)CountFault(o.fault.code);
      log_.Warn("task failed", {{"device", s.device_id},
                                {"task", std::to_string(task.id)},
                                {"name", task.name},
                                {"code", std::to_string(o.fault.code)},
                                {"message", o.fault.message}});
      return Status::Ok();
  }
  return Status::Ok();
}

Status Engine::FinishRefresh(SessionState& s) {
  size_t n = s.refresh->values_read();
  if (s.refresh_task) {
    tasks::Outcome o;
    o.result_json =
        cwmp::json::Serialize(cwmp::json::Object{{"parameters", static_cast<int64_t>(n)}});
    CWMP_RETURN_IF_ERROR(ApplyTaskOutcome(s, *s.refresh_task, o));
  } else {
    log_.Info(
        "discovery done",
        {{"device", s.device_id}, {"path", s.refresh->path()}, {"parameters", std::to_string(n)}});
  }
  s.refresh.reset();
  s.refresh_task.reset();
  return Status::Ok();
}

// A fault answering a data-model read. Discovery tries its next path (`*retry`); otherwise the
// read ends: a refreshObject task fails, discovery records a device fault.
Status Engine::RefreshFault(SessionState& s, const soap::Fault& fault, bool* retry) {
  *retry = false;
  (void)CountFault(static_cast<int>(fault.code));
  bool names = s.sent == SessionState::Sent::kRefreshNames;
  if (!s.refresh_task && names && s.discovery_index + 1 < s.discovery_paths.size()) {
    ++s.discovery_index;
    s.refresh.emplace(s.discovery_paths[s.discovery_index], options_.refresh);
    *retry = true;
    return Status::Ok();
  }
  const TimePoint now = clock_();
  if (s.refresh_task) {
    tasks::Outcome o;
    o.kind = tasks::Outcome::Kind::kFault;
    o.fault = tasks::FaultOf(fault);
    CWMP_RETURN_IF_ERROR(ApplyTaskOutcome(s, *s.refresh_task, o));
  } else {
    TaskFault f = tasks::FaultOf(fault);
    f.message = "discovery of " + s.refresh->path() + ": " + f.message;
    CWMP_RETURN_IF_ERROR(sessions_.RecordDeviceFault(s.device_id, f, now));
  }
  s.refresh.reset();
  s.refresh_task.reset();
  return Status::Ok();
}

Result<Reply> Engine::HandleResponse(SessionState& s, const soap::Body& response) {
  const TimePoint now = clock_();
  const auto* fault = std::get_if<soap::Fault>(&response);
  SessionState::Sent sent = s.sent;
  s.sent = SessionState::Sent::kNone;
  s.phase = Phase::kCpeTurn;
  if (sent == SessionState::Sent::kTask) {
    Task task = *s.sent_task;
    s.sent_task.reset();
    tasks::Outcome o = tasks::InterpretResponse(task, response);
    CWMP_RETURN_IF_ERROR(ApplyTaskOutcome(s, task, o));
    return SendNextOrEnd(s);
  }
  if (fault != nullptr) {
    bool retry = false;
    s.sent = sent;  // RefreshFault looks at what was sent
    CWMP_RETURN_IF_ERROR(RefreshFault(s, *fault, &retry));
    s.sent = SessionState::Sent::kNone;
    if (retry) {
      log_.Info("discovery: the CPE rejected the path, trying the next",
                {{"device", s.device_id}, {"path", s.refresh->path()}});
      s.sent = SessionState::Sent::kRefreshNames;
      return Send(s, s.refresh->NamesRequest());
    }
    return SendNextOrEnd(s);
  }
  if (sent == SessionState::Sent::kRefreshNames) {
    const auto* r = std::get_if<soap::GetParameterNamesResponse>(&response);
    if (r == nullptr) {
      soap::Fault f =
          soap::MakeFault(tasks::kFaultInternal, "expected GetParameterNamesResponse, got " +
                                                     std::string(soap::MethodName(response)));
      bool retry = false;
      s.sent = sent;
      s.discovery_index = s.discovery_paths.size();  // no point trying other paths
      CWMP_RETURN_IF_ERROR(RefreshFault(s, f, &retry));
      s.sent = SessionState::Sent::kNone;
      return SendNextOrEnd(s);
    }
    // Parameters the CPE no longer has disappear with the re-read of their subtree; the ones it
    // still has keep their stored values (and stay visible to the API and to connection
    // requests) until the GetParameterValues batches refresh them.
    const std::string& path = s.refresh->path();
    auto updates = tasks::UpdatesFromNames(r->parameters);
    if (!path.empty()) {
      std::vector<std::string> still_there;
      still_there.reserve(updates.size());
      for (const auto& u : updates) still_there.push_back(u.name);
      auto deleted = store_.DeleteParameters(s.device_id, path, still_there);
      if (!deleted.ok()) return deleted.status();
    }
    std::vector<ParameterUpdate> leaves;
    for (auto& u : updates) {
      if (!u.name.empty() && u.name.back() != '.') leaves.push_back(std::move(u));
    }
    size_t dropped = s.refresh->SetNames(r->parameters);
    if (dropped > 0) {
      log_.Warn("data model larger than the refresh limit; the rest is not read",
                {{"device", s.device_id}, {"path", path}, {"dropped", std::to_string(dropped)}});
      leaves.resize(s.refresh->names());
    }
    if (!leaves.empty()) CWMP_RETURN_IF_ERROR(store_.UpdateParameters(s.device_id, leaves, now));
    return SendNextOrEnd(s);
  }
  if (sent == SessionState::Sent::kRefreshValues) {
    const auto* r = std::get_if<soap::GetParameterValuesResponse>(&response);
    if (r == nullptr) {
      soap::Fault f =
          soap::MakeFault(tasks::kFaultInternal, "expected GetParameterValuesResponse, got " +
                                                     std::string(soap::MethodName(response)));
      bool retry = false;
      s.sent = sent;
      CWMP_RETURN_IF_ERROR(RefreshFault(s, f, &retry));
      s.sent = SessionState::Sent::kNone;
      return SendNextOrEnd(s);
    }
    CWMP_RETURN_IF_ERROR(
        store_.UpdateParameters(s.device_id, tasks::UpdatesFromValues(r->parameters), now));
    s.refresh->CountValues(r->parameters.size());
    return SendNextOrEnd(s);
  }
  Reply bad;
  bad.http_status = 400;
  bad.body = "unexpected " + std::string(soap::MethodName(response)) + ": no request outstanding";
  return bad;
}

Result<Reply> Engine::Send(SessionState& s, soap::Body rpc) {
  soap::Envelope env;
  env.id = "acs-" + std::to_string(s.next_id++);
  std::string method(soap::MethodName(rpc));
  env.body = std::move(rpc);
  auto xml = EncodeFor(s, std::move(env));
  if (!xml.ok()) return xml.status();
  ++s.rpcs_sent;
  s.phase = Phase::kAwaitResponse;
  s.sent_method = method;
  metrics_.Add(metrics::kRpcsSent, {{"method", method}});
  return Xml(std::move(*xml));
}

Result<Reply> Engine::SendNextOrEnd(SessionState& s) {
  const TimePoint now = clock_();
  s.phase = Phase::kCpeTurn;
  // Bounded: each pass either sends, or finishes a refresh / fails an invalid task for good.
  for (int guard = 0; guard < 10000; ++guard) {
    if (s.rpcs_sent >= options_.max_rpcs_per_session) break;
    if (s.refresh) {
      if (auto batch = s.refresh->NextBatch()) {
        s.sent = SessionState::Sent::kRefreshValues;
        return Send(s, std::move(*batch));
      }
      CWMP_RETURN_IF_ERROR(FinishRefresh(s));
      continue;
    }
    if (s.discovery_pending) {
      s.discovery_pending = false;
      s.discovery_index = 0;
      s.refresh.emplace(s.discovery_paths[0], options_.refresh);
      s.sent = SessionState::Sent::kRefreshNames;
      log_.Info("discovering the data model",
                {{"device", s.device_id}, {"path", s.discovery_paths[0]}});
      return Send(s, s.refresh->NamesRequest());
    }
    // With no task left the store releases the lease in the same round trip: the session
    // ends now.
    auto next = sessions_.NextDeliverableTaskOrRelease(s.device_id, s.owner, s.id, now);
    if (!next.ok()) return next.status();
    if (!*next) {
      s.lease_released = true;
      break;
    }
    Task task = **next;
    auto rpc = tasks::BuildRequest(task);
    if (rpc.ok()) {
      // Encode now, so a task the CPE's CWMP version cannot carry fails instead of looping.
      soap::Envelope probe;
      probe.body = *rpc;
      auto encoded = EncodeFor(s, probe);
      if (!encoded.ok()) rpc = encoded.status();
    }
    if (!rpc.ok()) {
      tasks::Outcome o;
      o.kind = tasks::Outcome::Kind::kFault;
      o.fault = {tasks::kFaultInvalidArguments, rpc.status().message(), "null"};
      CWMP_RETURN_IF_ERROR(ApplyTaskOutcome(s, task, o));
      continue;
    }
    log_.Info("sending task",
              {{"device", s.device_id}, {"task", std::to_string(task.id)}, {"name", task.name}});
    if (task.name == "refreshObject") {
      const auto& gpn = std::get<soap::GetParameterNames>(*rpc);
      s.refresh.emplace(gpn.parameter_path.empty() ? s.root : gpn.parameter_path, options_.refresh);
      s.refresh_task = task;
      s.sent = SessionState::Sent::kRefreshNames;
      return Send(s, s.refresh->NamesRequest());
    }
    s.sent = SessionState::Sent::kTask;
    s.sent_task = task;
    return Send(s, std::move(*rpc));
  }
  s.phase = Phase::kEnded;
  return NoContent();
}

}  // namespace acs::session
