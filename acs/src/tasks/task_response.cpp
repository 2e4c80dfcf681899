// What a CPE's answer to a task's RPC means: the result JSON, parameter updates, or a fault.
#include "acs/tasks.h"
#include "cwmp/base/json.h"
#include "cwmp/soap/codec.h"

namespace acs::tasks {
namespace {

namespace soap = cwmp::soap;
using cwmp::json::Array;
using cwmp::json::Object;
using cwmp::json::Value;

Outcome Done(Value result) {
  Outcome o;
  o.result_json = cwmp::json::Serialize(result);
  return o;
}

Outcome Mismatch(const Task& task, const soap::Body& response) {
  Outcome o;
  o.kind = Outcome::Kind::kFault;
  o.fault.code = kFaultInternal;
  o.fault.message =
      "the CPE answered the " + task.name + " task with " + std::string(soap::MethodName(response));
  return o;
}

template <typename T>
const T* As(const soap::Body& b) {
  return std::get_if<T>(&b);
}

Value TransferTimes(int status, const std::string& start, const std::string& complete) {
  return Object{{"status", status}, {"startTime", start}, {"completeTime", complete}};
}

}  // namespace

std::vector<ParameterUpdate> UpdatesFromValues(const std::vector<soap::ParameterValue>& values) {
  std::vector<ParameterUpdate> out;
  for (const auto& p : values) {
    ParameterUpdate u;
    u.name = p.name;
    u.value = p.value;
    u.type = p.type.empty() ? std::string("xsd:string") : p.type;
    out.push_back(std::move(u));
  }
  return out;
}

std::vector<ParameterUpdate> UpdatesFromNames(const std::vector<soap::ParameterInfo>& infos) {
  std::vector<ParameterUpdate> out;
  for (const auto& p : infos) {
    ParameterUpdate u;
    u.name = p.name;
    u.writable = p.writable;
    out.push_back(std::move(u));
  }
  return out;
}

TaskFault FaultOf(const soap::Fault& f) {
  TaskFault t;
  t.code = static_cast<int>(f.code);
  t.message = f.string.empty() ? f.soap_faultstring : f.string;
  if (!f.set_parameter_values_faults.empty()) {
    Array list;
    for (const auto& e : f.set_parameter_values_faults) {
      list.push_back(Object{{"parameterName", e.parameter_name},
                            {"faultCode", static_cast<int64_t>(e.fault_code)},
                            {"faultString", e.fault_string}});
    }
    t.detail_json = cwmp::json::Serialize(Object{{"setParameterValuesFaults", list}});
  }
  return t;
}

Outcome TransferOutcome(const soap::TransferComplete& tc) {
  Outcome o;
  if (tc.fault.fault_code != 0) {
    o.kind = Outcome::Kind::kFault;
    o.fault.code = static_cast<int>(tc.fault.fault_code);
    o.fault.message = tc.fault.fault_string.empty()
                          ? std::string(soap::FaultText(tc.fault.fault_code))
                          : tc.fault.fault_string;
    return o;
  }
  return Done(TransferTimes(1, tc.start_time, tc.complete_time));
}

Outcome InterpretResponse(const Task& task, const soap::Body& response) {
  if (const auto* f = As<soap::Fault>(response)) {
    Outcome o;
    o.kind = Outcome::Kind::kFault;
    o.fault = FaultOf(*f);
    return o;
  }
  const std::string& n = task.name;
  if (n == "getParameterValues") {
    const auto* r = As<soap::GetParameterValuesResponse>(response);
    if (r == nullptr) return Mismatch(task, response);
    Array values;
    for (const auto& p : r->parameters) values.push_back(Array{p.name, p.value, p.type});
    Outcome o = Done(Object{{"parameterValues", values}});
    o.updates = UpdatesFromValues(r->parameters);
    return o;
  }
  if (n == "setParameterValues") {
    const auto* r = As<soap::SetParameterValuesResponse>(response);
    if (r == nullptr) return Mismatch(task, response);
    Outcome o = Done(Object{{"status", r->status}});
    auto rpc = BuildRequest(task);
    if (rpc.ok()) {
      o.updates = UpdatesFromValues(std::get<soap::SetParameterValues>(*rpc).parameters);
    }
    return o;
  }
  if (n == "getParameterNames" || n == "refreshObject") {
    const auto* r = As<soap::GetParameterNamesResponse>(response);
    if (r == nullptr) return Mismatch(task, response);
    if (n == "refreshObject") {
      Outcome o;
      o.kind = Outcome::Kind::kRefresh;
      o.updates = UpdatesFromNames(r->parameters);
      for (const auto& p : r->parameters) {
        if (!p.name.empty() && p.name.back() != '.') o.refresh_names.push_back(p.name);
      }
      return o;
    }
    Array list;
    for (const auto& p : r->parameters) list.push_back(Array{p.name, p.writable});
    Outcome o = Done(Object{{"parameters", list}});
    o.updates = UpdatesFromNames(r->parameters);
    return o;
  }
  if (n == "getParameterAttributes") {
    const auto* r = As<soap::GetParameterAttributesResponse>(response);
    if (r == nullptr) return Mismatch(task, response);
    Array list;
    Outcome o;
    for (const auto& p : r->parameters) {
      Array acl;
      for (const auto& a : p.access_list) acl.push_back(a);
      list.push_back(Array{p.name, p.notification, acl});
      ParameterUpdate u;
      u.name = p.name;
      u.notification = p.notification;
      u.access_list = p.access_list;
      o.updates.push_back(std::move(u));
    }
    o.result_json = cwmp::json::Serialize(Object{{"parameterAttributes", list}});
    return o;
  }
  if (n == "setParameterAttributes") {
    if (As<soap::SetParameterAttributesResponse>(response) == nullptr) {
      return Mismatch(task, response);
    }
    Outcome o = Done(Object{});
    auto rpc = BuildRequest(task);
    if (rpc.ok()) {
      for (const auto& s : std::get<soap::SetParameterAttributes>(*rpc).parameters) {
        ParameterUpdate u;
        u.name = s.name;
        if (s.notification_change) u.notification = s.notification;
        if (s.access_list_change) u.access_list = s.access_list;
        // Partial paths name objects; only full names are stored as parameters.
        if (!s.name.empty() && s.name.back() != '.') o.updates.push_back(std::move(u));
      }
    }
    return o;
  }
  if (n == "addObject") {
    const auto* r = As<soap::AddObjectResponse>(response);
    if (r == nullptr) return Mismatch(task, response);
    return Done(Object{{"instanceNumber", r->instance_number}, {"status", r->status}});
  }
  if (n == "deleteObject") {
    const auto* r = As<soap::DeleteObjectResponse>(response);
    if (r == nullptr) return Mismatch(task, response);
    Outcome o = Done(Object{{"status", r->status}});
    auto rpc = BuildRequest(task);
    if (rpc.ok()) o.delete_prefix = std::get<soap::DeleteObject>(*rpc).object_name;
    return o;
  }
  if (n == "reboot") {
    return As<soap::RebootResponse>(response) ? Done(Object{}) : Mismatch(task, response);
  }
  if (n == "factoryReset") {
    return As<soap::FactoryResetResponse>(response) ? Done(Object{}) : Mismatch(task, response);
  }
  if (n == "scheduleInform") {
    return As<soap::ScheduleInformResponse>(response) ? Done(Object{}) : Mismatch(task, response);
  }
  if (n == "cancelTransfer") {
    return As<soap::CancelTransferResponse>(response) ? Done(Object{}) : Mismatch(task, response);
  }
  if (n == "download" || n == "upload") {
    int status;
    std::string start, complete;
    if (const auto* d = As<soap::DownloadResponse>(response); d && n == "download") {
      status = d->status;
      start = d->start_time;
      complete = d->complete_time;
    } else if (const auto* u = As<soap::UploadResponse>(response); u && n == "upload") {
      status = u->status;
      start = u->start_time;
      complete = u->complete_time;
    } else {
      return Mismatch(task, response);
    }
    if (status == 0) return Done(TransferTimes(0, start, complete));
    Outcome o;
    o.kind = Outcome::Kind::kAwaitTransfer;
    return o;
  }
  if (n == "scheduleDownload") {
    if (As<soap::ScheduleDownloadResponse>(response) == nullptr) return Mismatch(task, response);
    Outcome o;
    o.kind = Outcome::Kind::kAwaitTransfer;
    return o;
  }
  if (n == "getAllQueuedTransfers") {
    const auto* r = As<soap::GetAllQueuedTransfersResponse>(response);
    if (r == nullptr) return Mismatch(task, response);
    Array list;
    for (const auto& t : r->transfers) {
      list.push_back(Object{{"commandKey", t.command_key},
                            {"state", t.state},
                            {"isDownload", t.is_download},
                            {"fileType", t.file_type},
                            {"fileSize", t.file_size},
                            {"targetFileName", t.target_file_name}});
    }
    return Done(Object{{"transfers", list}});
  }
  if (n == "getRPCMethods") {
    const auto* r = As<soap::GetRPCMethodsResponse>(response);
    if (r == nullptr) return Mismatch(task, response);
    Array list;
    for (const auto& m : r->methods) list.push_back(m);
    return Done(Object{{"methods", list}});
  }
  return Mismatch(task, response);
}

}  // namespace acs::tasks
