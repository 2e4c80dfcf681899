// Task body validation and the RPC for each task (docs/acs-tasks.md).
#include <cctype>
#include <limits>
#include <set>

#include "acs/tasks.h"
#include "cwmp/base/json.h"

namespace acs::tasks {
namespace {

using cwmp::Result;
using cwmp::Status;
using cwmp::json::Value;
namespace soap = cwmp::soap;

constexpr size_t kMaxBodyBytes = 256 * 1024;
constexpr size_t kMaxList = 1000;
constexpr size_t kMaxName = 256;

// Reads keys of a task body, remembering which were used so unknown keys can be rejected.
class Args {
 public:
  explicit Args(const Value& body) : body_(body) {}

  Status Error(const std::string& key, const std::string& rule) const {
    return cwmp::InvalidArgument("\"" + key + "\": " + rule);
  }

  const Value* Get(const std::string& key) {
    used_.insert(key);
    return body_.Find(key);
  }

  Result<std::string> String(const std::string& key, bool required, size_t max_len,
                             std::string fallback = "") {
    const Value* v = Get(key);
    if (v == nullptr) {
      if (required) return Error(key, "is required");
      return fallback;
    }
    if (!v->is_string())
      return Error(key, std::string("must be a string, not ") + cwmp::json::TypeName(v->type()));
    if (v->as_string().size() > max_len) {
      return Error(key, "is longer than " + std::to_string(max_len) + " characters");
    }
    return v->as_string();
  }

  Result<int64_t> Int(const std::string& key, bool required, int64_t lo, int64_t hi,
                      int64_t fallback = 0) {
    const Value* v = Get(key);
    if (v == nullptr) {
      if (required) return Error(key, "is required");
      return fallback;
    }
    if (!v->is_int()) return Error(key, "must be an integer");
    if (v->as_int() < lo || v->as_int() > hi) {
      return Error(key, std::to_string(v->as_int()) + " is outside " + std::to_string(lo) + ".." +
                            std::to_string(hi));
    }
    return v->as_int();
  }

  Result<bool> Bool(const std::string& key, bool fallback) {
    const Value* v = Get(key);
    if (v == nullptr) return fallback;
    if (!v->is_bool()) return Error(key, "must be true or false");
    return v->as_bool();
  }

  Result<const cwmp::json::Array*> List(const std::string& key, size_t min, size_t max) {
    const Value* v = Get(key);
    if (v == nullptr) return Error(key, "is required");
    if (!v->is_array()) return Error(key, "must be an array");
    size_t n = v->as_array().size();
    if (n < min || n > max) {
      return Error(key, "must have " + std::to_string(min) + ".." + std::to_string(max) +
                            " entries, not " + std::to_string(n));
    }
    return &v->as_array();
  }

  Status NoOtherKeys() const {
    for (const auto& [k, v] : body_.as_object()) {
      if (k != "name" && used_.count(k) == 0) return Error(k, "is not a key of this task");
    }
    return Status::Ok();
  }

