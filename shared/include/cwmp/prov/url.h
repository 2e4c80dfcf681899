#pragma once
// Resync and upgrade URLs (guide "URL Syntax", lines 978-1011):
//
//   [ scheme:// ] [ server [:port] ] filepath
//
// scheme is tftp (the default), http or https (any case). server is a host name, an IPv4
// address or a bracketed IPv6 address. port defaults to 69/80/443. filepath must start with
// '/' and runs to the end (query strings such as "/config?cisco$MAU" are part of it). A
// missing server means "the TFTP server from DHCP option 66"; upgrade rules require a server.
// The text must already be macro expanded and must not contain spaces or control characters.

#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace cwmp::prov {

class MacroVariables;

enum class UrlScheme { kTftp, kHttp, kHttps };

// "tftp", "http", "https".
std::string_view UrlSchemeName(UrlScheme scheme);
// 69, 80, 443.
uint16_t DefaultPort(UrlScheme scheme);

struct ProvisioningUrl {
  UrlScheme scheme = UrlScheme::kTftp;
  bool scheme_given = false;
  std::string host;  // empty: use the DHCP option 66 server (profile rules only)
  uint16_t port = 69;
  bool port_given = false;
  std::string path;  // starts with '/'

  bool uses_dhcp_server() const { return host.empty(); }
  // "scheme://host:port/path" with the effective scheme and port (IPv6 hosts in brackets);
  // with no host, "scheme://:port/path" is never produced: the form is "scheme:///path".
  std::string ToString() const;
  friend bool operator==(const ProvisioningUrl&, const ProvisioningUrl&) = default;
};

enum class HostRequirement { kOptional, kRequired };

// Parses an expanded URL. Errors name the URL and the reason.
Result<ProvisioningUrl> ParseProvisioningUrl(std::string_view text,
                                             HostRequirement host = HostRequirement::kOptional);

// Sets the $SCHEME, $SERV, $PORT and $PATH variables for Log_* messages from a URL that was
// just requested; $SERVIP is the caller's (it needs DNS).
void SetRequestTargetVariables(const ProvisioningUrl& url, MacroVariables* variables);

}  // namespace cwmp::prov
