// Task endpoints (/devices/{id}/tasks, /tasks/{id}) and /faults.
#include <thread>

#include "nbi/api_impl.h"

namespace acs::nbi::internal {
namespace {

http::Response MethodNotAllowed(const std::string& allow) {
  http::Response r = Error(405, "method not allowed; use " + allow);
  r.headers.push_back({"Allow", allow});
  return r;
}

// Task ids are positive decimal integers; anything else can't name a task.
std::optional<int64_t> ParseTaskId(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  int64_t v = std::stoll(s);
  return v > 0 ? std::optional<int64_t>(v) : std::nullopt;
}

// Polls the task until it leaves `pending` or the deadline passes.
cwmp::Result<Task> WaitForTask(Ctx& ctx, int64_t id, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto t = ctx.store.GetTask(id);
    if (!t.ok() || t->status != TaskStatus::kPending) return t;
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return t;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(left, ctx.options.poll_interval));
  }
}

}  // namespace

http::Response CreateTask(Ctx& ctx, const std::string& device_id) {
  if (auto e = CheckQueryKeys(ctx, {"connection_request", "timeout"})) return *e;
  http::Response err;
  auto timeout_ms = QueryInt(ctx, "timeout", 0, 0, 86'400'000, &err);
  if (!timeout_ms) return err;
  *timeout_ms = std::min<int64_t>(*timeout_ms, ctx.options.max_wait.count());
  if (const std::string* ct = ctx.request.Find("Content-Type")) {
    if (ct->find("json") == std::string::npos) {
      return Error(415, "Content-Type must be application/json");
    }
  }
  cwmp::json::JsonLimits limits;
  limits.max_bytes = 256 * 1024;
  limits.max_depth = 16;
  auto body = cwmp::json::Parse(ctx.request.body, limits);
  if (!body.ok()) return FromStatus(body.status().WithPrefix("task body"));
  cwmp::Status valid = ValidateTask(*body);
  if (!valid.ok()) return Error(400, valid.message());

  NewTask task;
  task.device_id = device_id;
  task.name = body->Find("name")->as_string();
  task.args_json = cwmp::json::Serialize(*body);
  auto id = ctx.store.EnqueueTask(task, ctx.options.now());
  if (!id.ok()) return FromStatus(id.status());

  Value cr;
  if (ctx.query.count("connection_request") != 0) {
    ConnectionRequestResult r = ctx.requester.Request(device_id);
    cr = cwmp::json::Object{};
    cr.Set("outcome", ConnectionRequestOutcomeName(r.outcome));
    cr.Set("udp", r.udp);
    cr.Set("httpStatus", r.http_status);
    cr.Set("message", r.message);
    // No point waiting for a session that was not asked for.
    if (!r.accepted()) *timeout_ms = 0;
  }
  auto t = WaitForTask(ctx, *id, std::chrono::milliseconds(*timeout_ms));
  if (!t.ok()) return FromStatus(t.status());
  Value v = TaskJson(*t);
  if (!cr.is_null()) v.Set("connectionRequest", cr);
  http::Response r = Json(t->status == TaskStatus::kDone ? 200 : 202, v);
  r.headers.push_back({"Location", "/tasks/" + std::to_string(*id)});
  return r;
}

http::Response HandleTasks(Ctx& ctx) {
  const auto& s = ctx.segments;
  const std::string& m = ctx.request.method;
  if (s.size() < 2 || s.size() > 3) return Error(404, "use /tasks/{id}");
  auto id = ParseTaskId(s[1]);
  if (!id) return Error(404, "task \"" + s[1].substr(0, 40) + "\" not found (ids are integers)");
  if (auto e = CheckQueryKeys(ctx, {})) return *e;
  if (s.size() == 3) {
    if (s[2] != "retry") return Error(404, "no such resource under /tasks/" + s[1]);
    if (m != "POST") return MethodNotAllowed("POST");
    cwmp::Status st = ctx.store.RetryTask(*id, ctx.options.now());
    if (!st.ok()) return FromStatus(st);
    auto t = ctx.store.GetTask(*id);
    return t.ok() ? Json(200, TaskJson(*t)) : FromStatus(t.status());
  }
  if (m == "GET" || m == "HEAD") {
    auto t = ctx.store.GetTask(*id);
    return t.ok() ? Json(200, TaskJson(*t)) : FromStatus(t.status());
  }
  if (m == "DELETE") {
    cwmp::Status st = ctx.store.DeleteTask(*id);
    return st.ok() ? NoContent() : FromStatus(st);
  }
  return MethodNotAllowed("GET, DELETE");
}

http::Response HandleFaults(Ctx& ctx) {
  if (ctx.segments.size() != 1) return Error(404, "use /faults");
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return MethodNotAllowed("GET");
  }
  if (auto e = CheckQueryKeys(ctx, {"device", "limit"})) return *e;
  http::Response err;
  auto limit = QueryInt(ctx, "limit", 100, 1, 1000, &err);
  if (!limit) return err;
  cwmp::Result<std::vector<FaultRecord>> faults = std::vector<FaultRecord>{};
  if (auto it = ctx.query.find("device"); it != ctx.query.end()) {
    faults = ctx.store.ListFaults(it->second);
  } else {
    faults = ctx.store.ListRecentFaults(static_cast<int>(*limit));
  }
  if (!faults.ok()) return FromStatus(faults.status());
  cwmp::json::Array out;
  for (const auto& f : *faults) {
    if (out.size() >= static_cast<size_t>(*limit)) break;
    out.push_back(FaultJson(f));
  }
  return Json(200, out);
}

}  // namespace acs::nbi::internal
