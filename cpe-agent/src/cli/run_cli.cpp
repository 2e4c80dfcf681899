#include "cli/run_cli.h"

#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "agent/network_worker.h"
#include "agent/phone_host.h"
#include "agent/phone_services.h"
#include "cli/file_io.h"
#include "cwmp/content/content.h"
#include "cwmp/prov/flat_profile.h"
#include "transfer/curl_library.h"

namespace agent::cli {
namespace {

constexpr const char* kUsage =
    "usage: cpe-agent run --state DIR --mac MAC --serial SN --model PN [options]\n"
    "\n"
    "Runs the phone's TR-069 agent (the daemon) until SIGTERM or SIGINT.\n"
    "\n"
    "Identity:\n"
    "  --state DIR               state directory (parameters, events, firmware slots, CA,\n"
    "                            dhcp.json); created 0700 when missing\n"
    "  --mac MAC                 MAC address (001B54AABBCC or 00:1b:54:aa:bb:cc); OUI = first 3 "
    "bytes\n"
    "  --serial SN               serial number (DeviceId SerialNumber)\n"
    "  --model PN                model, e.g. CP-6841-3PCC (ModelName and ProductClass)\n"
    "  --swver V                 software version (default sip68xx.12-0-1MPP-0001; an image\n"
    "                            installed by a firmware Download takes over after the reboot)\n"
    "  --hwver V                 hardware version (default 1.0)\n"
    "\n"
    "ACS (written to the parameter store at every start; override the profile and DHCP):\n"
    "  --acs URL                 ACS_URL; also sets Enable_TR-069=Yes\n"
    "  --acs-username U          ACS_Username\n"
    "  --acs-password-file F     ACS_Password from the first line of F; or set the environment\n"
    "                            variable CPE_AGENT_ACS_PASSWORD. Never on the command line.\n"
    "  --ca-file FILE            extra CA certificates (PEM) trusted for the ACS's HTTPS\n"
    "                            certificate (default: the custom CA installed on the phone)\n"
    "  --client-cert FILE        the phone's client certificate (PEM), presented to the ACS over\n"
    "                            HTTPS and by the transfers (Download RPC, Profile_Rule,\n"
    "                            Upgrade_Rule, Custom_CA_Rule); $CCERT says whether it is installed.\n"
    "                            Its subject should carry OU=<model>, L=<serial>, S=<mac> as the\n"
    "                            guide says\n"
    "  --client-key FILE         its private key (PEM; default: in the --client-cert file)\n"
    "\n"
    "Provisioning:\n"
    "  --profile FILE            flat profile applied at FIRST start only (no parameters.state\n"
    "                            yet), like a phone preprovisioned in house; gzip/base64 allowed\n"
    "\n"
    "Listeners:\n"
    "  --cr-listen ADDR:PORT     HTTP connection-request listener (default 0.0.0.0:7547;\n"
    "                            port 0 = any free port; the UDP Annex G listener uses the\n"
    "                            same address and port, and runs the STUN binding (TR-111)\n"
    "                            while Device.ManagementServer.STUNEnable is true)\n"
    "  --cr-host HOST            host put in ConnectionRequestURL (default: the listen address\n"
    "                            when specific, else the local address of the route to the ACS)\n"
    "  --admin-listen ADDR:PORT  the phone's admin web server (default: the --cr-listen address\n"
    "                            and Web_Server_Port, while Enable_Web_Server is Yes): /admin/resync,\n"
    "                            /admin/upgrade, /admin/reboot, /admin/config.xml (GET, POST),\n"
    "                            /admin/status, /admin/call (docs/agent-admin.md)\n"
    "  --sip-listen ADDR:PORT    SIP NOTIFY listener (resync / reboot_now / restart_now with\n"
    "                            Digest, while Resync_From_SIP is Yes; default: the --cr-listen\n"
    "                            address and SIP_Port_1_)\n"
    "\n"
    "Output:\n"
    "  --log-format plain|json   log lines on stderr (default plain): one per session (events,\n"
    "                            RPCs, outcome), connection request, reboot and error; never\n"
    "                            secrets\n"
    "  -h, --help                show this help\n"
    "\n"
    "The phone follows its parameters: Enable_TR-069, ACS_URL/ACS_Username/ACS_Password,\n"
    "BACKUP_ACS_URL with TR-069_Fallback_Support, CWMP_V1.2_Support, Periodic_Inform_Enable/\n"
    "Interval/Time, the CWMP retry parameters and Connection_Request_Username/Password, and\n"
    "reconfigures itself when the ACS, a configuration file or DHCP changes them. DHCP: the\n"
    "hook `cpe-agent dhcp-event --state DIR` writes DIR/dhcp.json; a newly discovered ACS URL\n"
    "leads to a 0 BOOTSTRAP Inform to it. Reboot and FactoryReset restart the phone in the\n"
    "same process. See docs/agent-runtime.md.\n"
    "\n"
    "Provisioning engines (docs/agent-services.md): resync (Resync_On_Reset with\n"
    "Resync_Random_Delay, Resync_Periodic, Resync_At, retries, Profile_Rule.._D over TFTP/HTTP/\n"
    "HTTPS; TFTP without a server uses the DHCP option 66/150 server of dhcp.json), firmware\n"
    "upgrade (Upgrade_Rule, /admin/upgrade; the new image boots in-process and its version is\n"
    "reported), Custom_CA_Rule; syslog messages to Syslog_Server / Debug_Server. A listener\n"
    "that cannot bind (e.g. port 80 without privileges) is logged and does not stop the phone.\n"
    "\n"
    "Exit status: 0 after SIGTERM/SIGINT, 1 on a start-up error, 2 on bad usage.\n";

// Process-wide memory settings for one phone per process (docs/agent-memory.md). Called before
// any thread exists.
void ConfigureMemoryForOnePhone() {
  // One malloc arena for all threads: the phone's few threads rarely allocate at the same
  // time, and every extra arena keeps its own free pages (~0.5 MiB measured).
  mallopt(M_ARENA_MAX, 1);
  // ACS sessions and transfers run in a network worker process (network_worker.h): libcurl,
  // TLS and their libraries are never mapped into the daemon. When the last worker is gone, the
  // heap pages the session freed (SOAP messages, response bodies) go back to the kernel: without
  // it ~0.3 MiB of free heap stays resident between sessions.
  // /proc/self/exe is this very program even if its file was replaced since it started.
  if (::access("/proc/self/exe", X_OK) == 0) {
    EnableNetworkWorker("/proc/self/exe", [] { malloc_trim(0); });
  } else {
    std::fprintf(stderr,
                 "cpe-agent run: /proc/self/exe is not available (is /proc mounted?): sessions "
                 "and transfers run in this process, without the network worker\n");
  }
  // Nothing in the daemon loads libcurl itself; should anything do so, it is unloaded again.
  curl::UnloadWhenUnused(true, [] { malloc_trim(0); });
}

int Usage(const cwmp::Status& st) {
  std::fprintf(stderr, "cpe-agent run: %s\n\n%s", st.message().c_str(), kUsage);
  return 2;
}

}  // namespace

cwmp::Status ParseListenAddress(const std::string& text, uint16_t default_port,
                                std::string* address, uint16_t* port) {
  std::string host = text, port_text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos) return cwmp::InvalidArgument("bad address \"" + text + "\"");
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return cwmp::InvalidArgument("bad address \"" + text + "\"");
      port_text = text.substr(close + 2);
    }
  } else if (size_t colon = text.find(':'); colon != std::string::npos) {
    if (text.find(':', colon + 1) != std::string::npos) {
      return cwmp::InvalidArgument("IPv6 address \"" + text + "\" needs brackets: [ADDR]:PORT");
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (host.empty()) return cwmp::InvalidArgument("address \"" + text + "\" has no host");
  *address = host;
  *port = default_port;
  if (!port_text.empty()) {
    char* end = nullptr;
    unsigned long v = std::strtoul(port_text.c_str(), &end, 10);
    if (*end != '\0' || v > 65535 || port_text.front() == '-') {
      return cwmp::InvalidArgument("bad port \"" + port_text + "\" in \"" + text + "\"");
    }
    *port = static_cast<uint16_t>(v);
  }
  return cwmp::Status::Ok();
}

cwmp::Result<cwmp::prov::FlatProfile> LoadProfileFile(const std::string& path) {
  auto bytes = ReadFileCapped(path, 4u << 20);
  if (!bytes.ok()) return bytes.status().WithPrefix(path);
  cwmp::content::DecodeOptions decode;  // no key: plain, base64 and gzip layers only
  auto decoded = cwmp::content::DecodeContent(*bytes, decode);
  if (!decoded.ok()) return decoded.status().WithPrefix(path);
  auto profile = cwmp::prov::ParseFlatProfile(decoded->plaintext);
  if (!profile.ok()) return profile.status().WithPrefix(path);
  return profile;
}

cwmp::Result<std::optional<cwmp::Secret>> LoadAcsPassword(const ParsedArgs& args) {
  if (auto file = args.Get("acs-password-file")) {
    auto text = ReadFileCapped(*file, 4096);
    if (!text.ok()) return text.status().WithPrefix("--acs-password-file");
    std::string line = text->substr(0, text->find_first_of("\r\n"));
    return std::optional<cwmp::Secret>(cwmp::Secret(std::move(line)));
  }
  if (const char* env = std::getenv("CPE_AGENT_ACS_PASSWORD"); env && *env) {
    return std::optional<cwmp::Secret>(cwmp::Secret(env));
  }
  return std::optional<cwmp::Secret>();
}

void BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int WaitStopSignal(std::chrono::milliseconds timeout) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  timespec ts{static_cast<time_t>(timeout.count() / 1000),
              static_cast<long>((timeout.count() % 1000) * 1000000)};
  int sig = sigtimedwait(&set, nullptr, &ts);
  return sig > 0 ? sig : 0;
}