 private:
  const Value& body_;
  std::set<std::string> used_;
};

#define ACS_TRY(var, expr)                    \
  auto var##_r = (expr);                      \
  if (!var##_r.ok()) return var##_r.status(); \
  auto var = std::move(*var##_r)

bool IsVendorType(const std::string& t) {
  // "X <OUI> <name>": X, space, 6 upper-case hex digits, space, at least one character.
  if (t.size() < 10 || t[0] != 'X' || t[1] != ' ' || t[8] != ' ') return false;
  for (int i = 2; i < 8; ++i) {
    char c = t[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

bool IsUploadType(const std::string& t) {
  if (t == "1 Vendor Configuration File" || t == "2 Vendor Log File" || IsVendorType(t)) {
    return true;
  }
  for (const char* prefix : {"3 Vendor Configuration File ", "4 Vendor Log File "}) {
    std::string p = prefix;
    if (t.size() > p.size() && t.compare(0, p.size(), p) == 0) {
      bool digits = true;
      for (size_t i = p.size(); i < t.size(); ++i) digits = digits && std::isdigit(t[i]) != 0;
      if (digits) return true;
    }
  }
  return false;
}

bool IsDownloadType(const std::string& t) {
  static const std::set<std::string> kTypes = {"1 Firmware Upgrade Image",
                                               "2 Web Content",
                                               "3 Vendor Configuration File",
                                               "4 Tone File",
                                               "5 Ringer File",
                                               "6 Stored Firmware Image"};
  return kTypes.count(t) > 0 || IsVendorType(t);
}

bool IsTransferUrl(const std::string& url) {
  std::string lower;
  for (char c : url.substr(0, 8)) lower += static_cast<char>(std::tolower(c));
  for (const char* scheme : {"http://", "https://", "ftp://", "tftp://"}) {
    if (lower.rfind(scheme, 0) == 0) return url.size() > std::string(scheme).size();
  }
  return false;
}

Result<std::vector<std::string>> NameList(Args& a, const std::string& key) {
  ACS_TRY(list, a.List(key, 1, kMaxList));
  std::vector<std::string> names;
  for (const Value& v : *list) {
    if (!v.is_string() || v.as_string().empty() || v.as_string().size() > kMaxName) {
      return a.Error(key, "entries must be non-empty strings of at most 256 characters");
    }
    names.push_back(v.as_string());
  }
  return names;
}

Result<std::string> ObjectName(Args& a, bool allow_empty) {
  ACS_TRY(name, a.String("objectName", true, kMaxName));
  if (name.empty() && allow_empty) return name;
  if (name.empty() || name.back() != '.') {
    return a.Error("objectName", "\"" + name + "\" must end in '.'");
  }
  return name;
}

Result<std::string> TypeFor(Args& a, const Value& value, const Value* type) {
  static const std::set<std::string> kTypes = {
      "xsd:string",  "xsd:int",      "xsd:unsignedInt", "xsd:long",     "xsd:unsignedLong",
      "xsd:boolean", "xsd:dateTime", "xsd:base64",      "xsd:hexBinary"};
  if (type != nullptr) {
    if (!type->is_string() || kTypes.count(type->as_string()) == 0) {
      return a.Error("parameterValues", "unknown type " + cwmp::json::Serialize(*type));
    }
    return type->as_string();
  }
  if (value.is_bool()) return std::string("xsd:boolean");
  if (value.is_int()) return std::string(value.as_int() < 0 ? "xsd:int" : "xsd:unsignedInt");
  return std::string("xsd:string");
}

Result<soap::Body> SetValues(Args& a) {
  ACS_TRY(list, a.List("parameterValues", 1, kMaxList));
  soap::SetParameterValues rpc;
  for (const Value& entry : *list) {
    if (!entry.is_array() || entry.as_array().size() < 2 || entry.as_array().size() > 3) {
      return a.Error("parameterValues", "entries must be [name, value] or [name, value, type]");
    }
    const auto& e = entry.as_array();
    if (!e[0].is_string() || e[0].as_string().empty() || e[0].as_string().size() > kMaxName ||
        e[0].as_string().back() == '.') {
      return a.Error("parameterValues", "a parameter name must be a full name (not ending in '.')");
    }
    std::string value;
    if (e[1].is_string())
      value = e[1].as_string();
    else if (e[1].is_bool())
      value = e[1].as_bool() ? "true" : "false";
    else if (e[1].is_int())
      value = std::to_string(e[1].as_int());
    else
      return a.Error("parameterValues",
                     "the value of " + e[0].as_string() + " must be a string, boolean or integer");
    ACS_TRY(type, TypeFor(a, e[1], e.size() == 3 ? &e[2] : nullptr));
    rpc.parameters.push_back({e[0].as_string(), value, type});
  }
  ACS_TRY(key, a.String("parameterKey", false, 32));
  rpc.parameter_key = key;
  return soap::Body(rpc);
}

Result<soap::Body> SetAttributes(Args& a) {
  ACS_TRY(list, a.List("parameterAttributes", 1, kMaxList));
  soap::SetParameterAttributes rpc;
  for (const Value& entry : *list) {
    if (!entry.is_object()) return a.Error("parameterAttributes", "entries must be objects");
    Args e(entry);
    soap::SetParameterAttributesStruct s;
    auto name = e.String("name", true, kMaxName);
    if (!name.ok()) return name.status().WithPrefix("parameterAttributes");
    s.name = *name;
    if (entry.Find("notification") != nullptr) {
      auto n = e.Int("notification", true, 0, 6);
      if (!n.ok()) return n.status().WithPrefix("parameterAttributes");
      s.notification_change = true;
      s.notification = static_cast<int>(*n);
    } else {
      e.Get("notification");
    }
    if (const Value* acl = e.Get("accessList")) {
      if (!acl->is_array()) return a.Error("parameterAttributes", "accessList must be an array");
      for (const Value& item : acl->as_array()) {
        if (!item.is_string() || item.as_string().size() > 64) {
          return a.Error("parameterAttributes", "accessList entries must be strings");
        }
        s.access_list.push_back(item.as_string());
      }
      s.access_list_change = true;
    }
    Status st = e.NoOtherKeys();
    if (!st.ok()) return st.WithPrefix("parameterAttributes");
    if (entry.Find("name") == nullptr) return a.Error("parameterAttributes", "name is required");
    rpc.parameters.push_back(std::move(s));
  }
  return soap::Body(rpc);
}

struct TransferFields {
  std::string command_key, file_type, url, username, target_file_name;
  cwmp::Secret password;
  uint32_t file_size = 0, delay_seconds = 0;
};

Status ReadTransfer(Args& a, const Task& task, bool download, bool with_size, bool with_delay,
                    TransferFields* f) {
  ACS_TRY(type, a.String("fileType", true, 64));
  if (download ? !IsDownloadType(type) : !IsUploadType(type)) {
    return a.Error("fileType", "\"" + type + "\" is not a " +
                                   std::string(download ? "download" : "upload") +
                                   " file type (see docs/acs-tasks.md)");
  }
  ACS_TRY(url, a.String("url", true, kMaxName));
  if (!IsTransferUrl(url)) {
    return a.Error("url", "\"" + url + "\" must be an http, https, ftp or tftp URL");
  }
  ACS_TRY(user, a.String("username", false, 256));
  ACS_TRY(pass, a.String("password", false, 256));
  ACS_TRY(key, a.String("commandKey", false, 32, "task-" + std::to_string(task.id)));
  f->file_type = type;
  f->url = url;
  f->username = user;
  f->password = cwmp::Secret(pass);
  f->command_key = key;
  if (with_size) {
    ACS_TRY(size, a.Int("fileSize", false, 0, std::numeric_limits<uint32_t>::max()));
    ACS_TRY(target, a.String("targetFileName", false, 256));
    f->file_size = static_cast<uint32_t>(size);
    f->target_file_name = target;
  }
  if (with_delay) {
    ACS_TRY(delay, a.Int("delaySeconds", false, 0, std::numeric_limits<uint32_t>::max()));
    f->delay_seconds = static_cast<uint32_t>(delay);
  }
  return Status::Ok();
}

bool IsWindowMode(const std::string& m) {
  return m == "1 At Any Time" || m == "2 Immediately" || m == "3 When Idle" ||
         m == "4 Confirmation Needed" || IsVendorType(m);
}

Result<soap::Body> Build(const Task& task, Args& a) {
  const std::string& n = task.name;
  if (n == "getParameterValues") {
    ACS_TRY(names, NameList(a, "parameterNames"));
    return soap::Body(soap::GetParameterValues{names});
  }
  if (n == "setParameterValues") return SetValues(a);
  if (n == "getParameterNames") {
    ACS_TRY(path, a.String("parameterPath", true, kMaxName));
    ACS_TRY(next, a.Bool("nextLevel", false));
    return soap::Body(soap::GetParameterNames{path, next});
  }
  if (n == "refreshObject") {
    ACS_TRY(name, ObjectName(a, true));
    return soap::Body(soap::GetParameterNames{name, false});
  }
  if (n == "getParameterAttributes") {
    ACS_TRY(names, NameList(a, "parameterNames"));
    return soap::Body(soap::GetParameterAttributes{names});
  }
  if (n == "setParameterAttributes") return SetAttributes(a);
  if (n == "addObject" || n == "deleteObject") {
    ACS_TRY(name, ObjectName(a, false));
    ACS_TRY(key, a.String("parameterKey", false, 32));
    if (n == "addObject") return soap::Body(soap::AddObject{name, key});
    return soap::Body(soap::DeleteObject{name, key});
  }
  if (n == "reboot") {
    ACS_TRY(key, a.String("commandKey", false, 32));
    return soap::Body(soap::Reboot{key});
  }
  if (n == "factoryReset") return soap::Body(soap::FactoryReset{});
  if (n == "download") {
    TransferFields f;
    CWMP_RETURN_IF_ERROR(ReadTransfer(a, task, true, true, true, &f));
    ACS_TRY(success, a.String("successUrl", false, kMaxName));
    ACS_TRY(failure, a.String("failureUrl", false, kMaxName));
    soap::Download d;
    d.command_key = f.command_key;
    d.file_type = f.file_type;
    d.url = f.url;
    d.username = f.username;
    d.password = f.password;
    d.file_size = f.file_size;
    d.target_file_name = f.target_file_name;
    d.delay_seconds = f.delay_seconds;
    d.success_url = success;
    d.failure_url = failure;
    return soap::Body(d);
  }
  if (n == "upload") {
    TransferFields f;
    CWMP_RETURN_IF_ERROR(ReadTransfer(a, task, false, false, true, &f));
    soap::Upload u;
    u.command_key = f.command_key;
    u.file_type = f.file_type;
    u.url = f.url;
    u.username = f.username;
    u.password = f.password;
    u.delay_seconds = f.delay_seconds;
    return soap::Body(u);
  }
  if (n == "scheduleDownload") {
    TransferFields f;
    CWMP_RETURN_IF_ERROR(ReadTransfer(a, task, true, true, false, &f));
    ACS_TRY(windows, a.List("timeWindows", 1, 2));
    soap::ScheduleDownload d;
    d.command_key = f.command_key;
    d.file_type = f.file_type;
    d.url = f.url;
    d.username = f.username;
    d.password = f.password;
    d.file_size = f.file_size;
    d.target_file_name = f.target_file_name;
    for (const Value& w : *windows) {
      if (!w.is_object()) return a.Error("timeWindows", "entries must be objects");
      Args wa(w);
      soap::TimeWindow tw;
      auto start = wa.Int("windowStart", true, 0, std::numeric_limits<uint32_t>::max());
      auto end = wa.Int("windowEnd", true, 0, std::numeric_limits<uint32_t>::max());
      auto mode = wa.String("windowMode", true, 64);
      auto msg = wa.String("userMessage", false, 256);
      auto retries = wa.Int("maxRetries", false, -1, std::numeric_limits<int32_t>::max());
      for (const Status& st : {start.status(), end.status(), mode.status(), msg.status(),
                               retries.status(), wa.NoOtherKeys()}) {
        if (!st.ok()) return st.WithPrefix("timeWindows");
      }
      if (*start > *end) return a.Error("timeWindows", "windowStart is after windowEnd");
      if (!IsWindowMode(*mode)) return a.Error("timeWindows", "unknown windowMode " + *mode);
      tw.window_start = static_cast<uint32_t>(*start);
      tw.window_end = static_cast<uint32_t>(*end);
      tw.window_mode = *mode;
      tw.user_message = *msg;
      tw.max_retries = static_cast<int32_t>(*retries);
      d.time_windows.push_back(tw);
    }
    return soap::Body(d);
  }
  if (n == "scheduleInform") {
    ACS_TRY(delay, a.Int("delaySeconds", true, 1, std::numeric_limits<uint32_t>::max()));
    ACS_TRY(key, a.String("commandKey", false, 32));
    return soap::Body(soap::ScheduleInform{static_cast<uint32_t>(delay), key});
  }
  if (n == "getAllQueuedTransfers") return soap::Body(soap::GetAllQueuedTransfers{});
  if (n == "cancelTransfer") {
    ACS_TRY(key, a.String("commandKey", true, 32));
    return soap::Body(soap::CancelTransfer{key});
  }
  if (n == "getRPCMethods") return soap::Body(soap::GetRPCMethods{});
  return cwmp::InvalidArgument("unknown task name \"" + n + "\"");
}

}  // namespace

const std::vector<std::string>& TaskNames() {
  static const std::vector<std::string> kNames = {"getParameterValues",
                                                  "setParameterValues",
                                                  "getParameterNames",
                                                  "refreshObject",
                                                  "getParameterAttributes",
                                                  "setParameterAttributes",
                                                  "addObject",
                                                  "deleteObject",
                                                  "reboot",
                                                  "factoryReset",
                                                  "download",
                                                  "upload",
                                                  "scheduleInform",
                                                  "scheduleDownload",
                                                  "getAllQueuedTransfers",
                                                  "cancelTransfer",
                                                  "getRPCMethods"};
  return kNames;
}

bool IsTransferTask(const std::string& name) {
  return name == "download" || name == "upload" || name == "scheduleDownload";
}

std::string TransferCommandKey(const Task& task) {
  auto body = cwmp::json::Parse(task.args_json);
  if (body.ok()) {
    if (const Value* k = body->Find("commandKey"); k != nullptr && k->is_string()) {
      return k->as_string();
    }
  }
  return "task-" + std::to_string(task.id);
}

Result<soap::Body> BuildRequest(const Task& task) {
  cwmp::json::JsonLimits limits;
  limits.max_bytes = kMaxBodyBytes;
  limits.max_depth = 16;
  auto body = cwmp::json::Parse(task.args_json, limits);
  if (!body.ok()) return cwmp::InvalidArgument("task body: " + body.status().message());
  if (!body->is_object()) return cwmp::InvalidArgument("task body must be a JSON object");
  if (const Value* name = body->Find("name")) {
    if (!name->is_string() || name->as_string() != task.name) {
      return cwmp::InvalidArgument("\"name\": must be \"" + task.name + "\"");
    }
  }
  Args args(*body);
  auto rpc = Build(task, args);
  if (!rpc.ok()) return rpc.status().WithPrefix(task.name);
  Status st = args.NoOtherKeys();
  if (!st.ok()) return st.WithPrefix(task.name);
  return rpc;
}

Status Validate(const std::string& name, const std::string& args_json) {
  Task t;
  t.name = name;
  t.args_json = args_json;
  return BuildRequest(t).status();
}

}  // namespace acs::tasks
