// Conversion between cwmp/soap/messages.h and the generated gSOAP classes. Out() builds the
// gSOAP object for writing and checks the schema's limits; In() copies a parsed object into the
// project's structs and checks the decode limits.

#include "soap/convert.h"
#include "soapH.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <type_traits>

namespace cwmp::soap::internal {

// ---- Writer / Reader -------------------------------------------------------------------------

void Writer::Fail(std::string message) {
  if (status_.ok()) status_ = InvalidArgument(std::move(message));
}

const std::string& Writer::Str(std::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    Fail(std::string(field) + " \"" + value.substr(0, 40) + (value.size() > 40 ? "..." : "") +
         "\" is " + std::to_string(value.size()) + " characters; the schema allows at most " +
         std::to_string(max));
  }
  return value;
}

const std::string& Writer::Time(std::string_view field, const std::string& value) {
  if (!ParseDateTime(value).ok()) {
    Fail(std::string(field) + " \"" + value.substr(0, 40) + "\" is not an xs:dateTime");
  }
  return value;
}

void Writer::Count(std::string_view field, size_t n, size_t min, size_t max) {
  if (n < min || n > max) {
    Fail(std::string(field) + " has " + std::to_string(n) + " entries; the schema allows " +
         std::to_string(min) + " to " + std::to_string(max));
  }
}

std::string* Writer::New(std::string value) {
  std::string* p = soap_new_std__string(s_);
  if (p != nullptr) *p = std::move(value);
  return p;
}

std::string* Writer::NewOpt(std::string_view field, const std::optional<std::string>& value,
                            size_t max) {
  if (!value) return nullptr;
  return New(Str(field, *value, max));
}

std::string* Writer::ArrayType(std::string_view item, size_t n) {
  std::string v(item);
  v += '[';
  v += std::to_string(n);
  v += ']';
  return New(std::move(v));
}

void Reader::Items(std::string_view field, size_t n) {
  if (n > limits_.max_items) {
    Fail(LimitExceeded(std::string(field) + " has " + std::to_string(n) +
                       " entries; the limit is " + std::to_string(limits_.max_items)));
  }
}

namespace {

constexpr size_t kUnbounded = static_cast<size_t>(-1);

// Schema limits (cwmp-1-2.xsd).
constexpr size_t kName = 256;
constexpr size_t kCommandKey = 32;
constexpr size_t kParameterKey = 32;
constexpr size_t kUrl = 256;
constexpr size_t kLongUrl = 1024;
constexpr size_t kFileType = 64;
constexpr size_t kShort = 64;
constexpr size_t kVersion = 32;

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsInteger(std::string_view s, bool allow_sign) {
  if (allow_sign && !s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return IsDigits(s);
}

bool IsHex(std::string_view s) {
  return s.size() % 2 == 0 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

bool IsBase64(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '=';
    if (!ok) return false;
    ++n;
  }
  return n % 4 == 0;
}

// The value types the codec writes, with a lexical check for each.
void CheckValue(Writer& w, const ParameterValue& p) {
  const std::string& t = p.type;
  const std::string& v = p.value;
  bool ok = true;
  if (t == "xsd:string") {
    ok = true;
  } else if (t == "xsd:int" || t == "xsd:long") {
    ok = IsInteger(v, true) && v.size() <= (t == "xsd:int" ? 11u : 20u);
    if (ok) {
      long long n = std::strtoll(v.c_str(), nullptr, 10);
      if (t == "xsd:int") ok = n >= INT32_MIN && n <= INT32_MAX;
    }
  } else if (t == "xsd:unsignedInt" || t == "xsd:unsignedLong") {
    ok = IsInteger(v, false) && v.size() <= 20;
    if (ok && t == "xsd:unsignedInt") ok = std::strtoull(v.c_str(), nullptr, 10) <= UINT32_MAX;
  } else if (t == "xsd:boolean") {
    ok = v == "0" || v == "1" || v == "true" || v == "false";
  } else if (t == "xsd:dateTime") {
    ok = ParseDateTime(v).ok();
  } else if (t == "xsd:base64Binary" || t == "xsd:base64") {
    ok = IsBase64(v);
  } else if (t == "xsd:hexBinary") {
    ok = IsHex(v);
  } else {
    w.Fail("ParameterValueStruct " + p.name + ": type \"" + t +
           "\" is not one the codec writes (xsd:string, xsd:int, xsd:unsignedInt, xsd:long, "
           "xsd:unsignedLong, xsd:boolean, xsd:dateTime, xsd:base64Binary, xsd:hexBinary)");
    return;
  }
  if (!ok) {
    w.Fail("ParameterValueStruct " + p.name + ": value \"" + v.substr(0, 40) +
           "\" is not a valid " + t);
  }
}

// ---- shared pieces ---------------------------------------------------------------------------

void OutValues(Writer& w, const std::vector<ParameterValue>& in, cwmp__ParameterValueList* out) {
  out->ParameterValueStruct.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const ParameterValue& p = in[i];
    cwmp__ParameterValueStruct& o = out->ParameterValueStruct[i];
    o.Name = w.Str("ParameterValueStruct.Name", p.name, kName);
    o.Value.__item = p.value;
    CheckValue(w, p);
    o.Value.xsi__type = w.New(p.type);
  }
  out->SOAP_ENC__arrayType = w.ArrayType("cwmp:ParameterValueStruct", in.size());
}

std::vector<ParameterValue> InValues(Reader& r, const cwmp__ParameterValueList& in) {
  r.Items("ParameterList", in.ParameterValueStruct.size());
  std::vector<ParameterValue> out(in.ParameterValueStruct.size());
  for (size_t i = 0; i < out.size(); ++i) {
    const cwmp__ParameterValueStruct& p = in.ParameterValueStruct[i];
    out[i].name = p.Name;
    out[i].value = p.Value.__item;
    if (p.Value.xsi__type != nullptr) {
      out[i].type = *p.Value.xsi__type;
    } else {
      out[i].type.clear();
    }
  }
  return out;
}

template <class List>
void OutStrings(Writer& w, std::string_view field, const std::vector<std::string>& in, size_t max,
                List* out) {
  out->string.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) out->string[i] = w.Str(field, in[i], max);
  out->SOAP_ENC__arrayType = w.ArrayType("xsd:string", in.size());
}

template <class List>
std::vector<std::string> InStrings(Reader& r, std::string_view field, const List& in) {
  r.Items(field, in.string.size());
  return in.string;
}

#define CWMP_NEW(w, T) soap_new_##T((w).soap())

std::string OptString(const std::string* p) { return p != nullptr ? *p : std::string(); }
std::optional<std::string> Opt(const std::string* p) {
  return p != nullptr ? std::optional<std::string>(*p) : std::nullopt;
}
std::optional<Secret> OptSecret(const std::string* p) {
  return p != nullptr ? std::optional<Secret>(Secret(*p)) : std::nullopt;
}

void OutTransferFault(Writer& w, const TransferFault& in, cwmp__TransferCompleteFaultStruct* out) {
  out->FaultCode = in.fault_code;
  out->FaultString = w.Str("FaultStruct.FaultString", in.fault_string, kUrl);
}

TransferFault InTransferFault(const cwmp__TransferCompleteFaultStruct& in) {
  return TransferFault{in.FaultCode, in.FaultString};
}

