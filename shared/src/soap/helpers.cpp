// Codec helpers that need no gSOAP: versions and negotiation, fault texts, SOAPAction checking,
// xs:dateTime conversion.

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <string>

#include "cwmp/soap/codec.h"
#include "soap/method_table.h"

namespace cwmp::soap {

std::string_view MethodName(const Body& body) {
  return std::visit([](const auto& m) -> std::string_view { return m.kName; }, body);
}

std::string_view VersionString(CwmpVersion version) {
  switch (version) {
    case CwmpVersion::k1_0:
      return "1.0";
    case CwmpVersion::k1_1:
      return "1.1";
    case CwmpVersion::k1_2:
      return "1.2";
    case CwmpVersion::k1_3:
      return "1.3";
    case CwmpVersion::k1_4:
      return "1.4";
  }
  return "1.2";
}

std::optional<CwmpVersion> ParseVersion(std::string_view text) {
  for (CwmpVersion v : {CwmpVersion::k1_0, CwmpVersion::k1_1, CwmpVersion::k1_2, CwmpVersion::k1_3,
                        CwmpVersion::k1_4}) {
    if (text == VersionString(v)) return v;
  }
  return std::nullopt;
}

std::string_view NamespaceOf(CwmpVersion version) {
  switch (version) {
    case CwmpVersion::k1_0:
      return "urn:dslforum-org:cwmp-1-0";
    case CwmpVersion::k1_1:
      return "urn:dslforum-org:cwmp-1-1";
    default:
      return "urn:dslforum-org:cwmp-1-2";
  }
}

CwmpVersion NegotiateVersion(std::optional<std::string_view> supported, CwmpVersion ours,
                             CwmpVersion fallback) {
  if (!supported) return std::min(ours, fallback);
  std::optional<CwmpVersion> best;
  std::string_view rest = *supported;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) {
      item.remove_prefix(1);
    }
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) {
      item.remove_suffix(1);
    }
    std::optional<CwmpVersion> v = ParseVersion(item);
    if (v && *v <= ours && (!best || *v > *best)) best = v;
  }
  // A header that names nothing we know: fall back to the namespace rule.
  return best ? *best : std::min(ours, fallback);
}

std::optional<CwmpVersion> FirstVersionWith(std::string_view method) {
  const MethodInfo* info = FindMethod(method);
  if (info == nullptr) return std::nullopt;
  return info->since;
}

