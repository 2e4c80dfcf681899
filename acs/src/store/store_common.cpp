// Store helpers that don't touch the database connection: ids, names, URL checks.
#include <libpq-fe.h>

#include <regex>

#include "acs/store.h"

namespace acs {

std::string DeviceIdOf(const DeviceIdentity& d) {
  return d.oui + "-" + d.product_class + "-" + d.serial_number;
}

const char* TaskStatusName(TaskStatus status) {
  switch (status) {
    case TaskStatus::kPending:
      return "pending";
    case TaskStatus::kDone:
      return "done";
    case TaskStatus::kFault:
      return "fault";
    case TaskStatus::kExpired:
      return "expired";
  }
  return "unknown";
}

const char* ApiScopeName(ApiScope scope) { return scope == ApiScope::kAdmin ? "admin" : "read"; }

cwmp::Result<ApiScope> ParseApiScope(std::string_view text) {
  if (text == "admin") return ApiScope::kAdmin;
  if (text == "read") return ApiScope::kRead;
  return cwmp::InvalidArgument("scope \"" + std::string(text) + "\" is not admin or read");
}

cwmp::Status ValidateDatabaseUrl(const std::string& url) {
  if (url.empty()) return cwmp::InvalidArgument("database URL is empty");
  bool uri = url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
  if (!uri && url.find('=') == std::string::npos) {
    return cwmp::InvalidArgument("database URL \"" + RedactDatabaseUrl(url) +
                                 "\" is neither postgresql://user@host[:port]/db nor a libpq "
                                 "\"key=value\" string");
  }
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (opts == nullptr) {
    std::string msg = err != nullptr ? err : "out of memory";
    PQfreemem(err);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return cwmp::InvalidArgument("database URL \"" + RedactDatabaseUrl(url) + "\": " + msg);
  }
  // libpq checks ports only when connecting; catch typos here, with the usage error.
  std::string bad_port;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) != "port" || o->val == nullptr) continue;
    static const std::regex kPorts(R"(^(\d{1,5})?(,(\d{1,5})?)*$)");
    if (!std::regex_match(o->val, kPorts)) bad_port = o->val;
  }
  PQconninfoFree(opts);
  if (!bad_port.empty()) {
    return cwmp::InvalidArgument("database URL \"" + RedactDatabaseUrl(url) +
                                 "\": invalid port \"" + bad_port + "\"");
  }
  return cwmp::Status::Ok();
}

std::string RedactDatabaseUrl(const std::string& url) {
  static const std::regex kUserinfo(R"(^(postgres(?:ql)?://[^:@/?#]*):[^@/?#]*@)");
  static const std::regex kQueryPassword(R"(([?&]password=)[^&]*)");
  static const std::regex kKeywordPassword(R"((^|\s)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*))");
  std::string out = std::regex_replace(url, kUserinfo, "$1:********@");
  out = std::regex_replace(out, kQueryPassword, "$1********");
  out = std::regex_replace(out, kKeywordPassword, "$1$2********");
  return out;
}

}  // namespace acs
