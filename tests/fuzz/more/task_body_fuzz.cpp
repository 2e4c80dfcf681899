// NBI task bodies: the first line of the input is the task name, the rest its JSON body.
// Validate never crashes; a body it accepts also builds an RPC.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "acs/tasks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  const std::string name = input.substr(0, nl == std::string::npos ? input.size() : nl);
  const std::string body = nl == std::string::npos ? "" : input.substr(nl + 1);
  if (!acs::tasks::Validate(name, body).ok()) return 0;
  acs::Task task;
  task.id = 1;
  task.device_id = "000000-Fuzz-1";
  task.name = name;
  task.args_json = body;
  if (!acs::tasks::BuildRequest(task).ok()) std::abort();  // Validate's promise
  return 0;
}