void OutOpResult(Writer& w, const OpResult& in, cwmp__OpResultStruct* out) {
  out->UUID = in.uuid;
  out->DeploymentUnitRef = in.deployment_unit_ref;
  out->Version = w.Str("OpResultStruct.Version", in.version, kVersion);
  out->CurrentState = in.current_state;
  out->Resolved = in.resolved;
  out->ExecutionUnitRefList = in.execution_unit_ref_list;
  out->StartTime = w.Time("OpResultStruct.StartTime", in.start_time);
  out->CompleteTime = w.Time("OpResultStruct.CompleteTime", in.complete_time);
  out->Fault.FaultCode = in.fault.fault_code;
  out->Fault.FaultString = in.fault.fault_string ? w.New(*in.fault.fault_string) : nullptr;
}

template <class S>
OpResult InOpResult(const S& in) {
  OpResult out;
  out.uuid = in.UUID;
  out.deployment_unit_ref = in.DeploymentUnitRef;
  out.version = in.Version;
  out.current_state = in.CurrentState;
  out.resolved = in.Resolved;
  out.execution_unit_ref_list = in.ExecutionUnitRefList;
  out.start_time = in.StartTime;
  out.complete_time = in.CompleteTime;
  out.fault.fault_code = in.Fault.FaultCode;
  out.fault.fault_string = Opt(in.Fault.FaultString);
  return out;
}

// ---- CPE methods -----------------------------------------------------------------------------

_cwmp__GetRPCMethods* Out(Writer& w, const GetRPCMethods&) {
  return CWMP_NEW(w, _cwmp__GetRPCMethods);
}
GetRPCMethods In(Reader&, const _cwmp__GetRPCMethods&) { return {}; }

_cwmp__GetRPCMethodsResponse* Out(Writer& w, const GetRPCMethodsResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__GetRPCMethodsResponse);
  OutStrings(w, "MethodList.string", m.methods, kShort, &o->MethodList);
  return o;
}
GetRPCMethodsResponse In(Reader& r, const _cwmp__GetRPCMethodsResponse& m) {
  return {.methods = InStrings(r, "MethodList", m.MethodList)};
}

_cwmp__SetParameterValues* Out(Writer& w, const SetParameterValues& m) {
  auto* o = CWMP_NEW(w, _cwmp__SetParameterValues);
  OutValues(w, m.parameters, &o->ParameterList);
  o->ParameterKey = w.Str("SetParameterValues.ParameterKey", m.parameter_key, kParameterKey);
  return o;
}
SetParameterValues In(Reader& r, const _cwmp__SetParameterValues& m) {
  return {.parameters = InValues(r, m.ParameterList), .parameter_key = m.ParameterKey};
}

void CheckStatus(Writer& w, std::string_view field, int status) {
  if (status != 0 && status != 1) {
    w.Fail(std::string(field) + " is " + std::to_string(status) + "; the schema allows 0 or 1");
  }
}

_cwmp__SetParameterValuesResponse* Out(Writer& w, const SetParameterValuesResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__SetParameterValuesResponse);
  CheckStatus(w, "SetParameterValuesResponse.Status", m.status);
  o->Status = m.status;
  return o;
}
SetParameterValuesResponse In(Reader&, const _cwmp__SetParameterValuesResponse& m) {
  return {.status = m.Status};
}

_cwmp__GetParameterValues* Out(Writer& w, const GetParameterValues& m) {
  auto* o = CWMP_NEW(w, _cwmp__GetParameterValues);
  w.Count("GetParameterValues.ParameterNames", m.names.size(), 1, kUnbounded);
  OutStrings(w, "ParameterNames.string", m.names, kName, &o->ParameterNames);
  return o;
}
GetParameterValues In(Reader& r, const _cwmp__GetParameterValues& m) {
  return {.names = InStrings(r, "ParameterNames", m.ParameterNames)};
}

_cwmp__GetParameterValuesResponse* Out(Writer& w, const GetParameterValuesResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__GetParameterValuesResponse);
  OutValues(w, m.parameters, &o->ParameterList);
  return o;
}
GetParameterValuesResponse In(Reader& r, const _cwmp__GetParameterValuesResponse& m) {
  return {.parameters = InValues(r, m.ParameterList)};
}

_cwmp__GetParameterNames* Out(Writer& w, const GetParameterNames& m) {
  auto* o = CWMP_NEW(w, _cwmp__GetParameterNames);
  o->ParameterPath = w.Str("GetParameterNames.ParameterPath", m.parameter_path, kName);
  o->NextLevel = m.next_level;
  return o;
}
GetParameterNames In(Reader&, const _cwmp__GetParameterNames& m) {
  return {.parameter_path = m.ParameterPath, .next_level = m.NextLevel};
}

_cwmp__GetParameterNamesResponse* Out(Writer& w, const GetParameterNamesResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__GetParameterNamesResponse);
  auto& list = o->ParameterList.ParameterInfoStruct;
  list.resize(m.parameters.size());
  for (size_t i = 0; i < list.size(); ++i) {
    list[i].Name = w.Str("ParameterInfoStruct.Name", m.parameters[i].name, kName);
    list[i].Writable = m.parameters[i].writable;
  }
  o->ParameterList.SOAP_ENC__arrayType =
      w.ArrayType("cwmp:ParameterInfoStruct", m.parameters.size());
  return o;
}
GetParameterNamesResponse In(Reader& r, const _cwmp__GetParameterNamesResponse& m) {
  const auto& list = m.ParameterList.ParameterInfoStruct;
  r.Items("ParameterList", list.size());
  GetParameterNamesResponse out;
  out.parameters.reserve(list.size());
  for (const auto& p : list) out.parameters.push_back({p.Name, p.Writable});
  return out;
}

void CheckNotification(Writer& w, std::string_view field, int n) {
  int max = w.version() >= CwmpVersion::k1_4 ? 6 : 2;
  if (n < 0 || n > max) {
    w.Fail(std::string(field) + " is " + std::to_string(n) + "; CWMP " +
           std::string(VersionString(w.version())) + " allows 0 to " + std::to_string(max));
  }
}

void CheckAccessList(Writer& w, const std::vector<std::string>& list) {
  for (const std::string& a : list) {
    if (a != "Subscriber") {
      w.Fail("AccessList entry \"" + a.substr(0, 40) + "\" is not \"Subscriber\"");
    }
  }
}

_cwmp__SetParameterAttributes* Out(Writer& w, const SetParameterAttributes& m) {
  auto* o = CWMP_NEW(w, _cwmp__SetParameterAttributes);
  w.Count("SetParameterAttributes.ParameterList", m.parameters.size(), 1, kUnbounded);
  auto& list = o->ParameterList.SetParameterAttributesStruct;
  list.resize(m.parameters.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const SetParameterAttributesStruct& p = m.parameters[i];
    list[i].Name = w.Str("SetParameterAttributesStruct.Name", p.name, kName);
    list[i].NotificationChange = p.notification_change;
    CheckNotification(w, "SetParameterAttributesStruct.Notification", p.notification);
    list[i].Notification = p.notification;
    list[i].AccessListChange = p.access_list_change;
    CheckAccessList(w, p.access_list);
    OutStrings(w, "AccessList.string", p.access_list, kShort, &list[i].AccessList);
  }
  o->ParameterList.SOAP_ENC__arrayType =
      w.ArrayType("cwmp:SetParameterAttributesStruct", list.size());
  return o;
}
SetParameterAttributes In(Reader& r, const _cwmp__SetParameterAttributes& m) {
  const auto& list = m.ParameterList.SetParameterAttributesStruct;
  r.Items("ParameterList", list.size());
  SetParameterAttributes out;
  out.parameters.reserve(list.size());
  for (const auto& p : list) {
    out.parameters.push_back({p.Name, p.NotificationChange, p.Notification, p.AccessListChange,
                              InStrings(r, "AccessList", p.AccessList)});
  }
  return out;
}

