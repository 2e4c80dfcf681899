#include "agent/syslog.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "cwmp/prov/catalog.h"

namespace agent {

struct SyslogClient::Destination {
  std::string name;  // "Syslog_Server" / "Debug_Server", for errors
  int fd = -1;
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  ~Destination() {
    if (fd >= 0) ::close(fd);
  }
};

namespace {

constexpr size_t kMaxMessage = 1024;
constexpr int kFacilityLocal0 = 16;

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace

cwmp::Result<std::optional<SyslogTarget>> ParseSyslogServer(std::string_view text) {
  if (text.empty()) return std::optional<SyslogTarget>();
  SyslogTarget t;
  std::string_view port_text;
  if (text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) {
      return cwmp::InvalidArgument("\"" + std::string(text) + "\": unterminated IPv6 address");
    }
    t.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return cwmp::InvalidArgument("\"" + std::string(text) + "\": junk after ']'");
      }
      port_text = rest.substr(1);
      if (port_text.empty()) {
        return cwmp::InvalidArgument("\"" + std::string(text) + "\": empty port");
      }
    }
  } else {
    size_t colon = text.find(':');
    t.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = text.substr(colon + 1);
      if (port_text.empty() || port_text.find(':') != std::string_view::npos) {
        return cwmp::InvalidArgument("\"" + std::string(text) + "\": not host[:port]");
      }
    }
  }
  if (t.host.empty() || std::any_of(t.host.begin(), t.host.end(), [](unsigned char c) {
        return std::isspace(c) || std::iscntrl(c) || c == '/';
      })) {
    return cwmp::InvalidArgument("\"" + std::string(text) + "\": bad host");
  }
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return cwmp::InvalidArgument("\"" + std::string(text) + "\": port \"" +
                                   std::string(port_text) + "\" is not 1-65535");
    }
    t.port = static_cast<uint16_t>(value);
  }
  return std::optional<SyslogTarget>(t);
}

cwmp::Result<SyslogSeverity> ParseDebugLevel(std::string_view text) {
  static const struct {
    const char* name;
    SyslogSeverity severity;
  } kLevels[] = {
      {"EMERGENCY", SyslogSeverity::kEmergency},
      {"ALERT", SyslogSeverity::kAlert},
      {"CRITICAL", SyslogSeverity::kCritical},
      {"ERROR", SyslogSeverity::kError},
      {"WARNING", SyslogSeverity::kWarning},
      {"NOTICE", SyslogSeverity::kNotice},
      {"INFO", SyslogSeverity::kInfo},
      {"DEBUG", SyslogSeverity::kDebug},
      {"0", SyslogSeverity::kError},
      {"1", SyslogSeverity::kNotice},
      {"2", SyslogSeverity::kInfo},
      {"3", SyslogSeverity::kDebug},
  };
  std::string upper = Upper(text);
  for (const auto& level : kLevels) {
    if (upper == level.name) return level.severity;
  }
  return cwmp::InvalidArgument("Debug_Level: \"" + std::string(text) +
                               "\" is not EMERGENCY..DEBUG or 0-3");
}

std::string_view LogTemplateParameter(ProvisioningLogEvent event) {
  switch (event) {
    case ProvisioningLogEvent::kResyncRequest:
      return "Log_Request_Msg";
    case ProvisioningLogEvent::kResyncSuccess:
      return "Log_Success_Msg";
    case ProvisioningLogEvent::kResyncFailure:
      return "Log_Failure_Msg";
    case ProvisioningLogEvent::kUpgradeRequest:
      return "Log_Upgrade_Request_Msg";
    case ProvisioningLogEvent::kUpgradeSuccess:
      return "Log_Upgrade_Success_Msg";
    case ProvisioningLogEvent::kUpgradeFailure:
      return "Log_Upgrade_Failure_Msg";
  }
  return "Log_Failure_Msg";
}

std::string DefaultLogTemplate(ProvisioningLogEvent event) {
  const cwmp::prov::ParamDef* def =
      cwmp::prov::Catalog::Builtin().Find(LogTemplateParameter(event));
  return def ? def->default_value : std::string();
}

