// `acsd serve` options from the command line, the environment and a config file.
#include "acs/config.h"

#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "acs/store.h"

namespace acs::config {
namespace {

using cwmp::Result;
using cwmp::Status;

struct Option {
  const char* name;
  const char* arg;  // nullptr: a flag (true/false in env and file)
  const char* help;
  std::function<Status(ServeConfig&, const std::string&)> set;
};

Result<int64_t> Int(const std::string& name, const std::string& v, int64_t lo, int64_t hi) {
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < lo || out > hi) {
    return cwmp::InvalidArgument(name + ": \"" + v + "\" is not a number in " + std::to_string(lo) +
                                 ".." + std::to_string(hi));
  }
  return out;
}

Result<bool> Bool(const std::string& name, const std::string& v) {
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return cwmp::InvalidArgument(name + ": \"" + v + "\" is not true or false");
}

// The first line of `path` (without its line end): a password kept out of argv and environment.
Result<cwmp::Secret> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return cwmp::InvalidArgument(path + ": cannot be read");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return cwmp::InvalidArgument(path + ": the first line is empty");
  return cwmp::Secret(line);
}

#define ACS_SET_INT(field, lo, hi, conv)               \
  [](ServeConfig& c, const std::string& v) -> Status { \
    auto n = Int(#field, v, lo, hi);                   \
    if (!n.ok()) return n.status();                    \
    c.field = conv(*n);                                \
    return Status::Ok();                               \
  }
#define ACS_SET_BOOL(field, invert)                    \
  [](ServeConfig& c, const std::string& v) -> Status { \
    auto b = Bool(#field, v);                          \
    if (!b.ok()) return b.status();                    \
    c.field = invert ? !*b : *b;                       \
    return Status::Ok();                               \
  }

const std::vector<Option>& Options() {
  static const std::vector<Option> kOptions = {
      {"db", "URL", "PostgreSQL database (also ACSD_DATABASE_URL).",
       [](ServeConfig& c, const std::string& v) {
         c.database_url = v;
         return ValidateDatabaseUrl(v);
       }},
      {"db-max-connections", "N", "Database connections of this process (default 16).",
       ACS_SET_INT(db_max_connections, 1, 1000, static_cast<int>)},
      {"no-migrate", nullptr, "Do not apply migrations at start (the schema must be current).",
       ACS_SET_BOOL(migrate, true)},
      {"cwmp-listen", "ADDR:PORT", "CWMP endpoint (default 0.0.0.0:7547).",
       [](ServeConfig& c, const std::string& v) -> Status {
         auto a = ParseListen(v);
         if (!a.ok()) return a.status().WithPrefix("cwmp-listen");
         c.cwmp_listen = *a;
         return Status::Ok();
       }},
      {"nbi-listen", "ADDR:PORT", "REST API and /metrics (default 127.0.0.1:7557).",
       [](ServeConfig& c, const std::string& v) -> Status {
         auto a = ParseListen(v);
         if (!a.ok()) return a.status().WithPrefix("nbi-listen");
         c.nbi_listen = *a;
         return Status::Ok();
       }},
      {"tls-cert", "FILE", "PEM certificate (chain) of the CWMP endpoint; enables HTTPS.",
       [](ServeConfig& c, const std::string& v) {
         c.tls_cert = v;
         return Status::Ok();
       }},
      {"tls-key", "FILE", "PEM private key of --tls-cert.",
       [](ServeConfig& c, const std::string& v) {
         c.tls_key = v;
         return Status::Ok();
       }},
      {"tls-client-ca", "FILE",
       "PEM CA bundle; CPEs must present a client certificate it signed, whose subject CN\n"
       "                          is the device id (OUI-ProductClass-SerialNumber).",
       [](ServeConfig& c, const std::string& v) {
         c.tls_client_ca = v;
         return Status::Ok();
       }},
      {"cpe-auth", "MODE", "digest (default), basic (TLS only) or none.",
       [](ServeConfig& c, const std::string& v) -> Status {
         auto m = cwmp_endpoint::ParseAuthMode(v);
         if (!m.ok()) return m.status();
         c.cpe_auth = *m;
         return Status::Ok();
       }},
      {"cpe-username", "NAME",
       "Default CPE username (empty: any username with the default password).",
       [](ServeConfig& c, const std::string& v) {
         c.cpe_username = v;
         return Status::Ok();
       }},
      {"cpe-password", "PASSWORD",
       "Default CPE password (prefer ACSD_CPE_PASSWORD or the config file: argv is public).",
       [](ServeConfig& c, const std::string& v) {
         c.cpe_password = cwmp::Secret(v);
         return Status::Ok();
       }},
      {"nonce-secret", "SECRET",
       "HMAC key of Digest nonces; give every acsd of one fleet the same (default: random).",
       [](ServeConfig& c, const std::string& v) {
         c.nonce_secret = cwmp::Secret(v);
         return Status::Ok();
       }},
      {"realm", "REALM", "HTTP authentication realm (default acsd).",
       [](ServeConfig& c, const std::string& v) {
         c.realm = v;
         return Status::Ok();
       }},
      {"allow-basic-without-tls", nullptr, "Accept Basic credentials over plain HTTP.",
       ACS_SET_BOOL(allow_basic_without_tls, false)},
      {"max-auth-failures", "N", "Failed authentications per peer and minute before 429 (10).",
       ACS_SET_INT(max_auth_failures, 1, 1000000, static_cast<int>)},
      {"cr-username", "NAME",
       "Connection-request username for devices that reported none (default: empty).",
       [](ServeConfig& c, const std::string& v) {
         c.cr_username = v;
         return Status::Ok();
       }},
      {"cr-password-file", "FILE",
       "File holding the connection-request password for devices that reported none (its\n"
       "                          first line; default: no password).",
       [](ServeConfig& c, const std::string& v) -> Status {
         auto secret = ReadSecretFile(v);
         if (!secret.ok()) return secret.status();
         c.cr_password = std::move(*secret);
         return Status::Ok();
       }},
      {"session-timeout", "SECONDS", "Idle time after which a CWMP session is dropped (60).",
       ACS_SET_INT(session_timeout, 5, 3600, std::chrono::seconds)},
      {"no-discovery", nullptr, "Do not read the data model of new or bootstrapped devices.",
       ACS_SET_BOOL(discovery, true)},
      {"discovery-max-parameters", "N", "Parameters read per discovery/refresh (10000).",
       ACS_SET_INT(discovery_max_parameters, 1, 1000000, static_cast<size_t>)},
      {"discovery-batch", "N", "Names per GetParameterValues during discovery (100).",
       ACS_SET_INT(discovery_batch, 1, 10000, static_cast<size_t>)},
      {"max-connections", "N", "Concurrent CWMP connections; beyond: 503 (1024).",
       ACS_SET_INT(max_connections, 1, 1000000, static_cast<size_t>)},
      {"max-body-bytes", "N", "Largest CWMP request body (4194304).",
       ACS_SET_INT(max_body_bytes, 1024, 256 * 1024 * 1024, static_cast<size_t>)},
      {"request-timeout", "SECONDS", "Time to receive one request (30).",
       ACS_SET_INT(request_timeout, 1, 3600, std::chrono::seconds)},
      {"idle-timeout", "SECONDS", "Keep-alive time between requests (60).",
       ACS_SET_INT(idle_timeout, 1, 3600, std::chrono::seconds)},
      {"log-format", "FORMAT", "plain (default) or json.",
       [](ServeConfig& c, const std::string& v) -> Status {
         auto f = log::ParseFormat(v);
         if (!f.ok()) return f.status();
         c.log_format = *f;
         return Status::Ok();
       }},
      {"log-level", "LEVEL", "debug, info (default), warn or error.",
       [](ServeConfig& c, const std::string& v) -> Status {
         auto l = log::ParseLevel(v);
         if (!l.ok()) return l.status();
         c.log_level = *l;
         return Status::Ok();
       }},
  };
  return kOptions;
}

std::string EnvName(const std::string& option) {
  if (option == "db") return "ACSD_DATABASE_URL";
  std::string out = "ACSD_";
  for (char c : option)
    out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

const Option* FindOption(const std::string& name) {
  for (const auto& o : Options()) {
    if (name == o.name) return &o;
  }
  return nullptr;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

Status ApplyFile(const std::string& path, std::map<std::string, std::string>* values) {
  std::ifstream in(path);
  if (!in) return cwmp::InvalidArgument("--config " + path + ": cannot be read");
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number > 10000) return cwmp::InvalidArgument(path + ": more than 10000 lines");
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    size_t eq = t.find('=');
    if (eq == std::string::npos) {
      return cwmp::InvalidArgument(path + ":" + std::to_string(number) +
                                   ": expected option = value");
    }
    std::string key = Trim(t.substr(0, eq));
    if (FindOption(key) == nullptr || key == "config") {
      return cwmp::InvalidArgument(path + ":" + std::to_string(number) + ": unknown option " + key);
    }
    (*values)[key] = Trim(t.substr(eq + 1));
  }
  return Status::Ok();
}

}  // namespace

Result<ListenAddress> ParseListen(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return cwmp::InvalidArgument("\"" + text + "\" is not ADDR:PORT");
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  auto port = Int("port", text.substr(colon + 1), 0, 65535);
  if (!port.ok()) return cwmp::InvalidArgument("\"" + text + "\": port is not 0..65535");
  return ListenAddress{host, static_cast<uint16_t>(*port)};
}

Result<ServeConfig> ParseServe(
    const std::vector<std::string>& args,
    const std::function<std::optional<std::string>(const std::string&)>& getenv, bool* help) {
  *help = false;
  std::map<std::string, std::string> cli;
  std::string config_file;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      *help = true;
      return ServeConfig{};
    }
    if (a.rfind("--", 0) != 0) {
      return cwmp::InvalidArgument("acsd serve: unexpected argument " + a);
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (name == "config") {
      if (!inline_value) {
        if (i + 1 >= args.size()) return cwmp::InvalidArgument("acsd serve: --config needs a file");
        value = args[++i];
      }
      config_file = value;
      continue;
    }
    const Option* o = FindOption(name);
    if (o == nullptr) return cwmp::InvalidArgument("acsd serve: unknown option --" + name);
    if (o->arg == nullptr) {
      if (inline_value) return cwmp::InvalidArgument("acsd serve: --" + name + " takes no value");
      value = "true";
    } else if (!inline_value) {
      if (i + 1 >= args.size()) {
        return cwmp::InvalidArgument("acsd serve: --" + name + " needs " + o->arg);
      }
      value = args[++i];
    }
    cli[name] = value;
  }
  if (config_file.empty()) {
    if (auto env = getenv("ACSD_CONFIG")) config_file = *env;
  }
  std::map<std::string, std::string> merged;
  if (!config_file.empty()) CWMP_RETURN_IF_ERROR(ApplyFile(config_file, &merged));
  for (const auto& o : Options()) {
    if (auto env = getenv(EnvName(o.name)); env && !env->empty()) merged[o.name] = *env;
  }
  for (const auto& [k, v] : cli) merged[k] = v;
  ServeConfig config;
  for (const auto& o : Options()) {
    auto it = merged.find(o.name);
    if (it == merged.end()) continue;
    Status st = o.set(config, it->second);
    if (!st.ok()) {
      // Never echo a password back.
      std::string what = std::string(o.name);
      if (what == "cpe-password" || what == "nonce-secret") return cwmp::InvalidArgument(what);
      return cwmp::InvalidArgument("acsd serve: --" + what + ": " + st.message());
    }
  }
  if (config.database_url.empty()) {
    return cwmp::InvalidArgument("acsd serve: no database: pass --db URL or set ACSD_DATABASE_URL");
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return cwmp::InvalidArgument("acsd serve: --tls-cert and --tls-key go together");
  }
  if (!config.tls_client_ca.empty() && config.tls_cert.empty()) {
    return cwmp::InvalidArgument("acsd serve: --tls-client-ca needs --tls-cert and --tls-key");
  }
  return config;
}

