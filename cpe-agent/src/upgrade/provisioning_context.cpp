#include "upgrade/provisioning_context.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cctype>
#include <memory>

namespace agent::provisioning {

void SetStoreMacros(const ParameterStore& store, cwmp::prov::MacroVariables* vars) {
  for (char c = 'A'; c <= 'P'; ++c) {
    std::string name = std::string("GPP_") + c;
    vars->SetParameter(name, store.Get(name));
  }
  for (char c = 'A'; c <= 'D'; ++c) {
    std::string name = std::string("GPP_S") + c;
    vars->SetParameter(name, store.Get(name));
  }
  for (int line = 1; line <= 4; ++line) {
    std::string name = "User_ID_" + std::to_string(line) + "_";
    vars->SetParameter(name, store.Get(name));
  }
}

bool IsYes(std::string_view value) {
  std::string lower;
  for (char c : value) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "yes" || lower == "1" || lower == "true";
}

std::string ServerIpForLog(const std::string& host, const FetchOptions& options) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return host;
  if (auto it = options.hosts.find(host); it != options.hosts.end() && !it->second.empty()) {
    return it->second.front();
  }
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return host;
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, &freeaddrinfo);
  char text[INET_ADDRSTRLEN] = {0};
  const auto* sin = reinterpret_cast<const sockaddr_in*>(found->ai_addr);
  if (inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text)) == nullptr) return host;
  return text;
}

void LogFromStore(const ParameterStore& store, ProvisioningLogEvent event,
                  const cwmp::prov::MacroContext& context) {
  SyslogSettings settings;
  settings.syslog_server = store.Get("Syslog_Server");
  settings.debug_server = store.Get("Debug_Server");
  settings.debug_level = store.Get("Debug_Level");
  settings.lookup = [&store](std::string_view name) -> std::optional<std::string> {
    return store.Get(name);
  };
  auto client = SyslogClient::Create(settings);
  if (!client.ok()) return;
  (void)(*client)->LogProvisioning(event, context);
}

uint32_t FetchFaultCode(const FetchResult& result) {
  if (result.outcome == FetchOutcome::kFileNotFound) return 9016;
  if (result.http_status == 401 || result.http_status == 407) return 9012;
  if (result.http_status == 0 && result.server_ip.empty()) return 9015;
  return 9010;
}

}  // namespace agent::provisioning
