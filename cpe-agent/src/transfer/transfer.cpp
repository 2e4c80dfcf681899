// The guide's Table 2 policy on top of single libcurl requests (curl_request.cpp): address
// failover, 301/302 retries, credential retries after 401/407, outcome classification and the
// $ERR text.
#include "agent/transfer.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "agent/ca_store.h"
#include "cwmp/prov/url.h"
#include "transfer/curl_request.h"

namespace agent {
namespace {

using transfer_internal::Credentials;
using transfer_internal::Request;
using transfer_internal::Response;

bool IsIpv4Literal(const std::string& host) {
  in_addr a{};
  return inet_pton(AF_INET, host.c_str(), &a) == 1;
}

bool IsIpv6Literal(const std::string& host) {
  in6_addr a{};
  return inet_pton(AF_INET6, host.c_str(), &a) == 1;
}

// DNS A records (the guide: "Only DNS A-records are supported for provisioning"), in the
// resolver's order, without duplicates; the static host table wins.
std::vector<std::string> Resolve(const std::string& host, const FetchOptions& options) {
  if (auto it = options.hosts.find(host); it != options.hosts.end()) return it->second;
  std::vector<std::string> out;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return out;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    char buf[INET_ADDRSTRLEN];
    auto* sin = reinterpret_cast<sockaddr_in*>(ai->ai_addr);
    if (inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf)) == nullptr) continue;
    if (std::find(out.begin(), out.end(), buf) == out.end()) out.emplace_back(buf);
  }
  freeaddrinfo(res);
  return out;
}

std::string OperationName(cwmp::prov::UrlScheme scheme, const std::string& method) {
  std::string verb = method == "GET" ? "get" : method == "POST" ? "post" : "put";
  return std::string(cwmp::prov::UrlSchemeName(scheme)) + "_" + verb;
}

// The scheme a URL names (tftp when it names none), for the $ERR text of a URL that does not
// parse.
cwmp::prov::UrlScheme SchemeOfText(std::string_view url) {
  auto starts = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  if (starts("https:")) return cwmp::prov::UrlScheme::kHttps;
  if (starts("http:")) return cwmp::prov::UrlScheme::kHttp;
  return cwmp::prov::UrlScheme::kTftp;
}

// "500 Internal Server Error" from "HTTP/1.1 500 Internal Server Error", or "HTTP <code>".
std::string StatusText(const Response& r) {
  size_t sp = r.status_line.find(' ');
  if (sp != std::string::npos && sp + 1 < r.status_line.size()) {
    return r.status_line.substr(sp + 1);
  }
  return "HTTP " + std::to_string(r.http_status);
}

FetchResult Fail(FetchResult result, const std::string& op, const std::string& reason,
                 FetchOutcome outcome = FetchOutcome::kFailed) {
  result.outcome = outcome;
  result.error = op + " failed: " + reason;
  return result;
}

// Resolves the URL text into a target; the DHCP option 66 server stands in for a missing host.
cwmp::Result<cwmp::prov::ProvisioningUrl> Target(std::string_view url,
                                                 const FetchOptions& options) {
  auto parsed = cwmp::prov::ParseProvisioningUrl(url);
  if (!parsed.ok()) return parsed.status();
  cwmp::prov::ProvisioningUrl target = std::move(parsed.value());
  if (!target.uses_dhcp_server()) return target;
  if (target.scheme != cwmp::prov::UrlScheme::kTftp) {
    return cwmp::InvalidArgument(std::string(url) + ": no server in the URL");
  }
  if (options.dhcp_tftp_server.empty()) {
    return cwmp::FailedPrecondition(std::string(url) +
                                    ": no server in the URL and no DHCP option 66 server");
  }
  // "host[:port]" (the URL's own port, when given, wins).
  auto server = cwmp::prov::ParseProvisioningUrl("tftp://" + options.dhcp_tftp_server + "/");
  if (!server.ok()) {
    return cwmp::InvalidArgument("DHCP option 66 server \"" + options.dhcp_tftp_server +
                                 "\" is not host[:port]");
  }
  target.host = server->host;
  if (!target.port_given) {
    target.port = server->port;
    target.port_given = server->port_given;
  }
  return target;
}

