// JSON views of store records, time formats, and the secret rules.
#include <cstdio>
#include <ctime>

#include "cwmp/base/secret.h"
#include "cwmp/prov/catalog.h"
#include "nbi/api_impl.h"

namespace acs::nbi {

bool IsSecretParameter(std::string_view name) {
  if (const auto* def = cwmp::prov::Catalog::Builtin().FindByPath(name)) {
    if (def->secret) return true;
  }
  size_t dot = name.rfind('.');
  std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
  for (std::string_view suffix : {"Password", "Passphrase", "PreSharedKey", "PSK", "WEPKey",
                                  "Secret", "SharedSecret", "PIN"}) {
    if (last.size() >= suffix.size() && last.substr(last.size() - suffix.size()) == suffix) {
      return true;
    }
  }
  return false;
}

std::string EncodeDeviceId(std::string_view id) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : id) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

namespace internal {
namespace {

const char* const kMask = "********";

// Masks every "password" member, and the value of secret parameters in [name, value, ...]
// lists ("parameterValues").
Value Redact(const Value& v) {
  if (v.is_object()) {
    Value out = cwmp::json::Object{};
    for (const auto& [k, m] : v.as_object()) {
      if (k == "password" && m.is_string()) {
        out.Set(k, kMask);
      } else {
        out.Set(k, Redact(m));
      }
    }
    return out;
  }
  if (v.is_array()) {
    const auto& a = v.as_array();
    if (a.size() >= 2 && a[0].is_string() && !a[1].is_array() && !a[1].is_object() &&
        IsSecretParameter(a[0].as_string())) {
      cwmp::json::Array copy = a;
      copy[1] = kMask;
      return copy;
    }
    cwmp::json::Array out;
    for (const auto& e : a) out.push_back(Redact(e));
    return out;
  }
  return v;
}

Value ParseStored(const std::string& text) {
  auto v =
      cwmp::json::Parse(text, cwmp::json::JsonLimits{16 * 1024 * 1024, 64, 1024 * 1024, 1000000});
  return v.ok() ? Redact(*v) : Value(text);
}

}  // namespace

http::Response Json(int status, const Value& body) {
  http::Response r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json"});
  r.headers.push_back({"Cache-Control", "no-store"});
  r.body = cwmp::json::Serialize(body) + "\n";
  return r;
}

http::Response Error(int status, const std::string& message) {
  Value v = cwmp::json::Object{};
  v.Set("error", message);
  return Json(status, v);
}

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  return r;
}

http::Response FromStatus(const cwmp::Status& st) {
  switch (st.code()) {
    case cwmp::StatusCode::kNotFound:
      return Error(404, st.message());
    case cwmp::StatusCode::kInvalidArgument:
    case cwmp::StatusCode::kParseError:
      return Error(400, st.message());
    case cwmp::StatusCode::kFailedPrecondition:
      return Error(409, st.message());
    case cwmp::StatusCode::kLimitExceeded:
      return Error(413, st.message());
    case cwmp::StatusCode::kIoError:
      return Error(503, "database unavailable: " + st.message());
    default:
      return Error(500, st.message());
  }
}

std::optional<http::Response> CheckQueryKeys(const Ctx& ctx, std::vector<std::string> allowed) {
  for (const auto& [k, _] : ctx.query) {
    bool ok = false;
    for (const auto& a : allowed) ok = ok || a == k;
    if (!ok) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return Error(400,
                   "query parameter \"" + k + "\" is not known here" +
                       (list.empty() ? std::string(" (none are)") : " (allowed: " + list + ")"));
    }
  }
  return std::nullopt;
}

