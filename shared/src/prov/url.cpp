#include "cwmp/prov/url.h"

#include "cwmp/prov/macro.h"

namespace cwmp::prov {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

Status Bad(std::string_view url, std::string_view why) {
  std::string shown(url.substr(0, 200));
  return ParseError("URL \"" + shown + "\": " + std::string(why));
}

}  // namespace

std::string_view UrlSchemeName(UrlScheme scheme) {
  switch (scheme) {
    case UrlScheme::kTftp:
      return "tftp";
    case UrlScheme::kHttp:
      return "http";
    case UrlScheme::kHttps:
      return "https";
  }
  return "tftp";
}

uint16_t DefaultPort(UrlScheme scheme) {
  switch (scheme) {
    case UrlScheme::kTftp:
      return 69;
    case UrlScheme::kHttp:
      return 80;
    case UrlScheme::kHttps:
      return 443;
  }
  return 69;
}

std::string ProvisioningUrl::ToString() const {
  std::string out(UrlSchemeName(scheme));
  out += "://";
  if (!host.empty()) {
    if (host.find(':') != std::string::npos) {
      out += '[' + host + ']';
    } else {
      out += host;
    }
    out += ':' + std::to_string(port);
  }
  out += path;
  return out;
}

Result<ProvisioningUrl> ParseProvisioningUrl(std::string_view text, HostRequirement host_req) {
  if (text.size() > 2048) return LimitExceeded("URL longer than 2048 characters");
  if (text.empty()) return Bad(text, "is empty");
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return Bad(text, "contains a space or control character");
    }
  }
  ProvisioningUrl url;
  std::string_view rest = text;
  size_t sep = rest.find("://");
  size_t first_slash = rest.find('/');
  if (sep != std::string_view::npos && sep < first_slash) {
    std::string_view scheme = rest.substr(0, sep);
    if (EqualsIgnoreCase(scheme, "tftp")) {
      url.scheme = UrlScheme::kTftp;
    } else if (EqualsIgnoreCase(scheme, "http")) {
      url.scheme = UrlScheme::kHttp;
    } else if (EqualsIgnoreCase(scheme, "https")) {
      url.scheme = UrlScheme::kHttps;
    } else {
      return Bad(text,
                 "scheme \"" + std::string(scheme.substr(0, 20)) + "\" is not tftp, http or https");
    }
    url.scheme_given = true;
    rest.remove_prefix(sep + 3);
  }
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos)
    return Bad(text, "has no file path (it must start with '/')");
  std::string_view authority = rest.substr(0, slash);
  url.path.assign(rest.substr(slash));
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad(text, "unterminated '[' in the server");
    std::string_view v6 = authority.substr(1, close - 1);
    if (v6.empty()) return Bad(text, "empty IPv6 address");
    for (char c : v6) {
      bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                c == ':' || c == '.';
      if (!ok) return Bad(text, "invalid character in the IPv6 address");
    }
    url.host.assign(v6);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Bad(text, "unexpected text after ']'");
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.find(':');
    std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
    for (char c : host) {
      if (!IsHostChar(c)) {
        return Bad(text, "invalid character '" + std::string(1, c) + "' in the server name");
      }
    }
    if (host.empty() && has_port) return Bad(text, "has a port but no server");
    url.host.assign(host);
  }
  if (has_port) {
    if (port_text.empty() || port_text.size() > 5) return Bad(text, "port must be 1-65535");
    uint32_t port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return Bad(text, "port must be a number");
      port = port * 10 + static_cast<uint32_t>(c - '0');
    }
    if (port == 0 || port > 65535) return Bad(text, "port must be 1-65535");
    url.port = static_cast<uint16_t>(port);
    url.port_given = true;
  } else {
    url.port = DefaultPort(url.scheme);
  }
  if (url.host.empty() && host_req == HostRequirement::kRequired) {
    return Bad(text, "needs a server (upgrade rules cannot use the DHCP option 66 server)");
  }
  return url;
}

void SetRequestTargetVariables(const ProvisioningUrl& url, MacroVariables* variables) {
  (void)variables->Set("SCHEME", UrlSchemeName(url.scheme));
  (void)variables->Set("SERV", url.host);
  (void)variables->Set("PORT", std::to_string(url.port));
  (void)variables->Set("PATH", url.path);
}

}  // namespace cwmp::prov