_cwmp__SetParameterAttributesResponse* Out(Writer& w, const SetParameterAttributesResponse&) {
  return CWMP_NEW(w, _cwmp__SetParameterAttributesResponse);
}
SetParameterAttributesResponse In(Reader&, const _cwmp__SetParameterAttributesResponse&) {
  return {};
}

_cwmp__GetParameterAttributes* Out(Writer& w, const GetParameterAttributes& m) {
  auto* o = CWMP_NEW(w, _cwmp__GetParameterAttributes);
  w.Count("GetParameterAttributes.ParameterNames", m.names.size(), 1, kUnbounded);
  OutStrings(w, "ParameterNames.string", m.names, kName, &o->ParameterNames);
  return o;
}
GetParameterAttributes In(Reader& r, const _cwmp__GetParameterAttributes& m) {
  return {.names = InStrings(r, "ParameterNames", m.ParameterNames)};
}

_cwmp__GetParameterAttributesResponse* Out(Writer& w, const GetParameterAttributesResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__GetParameterAttributesResponse);
  auto& list = o->ParameterList.ParameterAttributeStruct;
  list.resize(m.parameters.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const ParameterAttributeStruct& p = m.parameters[i];
    list[i].Name = w.Str("ParameterAttributeStruct.Name", p.name, kName);
    CheckNotification(w, "ParameterAttributeStruct.Notification", p.notification);
    list[i].Notification = p.notification;
    CheckAccessList(w, p.access_list);
    OutStrings(w, "AccessList.string", p.access_list, kShort, &list[i].AccessList);
  }
  o->ParameterList.SOAP_ENC__arrayType = w.ArrayType("cwmp:ParameterAttributeStruct", list.size());
  return o;
}
GetParameterAttributesResponse In(Reader& r, const _cwmp__GetParameterAttributesResponse& m) {
  const auto& list = m.ParameterList.ParameterAttributeStruct;
  r.Items("ParameterList", list.size());
  GetParameterAttributesResponse out;
  out.parameters.reserve(list.size());
  for (const auto& p : list) {
    out.parameters.push_back({p.Name, p.Notification, InStrings(r, "AccessList", p.AccessList)});
  }
  return out;
}

void CheckObjectName(Writer& w, std::string_view field, const std::string& name) {
  w.Str(field, name, kName);
  if (name.empty() || name.back() != '.') {
    w.Fail(std::string(field) + " \"" + name.substr(0, 40) + "\" must end in \".\"");
  }
}

_cwmp__AddObject* Out(Writer& w, const AddObject& m) {
  auto* o = CWMP_NEW(w, _cwmp__AddObject);
  CheckObjectName(w, "AddObject.ObjectName", m.object_name);
  o->ObjectName = m.object_name;
  o->ParameterKey = w.Str("AddObject.ParameterKey", m.parameter_key, kParameterKey);
  return o;
}
AddObject In(Reader&, const _cwmp__AddObject& m) {
  return {.object_name = m.ObjectName, .parameter_key = m.ParameterKey};
}

_cwmp__AddObjectResponse* Out(Writer& w, const AddObjectResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__AddObjectResponse);
  if (m.instance_number < 1) w.Fail("AddObjectResponse.InstanceNumber must be at least 1");
  o->InstanceNumber = m.instance_number;
  CheckStatus(w, "AddObjectResponse.Status", m.status);
  o->Status = m.status;
  return o;
}
AddObjectResponse In(Reader&, const _cwmp__AddObjectResponse& m) {
  return {.instance_number = m.InstanceNumber, .status = m.Status};
}

_cwmp__DeleteObject* Out(Writer& w, const DeleteObject& m) {
  auto* o = CWMP_NEW(w, _cwmp__DeleteObject);
  CheckObjectName(w, "DeleteObject.ObjectName", m.object_name);
  o->ObjectName = m.object_name;
  o->ParameterKey = w.Str("DeleteObject.ParameterKey", m.parameter_key, kParameterKey);
  return o;
}
DeleteObject In(Reader&, const _cwmp__DeleteObject& m) {
  return {.object_name = m.ObjectName, .parameter_key = m.ParameterKey};
}

_cwmp__DeleteObjectResponse* Out(Writer& w, const DeleteObjectResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__DeleteObjectResponse);
  CheckStatus(w, "DeleteObjectResponse.Status", m.status);
  o->Status = m.status;
  return o;
}
DeleteObjectResponse In(Reader&, const _cwmp__DeleteObjectResponse& m) {
  return {.status = m.Status};
}

_cwmp__Reboot* Out(Writer& w, const Reboot& m) {
  auto* o = CWMP_NEW(w, _cwmp__Reboot);
  o->CommandKey = w.Str("Reboot.CommandKey", m.command_key, kCommandKey);
  return o;
}
Reboot In(Reader&, const _cwmp__Reboot& m) { return {.command_key = m.CommandKey}; }

_cwmp__RebootResponse* Out(Writer& w, const RebootResponse&) {
  return CWMP_NEW(w, _cwmp__RebootResponse);
}
RebootResponse In(Reader&, const _cwmp__RebootResponse&) { return {}; }

// ---- the schemas' string patterns (EventCodeType, *FileType, TimeWindowModeValueType) -----

bool NoSpace(char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; }

// ( \S+)+ : one or more space-separated non-blank tokens, nothing else.
bool SpacedTokens(std::string_view s) {
  if (s.size() < 2 || s[0] != ' ' || s.back() == ' ') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == ' ' ? s[i - 1] == ' ' : !NoSpace(s[i])) return false;
  }
  return true;
}

// \d+( \S+)+ or, with `nonzero`, [1-9]\d*( \S+)+
bool NumberWords(std::string_view s, bool nonzero) {
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0 || (nonzero && s[0] == '0')) return false;
  return SpacedTokens(s.substr(n));
}

bool AnyChars(std::string_view s, bool allow_empty) {
  if (s.empty()) return allow_empty;
  return std::none_of(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; });
}

// X [0-9A-F]{6} .* (or .+)
bool VendorOui(std::string_view s, bool allow_empty) {
  if (s.size() < 9 || s.substr(0, 2) != "X " || s[8] != ' ') return false;
  for (size_t i = 2; i < 8; ++i) {
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  }
  return AnyChars(s.substr(9), allow_empty);
}

// X \S+ .+
bool VendorAny(std::string_view s) {
  if (s.size() < 5 || s.substr(0, 2) != "X ") return false;
  size_t end = 2;
  while (end < s.size() && NoSpace(s[end])) ++end;
  if (end == 2 || end >= s.size() || s[end] != ' ') return false;
  return AnyChars(s.substr(end + 1), false);
}