std::optional<int64_t> QueryInt(const Ctx& ctx, const std::string& key, int64_t fallback,
                                int64_t lo, int64_t hi, http::Response* error) {
  auto it = ctx.query.find(key);
  if (it == ctx.query.end()) return fallback;
  const std::string& s = it->second;
  int64_t v = 0;
  bool ok = !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
  if (ok) v = std::stoll(s);
  if (!ok || v < lo || v > hi) {
    *error =
        Error(400, "query parameter " + key + ": \"" + s.substr(0, 40) +
                       "\" is not an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
    return std::nullopt;
  }
  return v;
}

std::string FormatTime(TimePoint t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int frac = static_cast<int>(ms - secs * 1000);
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

Value OptTime(const std::optional<TimePoint>& t) { return t ? Value(FormatTime(*t)) : Value(); }

cwmp::Result<TimePoint> ParseTime(const std::string& s) {
  if (!s.empty() && s.size() <= 12 && s.find_first_not_of("0123456789") == std::string::npos) {
    return TimePoint(std::chrono::seconds(std::stoll(s)));
  }
  int y, mo, d, h, mi, sec;
  char tail[32] = {0};
  if (s.size() < 20 || s.size() > 30 ||
      std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%31s", &y, &mo, &d, &h, &mi, &sec, tail) < 7) {
    return cwmp::InvalidArgument("\"" + s.substr(0, 40) +
                                 "\" is not a time (2026-01-31T12:00:00Z or Unix seconds)");
  }
  std::string rest = tail;
  int millis = 0;
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    int digits = 0;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
      if (digits < 3) millis = millis * 10 + (rest[i] - '0');
      ++digits;
      ++i;
    }
    for (int k = digits; k < 3; ++k) millis *= 10;
    rest = rest.substr(i);
  }
  if (rest != "Z" || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    return cwmp::InvalidArgument("\"" + s.substr(0, 40) + "\" is not a UTC time ending in Z");
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  std::time_t tt = timegm(&tm);
  return TimePoint(std::chrono::seconds(tt)) + std::chrono::milliseconds(millis);
}

Value DeviceJson(const Device& d) {
  Value v = cwmp::json::Object{};
  v.Set("id", d.id);
  v.Set("manufacturer", d.identity.manufacturer);
  v.Set("oui", d.identity.oui);
  v.Set("productClass", d.identity.product_class);
  v.Set("serialNumber", d.identity.serial_number);
  v.Set("createdAt", FormatTime(d.created_at));
  v.Set("lastInform", OptTime(d.last_inform_at));
  v.Set("lastBoot", OptTime(d.last_boot_at));
  v.Set("lastBootstrap", OptTime(d.last_bootstrap_at));
  return v;
}

Value ParameterJson(const Parameter& p) {
  Value v = cwmp::json::Object{};
  if (p.value) {
    v.Set("value", IsSecretParameter(p.name) ? Value(kMask) : Value(*p.value));
  } else {
    v.Set("value", Value());
  }
  v.Set("type", p.type ? Value(*p.type) : Value());
  v.Set("writable", p.writable ? Value(*p.writable) : Value());
  v.Set("notification", p.notification ? Value(*p.notification) : Value());
  if (p.access_list) {
    cwmp::json::Array a;
    for (const auto& s : *p.access_list) a.push_back(s);
    v.Set("accessList", a);
  } else {
    v.Set("accessList", Value());
  }
  v.Set("updatedAt", FormatTime(p.updated_at));
  return v;
}

Value TaskJson(const Task& t) {
  Value v = cwmp::json::Object{};
  v.Set("id", t.id);
  v.Set("device", t.device_id);
  v.Set("name", t.name);
  v.Set("args", ParseStored(t.args_json));
  v.Set("status", TaskStatusName(t.status));
  v.Set("attempts", t.attempts);
  Value result = t.result_json ? ParseStored(*t.result_json) : Value();
  Value fault;
  if (t.status == TaskStatus::kFault && result.is_object()) {
    if (const Value* f = result.Find("fault")) fault = *f;
  }
  v.Set("result", t.status == TaskStatus::kDone ? result : Value());
  v.Set("fault", fault);
  v.Set("createdAt", FormatTime(t.created_at));
  v.Set("updatedAt", FormatTime(t.updated_at));
  v.Set("expiresAt", OptTime(t.expires_at));
  return v;
}

Value FaultJson(const FaultRecord& f) {
  Value v = cwmp::json::Object{};
  v.Set("id", f.id);
  v.Set("device", f.device_id);
  v.Set("task", f.task_id ? Value(*f.task_id) : Value());
  v.Set("code", f.code);
  v.Set("message", f.message);
  v.Set("detail", f.detail_json ? ParseStored(*f.detail_json) : Value());
  v.Set("createdAt", FormatTime(f.created_at));
  return v;
}

}  // namespace internal
}  // namespace acs::nbi