int RunRunCommand(const std::vector<std::string>& args) {
  std::vector<OptionSpec> specs = {
      {"state", "", true},        {"mac", "", true},          {"serial", "", true},
      {"model", "", true},        {"swver", "", true},        {"hwver", "", true},
      {"acs", "", true},          {"acs-username", "", true}, {"acs-password-file", "", true},
      {"profile", "", true},      {"cr-listen", "", true},    {"cr-host", "", true},
      {"admin-listen", "", true}, {"ca-file", "", true},      {"log-format", "", true},
      {"client-cert", "", true},  {"client-key", "", true},
      {"sip-listen", "", true},
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
  for (const char* required : {"state", "mac", "serial", "model"}) {
    if (!parsed->Has(required)) {
      return Usage(cwmp::InvalidArgument(std::string("--") + required + " is required"));
    }
  }
  LogFormat format = LogFormat::kPlain;
  if (auto f = parsed->Get("log-format"); f && !ParseLogFormat(*f, &format)) {
    return Usage(cwmp::InvalidArgument("--log-format must be plain or json"));
  }
  PhoneOptions o;
  o.state_dir = *parsed->Get("state");
  o.identity.mac_address = *parsed->Get("mac");
  o.identity.serial_number = *parsed->Get("serial");
  o.identity.model_name = *parsed->Get("model");
  o.identity.software_version = parsed->Get("swver").value_or("sip68xx.12-0-1MPP-0001");
  o.identity.hardware_version = parsed->Get("hwver").value_or("1.0");
  if (OuiFromMac(o.identity.mac_address).size() != 6) {
    return Usage(
        cwmp::InvalidArgument("--mac \"" + o.identity.mac_address + "\" is not a MAC address"));
  }
  o.acs_url = parsed->Get("acs");
  if (o.acs_url && o.acs_url->rfind("http://", 0) != 0 && o.acs_url->rfind("https://", 0) != 0) {
    return Usage(cwmp::InvalidArgument("--acs must be an http:// or https:// URL"));
  }
  o.acs_username = parsed->Get("acs-username");
  auto password = LoadAcsPassword(*parsed);
  if (!password.ok()) {
    std::fprintf(stderr, "cpe-agent run: %s\n", password.status().message().c_str());
    return 1;
  }
  o.acs_password = std::move(*password);
  if (auto p = parsed->Get("profile")) {
    auto profile = LoadProfileFile(*p);
    if (!profile.ok()) {
      std::fprintf(stderr, "cpe-agent run: --profile %s\n", profile.status().message().c_str());
      return 1;
    }
    o.first_start_profile = std::move(*profile);
  }
  if (auto cr = ParseListenAddress(parsed->Get("cr-listen").value_or("0.0.0.0:7547"), 7547,
                                   &o.cr_listen_address, &o.cr_port);
      !cr.ok()) {
    return Usage(cr.WithPrefix("--cr-listen"));
  }
  o.cr_host = parsed->Get("cr-host").value_or("");
  o.ca_file = parsed->Get("ca-file").value_or("");
  o.client_cert_file = parsed->Get("client-cert").value_or("");
  o.client_key_file = parsed->Get("client-key").value_or("");
  if (o.client_cert_file.empty() && !o.client_key_file.empty()) {
    return Usage(cwmp::InvalidArgument("--client-key needs --client-cert"));
  }
  for (const std::string* f : {&o.client_cert_file, &o.client_key_file}) {
    if (!f->empty() && ::access(f->c_str(), R_OK) != 0) {
      return Usage(cwmp::InvalidArgument(*f + ": cannot be read"));
    }
  }
  if (auto admin = parsed->Get("admin-listen")) {
    std::string address;
    uint16_t port = 0;
    if (auto st = ParseListenAddress(*admin, 80, &address, &port); !st.ok()) {
      return Usage(st.WithPrefix("--admin-listen"));
    }
    o.admin_listen = *admin;
  }
  PhoneServicesOptions services;
  services.admin_listen = o.admin_listen;
  services.bind_address = o.cr_listen_address;
  if (auto sip = parsed->Get("sip-listen")) {
    std::string address;
    uint16_t port = 0;
    if (auto st = ParseListenAddress(*sip, 5060, &address, &port); !st.ok()) {
      return Usage(st.WithPrefix("--sip-listen"));
    }
    services.sip_listen = address.find(':') != std::string::npos
                              ? "[" + address + "]:" + std::to_string(port)
                              : address + ":" + std::to_string(port);
  }

  BlockStopSignals();  // before any thread exists, so only WaitStopSignal sees them
  ConfigureMemoryForOnePhone();
  RuntimeLog log(format);
  o.log = &log;
  PhoneHostOptions host_options;
  host_options.worker_threads = 1;
  auto host = PhoneHost::Start(host_options);
  if (!host.ok()) {
    log.Write("error", "", "start failed", {{"error", host.status().message()}});
    return 1;
  }
  auto phone = Phone::Create(**host, std::move(o));
  if (!phone.ok()) {
    log.Write("error", "", "start failed", {{"error", phone.status().message()}});
    (*host)->Stop();
    return 1;
  }
  agent::AttachPhoneServices(**phone, services);
  (*phone)->Start();
  int sig = 0;
  while ((sig = WaitStopSignal(std::chrono::seconds(3600))) == 0) {
  }
  log.Write("info", "", "stopping",
            {{"signal", sig == SIGINT   ? "SIGINT"
                        : sig == SIGHUP ? "SIGHUP"
                                        : "SIGTERM"}});
  (*phone)->Stop();
  phone->reset();
  (*host)->Stop();
  return 0;
}

}  // namespace agent::cli