// M \S+
bool MethodEvent(std::string_view s) {
  return s.size() > 2 && s.substr(0, 2) == "M " &&
         std::all_of(s.begin() + 2, s.end(), [](char c) { return NoSpace(c); });
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

enum class FileKind { kDownload, kUpload, kTransfer, kWindowMode };

// DownloadFileType / UploadFileType / TransferFileType / TimeWindowModeValueType: free-form
// "<n> <words>" from CWMP 1.2 on, fixed lists in 1.0 and 1.1.
void CheckFileType(Writer& w, std::string_view field, const std::string& v, FileKind kind) {
  w.Str(field, v, kFileType);
  bool ok;
  if (w.version() >= CwmpVersion::k1_2 || kind == FileKind::kWindowMode) {
    ok = NumberWords(v, true) || VendorOui(v, false) || VendorAny(v);
  } else if (kind == FileKind::kUpload) {
    ok = OneOf(v, {"1 Vendor Configuration File", "2 Vendor Log File"}) || VendorOui(v, true);
  } else {
    ok = OneOf(v, {"1 Firmware Upgrade Image", "2 Web Content", "3 Vendor Configuration File"}) ||
         (kind == FileKind::kTransfer && v == "4 Vendor Log File") || VendorOui(v, true);
  }
  if (!ok) {
    w.Fail(std::string(field) + " \"" + v.substr(0, 40) + "\" is not a file type CWMP " +
           std::string(VersionString(w.version())) + " defines");
  }
}

void CheckEventCode(Writer& w, const std::string& v) {
  w.Str("EventStruct.EventCode", v, kShort);
  bool ok;
  switch (w.version()) {
    case CwmpVersion::k1_0:
      ok = OneOf(v, {"0 BOOTSTRAP", "1 BOOT", "2 PERIODIC", "3 SCHEDULED", "4 VALUE CHANGE",
                     "5 KICKED", "6 CONNECTION REQUEST", "7 TRANSFER COMPLETE",
                     "8 DIAGNOSTICS COMPLETE", "9 REQUEST DOWNLOAD", "M Reboot", "M ScheduleInform",
                     "M Download", "M Upload"}) ||
           (v.substr(0, 4) == "M X_" && MethodEvent(v) && v.size() > 4) || VendorOui(v, true);
      break;
    case CwmpVersion::k1_1:
      ok = NumberWords(v, false) || MethodEvent(v) || VendorOui(v, true);
      break;
    default:
      ok = NumberWords(v, false) || MethodEvent(v) || VendorOui(v, false) || VendorAny(v);
  }
  if (!ok) {
    w.Fail("EventStruct.EventCode \"" + v.substr(0, 40) + "\" is not an event code CWMP " +
           std::string(VersionString(w.version())) + " defines");
  }
}

_cwmp__Download* Out(Writer& w, const Download& m) {
  auto* o = CWMP_NEW(w, _cwmp__Download);
  o->CommandKey = w.Str("Download.CommandKey", m.command_key, kCommandKey);
  CheckFileType(w, "Download.FileType", m.file_type, FileKind::kDownload);
  o->FileType = m.file_type;
  o->URL = w.Str("Download.URL", m.url, kUrl);
  o->Username = w.Str("Download.Username", m.username, kUrl);
  o->Password = w.Str("Download.Password", m.password.Reveal(), kUrl);
  o->FileSize = m.file_size;
  o->TargetFileName = w.Str("Download.TargetFileName", m.target_file_name, kUrl);
  o->DelaySeconds = m.delay_seconds;
  o->SuccessURL = w.Str("Download.SuccessURL", m.success_url, kUrl);
  o->FailureURL = w.Str("Download.FailureURL", m.failure_url, kUrl);
  return o;
}
Download In(Reader&, const _cwmp__Download& m) {
  Download d;
  d.command_key = m.CommandKey;
  d.file_type = m.FileType;
  d.url = m.URL;
  d.username = m.Username;
  d.password = Secret(m.Password);
  d.file_size = m.FileSize;
  d.target_file_name = m.TargetFileName;
  d.delay_seconds = m.DelaySeconds;
  d.success_url = m.SuccessURL;
  d.failure_url = m.FailureURL;
  return d;
}

template <class T, class M>
T* OutTransferResponse(Writer& w, T* o, const M& m, std::string_view name) {
  CheckStatus(w, std::string(name) + ".Status", m.status);
  o->Status = m.status;
  o->StartTime = w.Time(std::string(name) + ".StartTime", m.start_time);
  o->CompleteTime = w.Time(std::string(name) + ".CompleteTime", m.complete_time);
  return o;
}

_cwmp__DownloadResponse* Out(Writer& w, const DownloadResponse& m) {
  return OutTransferResponse(w, CWMP_NEW(w, _cwmp__DownloadResponse), m, "DownloadResponse");
}
DownloadResponse In(Reader&, const _cwmp__DownloadResponse& m) {
  return {.status = m.Status, .start_time = m.StartTime, .complete_time = m.CompleteTime};
}

_cwmp__Upload* Out(Writer& w, const Upload& m) {
  auto* o = CWMP_NEW(w, _cwmp__Upload);
  o->CommandKey = w.Str("Upload.CommandKey", m.command_key, kCommandKey);
  CheckFileType(w, "Upload.FileType", m.file_type, FileKind::kUpload);
  o->FileType = m.file_type;
  o->URL = w.Str("Upload.URL", m.url, kUrl);
  o->Username = w.Str("Upload.Username", m.username, kUrl);
  o->Password = w.Str("Upload.Password", m.password.Reveal(), kUrl);
  o->DelaySeconds = m.delay_seconds;
  return o;
}
Upload In(Reader&, const _cwmp__Upload& m) {
  Upload u;
  u.command_key = m.CommandKey;
  u.file_type = m.FileType;
  u.url = m.URL;
  u.username = m.Username;
  u.password = Secret(m.Password);
  u.delay_seconds = m.DelaySeconds;
  return u;
}

_cwmp__UploadResponse* Out(Writer& w, const UploadResponse& m) {
  return OutTransferResponse(w, CWMP_NEW(w, _cwmp__UploadResponse), m, "UploadResponse");
}
UploadResponse In(Reader&, const _cwmp__UploadResponse& m) {
  return {.status = m.Status, .start_time = m.StartTime, .complete_time = m.CompleteTime};
}

_cwmp__FactoryReset* Out(Writer& w, const FactoryReset&) {
  return CWMP_NEW(w, _cwmp__FactoryReset);
}
FactoryReset In(Reader&, const _cwmp__FactoryReset&) { return {}; }
_cwmp__FactoryResetResponse* Out(Writer& w, const FactoryResetResponse&) {
  return CWMP_NEW(w, _cwmp__FactoryResetResponse);
}
FactoryResetResponse In(Reader&, const _cwmp__FactoryResetResponse&) { return {}; }

_cwmp__ScheduleInform* Out(Writer& w, const ScheduleInform& m) {
  auto* o = CWMP_NEW(w, _cwmp__ScheduleInform);
  o->DelaySeconds = m.delay_seconds;
  o->CommandKey = w.Str("ScheduleInform.CommandKey", m.command_key, kCommandKey);
  return o;
}
ScheduleInform In(Reader&, const _cwmp__ScheduleInform& m) {
  return {.delay_seconds = m.DelaySeconds, .command_key = m.CommandKey};
}
_cwmp__ScheduleInformResponse* Out(Writer& w, const ScheduleInformResponse&) {
  return CWMP_NEW(w, _cwmp__ScheduleInformResponse);
}
ScheduleInformResponse In(Reader&, const _cwmp__ScheduleInformResponse&) { return {}; }

_cwmp__ScheduleDownload* Out(Writer& w, const ScheduleDownload& m) {
  auto* o = CWMP_NEW(w, _cwmp__ScheduleDownload);
  o->CommandKey = w.Str("ScheduleDownload.CommandKey", m.command_key, kCommandKey);
  CheckFileType(w, "ScheduleDownload.FileType", m.file_type, FileKind::kDownload);
  o->FileType = m.file_type;
  o->URL = w.Str("ScheduleDownload.URL", m.url, kUrl);
  o->Username = w.Str("ScheduleDownload.Username", m.username, kUrl);
  o->Password = w.Str("ScheduleDownload.Password", m.password.Reveal(), kUrl);
  o->FileSize = m.file_size;
  o->TargetFileName = w.Str("ScheduleDownload.TargetFileName", m.target_file_name, kUrl);
  w.Count("ScheduleDownload.TimeWindowList", m.time_windows.size(), 1, 2);
  auto& list = o->TimeWindowList.TimeWindowStruct;
  list.resize(m.time_windows.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const TimeWindow& t = m.time_windows[i];
    list[i].WindowStart = t.window_start;
    list[i].WindowEnd = t.window_end;
    CheckFileType(w, "TimeWindowStruct.WindowMode", t.window_mode, FileKind::kWindowMode);
    list[i].WindowMode = t.window_mode;
    list[i].UserMessage = w.Str("TimeWindowStruct.UserMessage", t.user_message, kUrl);
    list[i].MaxRetries = t.max_retries;
  }
  o->TimeWindowList.SOAP_ENC__arrayType = w.ArrayType("cwmp:TimeWindowStruct", list.size());
  return o;
}
ScheduleDownload In(Reader& r, const _cwmp__ScheduleDownload& m) {
  ScheduleDownload d;
  d.command_key = m.CommandKey;
  d.file_type = m.FileType;
  d.url = m.URL;
  d.username = m.Username;
  d.password = Secret(m.Password);
  d.file_size = m.FileSize;
  d.target_file_name = m.TargetFileName;
  r.Items("TimeWindowList", m.TimeWindowList.TimeWindowStruct.size());
  for (const auto& t : m.TimeWindowList.TimeWindowStruct) {
    d.time_windows.push_back(
        {t.WindowStart, t.WindowEnd, t.WindowMode, t.UserMessage, t.MaxRetries});
  }
  return d;
}
_cwmp__ScheduleDownloadResponse* Out(Writer& w, const ScheduleDownloadResponse&) {
  return CWMP_NEW(w, _cwmp__ScheduleDownloadResponse);
}
ScheduleDownloadResponse In(Reader&, const _cwmp__ScheduleDownloadResponse&) { return {}; }

void CheckState(Writer& w, int state) {
  if (state < 1 || state > 3) {
    w.Fail("QueuedTransfer State is " + std::to_string(state) + "; the schema allows 1 to 3");
  }
}

_cwmp__GetQueuedTransfers* Out(Writer& w, const GetQueuedTransfers&) {
  return CWMP_NEW(w, _cwmp__GetQueuedTransfers);
}
GetQueuedTransfers In(Reader&, const _cwmp__GetQueuedTransfers&) { return {}; }
_cwmp__GetQueuedTransfersResponse* Out(Writer& w, const GetQueuedTransfersResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__GetQueuedTransfersResponse);
  w.Count("GetQueuedTransfersResponse.TransferList", m.transfers.size(), 0, 16);
  auto& list = o->TransferList.QueuedTransferStruct;
  list.resize(m.transfers.size());
  for (size_t i = 0; i < list.size(); ++i) {
    list[i].CommandKey =
        w.Str("QueuedTransferStruct.CommandKey", m.transfers[i].command_key, kCommandKey);
    CheckState(w, m.transfers[i].state);
    list[i].State = m.transfers[i].state;
  }
  o->TransferList.SOAP_ENC__arrayType = w.ArrayType("cwmp:QueuedTransferStruct", list.size());
  return o;
}
GetQueuedTransfersResponse In(Reader& r, const _cwmp__GetQueuedTransfersResponse& m) {
  GetQueuedTransfersResponse out;
  r.Items("TransferList", m.TransferList.QueuedTransferStruct.size());
  for (const auto& t : m.TransferList.QueuedTransferStruct) {
    out.transfers.push_back({t.CommandKey, t.State});
  }
  return out;
}

