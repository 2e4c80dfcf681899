#include "cli/fleet_cli.h"

#include <signal.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <utility>

#include "agent/phone_host.h"
#include "agent/phone_services.h"
#include "cli/run_cli.h"

namespace agent::cli {
namespace {

constexpr const char* kUsage =
    "usage: cpe-agent fleet --count N --acs URL --state DIR [options]\n"
    "\n"
    "Runs N phones in one process (a load generator for the ACS), each with its own identity,\n"
    "state directory DIR/<serial>/, parameter store and HTTP connection-request listener,\n"
    "running the same per-phone code as `cpe-agent run`. Stops on SIGTERM or SIGINT and prints\n"
    "the totals.\n"
    "\n"
    "  --count N               number of phones (1..100000)\n"
    "  --acs URL               ACS_URL of every phone (Enable_TR-069=Yes)\n"
    "  --state DIR             parent of the phones' state directories\n"
    "  --base-mac MAC          MAC of phone 0; phone i has MAC base+i (default 00:56:2B:00:00:00)\n"
    "  --serial-prefix P       phone i has serial P followed by i in 6 digits, e.g. FLEET000042\n"
    "                          (default FLEET)\n"
    "  --model PN              model of every phone (default CP-6841-3PCC)\n"
    "  --swver V               software version (default sip68xx.12-0-1MPP-0001)\n"
    "  --profile FILE          flat profile applied at each phone's first start\n"
    "  --acs-username U        ACS_Username of every phone; the password comes from\n"
    "  --acs-password-file F   F or $CPE_AGENT_ACS_PASSWORD\n"
    "  --cr-listen ADDR        connection-request listen address (default 0.0.0.0)\n"
    "  --cr-base-port P        phone i listens on P+i (default 0: any free port)\n"
    "  --cr-host HOST          host for ConnectionRequestURL (default as for `run`)\n"
    "  --udp-connection-requests\n"
    "                          also open each phone's TR-069 Annex G UDP connection-request\n"
    "                          socket (reported as UDPConnectionRequestAddress); with it, phones\n"
    "                          whose STUNEnable is true keep a STUN binding (TR-111) from that\n"
    "                          socket. One more descriptor per phone (default: off)\n"
    "  --stun-server HOST[:PORT]\n"
    "                          with --udp-connection-requests: STUNEnable=true and this\n"
    "                          STUNServerAddress / STUNServerPort (default 3478) for every phone,\n"
    "                          written at start like --acs\n"
    "  --admin-base-port P     phone i runs its admin web server on the --cr-listen address,\n"
    "                          port P+i (default: no admin web server in a fleet)\n"
    "  --sip-base-port P       phone i listens for SIP NOTIFY on port P+i while Resync_From_SIP\n"
    "                          is Yes (default: no SIP listener in a fleet)\n"
    "  --threads T             worker threads running sessions and timers (default 8)\n"
    "  --boot-spread SECONDS   each phone boots at a random time in [0, SECONDS) (default 10)\n"
    "  --summary-interval S    seconds between summary lines on stdout (default 10; 0 = none)\n"
    "  --log-format plain|json per-phone warnings and errors on stderr (default plain)\n"
    "  --verbose               also log every phone's info lines (sessions, boots)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Summary line (stdout): fleet: phones=N booted=B registered=R sessions_ok=S\n"
    "sessions_failed=F connection_requests=C reboots=X elapsed=Ts resynced=P resyncs_ok=K\n"
    "resyncs_failed=E upgrades=U stun_mappings=M (P: phones with a successful resync; every\n"
    "phone runs the resync, upgrade and custom CA engines of `cpe-agent run`,\n"
    "docs/agent-services.md; M: public addresses learnt or changed through STUN)\n"
    "\n"
    "Each phone needs file descriptors: one for its HTTP connection-request listener, one more\n"
    "with --udp-connection-requests, --admin-base-port or --sip-base-port each, plus a few per\n"
    "worker thread. The soft RLIMIT_NOFILE is raised to the hard limit at start; when N phones\n"
    "need more than that, the fleet exits 1 before starting any (raise the hard limit: ulimit\n"
    "-Hn, LimitNOFILE= in a systemd unit).\n";

int Usage(const cwmp::Status& st) {
  std::fprintf(stderr, "cpe-agent fleet: %s\n\n%s", st.message().c_str(), kUsage);
  return 2;
}

cwmp::Result<uint64_t> ParseNumber(const ParsedArgs& a, const std::string& name, uint64_t dflt,
                                   uint64_t min, uint64_t max) {
  auto v = a.Get(name);
  if (!v) return dflt;
  char* end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || errno != 0 || n < min || n > max || v->front() == '-') {
    return cwmp::InvalidArgument("--" + name + " must be a number in " + std::to_string(min) +
                                 ".." + std::to_string(max));
  }
  return static_cast<uint64_t>(n);
}

cwmp::Result<uint64_t> ParseMac(const std::string& text) {
  uint64_t v = 0;
  int digits = 0;
  for (char c : text) {
    if (c == ':' || c == '-' || c == '.') continue;
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (d < 0) return cwmp::InvalidArgument("--base-mac \"" + text + "\" is not a MAC address");
    v = (v << 4) | static_cast<uint64_t>(d);
    ++digits;
  }
  if (digits != 12)
    return cwmp::InvalidArgument("--base-mac \"" + text + "\" is not a MAC address");
  return v;
}

std::string FormatMac(uint64_t v) {
  char buf[18];
  std::snprintf(buf, sizeof(buf), "%02X:%02X:%02X:%02X:%02X:%02X",
                static_cast<unsigned>((v >> 40) & 0xff), static_cast<unsigned>((v >> 32) & 0xff),
                static_cast<unsigned>((v >> 24) & 0xff), static_cast<unsigned>((v >> 16) & 0xff),
                static_cast<unsigned>((v >> 8) & 0xff), static_cast<unsigned>(v & 0xff));
  return buf;
}

// "host[:port]" (an IPv6 literal in brackets) with `default_port`.
cwmp::Result<std::pair<std::string, uint16_t>> ParseHostPort(const std::string& text,
                                                             uint16_t default_port) {
  std::string host = text;
  std::string port;
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string::npos) return cwmp::InvalidArgument("\"" + text + "\": missing ]");
    if (close + 1 < host.size()) {
      if (host[close + 1] != ':') return cwmp::InvalidArgument("\"" + text + "\": bad port");
      port = host.substr(close + 2);
    }
    host = host.substr(1, close - 1);
  } else if (size_t colon = host.rfind(':'); colon != std::string::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) return cwmp::InvalidArgument("\"" + text + "\" has no host");
  if (port.empty()) return std::pair{host, default_port};
  char* end = nullptr;
  unsigned long n = std::strtoul(port.c_str(), &end, 10);
  if (*end != '\0' || n == 0 || n > 65535) {
    return cwmp::InvalidArgument("\"" + text + "\": port must be 1..65535");
  }
  return std::pair{host, static_cast<uint16_t>(n)};
}