FetchResult Run(std::string_view url, const std::string& method, std::string_view body,
                bool send_body, const FetchOptions& options) {
  FetchResult result;
  auto first = Target(url, options);
  if (!first.ok()) {
    return Fail(std::move(result), OperationName(SchemeOfText(url), method),
                first.status().message());
  }
  cwmp::prov::ProvisioningUrl target = std::move(first.value());
  const std::string op = OperationName(target.scheme, method);
  if (target.scheme == cwmp::prov::UrlScheme::kTftp && method != "GET") {
    return Fail(std::move(result), op, "TFTP supports downloads only");
  }
  Credentials credentials = Credentials::kNone;
  bool digest = false;
  for (;;) {
    Request request;
    request.url = target.ToString();
    request.port = target.port;
    request.method = method;
    request.body = std::string(body);
    request.send_body = send_body;
    request.credentials = credentials;
    request.digest = digest;
    if (options.ca_store != nullptr) request.custom_ca_pem = options.ca_store->custom_ca_pem();
    result.final_url = request.url;

    std::vector<std::string> addresses;
    if (IsIpv4Literal(target.host) || IsIpv6Literal(target.host)) {
      addresses.push_back(target.host);
    } else {
      request.host = target.host;
      addresses = Resolve(target.host, options);
      if (addresses.empty()) {
        return Fail(std::move(result), op, "cannot resolve " + target.host);
      }
    }
    Response response;
    std::string connect_errors;
    bool answered = false;
    for (const std::string& address : addresses) {
      request.address = address;
      response = transfer_internal::Perform(request, options);
      if (!response.connect_failed) {
        result.server_ip = address;
        answered = true;
        break;
      }
      connect_errors += (connect_errors.empty() ? "" : "; ") + response.error;
    }
    if (!answered) return Fail(std::move(result), op, connect_errors);

    result.http_status = response.http_status;
    result.headers = response.headers;
    if (auto it = response.headers.find("content-encoding"); it != response.headers.end()) {
      result.content_encoding = it->second;
    } else {
      result.content_encoding.clear();
    }
    if (target.scheme == cwmp::prov::UrlScheme::kTftp) {
      if (response.tftp_not_found) {
        return Fail(std::move(result), op, "file not found", FetchOutcome::kFileNotFound);
      }
      if (!response.ok_transport) return Fail(std::move(result), op, response.error);
      result.body = std::move(response.body);
      result.outcome = FetchOutcome::kOk;
      return result;
    }
    if (!response.ok_transport) return Fail(std::move(result), op, response.error);

    const long status = response.http_status;
    if (status >= 200 && status < 300) {
      result.body = std::move(response.body);
      result.outcome = FetchOutcome::kOk;
      result.error.clear();
      return result;
    }
    if (status == 301 || status == 302) {
      if (result.redirects >= kMaxRedirects) {
        return Fail(std::move(result), op,
                    "too many redirects (" + std::to_string(kMaxRedirects) + ")");
      }
      if (response.redirect_url.empty()) {
        return Fail(std::move(result), op, StatusText(response) + " without a Location");
      }
      auto next = cwmp::prov::ParseProvisioningUrl(response.redirect_url,
                                                   cwmp::prov::HostRequirement::kRequired);
      if (!next.ok() || next->scheme == cwmp::prov::UrlScheme::kTftp) {
        return Fail(std::move(result), op,
                    StatusText(response) + " to an unusable location " + response.redirect_url);
      }
      ++result.redirects;
      target = std::move(next.value());
      continue;
    }
    if (status == 401 || status == 407) {
      if (options.username.empty() || result.auth_retries >= options.max_auth_retries) {
        return Fail(std::move(result), op, StatusText(response));
      }
      ++result.auth_retries;
      if (status == 401) {
        credentials = Credentials::kServer;
        auto it = response.headers.find("www-authenticate");
        digest = it != response.headers.end() && it->second.rfind("Digest", 0) == 0;
      } else {
        credentials = Credentials::kProxy;
      }
      continue;
    }
    if (status == 404) {
      return Fail(std::move(result), op, StatusText(response), FetchOutcome::kFileNotFound);
    }
    return Fail(std::move(result), op, StatusText(response));
  }
}

}  // namespace

const char* FetchOutcomeName(FetchOutcome outcome) {
  switch (outcome) {
    case FetchOutcome::kOk:
      return "ok";
    case FetchOutcome::kFileNotFound:
      return "file_not_found";
    case FetchOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

std::string BuildUserAgent(const UserAgentIdentity& identity) {
  return "Cisco-" + identity.model + "/" + identity.version + " (" + identity.mac + ")";
}

FetchResult Fetch(std::string_view url, const FetchOptions& options) {
  if (options.post) return Run(url, "POST", options.post_body, true, options);
  return Run(url, "GET", {}, false, options);
}

FetchResult Upload(std::string_view url, std::string_view body, UploadMethod method,
                   const FetchOptions& options) {
  return Run(url, method == UploadMethod::kPut ? "PUT" : "POST", body, true, options);
}

std::string ClientCertificateMacro(const FetchOptions& options) {
  if (options.client_cert_file.empty()) return "Not Installed";
  return access(options.client_cert_file.c_str(), R_OK) == 0 ? "Installed" : "Not Installed";
}

}  // namespace agent