_cwmp__GetAllQueuedTransfers* Out(Writer& w, const GetAllQueuedTransfers&) {
  return CWMP_NEW(w, _cwmp__GetAllQueuedTransfers);
}
GetAllQueuedTransfers In(Reader&, const _cwmp__GetAllQueuedTransfers&) { return {}; }
_cwmp__GetAllQueuedTransfersResponse* Out(Writer& w, const GetAllQueuedTransfersResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__GetAllQueuedTransfersResponse);
  w.Count("GetAllQueuedTransfersResponse.TransferList", m.transfers.size(), 0, 16);
  auto& list = o->TransferList.AllQueuedTransferStruct;
  list.resize(m.transfers.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const AllQueuedTransfer& t = m.transfers[i];
    list[i].CommandKey = w.Str("AllQueuedTransferStruct.CommandKey", t.command_key, kCommandKey);
    CheckState(w, t.state);
    list[i].State = t.state;
    list[i].IsDownload = t.is_download;
    CheckFileType(w, "AllQueuedTransferStruct.FileType", t.file_type, FileKind::kTransfer);
    list[i].FileType = t.file_type;
    list[i].FileSize = t.file_size;
    list[i].TargetFileName =
        w.Str("AllQueuedTransferStruct.TargetFileName", t.target_file_name, kUrl);
  }
  o->TransferList.SOAP_ENC__arrayType = w.ArrayType("cwmp:AllQueuedTransferStruct", list.size());
  return o;
}
GetAllQueuedTransfersResponse In(Reader& r, const _cwmp__GetAllQueuedTransfersResponse& m) {
  GetAllQueuedTransfersResponse out;
  r.Items("TransferList", m.TransferList.AllQueuedTransferStruct.size());
  for (const auto& t : m.TransferList.AllQueuedTransferStruct) {
    out.transfers.push_back(
        {t.CommandKey, t.State, t.IsDownload, t.FileType, t.FileSize, t.TargetFileName});
  }
  return out;
}

_cwmp__CancelTransfer* Out(Writer& w, const CancelTransfer& m) {
  auto* o = CWMP_NEW(w, _cwmp__CancelTransfer);
  o->CommandKey = w.Str("CancelTransfer.CommandKey", m.command_key, kCommandKey);
  return o;
}
CancelTransfer In(Reader&, const _cwmp__CancelTransfer& m) { return {.command_key = m.CommandKey}; }
_cwmp__CancelTransferResponse* Out(Writer& w, const CancelTransferResponse&) {
  return CWMP_NEW(w, _cwmp__CancelTransferResponse);
}
CancelTransferResponse In(Reader&, const _cwmp__CancelTransferResponse&) { return {}; }

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string* OutUuid(Writer& w, std::string_view field, const std::optional<std::string>& uuid) {
  if (uuid && !IsUuid(*uuid)) {
    w.Fail(std::string(field) + " \"" + uuid->substr(0, 40) + "\" is not a UUID");
  }
  return uuid ? w.New(*uuid) : nullptr;
}

std::string* OutSecret(Writer& w, std::string_view field, const std::optional<Secret>& s) {
  if (!s) return nullptr;
  if (s->Reveal().size() > kUrl) w.Fail(std::string(field) + " is longer than 256 characters");
  return w.New(s->Reveal());
}