namespace {

struct FaultInfo {
  uint32_t code;
  bool client;
  std::string_view text;
};

constexpr std::array kFaults = {
    FaultInfo{8000, false, "Method not supported"},
    FaultInfo{8001, false, "Request denied"},
    FaultInfo{8002, false, "Internal error"},
    FaultInfo{8003, true, "Invalid arguments"},
    FaultInfo{8004, false, "Resources exceeded"},
    FaultInfo{8005, false, "Retry request"},
    FaultInfo{8006, false, "ACS version incompatible with CPE"},
    FaultInfo{9000, false, "Method not supported"},
    FaultInfo{9001, false, "Request denied"},
    FaultInfo{9002, false, "Internal error"},
    FaultInfo{9003, true, "Invalid arguments"},
    FaultInfo{9004, false, "Resources exceeded"},
    FaultInfo{9005, true, "Invalid parameter name"},
    FaultInfo{9006, true, "Invalid parameter type"},
    FaultInfo{9007, true, "Invalid parameter value"},
    FaultInfo{9008, true, "Attempt to set a non-writable parameter"},
    FaultInfo{9009, false, "Notification request rejected"},
    FaultInfo{9010, false, "File transfer failure"},
    FaultInfo{9011, false, "Upload failure"},
    FaultInfo{9012, false, "File transfer server authentication failure"},
    FaultInfo{9013, false, "Unsupported protocol for file transfer"},
    FaultInfo{9014, false, "File transfer failure: unable to join multicast group"},
    FaultInfo{9015, false, "File transfer failure: unable to contact file server"},
    FaultInfo{9016, false, "File transfer failure: unable to access file"},
    FaultInfo{9017, false, "File transfer failure: unable to complete download"},
    FaultInfo{9018, false, "File transfer failure: file corrupted"},
    FaultInfo{9019, false, "File transfer failure: file authentication failure"},
    FaultInfo{9020, true,
              "File transfer failure: unable to complete download within specified time windows"},
    FaultInfo{9021, true, "Cancelation of file transfer not permitted in current transfer state"},
    FaultInfo{9022, false, "Invalid UUID Format"},
    FaultInfo{9023, false, "Unknown Execution Environment"},
    FaultInfo{9024, false, "Disabled Execution Environment"},
    FaultInfo{9025, false, "Deployment Unit to Execution Environment Mismatch"},
    FaultInfo{9026, false, "Duplicate Deployment Unit"},
    FaultInfo{9027, false, "System Resources Exceeded"},
    FaultInfo{9028, false, "Unknown Deployment Unit"},
    FaultInfo{9029, false, "Invalid Deployment Unit State"},
    FaultInfo{9030, false, "Invalid Deployment Unit Update - Downgrade not permitted"},
    FaultInfo{9031, false, "Invalid Deployment Unit Update - Version not specified"},
    FaultInfo{9032, false, "Invalid Deployment Unit Update - Version already exists"},
};

const FaultInfo* FindFault(uint32_t code) {
  for (const FaultInfo& f : kFaults) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

}  // namespace

std::string_view FaultText(uint32_t code) {
  const FaultInfo* f = FindFault(code);
  return f ? f->text : std::string_view();
}

Fault MakeFault(uint32_t code, std::string text) {
  Fault fault;
  const FaultInfo* f = FindFault(code);
  fault.soap_faultcode = f != nullptr && f->client ? "Client" : "Server";
  fault.code = code;
  fault.string = text.empty() && f != nullptr ? std::string(f->text) : std::move(text);
  return fault;
}

Fault MustUnderstandFault(std::string_view header_name) {
  Fault fault;
  fault.soap_faultcode = "MustUnderstand";
  fault.soap_faultstring = "Header element not understood: " + std::string(header_name);
  return fault;
}

Status CheckSoapAction(std::optional<std::string_view> soap_action, const Body& body) {
  if (!soap_action) return Status::Ok();
  std::string_view action = *soap_action;
  while (!action.empty() && std::isspace(static_cast<unsigned char>(action.front()))) {
    action.remove_prefix(1);
  }
  while (!action.empty() && std::isspace(static_cast<unsigned char>(action.back()))) {
    action.remove_suffix(1);
  }
  if (action.size() >= 2 && action.front() == '"' && action.back() == '"') {
    action = action.substr(1, action.size() - 2);
  }
  if (action.empty()) return Status::Ok();
  size_t cut = action.find_last_of("#/:");
  std::string_view named = cut == std::string_view::npos ? action : action.substr(cut + 1);
  std::string_view method = MethodName(body);
  if (named == method) return Status::Ok();
  if (std::holds_alternative<UnknownMethod>(body) && named == std::get<UnknownMethod>(body).name) {
    return Status::Ok();
  }
  return InvalidArgument("SOAPAction \"" + std::string(*soap_action) + "\" names " +
                         std::string(named) + " but the body is " + std::string(method));
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Result<std::chrono::sys_seconds> ParseDateTime(std::string_view text) {
  auto bad = [&] {
    return ParseError("dateTime \"" + std::string(text.substr(0, 64)) +
                      "\" is not YYYY-MM-DDThh:mm:ss[.fff][Z|+hh:mm]");
  };
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  int year, month, day, hour, minute, second;
  if (!Digits(text, 0, 4, &year) || text.size() < 19 || text[4] != '-' ||
      !Digits(text, 5, 2, &month) || text[7] != '-' || !Digits(text, 8, 2, &day) ||
      text[10] != 'T' || !Digits(text, 11, 2, &hour) || text[13] != ':' ||
      !Digits(text, 14, 2, &minute) || text[16] != ':' || !Digits(text, 17, 2, &second)) {
    return bad();
  }
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return bad();
  }
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] == 'Z' && pos + 1 == text.size()) {
      ++pos;
    } else if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size()) {
      int oh, om;
      if (!Digits(text, pos + 1, 2, &oh) || text[pos + 3] != ':' ||
          !Digits(text, pos + 4, 2, &om) || oh > 14 || om > 59) {
        return bad();
      }
      offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
      pos += 6;
    } else {
      return bad();
    }
  }
  std::chrono::year_month_day ymd{std::chrono::year(year),
                                  std::chrono::month(static_cast<unsigned>(month)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  // Hour 24 is allowed by XML Schema only as 24:00:00.
  if (!ymd.ok() || hour > 24 || minute > 59 || second > 60 ||
      (hour == 24 && (minute != 0 || second != 0))) {
    return bad();
  }
  auto t = std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
           std::chrono::seconds(second) - std::chrono::minutes(offset_minutes);
  return std::chrono::sys_seconds(t);
}

std::string FormatDateTime(std::chrono::sys_seconds time) {
  auto days = std::chrono::floor<std::chrono::days>(time);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss hms(time - days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace cwmp::soap
