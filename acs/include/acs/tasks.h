#pragma once
// Task JSON <-> CWMP RPC translation (the format is docs/acs-tasks.md).
//
// BuildRequest turns a pending task into the RPC to send; InterpretResponse turns the CPE's
// answer into what to store (result JSON, parameter updates, or a fault). Pure functions: the
// session engine does the storing. refreshObject is several RPCs; BuildRequest gives its first
// (GetParameterNames) and the engine runs the rest (see session.h, Refresh).

#include <optional>
#include <string>
#include <vector>

#include "acs/store.h"
#include "cwmp/base/status.h"
#include "cwmp/soap/messages.h"

namespace acs::tasks {

inline constexpr int kFaultInternal = 8002;          // response does not match the request
inline constexpr int kFaultInvalidArguments = 8003;  // task body violates docs/acs-tasks.md

// Every task name of docs/acs-tasks.md.
const std::vector<std::string>& TaskNames();
// Checks a task body (name + args JSON) against docs/acs-tasks.md without building the RPC;
// kInvalidArgument names the key, the value and the rule. (The NBI can call this.)
cwmp::Status Validate(const std::string& name, const std::string& args_json);

// The RPC for `task`; kInvalidArgument when its body is invalid (fail it with 8003).
cwmp::Result<cwmp::soap::Body> BuildRequest(const Task& task);

// The command key a transfer task (download, upload, scheduleDownload) is sent with.
std::string TransferCommandKey(const Task& task);
bool IsTransferTask(const std::string& name);

struct Outcome {
  enum class Kind {
    kDone,           // CompleteTask(result_json)
    kAwaitTransfer,  // MarkAwaitingTransfer; TransferComplete finishes it
    kFault,          // FailTask(fault)
    kRefresh,        // refreshObject: GetParameterNames answered; the engine reads `refresh_names`
  };
  Kind kind = Kind::kDone;
  std::string result_json = "{}";
  std::vector<ParameterUpdate> updates;  // store before completing
  std::string delete_prefix;             // when non-empty: delete stored parameters under it first
  TaskFault fault;
  std::vector<std::string> refresh_names;  // leaf parameter names (kRefresh)
};

// What the CPE's answer (`response`, a *Response or a Fault) to `task`'s RPC means.
Outcome InterpretResponse(const Task& task, const cwmp::soap::Body& response);

// A CWMP Fault as a TaskFault (detail carries SetParameterValuesFaults).
TaskFault FaultOf(const cwmp::soap::Fault& fault);

// The outcome of a TransferComplete for a transfer task.
Outcome TransferOutcome(const cwmp::soap::TransferComplete& complete);

// Parameter updates from CPE responses (also used by discovery).
std::vector<ParameterUpdate> UpdatesFromValues(const std::vector<cwmp::soap::ParameterValue>& v);
std::vector<ParameterUpdate> UpdatesFromNames(const std::vector<cwmp::soap::ParameterInfo>& v);

}  // namespace acs::tasks