cwmp__OperationStruct* OutOperation(Writer& w, const DuOperation& op) {
  if (const auto* in = std::get_if<InstallOp>(&op)) {
    auto* o = CWMP_NEW(w, cwmp__InstallOpStruct);
    o->URL = w.Str("InstallOpStruct.URL", in->url, kLongUrl);
    o->UUID = OutUuid(w, "InstallOpStruct.UUID", in->uuid);
    o->Username = w.NewOpt("InstallOpStruct.Username", in->username, kUrl);
    o->Password = OutSecret(w, "InstallOpStruct.Password", in->password);
    o->ExecutionEnvRef = w.NewOpt("InstallOpStruct.ExecutionEnvRef", in->execution_env_ref, kUrl);
    return o;
  }
  if (const auto* up = std::get_if<UpdateOp>(&op)) {
    auto* o = CWMP_NEW(w, cwmp__UpdateOpStruct);
    o->UUID = OutUuid(w, "UpdateOpStruct.UUID", up->uuid);
    o->Version = w.NewOpt("UpdateOpStruct.Version", up->version, kVersion);
    o->URL = w.NewOpt("UpdateOpStruct.URL", up->url, kLongUrl);
    o->Username = w.NewOpt("UpdateOpStruct.Username", up->username, kUrl);
    o->Password = OutSecret(w, "UpdateOpStruct.Password", up->password);
    return o;
  }
  const auto& un = std::get<UninstallOp>(op);
  auto* o = CWMP_NEW(w, cwmp__UninstallOpStruct);
  o->UUID = *OutUuid(w, "UninstallOpStruct.UUID", un.uuid);
  o->Version = w.NewOpt("UninstallOpStruct.Version", un.version, kVersion);
  o->ExecutionEnvRef = w.NewOpt("UninstallOpStruct.ExecutionEnvRef", un.execution_env_ref, kUrl);
  return o;
}

_cwmp__ChangeDUState* Out(Writer& w, const ChangeDUState& m) {
  auto* o = CWMP_NEW(w, _cwmp__ChangeDUState);
  w.Count("ChangeDUState.Operations", m.operations.size(), 1, kUnbounded);
  for (const DuOperation& op : m.operations) o->Operations.push_back(OutOperation(w, op));
  o->CommandKey = w.NewOpt("ChangeDUState.CommandKey", m.command_key, kCommandKey);
  return o;
}
ChangeDUState In(Reader& r, const _cwmp__ChangeDUState& m) {
  ChangeDUState out;
  r.Items("Operations", m.Operations.size());
  for (const cwmp__OperationStruct* op : m.Operations) {
    if (const auto* in = dynamic_cast<const cwmp__InstallOpStruct*>(op)) {
      out.operations.push_back(InstallOp{in->URL, Opt(in->UUID), Opt(in->Username),
                                         OptSecret(in->Password), Opt(in->ExecutionEnvRef)});
    } else if (const auto* up = dynamic_cast<const cwmp__UpdateOpStruct*>(op)) {
      out.operations.push_back(UpdateOp{Opt(up->UUID), Opt(up->Version), Opt(up->URL),
                                        Opt(up->Username), OptSecret(up->Password)});
    } else if (const auto* un = dynamic_cast<const cwmp__UninstallOpStruct*>(op)) {
      out.operations.push_back(UninstallOp{un->UUID, Opt(un->Version), Opt(un->ExecutionEnvRef)});
    } else {
      r.Fail(
          ParseError("ChangeDUState.Operations entry without a known xsi:type (InstallOpStruct, "
                     "UpdateOpStruct, UninstallOpStruct)"));
    }
  }
  out.command_key = Opt(m.CommandKey);
  return out;
}
_cwmp__ChangeDUStateResponse* Out(Writer& w, const ChangeDUStateResponse&) {
  return CWMP_NEW(w, _cwmp__ChangeDUStateResponse);
}
ChangeDUStateResponse In(Reader&, const _cwmp__ChangeDUStateResponse&) { return {}; }

// ---- ACS methods -----------------------------------------------------------------------------

bool IsOui(std::string_view s) {
  return s.size() == 6 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
         });
}

_cwmp__Inform* Out(Writer& w, const Inform& m) {
  auto* o = CWMP_NEW(w, _cwmp__Inform);
  o->DeviceId.Manufacturer = w.Str("DeviceId.Manufacturer", m.device_id.manufacturer, kShort);
  if (!IsOui(m.device_id.oui)) {
    w.Fail("DeviceId.OUI \"" + m.device_id.oui.substr(0, 40) +
           "\" is not 6 upper-case hexadecimal digits");
  }
  o->DeviceId.OUI = m.device_id.oui;
  o->DeviceId.ProductClass = w.Str("DeviceId.ProductClass", m.device_id.product_class, kShort);
  o->DeviceId.SerialNumber = w.Str("DeviceId.SerialNumber", m.device_id.serial_number, kShort);
  w.Count("Inform.Event", m.events.size(), 0, 64);
  auto& events = o->Event.EventStruct;
  events.resize(m.events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string& code = m.events[i].event_code;
    CheckEventCode(w, code);
    events[i].EventCode = code;
    events[i].CommandKey = w.Str("EventStruct.CommandKey", m.events[i].command_key, kCommandKey);
  }
  o->Event.SOAP_ENC__arrayType = w.ArrayType("cwmp:EventStruct", events.size());
  o->MaxEnvelopes = m.max_envelopes;
  o->CurrentTime = w.Time("Inform.CurrentTime", m.current_time);
  o->RetryCount = m.retry_count;
  OutValues(w, m.parameters, &o->ParameterList);
  return o;
}
Inform In(Reader& r, const _cwmp__Inform& m) {
  Inform out;
  out.device_id = {m.DeviceId.Manufacturer, m.DeviceId.OUI, m.DeviceId.ProductClass,
                   m.DeviceId.SerialNumber};
  r.Items("Event", m.Event.EventStruct.size());
  out.events.reserve(m.Event.EventStruct.size());
  for (const auto& e : m.Event.EventStruct) out.events.push_back({e.EventCode, e.CommandKey});
  out.max_envelopes = m.MaxEnvelopes;
  out.current_time = m.CurrentTime;
  out.retry_count = m.RetryCount;
  out.parameters = InValues(r, m.ParameterList);
  return out;
}

_cwmp__InformResponse* Out(Writer& w, const InformResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__InformResponse);
  o->MaxEnvelopes = m.max_envelopes;
  return o;
}
InformResponse In(Reader&, const _cwmp__InformResponse& m) {
  return {.max_envelopes = m.MaxEnvelopes};
}

_cwmp__TransferComplete* Out(Writer& w, const TransferComplete& m) {
  auto* o = CWMP_NEW(w, _cwmp__TransferComplete);
  o->CommandKey = w.Str("TransferComplete.CommandKey", m.command_key, kCommandKey);
  OutTransferFault(w, m.fault, &o->FaultStruct);
  o->StartTime = w.Time("TransferComplete.StartTime", m.start_time);
  o->CompleteTime = w.Time("TransferComplete.CompleteTime", m.complete_time);
  return o;
}
TransferComplete In(Reader&, const _cwmp__TransferComplete& m) {
  return {.command_key = m.CommandKey,
          .fault = InTransferFault(m.FaultStruct),
          .start_time = m.StartTime,
          .complete_time = m.CompleteTime};
}
_cwmp__TransferCompleteResponse* Out(Writer& w, const TransferCompleteResponse&) {
  return CWMP_NEW(w, _cwmp__TransferCompleteResponse);
}
TransferCompleteResponse In(Reader&, const _cwmp__TransferCompleteResponse&) { return {}; }