// Descriptors for `count` phones with `per_phone` sockets each, plus the process's own (log,
// epoll, eventfd, state files being written) and a session socket and file per worker.
uint64_t FleetDescriptorsNeeded(uint64_t count, uint64_t per_phone, uint64_t threads) {
  return count * per_phone + 64 + 4 * threads;
}

void PrintSummary(const PhoneStats& s, const ServiceStats& services, size_t phones,
                  uint64_t booted, std::chrono::steady_clock::time_point start) {
  auto elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("fleet: phones=%zu booted=%" PRIu64 " registered=%" PRIu64 " sessions_ok=%" PRIu64
              " sessions_failed=%" PRIu64 " connection_requests=%" PRIu64 " reboots=%" PRIu64
              " elapsed=%llds resynced=%" PRIu64 " resyncs_ok=%" PRIu64 " resyncs_failed=%" PRIu64
              " upgrades=%" PRIu64 " stun_mappings=%" PRIu64 "\n",
              phones, booted, s.phones_registered.load(), s.sessions_ok.load(),
              s.sessions_failed.load(), s.connection_requests.load(), s.reboots.load(),
              static_cast<long long>(elapsed), services.phones_resynced.load(),
              services.resyncs_ok.load(), services.resyncs_failed.load(),
              services.upgrades_installed.load(), s.stun_mappings.load());
  std::fflush(stdout);
}

}  // namespace