SyslogSeverity LogEventSeverity(ProvisioningLogEvent event) {
  return event == ProvisioningLogEvent::kResyncFailure ||
                 event == ProvisioningLogEvent::kUpgradeFailure
             ? SyslogSeverity::kError
             : SyslogSeverity::kNotice;
}

std::string SyslogSettings::Template(ProvisioningLogEvent event) const {
  if (lookup) {
    if (auto value = lookup(LogTemplateParameter(event))) return *value;
  }
  return DefaultLogTemplate(event);
}

namespace {

cwmp::Status Resolve(const std::string& parameter, const SyslogTarget& target, int* fd,
                     sockaddr_storage* addr, socklen_t* addr_len) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(target.port);
  int rc = getaddrinfo(target.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0 || res == nullptr) {
    return cwmp::IoError(parameter + ": cannot resolve \"" + target.host +
                         "\": " + gai_strerror(rc));
  }
  *fd = ::socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (*fd < 0) {
    freeaddrinfo(res);
    return cwmp::IoError(parameter + ": cannot open a UDP socket: " + std::strerror(errno));
  }
  std::memcpy(addr, res->ai_addr, res->ai_addrlen);
  *addr_len = res->ai_addrlen;
  freeaddrinfo(res);
  return cwmp::Status::Ok();
}

}  // namespace

cwmp::Result<std::unique_ptr<SyslogClient>> SyslogClient::Create(const SyslogSettings& settings) {
  std::unique_ptr<SyslogClient> client(new SyslogClient());
  client->settings_ = settings;
  auto level = ParseDebugLevel(settings.debug_level);
  if (!level.ok()) return level.status();
  client->debug_level_ = *level;
  struct {
    const char* name;
    const std::string* text;
    std::unique_ptr<Destination>* slot;
  } servers[] = {{"Syslog_Server", &settings.syslog_server, &client->syslog_},
                 {"Debug_Server", &settings.debug_server, &client->debug_}};
  for (auto& s : servers) {
    auto target = ParseSyslogServer(*s.text);
    if (!target.ok()) return target.status().WithPrefix(s.name);
    if (!target->has_value()) continue;
    auto d = std::make_unique<Destination>();
    d->name = s.name;
    CWMP_RETURN_IF_ERROR(Resolve(s.name, **target, &d->fd, &d->addr, &d->addr_len));
    *s.slot = std::move(d);
  }
  return client;
}

SyslogClient::~SyslogClient() = default;

cwmp::Status SyslogClient::SendTo(const Destination& d, SyslogSeverity severity,
                                  std::string_view message) {
  std::string datagram =
      "<" + std::to_string(kFacilityLocal0 * 8 + static_cast<int>(severity)) + ">";
  datagram.append(message.substr(0, kMaxMessage));
  ssize_t n = ::sendto(d.fd, datagram.data(), datagram.size(), 0,
                       reinterpret_cast<const sockaddr*>(&d.addr), d.addr_len);
  if (n < 0) return cwmp::IoError(d.name + ": cannot send: " + std::strerror(errno));
  return cwmp::Status::Ok();
}

cwmp::Status SyslogClient::Send(SyslogSeverity severity, std::string_view message) {
  cwmp::Status result;
  if (syslog_ && severity <= SyslogSeverity::kNotice) result = SendTo(*syslog_, severity, message);
  if (debug_ && severity <= debug_level_) {
    cwmp::Status st = SendTo(*debug_, severity, message);
    if (result.ok()) result = st;
  }
  return result;
}

std::string SyslogClient::FormatProvisioning(ProvisioningLogEvent event,
                                             const cwmp::prov::MacroContext& context) const {
  std::string text = settings_.Template(event);
  if (text.empty()) return "";
  return cwmp::prov::ExpandMacros(text, context);
}

cwmp::Status SyslogClient::LogProvisioning(ProvisioningLogEvent event,
                                           const cwmp::prov::MacroContext& context) {
  std::string message = FormatProvisioning(event, context);
  if (message.empty()) return cwmp::Status::Ok();
  return Send(LogEventSeverity(event), message);
}

}  // namespace agent
