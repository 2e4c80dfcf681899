// /devices endpoints.
#include "nbi/api_impl.h"

namespace acs::nbi::internal {
namespace {

http::Response MethodNotAllowed(const std::string& allow) {
  http::Response r = Error(405, "method not allowed; use " + allow);
  r.headers.push_back({"Allow", allow});
  return r;
}

http::Response ListDevices(Ctx& ctx) {
  if (auto e = CheckQueryKeys(ctx, {"prefix", "param", "value", "informedSince", "informedBefore",
                                    "limit", "skip", "after"})) {
    return *e;
  }
  http::Response err;
  auto limit = QueryInt(ctx, "limit", 100, 1, 1000, &err);
  if (!limit) return err;
  auto skip = QueryInt(ctx, "skip", 0, 0, ctx.options.max_skip, &err);
  if (!skip) return err;
  DeviceFilter f;
  auto get = [&](const char* k) -> const std::string* {
    auto it = ctx.query.find(k);
    return it == ctx.query.end() ? nullptr : &it->second;
  };
  if (const auto* p = get("prefix")) f.id_prefix = *p;
  if (const auto* p = get("after")) f.after_id = *p;
  if (const auto* p = get("param")) {
    if (p->empty() || p->size() > 256) return Error(400, "param: must be a parameter name");
    f.parameter_name = *p;
  }
  if (const auto* v = get("value")) {
    if (!f.parameter_name) return Error(400, "value: needs param=NAME");
    if (IsSecretParameter(*f.parameter_name)) {
      return Error(400, "param: " + *f.parameter_name +
                            " is secret; devices can't be filtered by its value");
    }
    f.parameter_value = *v;
  }
  for (const char* k : {"informedSince", "informedBefore"}) {
    if (const auto* t = get(k)) {
      auto tp = ParseTime(*t);
      if (!tp.ok()) return Error(400, std::string(k) + ": " + tp.status().message());
      (std::string(k) == "informedSince" ? f.informed_since : f.informed_before) = *tp;
    }
  }
  // skip: walk the id index in pages (keyset), so each page query stays cheap.
  int64_t to_skip = *skip;
  while (to_skip > 0) {
    f.limit = static_cast<int>(std::min<int64_t>(to_skip, 1000));
    auto page = ctx.store.ListDevices(f);
    if (!page.ok()) return FromStatus(page.status());
    to_skip -= static_cast<int64_t>(page->devices.size());
    if (page->next_after_id.empty()) {
      return Json(200, cwmp::json::Array{});
    }
    f.after_id = page->next_after_id;
  }
  f.limit = static_cast<int>(*limit);
  auto page = ctx.store.ListDevices(f);
  if (!page.ok()) return FromStatus(page.status());
  cwmp::json::Array out;
  for (const auto& d : page->devices) out.push_back(DeviceJson(d));
  http::Response r = Json(200, out);
  if (!page->next_after_id.empty()) r.headers.push_back({"X-Next-After", page->next_after_id});
  return r;
}

http::Response GetDevice(Ctx& ctx, const std::string& id) {
  if (auto e = CheckQueryKeys(ctx, {})) return *e;
  auto d = ctx.store.GetDevice(id);
  if (!d.ok()) return FromStatus(d.status());
  Value v = DeviceJson(d->device);
  Value params = cwmp::json::Object{};
  for (const auto& p : d->parameters) params.Set(p.name, ParameterJson(p));
  v.Set("parameters", params);
  return Json(200, v);
}

Value InformEventJson(const InformEntry& i) {
  Value v = cwmp::json::Object{};
  v.Set("method", "Inform");
  v.Set("receivedAt", FormatTime(i.received_at));
  v.Set("cpeTime", OptTime(i.cpe_time));
  v.Set("retryCount", i.retry_count);
  cwmp::json::Array events;
  for (const auto& e : i.events) {
    Value ev = cwmp::json::Object{};
    ev.Set("code", e.code);
    ev.Set("commandKey", e.command_key);
    events.push_back(ev);
  }
  v.Set("events", events);
  return v;
}

Value CpeRequestJson(const CpeRequestEntry& e) {
  Value v = cwmp::json::Object{};
  v.Set("method", e.method);
  v.Set("receivedAt", FormatTime(e.received_at));
  v.Set("fileType", e.file_type);
  auto args = cwmp::json::Parse(e.args_json);
  v.Set("fileTypeArgs", args.ok() ? *args : Value(cwmp::json::Object{}));
  v.Set("file", e.file_name ? Value(*e.file_name) : Value());
  v.Set("taskId", e.task_id ? Value(*e.task_id) : Value());
  return v;
}

http::Response ListEvents(Ctx& ctx, const std::string& id) {
  if (auto e = CheckQueryKeys(ctx, {"limit"})) return *e;
  http::Response err;
  auto limit = QueryInt(ctx, "limit", 100, 1, 1000, &err);
  if (!limit) return err;
  auto d = ctx.store.GetDevice(id);  // 404 for an unknown device rather than []
  if (!d.ok()) return FromStatus(d.status());
  auto informs = ctx.store.ListInforms(id, static_cast<int>(*limit));
  if (!informs.ok()) return FromStatus(informs.status());
  auto requests = ctx.store.ListCpeRequests(id, static_cast<int>(*limit));
  if (!requests.ok()) return FromStatus(requests.status());
  // Informs and CPE requests (RequestDownload) merged, newest first, at most `limit`.
  cwmp::json::Array out;
  size_t i = 0, r = 0;
  while (out.size() < static_cast<size_t>(*limit) && (i < informs->size() || r < requests->size())) {
    bool take_inform = r >= requests->size() ||
                       (i < informs->size() &&
                        (*informs)[i].received_at >= (*requests)[r].received_at);
    if (take_inform) {
      out.push_back(InformEventJson((*informs)[i++]));
    } else {
      out.push_back(CpeRequestJson((*requests)[r++]));
    }
  }
  return Json(200, out);
}

http::Response ListDeviceTasks(Ctx& ctx, const std::string& id) {
  if (auto e = CheckQueryKeys(ctx, {})) return *e;
  auto d = ctx.store.GetDevice(id);
  if (!d.ok()) return FromStatus(d.status());
  auto tasks = ctx.store.ListTasks(id);
  if (!tasks.ok()) return FromStatus(tasks.status());
  cwmp::json::Array out;
  for (const auto& t : *tasks) out.push_back(TaskJson(t));
  return Json(200, out);
}

}  // namespace

http::Response HandleDevices(Ctx& ctx) {
  const auto& s = ctx.segments;
  const std::string& m = ctx.request.method;
  if (s.size() == 1) {
    if (m != "GET" && m != "HEAD") return MethodNotAllowed("GET");
    return ListDevices(ctx);
  }
  const std::string& id = s[1];
  if (id.empty() || id.size() > 512) return Error(404, "no such device");
  if (s.size() == 2) {
    if (m == "GET" || m == "HEAD") return GetDevice(ctx, id);
    if (m == "DELETE") {
      if (auto e = CheckQueryKeys(ctx, {})) return *e;
      cwmp::Status st = ctx.store.DeleteDevice(id);
      return st.ok() ? NoContent() : FromStatus(st);
    }
    return MethodNotAllowed("GET, DELETE");
  }
  if (s.size() == 3 && s[2] == "events") {
    if (m != "GET" && m != "HEAD") return MethodNotAllowed("GET");
    return ListEvents(ctx, id);
  }
  if (s.size() == 3 && s[2] == "tasks") {
    if (m == "GET" || m == "HEAD") return ListDeviceTasks(ctx, id);
    if (m == "POST") return CreateTask(ctx, id);
    return MethodNotAllowed("GET, POST");
  }
  return Error(404, "no such resource under /devices/" + EncodeDeviceId(id));
}

}  // namespace acs::nbi::internal
