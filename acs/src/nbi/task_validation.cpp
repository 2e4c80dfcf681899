// Task bodies, checked against docs/acs-tasks.md before they are queued, so a typo is a 400
// naming the field instead of an 8003 fault in the device's next session.
#include <cctype>
#include <map>
#include <set>
#include <vector>

#include "acs/nbi_api.h"

namespace acs::nbi {
namespace {

using cwmp::Status;
using cwmp::json::Value;

constexpr int64_t kU32Max = 4294967295;
constexpr int64_t kI32Max = 2147483647;

Status Bad(const std::string& field, const std::string& why) {
  return cwmp::InvalidArgument(field + ": " + why);
}

std::string Shown(const std::string& s) {
  return cwmp::json::Quote(s.size() > 80 ? s.substr(0, 80) + "..." : s);
}

// A parameter path: segments of [A-Za-z0-9_-] joined by '.', optionally ending in '.'.
bool IsPath(const std::string& s) {
  if (s.empty() || s.front() == '.') return false;
  bool prev_dot = false;
  for (char c : s) {
    if (c == '.') {
      if (prev_dot) return false;
      prev_dot = true;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
      prev_dot = false;
    } else {
      return false;
    }
  }
  return true;
}

bool IsVendorType(const std::string& s) {
  // "X <OUI> <name>": X, space, six upper-case hex digits, space, one or more characters.
  if (s.size() < 10 || s[0] != 'X' || s[1] != ' ' || s[8] != ' ') return false;
  for (int i = 2; i < 8; ++i) {
    char c = s[static_cast<size_t>(i)];
    if (!std::isdigit(static_cast<unsigned char>(c)) && !(c >= 'A' && c <= 'F')) return false;
  }
  return true;
}

bool HasInstanceSuffix(const std::string& s, const std::string& prefix) {
  if (s.rfind(prefix, 0) != 0 || s.size() == prefix.size()) return false;
  for (size_t i = prefix.size(); i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool IsDownloadType(const std::string& s) {
  static const std::set<std::string> kTypes = {"1 Firmware Upgrade Image",
                                               "2 Web Content",
                                               "3 Vendor Configuration File",
                                               "4 Tone File",
                                               "5 Ringer File",
                                               "6 Stored Firmware Image"};
  return kTypes.count(s) > 0 || IsVendorType(s);
}

bool IsUploadType(const std::string& s) {
  return s == "1 Vendor Configuration File" || s == "2 Vendor Log File" ||
         HasInstanceSuffix(s, "3 Vendor Configuration File ") ||
         HasInstanceSuffix(s, "4 Vendor Log File ") || IsVendorType(s);
}

bool IsWindowMode(const std::string& s) {
  return s == "1 At Any Time" || s == "2 Immediately" || s == "3 When Idle" ||
         s == "4 Confirmation Needed" || IsVendorType(s);
}

bool IsTransferUrl(const std::string& s) {
  std::string lower;
  for (char c : s.substr(0, 8))
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* scheme : {"http://", "https://", "ftp://", "tftp://"}) {
    std::string_view sc(scheme);
    if (lower.rfind(sc, 0) == 0 && s.size() > sc.size()) return true;
  }
  return false;
}

const std::set<std::string>& XsdTypes() {
  static const std::set<std::string> k = {"xsd:string",   "xsd:int",          "xsd:unsignedInt",
                                          "xsd:long",     "xsd:unsignedLong", "xsd:boolean",
                                          "xsd:dateTime", "xsd:base64",       "xsd:hexBinary"};
  return k;
}

// Per-type rules: which keys exist and how each is checked.
enum class Kind {
  kNameList,       // array 1..1000 of parameter paths (full or partial)
  kParamValues,    // setParameterValues entries
  kParamAttrs,     // setParameterAttributes entries
  kPathOrEmpty,    // string, "" allowed, else a path
  kObjectName,     // path ending in '.'
  kObjectOrEmpty,  // "" or a path ending in '.'
  kKey32,          // string <= 32
  kString256,      // string <= 256
  kBool,
  kU32,
  kU32Positive,
  kDownloadType,
  kUploadType,
  kTransferUrl,
  kTimeWindows,
};

struct Field {
  Kind kind;
  bool required;
};

using Spec = std::map<std::string, Field>;

const std::map<std::string, Spec>& Specs() {
  static const std::map<std::string, Spec> k = {
      {"getParameterValues", {{"parameterNames", {Kind::kNameList, true}}}},
      {"setParameterValues",
       {{"parameterValues", {Kind::kParamValues, true}}, {"parameterKey", {Kind::kKey32, false}}}},
      {"getParameterNames",
       {{"parameterPath", {Kind::kPathOrEmpty, true}}, {"nextLevel", {Kind::kBool, false}}}},
      {"refreshObject", {{"objectName", {Kind::kObjectOrEmpty, true}}}},
      {"getParameterAttributes", {{"parameterNames", {Kind::kNameList, true}}}},
      {"setParameterAttributes", {{"parameterAttributes", {Kind::kParamAttrs, true}}}},
      {"addObject",
       {{"objectName", {Kind::kObjectName, true}}, {"parameterKey", {Kind::kKey32, false}}}},
      {"deleteObject",
       {{"objectName", {Kind::kObjectName, true}}, {"parameterKey", {Kind::kKey32, false}}}},
      {"reboot", {{"commandKey", {Kind::kKey32, false}}}},
      {"factoryReset", {}},
      {"download",
       {{"fileType", {Kind::kDownloadType, true}},
        {"url", {Kind::kTransferUrl, true}},
        {"username", {Kind::kString256, false}},
        {"password", {Kind::kString256, false}},
        {"fileSize", {Kind::kU32, false}},
        {"targetFileName", {Kind::kString256, false}},
        {"delaySeconds", {Kind::kU32, false}},
        {"successUrl", {Kind::kString256, false}},
        {"failureUrl", {Kind::kString256, false}},
        {"commandKey", {Kind::kKey32, false}}}},
      {"upload",
       {{"fileType", {Kind::kUploadType, true}},
        {"url", {Kind::kTransferUrl, true}},
        {"username", {Kind::kString256, false}},
        {"password", {Kind::kString256, false}},
        {"delaySeconds", {Kind::kU32, false}},
        {"commandKey", {Kind::kKey32, false}}}},
      {"scheduleInform",
       {{"delaySeconds", {Kind::kU32Positive, true}}, {"commandKey", {Kind::kKey32, false}}}},
      {"scheduleDownload",
       {{"fileType", {Kind::kDownloadType, true}},
        {"url", {Kind::kTransferUrl, true}},
        {"timeWindows", {Kind::kTimeWindows, true}},
        {"username", {Kind::kString256, false}},
        {"password", {Kind::kString256, false}},
        {"fileSize", {Kind::kU32, false}},
        {"targetFileName", {Kind::kString256, false}},
        {"commandKey", {Kind::kKey32, false}}}},
      {"getAllQueuedTransfers", {}},
      {"cancelTransfer", {{"commandKey", {Kind::kKey32, true}}}},
      {"getRPCMethods", {}},
  };
  return k;
}

Status CheckString(const std::string& field, const Value& v, size_t max) {
  if (!v.is_string())
    return Bad(field, std::string("must be a string, not ") + cwmp::json::TypeName(v.type()));
  if (v.as_string().size() > max) {
    return Bad(field, "longer than " + std::to_string(max) + " characters");
  }
  return Status::Ok();
}

Status CheckInt(const std::string& field, const Value& v, int64_t lo, int64_t hi) {
  if (!v.is_int()) return Bad(field, "must be an integer");
  if (v.as_int() < lo || v.as_int() > hi) {
    return Bad(field, std::to_string(v.as_int()) + " is not in " + std::to_string(lo) + ".." +
                          std::to_string(hi));
  }
  return Status::Ok();
}

Status CheckPath(const std::string& field, const Value& v, bool allow_partial) {
  CWMP_RETURN_IF_ERROR(CheckString(field, v, 256));
  const std::string& s = v.as_string();
  if (!IsPath(s)) return Bad(field, Shown(s) + " is not a parameter path");
  if (!allow_partial && s.back() == '.') {
    return Bad(field, Shown(s) + " is a partial path; a parameter name is needed");
  }
  return Status::Ok();
}

Status CheckArraySize(const std::string& field, const Value& v, size_t lo, size_t hi) {
  if (!v.is_array()) return Bad(field, "must be an array");
  size_t n = v.as_array().size();
  if (n < lo || n > hi) {
    return Bad(field, "has " + std::to_string(n) + " entries, allowed " + std::to_string(lo) +
                          ".." + std::to_string(hi));
  }
  return Status::Ok();
}

Status CheckObjectKeys(const std::string& field, const Value& v,
                       const std::set<std::string>& allowed,
                       const std::vector<std::string>& required) {
  if (!v.is_object()) return Bad(field, "must be an object");
  for (const auto& [k, _] : v.as_object()) {
    if (allowed.count(k) == 0) return Bad(field + "." + k, "unknown key");
  }
  for (const auto& r : required) {
    if (v.Find(r) == nullptr) return Bad(field + "." + r, "is required");
  }
  return Status::Ok();
}

Status CheckField(const std::string& f, Kind kind, const Value& v) {
  switch (kind) {
    case Kind::kNameList: {
      CWMP_RETURN_IF_ERROR(CheckArraySize(f, v, 1, 1000));
      const auto& a = v.as_array();
      for (size_t i = 0; i < a.size(); ++i) {
        CWMP_RETURN_IF_ERROR(CheckPath(f + "[" + std::to_string(i) + "]", a[i], true));
      }
      return Status::Ok();
    }
    case Kind::kParamValues: {
      CWMP_RETURN_IF_ERROR(CheckArraySize(f, v, 1, 1000));
      const auto& a = v.as_array();
      for (size_t i = 0; i < a.size(); ++i) {
        std::string e = f + "[" + std::to_string(i) + "]";
        if (!a[i].is_array() || a[i].as_array().size() < 2 || a[i].as_array().size() > 3) {
          return Bad(e, "must be [name, value] or [name, value, type]");
        }
        const auto& t = a[i].as_array();
        CWMP_RETURN_IF_ERROR(CheckPath(e + "[0]", t[0], false));
        if (t[1].is_string()) {
          if (t[1].as_string().size() > 64 * 1024) return Bad(e + "[1]", "value too long");
        } else if (!t[1].is_bool() && !t[1].is_int()) {
          return Bad(e + "[1]", "value must be a string, boolean or integer");
        }
        if (t.size() == 3) {
          if (!t[2].is_string()) return Bad(e + "[2]", "type must be a string");
          if (XsdTypes().count(t[2].as_string()) == 0) {
            return Bad(e + "[2]", Shown(t[2].as_string()) +
                                      " is not one of xsd:string, xsd:int, xsd:unsignedInt, "
                                      "xsd:long, xsd:unsignedLong, xsd:boolean, xsd:dateTime, "
                                      "xsd:base64, xsd:hexBinary");
          }
        }
      }
      return Status::Ok();
    }
    case Kind::kParamAttrs: {
      CWMP_RETURN_IF_ERROR(CheckArraySize(f, v, 1, 1000));
      const auto& a = v.as_array();
      for (size_t i = 0; i < a.size(); ++i) {
        std::string e = f + "[" + std::to_string(i) + "]";
        CWMP_RETURN_IF_ERROR(
            CheckObjectKeys(e, a[i], {"name", "notification", "accessList"}, {"name"}));
        CWMP_RETURN_IF_ERROR(CheckPath(e + ".name", *a[i].Find("name"), true));
        if (const Value* n = a[i].Find("notification")) {
          CWMP_RETURN_IF_ERROR(CheckInt(e + ".notification", *n, 0, 6));
        }
        if (const Value* l = a[i].Find("accessList")) {
          CWMP_RETURN_IF_ERROR(CheckArraySize(e + ".accessList", *l, 0, 64));
          for (size_t j = 0; j < l->as_array().size(); ++j) {
            CWMP_RETURN_IF_ERROR(
                CheckString(e + ".accessList[" + std::to_string(j) + "]", l->as_array()[j], 64));
          }
        }
      }
      return Status::Ok();
    }
    case Kind::kPathOrEmpty:
      CWMP_RETURN_IF_ERROR(CheckString(f, v, 256));
      if (v.as_string().empty()) return Status::Ok();
      return CheckPath(f, v, true);
    case Kind::kObjectOrEmpty:
      CWMP_RETURN_IF_ERROR(CheckString(f, v, 256));
      if (v.as_string().empty()) return Status::Ok();
      [[fallthrough]];
    case Kind::kObjectName:
      CWMP_RETURN_IF_ERROR(CheckPath(f, v, true));
      if (v.as_string().back() != '.') {
        return Bad(f, Shown(v.as_string()) + " is not an object name (must end in '.')");
      }
      return Status::Ok();
    case Kind::kKey32:
      return CheckString(f, v, 32);
    case Kind::kString256:
      return CheckString(f, v, 256);
    case Kind::kBool:
      return v.is_bool() ? Status::Ok() : Bad(f, "must be true or false");
    case Kind::kU32:
      return CheckInt(f, v, 0, kU32Max);
    case Kind::kU32Positive:
      return CheckInt(f, v, 1, kU32Max);
    case Kind::kDownloadType:
      CWMP_RETURN_IF_ERROR(CheckString(f, v, 64));
      if (!IsDownloadType(v.as_string())) {
        return Bad(f, Shown(v.as_string()) +
                          " is not a Download FileType (\"1 Firmware Upgrade Image\" .. \"6 "
                          "Stored Firmware Image\" or \"X <OUI> <name>\")");
      }
      return Status::Ok();
    case Kind::kUploadType:
      CWMP_RETURN_IF_ERROR(CheckString(f, v, 64));
      if (!IsUploadType(v.as_string())) {
        return Bad(f, Shown(v.as_string()) +
                          " is not an Upload FileType (\"1 Vendor Configuration File\", \"2 "
                          "Vendor Log File\", \"3 Vendor Configuration File <i>\", \"4 Vendor "
                          "Log File <i>\" or \"X <OUI> <name>\")");
      }
      return Status::Ok();
    case Kind::kTransferUrl:
      CWMP_RETURN_IF_ERROR(CheckString(f, v, 256));
      if (!IsTransferUrl(v.as_string())) {
        return Bad(f, Shown(v.as_string()) +
                          " does not start with http://, https://, ftp:// or "
                          "tftp://");
      }
      return Status::Ok();
    case Kind::kTimeWindows: {
      CWMP_RETURN_IF_ERROR(CheckArraySize(f, v, 1, 2));
      const auto& a = v.as_array();
      for (size_t i = 0; i < a.size(); ++i) {
        std::string e = f + "[" + std::to_string(i) + "]";
        CWMP_RETURN_IF_ERROR(CheckObjectKeys(
            e, a[i], {"windowStart", "windowEnd", "windowMode", "userMessage", "maxRetries"},
            {"windowStart", "windowEnd", "windowMode"}));
        CWMP_RETURN_IF_ERROR(CheckInt(e + ".windowStart", *a[i].Find("windowStart"), 0, kU32Max));
        CWMP_RETURN_IF_ERROR(CheckInt(e + ".windowEnd", *a[i].Find("windowEnd"), 0, kU32Max));
        if (a[i].Find("windowStart")->as_int() > a[i].Find("windowEnd")->as_int()) {
          return Bad(e + ".windowEnd", "is before windowStart");
        }
        const Value& mode = *a[i].Find("windowMode");
        CWMP_RETURN_IF_ERROR(CheckString(e + ".windowMode", mode, 64));
        if (!IsWindowMode(mode.as_string())) {
          return Bad(e + ".windowMode", Shown(mode.as_string()) +
                                            " is not \"1 At Any Time\", \"2 Immediately\", \"3 "
                                            "When Idle\", \"4 Confirmation Needed\" or \"X <OUI> "
                                            "<name>\"");
        }
        if (const Value* m = a[i].Find("userMessage")) {
          CWMP_RETURN_IF_ERROR(CheckString(e + ".userMessage", *m, 256));
        }
        if (const Value* m = a[i].Find("maxRetries")) {
          CWMP_RETURN_IF_ERROR(CheckInt(e + ".maxRetries", *m, -kI32Max - 1, kI32Max));
        }
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateTask(const Value& body) {
  if (!body.is_object()) return cwmp::InvalidArgument("the task body must be a JSON object");
  const Value* name = body.Find("name");
  if (name == nullptr) return Bad("name", "is required");
  if (!name->is_string()) return Bad("name", "must be a string");
  auto spec = Specs().find(name->as_string());
  if (spec == Specs().end()) {
    std::string names;
    for (const auto& [n, _] : Specs()) names += (names.empty() ? "" : ", ") + n;
    return Bad("name", Shown(name->as_string()) + " is not a task type (" + names + ")");
  }
  for (const auto& [key, value] : body.as_object()) {
    if (key == "name") continue;
    auto f = spec->second.find(key);
    if (f == spec->second.end()) {
      return Bad(key, "unknown key for a " + name->as_string() + " task");
    }
    CWMP_RETURN_IF_ERROR(CheckField(key, f->second.kind, value));
  }
  for (const auto& [key, field] : spec->second) {
    if (field.required && body.Find(key) == nullptr) {
      return Bad(key, "is required for a " + name->as_string() + " task");
    }
  }
  return Status::Ok();
}

}  // namespace acs::nbi