_cwmp__AutonomousTransferComplete* Out(Writer& w, const AutonomousTransferComplete& m) {
  auto* o = CWMP_NEW(w, _cwmp__AutonomousTransferComplete);
  o->AnnounceURL = w.Str("AutonomousTransferComplete.AnnounceURL", m.announce_url, kLongUrl);
  o->TransferURL = w.Str("AutonomousTransferComplete.TransferURL", m.transfer_url, kLongUrl);
  o->IsDownload = m.is_download;
  CheckFileType(w, "AutonomousTransferComplete.FileType", m.file_type, FileKind::kTransfer);
  o->FileType = m.file_type;
  o->FileSize = m.file_size;
  o->TargetFileName = w.Str("AutonomousTransferComplete.TargetFileName", m.target_file_name, kUrl);
  OutTransferFault(w, m.fault, &o->FaultStruct);
  o->StartTime = w.Time("AutonomousTransferComplete.StartTime", m.start_time);
  o->CompleteTime = w.Time("AutonomousTransferComplete.CompleteTime", m.complete_time);
  return o;
}
AutonomousTransferComplete In(Reader&, const _cwmp__AutonomousTransferComplete& m) {
  return {.announce_url = m.AnnounceURL,
          .transfer_url = m.TransferURL,
          .is_download = m.IsDownload,
          .file_type = m.FileType,
          .file_size = m.FileSize,
          .target_file_name = m.TargetFileName,
          .fault = InTransferFault(m.FaultStruct),
          .start_time = m.StartTime,
          .complete_time = m.CompleteTime};
}
_cwmp__AutonomousTransferCompleteResponse* Out(Writer& w,
                                               const AutonomousTransferCompleteResponse&) {
  return CWMP_NEW(w, _cwmp__AutonomousTransferCompleteResponse);
}
AutonomousTransferCompleteResponse In(Reader&, const _cwmp__AutonomousTransferCompleteResponse&) {
  return {};
}

_cwmp__Kicked* Out(Writer& w, const Kicked& m) {
  auto* o = CWMP_NEW(w, _cwmp__Kicked);
  o->Command = w.Str("Kicked.Command", m.command, kCommandKey);
  o->Referer = w.Str("Kicked.Referer", m.referer, kShort);
  o->Arg = w.Str("Kicked.Arg", m.arg, kUrl);
  o->Next = w.Str("Kicked.Next", m.next, kLongUrl);
  return o;
}
Kicked In(Reader&, const _cwmp__Kicked& m) {
  return {.command = m.Command, .referer = m.Referer, .arg = m.Arg, .next = m.Next};
}
_cwmp__KickedResponse* Out(Writer& w, const KickedResponse& m) {
  auto* o = CWMP_NEW(w, _cwmp__KickedResponse);
  o->NextURL = w.Str("KickedResponse.NextURL", m.next_url, kLongUrl);
  return o;
}
KickedResponse In(Reader&, const _cwmp__KickedResponse& m) { return {.next_url = m.NextURL}; }

_cwmp__RequestDownload* Out(Writer& w, const RequestDownload& m) {
  auto* o = CWMP_NEW(w, _cwmp__RequestDownload);
  CheckFileType(w, "RequestDownload.FileType", m.file_type, FileKind::kDownload);
  o->FileType = m.file_type;
  w.Count("RequestDownload.FileTypeArg", m.file_type_args.size(), 0, 16);
  auto& list = o->FileTypeArg.ArgStruct;
  list.resize(m.file_type_args.size());
  for (size_t i = 0; i < list.size(); ++i) {
    list[i].Name = w.Str("ArgStruct.Name", m.file_type_args[i].name, kShort);
    list[i].Value = w.Str("ArgStruct.Value", m.file_type_args[i].value, kUrl);
  }
  o->FileTypeArg.SOAP_ENC__arrayType = w.ArrayType("cwmp:ArgStruct", list.size());
  return o;
}
RequestDownload In(Reader& r, const _cwmp__RequestDownload& m) {
  RequestDownload out;
  out.file_type = m.FileType;
  r.Items("FileTypeArg", m.FileTypeArg.ArgStruct.size());
  for (const auto& a : m.FileTypeArg.ArgStruct) out.file_type_args.push_back({a.Name, a.Value});
  return out;
}
_cwmp__RequestDownloadResponse* Out(Writer& w, const RequestDownloadResponse&) {
  return CWMP_NEW(w, _cwmp__RequestDownloadResponse);
}
RequestDownloadResponse In(Reader&, const _cwmp__RequestDownloadResponse&) { return {}; }

void CheckOpResult(Writer& w, const OpResult& res) {
  if (!IsUuid(res.uuid))
    w.Fail("OpResultStruct.UUID \"" + res.uuid.substr(0, 40) + "\" is not a UUID");
  if (res.current_state != "Installed" && res.current_state != "Uninstalled" &&
      res.current_state != "Failed") {
    w.Fail("OpResultStruct.CurrentState \"" + res.current_state.substr(0, 40) +
           "\" is not Installed, Uninstalled or Failed");
  }
}

_cwmp__DUStateChangeComplete* Out(Writer& w, const DUStateChangeComplete& m) {
  auto* o = CWMP_NEW(w, _cwmp__DUStateChangeComplete);
  w.Count("DUStateChangeComplete.Results", m.results.size(), 1, kUnbounded);
  o->Results.resize(m.results.size());
  for (size_t i = 0; i < m.results.size(); ++i) {
    CheckOpResult(w, m.results[i]);
    OutOpResult(w, m.results[i], &o->Results[i]);
  }
  o->CommandKey = w.NewOpt("DUStateChangeComplete.CommandKey", m.command_key, kCommandKey);
  return o;
}
DUStateChangeComplete In(Reader& r, const _cwmp__DUStateChangeComplete& m) {
  DUStateChangeComplete out;
  r.Items("Results", m.Results.size());
  for (const auto& res : m.Results) out.results.push_back(InOpResult(res));
  out.command_key = Opt(m.CommandKey);
  return out;
}
_cwmp__DUStateChangeCompleteResponse* Out(Writer& w, const DUStateChangeCompleteResponse&) {
  return CWMP_NEW(w, _cwmp__DUStateChangeCompleteResponse);
}
DUStateChangeCompleteResponse In(Reader&, const _cwmp__DUStateChangeCompleteResponse&) {
  return {};
}

_cwmp__AutonomousDUStateChangeComplete* Out(Writer& w, const AutonomousDUStateChangeComplete& m) {
  auto* o = CWMP_NEW(w, _cwmp__AutonomousDUStateChangeComplete);
  w.Count("AutonomousDUStateChangeComplete.Results", m.results.size(), 1, kUnbounded);
  o->Results.resize(m.results.size());
  for (size_t i = 0; i < m.results.size(); ++i) {
    CheckOpResult(w, m.results[i].result);
    cwmp__OpResultStruct base;
    OutOpResult(w, m.results[i].result, &base);
    cwmp__AutonOpResultStruct& a = o->Results[i];
    a.UUID = base.UUID;
    a.DeploymentUnitRef = base.DeploymentUnitRef;
    a.Version = base.Version;
    a.CurrentState = base.CurrentState;
    a.Resolved = base.Resolved;
    a.ExecutionUnitRefList = base.ExecutionUnitRefList;
    a.StartTime = base.StartTime;
    a.CompleteTime = base.CompleteTime;
    a.Fault = base.Fault;
    a.OperationPerformed = m.results[i].operation_performed;
  }
  return o;
}
AutonomousDUStateChangeComplete In(Reader& r, const _cwmp__AutonomousDUStateChangeComplete& m) {
  AutonomousDUStateChangeComplete out;
  r.Items("Results", m.Results.size());
  for (const auto& res : m.Results) {
    out.results.push_back({InOpResult(res), res.OperationPerformed});
  }
  return out;
}
_cwmp__AutonomousDUStateChangeCompleteResponse* Out(
    Writer& w, const AutonomousDUStateChangeCompleteResponse&) {
  return CWMP_NEW(w, _cwmp__AutonomousDUStateChangeCompleteResponse);
}
AutonomousDUStateChangeCompleteResponse In(Reader&,
                                           const _cwmp__AutonomousDUStateChangeCompleteResponse&) {
  return {};
}