int RunFleetCommand(const std::vector<std::string>& args) {
  std::vector<OptionSpec> specs = {
      {"count", "", true},         {"acs", "", true},
      {"state", "", true},         {"base-mac", "", true},
      {"serial-prefix", "", true}, {"model", "", true},
      {"swver", "", true},         {"profile", "", true},
      {"acs-username", "", true},  {"acs-password-file", "", true},
      {"cr-listen", "", true},     {"cr-base-port", "", true},
      {"cr-host", "", true},       {"threads", "", true},
      {"boot-spread", "", true},   {"summary-interval", "", true},
      {"log-format", "", true},    {"verbose", "", false},
      {"admin-base-port", "", true}, {"sip-base-port", "", true},
      {"udp-connection-requests", "", false}, {"stun-server", "", true},
  };
  auto parsed = ParseArgs(args, specs);
  if (!parsed.ok()) return Usage(parsed.status());
  if (parsed->Has("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!parsed->positionals().empty()) {
    return Usage(cwmp::InvalidArgument("unexpected argument \"" + parsed->positionals()[0] + "\""));
  }
  for (const char* required : {"count", "acs", "state"}) {
    if (!parsed->Has(required)) {
      return Usage(cwmp::InvalidArgument(std::string("--") + required + " is required"));
    }
  }
  auto count = ParseNumber(*parsed, "count", 0, 1, 100000);
  auto threads = ParseNumber(*parsed, "threads", 8, 1, 256);
  auto spread = ParseNumber(*parsed, "boot-spread", 10, 0, 86400);
  auto base_port = ParseNumber(*parsed, "cr-base-port", 0, 0, 65535);
  auto summary = ParseNumber(*parsed, "summary-interval", 10, 0, 86400);
  auto admin_base = ParseNumber(*parsed, "admin-base-port", 0, 0, 65535);
  auto sip_base = ParseNumber(*parsed, "sip-base-port", 0, 0, 65535);
  for (auto* r : {&count, &threads, &spread, &base_port, &summary, &admin_base, &sip_base}) {
    if (!r->ok()) return Usage(r->status());
  }
  for (auto [name, base] : {std::pair{"--admin-base-port", *admin_base}, {"--sip-base-port", *sip_base}}) {
    if (base != 0 && base + *count - 1 > 65535) {
      return Usage(cwmp::InvalidArgument(std::string(name) + " + --count exceeds port 65535"));
    }
  }
  if (*base_port != 0 && *base_port + *count - 1 > 65535) {
    return Usage(cwmp::InvalidArgument("--cr-base-port + --count exceeds port 65535"));
  }
  auto base_mac = ParseMac(parsed->Get("base-mac").value_or("00:56:2B:00:00:00"));
  if (!base_mac.ok()) return Usage(base_mac.status());
  std::string acs = *parsed->Get("acs");
  if (acs.rfind("http://", 0) != 0 && acs.rfind("https://", 0) != 0) {
    return Usage(cwmp::InvalidArgument("--acs must be an http:// or https:// URL"));
  }
  LogFormat format = LogFormat::kPlain;
  if (auto f = parsed->Get("log-format"); f && !ParseLogFormat(*f, &format)) {
    return Usage(cwmp::InvalidArgument("--log-format must be plain or json"));
  }
  std::string cr_address = parsed->Get("cr-listen").value_or("0.0.0.0");
  auto password = LoadAcsPassword(*parsed);
  if (!password.ok()) {
    std::fprintf(stderr, "cpe-agent fleet: %s\n", password.status().message().c_str());
    return 1;
  }
  std::optional<cwmp::prov::FlatProfile> profile;
  if (auto p = parsed->Get("profile")) {
    auto loaded = LoadProfileFile(*p);
    if (!loaded.ok()) {
      std::fprintf(stderr, "cpe-agent fleet: --profile %s\n", loaded.status().message().c_str());
      return 1;
    }
    profile = std::move(*loaded);
  }
  const std::string state = *parsed->Get("state");
  const std::string prefix = parsed->Get("serial-prefix").value_or("FLEET");

  BlockStopSignals();
  RuntimeLog log(format);
  log.set_quiet_info(!parsed->Has("verbose"));
  PhoneStats stats;
  ServiceStats service_stats;
  PhoneHostOptions host_options;
  host_options.worker_threads = *threads;
  auto host = PhoneHost::Start(host_options);  // raises RLIMIT_NOFILE to the hard limit
  if (!host.ok()) {
    std::fprintf(stderr, "cpe-agent fleet: %s\n", host.status().message().c_str());
    return 1;
  }
  const bool udp = parsed->Has("udp-connection-requests");
  std::optional<std::pair<std::string, uint16_t>> stun_server;
  if (auto text = parsed->Get("stun-server")) {
    if (!udp) return Usage(cwmp::InvalidArgument("--stun-server needs --udp-connection-requests"));
    auto parsed_server = ParseHostPort(*text, 3478);
    if (!parsed_server.ok()) return Usage(parsed_server.status().WithPrefix("--stun-server"));
    stun_server = *parsed_server;
  }
  uint64_t per_phone = 1 + (udp ? 1 : 0) + (*admin_base != 0 ? 1 : 0) + (*sip_base != 0 ? 1 : 0);
  uint64_t needed = FleetDescriptorsNeeded(*count, per_phone, *threads);
  if (needed > PhoneHost::OpenFileLimit()) {
    std::fprintf(stderr,
                 "cpe-agent fleet: %" PRIu64 " phones with %" PRIu64
                 " socket(s) each need about %" PRIu64
                 " file descriptors, but RLIMIT_NOFILE allows %" PRIu64
                 " (the hard limit); raise it (ulimit -Hn, LimitNOFILE=) or start fewer phones%s\n",
                 *count, per_phone, needed, PhoneHost::OpenFileLimit(),
                 udp ? " or drop --udp-connection-requests" : "");
    return 1;
  }
  std::mt19937_64 rng{std::random_device{}()};
  std::vector<std::unique_ptr<Phone>> phones;
  phones.reserve(*count);
  auto start = std::chrono::steady_clock::now();
  int exit_code = 0;
  for (uint64_t i = 0; i < *count; ++i) {
    char serial[64];
    std::snprintf(serial, sizeof(serial), "%s%06" PRIu64, prefix.c_str(), i);
    PhoneOptions o;
    o.identity.serial_number = serial;
    o.identity.mac_address = FormatMac((*base_mac + i) & 0xffffffffffffULL);
    o.identity.model_name = parsed->Get("model").value_or("CP-6841-3PCC");
    o.identity.software_version = parsed->Get("swver").value_or("sip68xx.12-0-1MPP-0001");
    o.identity.hardware_version = "1.0";
    o.state_dir = state + "/" + serial;
    o.acs_url = acs;
    o.acs_username = parsed->Get("acs-username");
    o.acs_password = *password;
    o.first_start_profile = profile;
    o.cr_listen_address = cr_address;
    o.cr_port = static_cast<uint16_t>(*base_port == 0 ? 0 : *base_port + i);
    o.cr_host = parsed->Get("cr-host").value_or("");
    o.dhcp_poll_interval = std::chrono::seconds(30);
    o.udp_connection_requests = udp;
    if (stun_server) {
      o.stun_server_address = stun_server->first;
      o.stun_server_port = stun_server->second;
    }
    if (*spread > 0) {
      o.first_boot_delay = std::chrono::milliseconds(rng() % (*spread * 1000));
    }
    o.log = &log;
    o.stats = &stats;
    auto phone = Phone::Create(**host, std::move(o));
    if (!phone.ok()) {
      std::fprintf(stderr, "cpe-agent fleet: phone %s: %s\n", serial,
                   phone.status().message().c_str());
      exit_code = 1;
      break;
    }
    PhoneServicesOptions services;
    services.stats = &service_stats;
    services.bind_address = cr_address;
    services.admin = *admin_base != 0;
    services.sip = *sip_base != 0;
    if (services.admin) services.admin_listen = cr_address + ":" + std::to_string(*admin_base + i);
    if (services.sip) services.sip_listen = cr_address + ":" + std::to_string(*sip_base + i);
    agent::AttachPhoneServices(**phone, services);
    (*phone)->Start();
    phones.push_back(std::move(*phone));
  }
  auto booted = [&] {
    uint64_t n = 0;
    for (const auto& p : phones) n += p->boots() > 0 ? 1 : 0;
    return n;
  };
  int sig = 0;
  if (exit_code == 0) {
    std::printf("fleet: %zu phones started, state under %s\n", phones.size(), state.c_str());
    std::fflush(stdout);
    auto interval = *summary == 0 ? std::chrono::milliseconds(3600 * 1000)
                                  : std::chrono::milliseconds(*summary * 1000);
    while ((sig = WaitStopSignal(interval)) == 0) {
      if (*summary != 0) PrintSummary(stats, service_stats, phones.size(), booted(), start);
    }
  }
  uint64_t booted_at_stop = booted();
  for (auto& p : phones) p->Stop();
  phones.clear();
  (*host)->Stop();
  std::printf("fleet: stopped%s\n", sig == SIGINT ? " (SIGINT)" : sig ? " (SIGTERM)" : "");
  PrintSummary(stats, service_stats, 0, booted_at_stop, start);
  return exit_code;
}

}  // namespace agent::cli