std::string ServeHelp() {
  std::string out =
      "Usage: acsd serve [--config FILE] [options]\n"
      "\n"
      "Runs the ACS: the CWMP endpoint for CPEs and, on a second listener, the REST API and\n"
      "Prometheus metrics (GET /metrics). Applies pending migrations first (unless\n"
      "--no-migrate). Stops gracefully on SIGTERM or SIGINT: no new connections, requests in\n"
      "progress finish, session leases are released.\n"
      "\n"
      "Every option can also be given as an environment variable ACSD_<OPTION> (upper case,\n"
      "'-' -> '_', e.g. ACSD_CWMP_LISTEN; --db is ACSD_DATABASE_URL) or in a config file of\n"
      "`option = value` lines (--config FILE or ACSD_CONFIG). Command line beats environment\n"
      "beats file. Flags take true/false in the environment and the file.\n"
      "\n"
      "Options:\n";
  for (const auto& o : Options()) {
    std::string left = std::string("  --") + o.name + (o.arg ? std::string(" ") + o.arg : "");
    if (left.size() < 26)
      left.resize(26, ' ');
    else
      left += "\n" + std::string(26, ' ');
    out += left + o.help + "\n";
  }
  out +=
      "  --config FILE           Read options from FILE.\n"
      "  -h, --help              Show this help.\n"
      "\n"
      "Exit status: 0 after a graceful stop, 1 start-up failed (database, port, TLS files),\n"
      "2 usage error. See docs/acs-serve.md.\n";
  return out;
}

}  // namespace acs::config