// ---- Fault -----------------------------------------------------------------------------------

SOAP_ENV__Fault* OutFault(Writer& w, const Fault& f) {
  struct soap* s = w.soap();
  auto* o = soap_new_SOAP_ENV__Fault(s);
  const std::string& code = f.soap_faultcode;
  if (code != "Client" && code != "Server" && code != "MustUnderstand" &&
      code != "VersionMismatch") {
    w.Fail("Fault faultcode \"" + code.substr(0, 40) +
           "\" is not Client, Server, MustUnderstand or VersionMismatch");
  }
  o->faultcode = soap_strdup(s, ("SOAP-ENV:" + code).c_str());
  o->faultstring = soap_strdup(s, f.soap_faultstring.c_str());
  if (f.code != 0) {
    bool cpe = f.code >= 9000 && f.code <= 9899;
    bool acs = f.code >= 8000 && f.code <= 8899;
    if (!cpe && !acs) {
      w.Fail("Fault code " + std::to_string(f.code) + " is outside 8000-8899 and 9000-9899");
    }
    auto* detail = soap_new_SOAP_ENV__Detail(s);
    auto* cf = soap_new__cwmp__Fault(s);
    cf->FaultCode = f.code;
    cf->FaultString = f.string.empty() ? nullptr : w.New(f.string);
    for (const SetParameterValuesFault& p : f.set_parameter_values_faults) {
      if (p.fault_code < 9000 || p.fault_code > 9899) {
        w.Fail("SetParameterValuesFault " + p.parameter_name + ": code " +
               std::to_string(p.fault_code) + " is outside 9000-9899");
      }
      cwmp__SetParameterValuesFaultStruct e;
      e.ParameterName = p.parameter_name;
      e.FaultCode = p.fault_code;
      e.FaultString = p.fault_string.empty() ? nullptr : w.New(p.fault_string);
      cf->SetParameterValuesFault.push_back(e);
    }
    detail->cwmp__Fault = cf;
    o->detail = detail;
  } else if (!f.set_parameter_values_faults.empty()) {
    w.Fail("SetParameterValuesFault entries need a CWMP fault code (9003)");
  }
  return o;
}

template <class M>
PreparedBody Prepare(Writer& w, const M& m) {
  auto* obj = Out(w, m);
  using T = std::remove_pointer_t<decltype(obj)>;
  static const std::string tag = "cwmp:" + std::string(M::kName);
  PreparedBody b;
  b.object = obj;
  b.tag = tag.c_str();
  b.serialize = [](struct soap* s, const void* p) { static_cast<const T*>(p)->soap_serialize(s); };
  b.put = [](struct soap* s, const void* p, const char* t) {
    return static_cast<const T*>(p)->soap_put(s, t, "");
  };
  return b;
}

}  // namespace

PreparedBody PrepareBody(Writer& w, const Body& body) {
  return std::visit(
      [&](const auto& m) -> PreparedBody {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, UnknownMethod>) {
          w.Fail("cannot encode UnknownMethod \"" + m.name + "\"");
          return {};
        } else if constexpr (std::is_same_v<M, Fault>) {
          PreparedBody b;
          b.object = OutFault(w, m);
          b.tag = "SOAP-ENV:Fault";
          b.serialize = [](struct soap* s, const void* p) {
            soap_serialize_SOAP_ENV__Fault(s, static_cast<const SOAP_ENV__Fault*>(p));
          };
          b.put = [](struct soap* s, const void* p, const char* t) {
            return soap_put_SOAP_ENV__Fault(s, static_cast<const SOAP_ENV__Fault*>(p), t, "");
          };
          return b;
        } else {
          return Prepare(w, m);
        }
      },
      body);
}

#define CWMP_SOAP_MESSAGES(X)                                                                      \
  X(GetRPCMethods)                                                                                 \
  X(GetRPCMethodsResponse) X(SetParameterValues) X(SetParameterValuesResponse) X(                  \
      GetParameterValues) X(GetParameterValuesResponse) X(GetParameterNames)                       \
      X(GetParameterNamesResponse) X(SetParameterAttributes) X(SetParameterAttributesResponse) X(  \
          GetParameterAttributes) X(GetParameterAttributesResponse) X(AddObject)                   \
          X(AddObjectResponse) X(DeleteObject) X(DeleteObjectResponse) X(Reboot) X(RebootResponse) \
              X(Download) X(DownloadResponse) X(Upload) X(UploadResponse) X(FactoryReset) X(       \
                  FactoryResetResponse) X(ScheduleInform) X(ScheduleInformResponse)                \
                  X(ScheduleDownload) X(ScheduleDownloadResponse) X(GetQueuedTransfers) X(         \
                      GetQueuedTransfersResponse) X(GetAllQueuedTransfers)                         \
                      X(GetAllQueuedTransfersResponse) X(CancelTransfer) X(CancelTransferResponse) \
                          X(ChangeDUState) X(ChangeDUStateResponse) X(Inform) X(InformResponse) X( \
                              TransferComplete) X(TransferCompleteResponse)                        \
                              X(AutonomousTransferComplete) X(AutonomousTransferCompleteResponse)  \
                                  X(Kicked) X(KickedResponse) X(RequestDownload)                   \
                                      X(RequestDownloadResponse) X(DUStateChangeComplete)          \
                                          X(DUStateChangeCompleteResponse)                         \
                                              X(AutonomousDUStateChangeComplete)                   \
                                                  X(AutonomousDUStateChangeCompleteResponse)

bool ConvertBody(Reader& r, int type, const void* object, Body* out) {
  switch (type) {
#define CWMP_SOAP_CASE(N)                                  \
  case SOAP_TYPE__cwmp__##N:                               \
    *out = In(r, *static_cast<const _cwmp__##N*>(object)); \
    return true;
    CWMP_SOAP_MESSAGES(CWMP_SOAP_CASE)
#undef CWMP_SOAP_CASE
    default:
      return false;
  }
}

Fault ConvertFault(Reader& r, const SOAP_ENV__Fault& f) {
  Fault out;
  // faultcode is a QName; peers write "SOAP-ENV:Client", "soap:Server" or a bare "Client".
  std::string code = f.faultcode != nullptr ? f.faultcode : "";
  size_t colon = code.rfind(':');
  if (colon != std::string::npos) code = code.substr(colon + 1);
  code.erase(std::remove(code.begin(), code.end(), '"'), code.end());
  out.soap_faultcode = code;
  out.soap_faultstring = f.faultstring != nullptr ? f.faultstring : "";
  const SOAP_ENV__Detail* d = f.detail != nullptr ? f.detail : f.SOAP_ENV__Detail;
  if (d != nullptr && d->cwmp__Fault != nullptr) {
    const _cwmp__Fault& cf = *d->cwmp__Fault;
    out.code = cf.FaultCode;
    out.string = OptString(cf.FaultString);
    r.Items("SetParameterValuesFault", cf.SetParameterValuesFault.size());
    for (const auto& p : cf.SetParameterValuesFault) {
      out.set_parameter_values_faults.push_back(
          {p.ParameterName, p.FaultCode, OptString(p.FaultString)});
    }
  }
  return out;
}

}  // namespace cwmp::soap::internal
