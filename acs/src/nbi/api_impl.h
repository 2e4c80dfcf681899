#pragma once
// Internals of the NBI shared by its .cpp files: the per-request context, JSON responses and
// the JSON views of store records (with secrets masked).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "acs/nbi_api.h"

namespace acs::nbi::internal {

using cwmp::json::Value;

struct Ctx {
  Store& store;
  ConnectionRequester& requester;
  const ApiOptions& options;
  const http::Request& request;
  std::vector<std::string> segments;         // decoded path segments
  std::map<std::string, std::string> query;  // decoded; a key without '=' maps to ""
};

http::Response Json(int status, const Value& body);
http::Response Error(int status, const std::string& message);
// 404 kNotFound, 400 kInvalidArgument/kParseError, 409 kFailedPrecondition, 413
// kLimitExceeded, 503 kIoError, 500 otherwise.
http::Response FromStatus(const cwmp::Status& status);
http::Response NoContent();

// Query helpers. Unknown keys are a 400, so typos in filters don't silently match everything.
std::optional<http::Response> CheckQueryKeys(const Ctx& ctx, std::vector<std::string> allowed);
// The integer value of `key` (or `fallback` when absent), within lo..hi; nullopt + *error set.
std::optional<int64_t> QueryInt(const Ctx& ctx, const std::string& key, int64_t fallback,
                                int64_t lo, int64_t hi, http::Response* error);

// "2026-01-01T00:00:00.000Z"
std::string FormatTime(TimePoint t);
Value OptTime(const std::optional<TimePoint>& t);
// RFC 3339 UTC ("...Z", fraction optional) or Unix seconds.
cwmp::Result<TimePoint> ParseTime(const std::string& text);

Value DeviceJson(const Device& d);
Value ParameterJson(const Parameter& p);
// The task as the API shows it: args and result with passwords masked; "fault" set when the
// task faulted.
Value TaskJson(const Task& t);
Value FaultJson(const FaultRecord& f);

http::Response HandleDevices(Ctx& ctx);
http::Response HandleTasks(Ctx& ctx);
http::Response HandleFaults(Ctx& ctx);
// POST /devices/{id}/tasks
http::Response CreateTask(Ctx& ctx, const std::string& device_id);

}  // namespace acs::nbi::internal
