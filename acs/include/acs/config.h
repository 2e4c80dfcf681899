#pragma once
// `acsd serve` configuration: every option comes from the command line, the environment
// (ACSD_<OPTION>, e.g. ACSD_CWMP_LISTEN) or a config file (--config FILE: `option = value`
// lines, `#` comments), in that order of precedence, then the defaults. The option names are
// the same everywhere (`cwmp-listen`), see ServeHelp().

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "acs/cwmp_endpoint.h"
#include "acs/log.h"
#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace acs::config {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};
// "ADDR:PORT", "[v6]:PORT"; kInvalidArgument naming the text otherwise.
cwmp::Result<ListenAddress> ParseListen(const std::string& text);

struct ServeConfig {
  std::string database_url;
  int db_max_connections = 16;
  bool migrate = true;

  ListenAddress cwmp_listen{"0.0.0.0", 7547};
  ListenAddress nbi_listen{"127.0.0.1", 7557};
  std::string tls_cert;  // PEM; with tls_key: the CWMP listener speaks HTTPS
  std::string tls_key;
  std::string tls_client_ca;  // PEM CA bundle: CPEs must present a certificate it signed

  cwmp_endpoint::AuthMode cpe_auth = cwmp_endpoint::AuthMode::kDigest;
  std::string cpe_username;  // default credentials
  cwmp::Secret cpe_password;
  cwmp::Secret nonce_secret;  // empty: random per process (then every acsd needs affinity)
  std::string realm = "acsd";
  bool allow_basic_without_tls = false;
  int max_auth_failures = 10;
  // Default connection-request credentials (ACS -> CPE), used for a device that reported no
  // ConnectionRequestUsername / an empty ConnectionRequestPassword.
  std::string cr_username;
  cwmp::Secret cr_password;  // read from --cr-password-file

  std::chrono::seconds session_timeout{60};
  bool discovery = true;
  size_t discovery_max_parameters = 10000;
  size_t discovery_batch = 100;

  size_t max_connections = 1024;
  size_t max_body_bytes = 4 * 1024 * 1024;
  std::chrono::seconds request_timeout{30};
  std::chrono::seconds idle_timeout{60};

  log::Format log_format = log::Format::kPlain;
  log::Level log_level = log::Level::kInfo;
};

// Parses `acsd serve` arguments (after "serve"). `getenv` reads the environment (injected for
// tests). Returns nullopt with *help set for --help.
cwmp::Result<ServeConfig> ParseServe(
    const std::vector<std::string>& args,
    const std::function<std::optional<std::string>(const std::string&)>& getenv, bool* help);

std::string ServeHelp();

}  // namespace acs::config
