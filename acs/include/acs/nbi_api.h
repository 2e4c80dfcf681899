#pragma once
// The northbound REST API (NBI): JSON over HTTP for operators, acsctl and OSS systems.
// docs/openapi.yaml is the contract; docs/api/ has one page per endpoint.
//
//   GET    /devices[?prefix=&param=NAME&value=V&informedSince=&informedBefore=&limit=&skip=&after=]
//   GET    /devices/{id}              parameters, lastInform, lastBoot, lastBootstrap
//   DELETE /devices/{id}
//   GET    /devices/{id}/events[?limit=]   the Inform history, newest first
//   GET    /devices/{id}/tasks
//   POST   /devices/{id}/tasks[?connection_request&timeout=MS]
//   GET    /tasks/{id}   POST /tasks/{id}/retry   DELETE /tasks/{id}
//   GET    /faults[?device=&limit=]
//
// Every request needs "Authorization: Bearer <token>" (acsd token create): 401 without one or
// with an unknown token, 403 when a read token asks for POST/DELETE. Errors are
// {"error":"<message>"} with 400 (bad input; the message names the field), 404, 409 (task not
// in a state that allows it), 405, 503 (database unavailable).
// Secrets never leave: values of password parameters and "password" keys of task bodies are
// replaced by "********".
//
// Handle() is thread-safe and blocks (database; up to `max_wait` for ?timeout=), which suits
// HttpServer's thread per connection.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "acs/connection_request.h"
#include "acs/http_server.h"
#include "acs/store.h"
#include "cwmp/base/json.h"
#include "cwmp/base/status.h"

namespace acs::nbi {

struct ApiOptions {
  // Wall clock for task timestamps (injected so tests control it).
  std::function<TimePoint()> now = [] { return std::chrono::system_clock::now(); };
  // ?timeout= is capped at this; the wait polls the task's status every `poll_interval`.
  std::chrono::milliseconds max_wait{60'000};
  std::chrono::milliseconds poll_interval{100};
  // Largest ?skip= accepted (skipping walks the id index page by page).
  int max_skip = 100'000;
};

class Api {
 public:
  Api(Store& store, ConnectionRequester& requester, const ApiOptions& options);
  http::Response Handle(const http::Request& request, const http::ConnectionInfo& connection);

 private:
  http::Response Route(const http::Request& request, const http::ConnectionInfo& connection);

  Store& store_;
  ConnectionRequester& requester_;
  ApiOptions options_;
};

// Checks a task body against docs/acs-tasks.md. kInvalidArgument with a message naming the
// field ("parameterValues[1][2]: \"xsd:foo\" is not a CWMP type").
cwmp::Status ValidateTask(const cwmp::json::Value& body);

// True for parameters whose value is secret: the catalog's secret flag, or a last path segment
// that names a password/passphrase/key (TR-181 marks those hidden; CPEs return "").
bool IsSecretParameter(std::string_view name);

// The device id GenieACS-style in a URL path segment: every byte outside [A-Za-z0-9-_.~]
// percent-encoded.
std::string EncodeDeviceId(std::string_view id);

}  // namespace acs::nbi
