#include "cli/dhcp_cli.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>

#include "cli/args.h"
#include "cli/file_io.h"
#include "cwmp/dhcp/options.h"
#include "cwmp/dhcp/state.h"

namespace agent::cli {
namespace {

namespace dhcp = cwmp::dhcp;

constexpr const char* kUsage =
    "usage: cpe-agent dhcp <command> [options]\n"
    "\n"
    "Commands:\n"
    "  event    record what the DHCP client received in STATE/dhcp.json (same as dhcp-event)\n"
    "  encode   print DHCP server configuration for option 43 (ACS URL) or 125\n"
    "  decode   decode one option value and print its fields\n"
    "\n"
    "Run 'cpe-agent dhcp <command> --help' for the options of each command.\n";

constexpr const char* kEventUsage =
    "usage: cpe-agent dhcp-event --state DIR [--env] [--optionN VALUE]... [--option-order LIST]\n"
    "\n"
    "Decodes the options a DHCP client received and records the ACS URL, ProvisioningCode,\n"
    "retry parameters and provisioning server in DIR/dhcp.json (atomically). A new ACS URL\n"
    "increments acs_url_generation: a '0 BOOTSTRAP' is due until the daemon acknowledges it in\n"
    "DIR/dhcp-bootstrap.ack. If any option is malformed nothing is written (exit 1).\n"
    "\n"
    "  --state DIR          state directory (must exist)\n"
    "  --option43 V         vendor-specific information (sub-options 1-4 or a bare URL)\n"
    "  --option125 V        V-I vendor-specific information (enterprise 3561, Annex F)\n"
    "  --option66 V         TFTP server name\n"
    "  --option150 V        TFTP server addresses (dotted quads or bytes)\n"
    "  --option159 V        provisioning server\n"
    "  --option160 V        provisioning server\n"
    "  --option-order LIST  DHCP_Option_To_Use (default 66,160,159,150,60,43,125)\n"
    "  --env                also read the DHCP client's environment (ISC dhclient new_*,\n"
    "                       busybox udhcpc tftp/optNN); options given on the line win\n"
    "\n"
    "Value forms: 43/125/150 auto-detect colon hex (1:1a:68), plain hex (011a68) or escaped\n"
    "text; 66/159/160 are escaped text (\\ooo octal, \\c). A prefix forces a form: hex:, str:,\n"
    "ip:, raw:. An empty value means the option was not received.\n";

constexpr const char* kEncodeUsage =
    "usage: cpe-agent dhcp encode --url URL [--provisioning-code C] [--retry-min N]\n"
    "                             [--retry-multiplier N] [--format dnsmasq|isc|hex]\n"
    "       cpe-agent dhcp encode --option 125 [--gateway-oui OUI] [--gateway-serial S]\n"
    "                             [--gateway-class C] [--format dnsmasq|isc|hex]\n"
    "\n"
    "Prints configuration that makes a DHCP server send TR-069 discovery data:\n"
    "  --option 43   (default) sub-options 1 ACS URL, 2 ProvisioningCode,\n"
    "                3 CWMPRetryMinimumWaitInterval (1-65535), 4 CWMPRetryIntervalMultiplier\n"
    "                (1000-65535), sent to clients whose option 60 contains dslforum.org\n"
    "  --option 125  TR-069 Annex F gateway identity (enterprise 3561 sub-options 4-6)\n"
    "  --format      dnsmasq (default), isc (dhcpd.conf) or hex (colon hex only)\n";

constexpr const char* kDecodeUsage =
    "usage: cpe-agent dhcp decode --option 43|125|66|150|159|160 VALUE\n"
    "\n"
    "Decodes VALUE (the forms of 'dhcp-event --help') and prints one field per line.\n";

int UsageError(const char* command, const std::string& error, const char* usage) {
  std::fprintf(stderr, "cpe-agent dhcp %s: %s\n\n%s", command, error.c_str(), usage);
  return 2;
}

int Fail(const char* command, const cwmp::Status& st) {
  std::fprintf(stderr, "cpe-agent dhcp %s: %s\n", command, st.message().c_str());
  return 1;
}

std::string ErrnoText(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string NowUtc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The text forms each option is read in when no prefix is given.
dhcp::TextForm DefaultForm(int code, std::string_view value) {
  if (code == 66 || code == 159 || code == 160) return dhcp::TextForm::kEscaped;
  if (code == 150 && value.find('.') != std::string_view::npos &&
      value.find_first_not_of("0123456789., ") == std::string_view::npos) {
    return dhcp::TextForm::kIpList;
  }
  return dhcp::TextForm::kAuto;
}

struct EnvSource {
  const char* name;
  dhcp::TextForm form;
};

// Environment variables per option, first non-empty wins: ISC dhclient exports new_<name>
// (colon hex or escaped text), busybox udhcpc exports known options by name ("tftp", raw
// text) and unknown ones as opt<N> (plain hex). Options 150/159/160 need the dhclient.conf
// declarations in docs/dhcp.md to get the new_cwmp_* names.
std::vector<EnvSource> EnvSources(int code) {
  using F = dhcp::TextForm;
  switch (code) {
    case 43:
      return {{"new_vendor_encapsulated_options", F::kAuto}, {"opt43", F::kHex}};
    case 125:
      return {{"new_vivso", F::kAuto}, {"opt125", F::kHex}};
    case 66:
      return {{"new_tftp_server_name", F::kEscaped}, {"tftp", F::kLiteral}};
    case 150:
      return {{"new_cwmp_tftp_servers", F::kIpList}, {"opt150", F::kHex}};
    case 159:
      return {{"new_cwmp_provisioning_159", F::kEscaped}, {"opt159", F::kHex}};
    case 160:
      return {{"new_cwmp_provisioning_160", F::kEscaped}, {"opt160", F::kHex}};
    default:
      return {};
  }
}

constexpr int kEventOptions[] = {43, 125, 66, 150, 159, 160};

// Decodes one option's bytes into the lease. NotFound (43 without TR-069 sub-options, 125
// without enterprise 3561) leaves the option out with a note; other errors are returned.
cwmp::Status AddToLease(int code, const dhcp::Bytes& bytes, dhcp::DhcpLease& lease) {
  const std::string what = "option " + std::to_string(code);
  auto note_absent = [&](const cwmp::Status& st) {
    if (st.code() != cwmp::StatusCode::kNotFound) return st;
    std::fprintf(stderr, "cpe-agent dhcp event: note: %s; ignored\n", st.message().c_str());
    return cwmp::Status::Ok();
  };
  switch (code) {
    case 43: {
      auto r = dhcp::ParseOption43(bytes);
      if (!r.ok()) return note_absent(r.status());
      lease.option43 = *r;
      return cwmp::Status::Ok();
    }
    case 125: {
      auto r = dhcp::ParseOption125(bytes);
      if (!r.ok()) return note_absent(r.status());
      lease.option125 = *r;
      return cwmp::Status::Ok();
    }
    case 150: {
      auto r = dhcp::ParseOption150(bytes);
      if (!r.ok()) return r.status();
      lease.option150 = *r;
      return cwmp::Status::Ok();
    }
    default: {
      auto r = dhcp::ParseServerText(bytes, what);
      if (!r.ok()) return r.status();
      (code == 66 ? lease.option66 : code == 159 ? lease.option159 : lease.option160) = *r;
      return cwmp::Status::Ok();
    }
  }
}

cwmp::Result<dhcp::DhcpLease> CollectLease(const ParsedArgs& args) {
  dhcp::DhcpLease lease;
  const bool use_env = args.Has("env");
  for (int code : kEventOptions) {
    const std::string what = "option " + std::to_string(code);
    std::optional<cwmp::Result<dhcp::Bytes>> bytes;
    std::string source;  // where the value came from, for messages
    if (auto v = args.Get("option" + std::to_string(code)); v && !v->empty()) {
      source = "--option" + std::to_string(code);
      bytes = dhcp::DecodeTaggedValue(*v, DefaultForm(code, *v), source);
    } else if (use_env) {
      for (const EnvSource& src : EnvSources(code)) {
        const char* e = std::getenv(src.name);
        if (e == nullptr || *e == '\0') continue;
        source = std::string("$") + src.name;
        bytes = dhcp::DecodeOptionText(e, src.form, what + " (" + source + ")");
        break;
      }
    }
    if (!bytes) continue;
    if (!bytes->ok()) return bytes->status();
    CWMP_RETURN_IF_ERROR(AddToLease(code, **bytes, lease).WithPrefix(source));
  }
  return lease;
}

// Reads DIR/name if it exists: nullopt when absent, an error when unreadable or too large.
cwmp::Result<std::optional<std::string>> ReadIfExists(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return cwmp::IoError(ErrnoText(path));
  }
  auto text = ReadFileCapped(path, dhcp::kMaxStateFileBytes);
  if (!text.ok()) return text.status();
  return std::optional<std::string>(std::move(*text));
}

// temp file in DIR, write, fsync, rename over the target, fsync DIR.
cwmp::Status WriteDurably(const std::string& dir, const std::string& name,
                          const std::string& data) {
  const std::string path = dir + "/" + name;
  const std::string tmp = dir + "/." + name + "." + std::to_string(::getpid()) + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return cwmp::IoError(ErrnoText(tmp));
  cwmp::Status st;
  size_t off = 0;
  while (st.ok() && off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      st = cwmp::IoError(ErrnoText(tmp));
    } else {
      off += static_cast<size_t>(n);
    }
  }
  if (st.ok() && ::fsync(fd) != 0) st = cwmp::IoError(ErrnoText(tmp));
  if (::close(fd) != 0 && st.ok()) st = cwmp::IoError(ErrnoText(tmp));
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) st = cwmp::IoError(ErrnoText(path));
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return cwmp::IoError(ErrnoText(dir));
  if (::fsync(dfd) != 0) st = cwmp::IoError(ErrnoText(dir));
  ::close(dfd);
  return st;
}

// Serialises concurrent hooks (two interfaces renewing at once) on DIR/.dhcp.lock.
class DirLock {
 public:
  explicit DirLock(const std::string& dir) {
    const std::string path = dir + "/.dhcp.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      status_ = cwmp::IoError(ErrnoText(path));
      return;
    }
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        status_ = cwmp::IoError(ErrnoText(path));
        return;
      }
    }
  }
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  const cwmp::Status& status() const { return status_; }

 private:
  int fd_ = -1;
  cwmp::Status status_;
};

std::string Describe(const std::optional<std::string>& v) { return v ? *v : "-"; }

}  // namespace

int RunDhcpCommand(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "dhcp-event") {
    return RunDhcpEvent(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  const std::vector<std::string> words(args.empty() ? args.begin() : args.begin() + 1, args.end());
  if (words.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string& command = words[0];
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "event") return RunDhcpEvent(rest);
  if (command == "encode") return RunDhcpEncode(rest);
  if (command == "decode") return RunDhcpDecode(rest);
  std::fprintf(stderr, "cpe-agent dhcp: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}

int RunDhcpEvent(const std::vector<std::string>& argv) {
  std::vector<OptionSpec> specs = {
      {"state", "", true}, {"env", "", false}, {"option-order", "", true}};
  for (int code : kEventOptions) specs.push_back({"option" + std::to_string(code), "", true});
  auto args = ParseArgs(argv, specs);
  if (!args.ok()) return UsageError("event", args.status().message(), kEventUsage);
  if (args->Has("help")) {
    std::fputs(kEventUsage, stdout);
    return 0;
  }
  if (!args->positionals().empty()) {
    return UsageError("event", "unexpected argument '" + args->positionals()[0] + "'", kEventUsage);
  }
  const auto dir = args->Get("state");
  if (!dir || dir->empty()) return UsageError("event", "--state DIR is required", kEventUsage);
  auto order = dhcp::ParseOptionOrder(
      args->Get("option-order").value_or(std::string(dhcp::kDefaultOptionOrder)));
  if (!order.ok()) return UsageError("event", order.status().message(), kEventUsage);

  auto lease = CollectLease(*args);
  if (!lease.ok()) return Fail("event", lease.status());

  struct stat st {};
  if (::stat(dir->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Fail("event", cwmp::IoError(*dir + ": not a directory"));
  }
  DirLock lock(*dir);
  if (!lock.status().ok()) return Fail("event", lock.status());

  const std::string state_path = *dir + "/" + std::string(dhcp::kStateFileName);
  auto old_text = ReadIfExists(state_path);
  if (!old_text.ok()) return Fail("event", old_text.status());
  std::optional<dhcp::DhcpState> previous;
  if (*old_text) {
    auto parsed = dhcp::ParseState(**old_text);
    if (!parsed.ok()) {
      // A damaged file must not block discovery: start afresh (a BOOTSTRAP follows).
      std::fprintf(stderr, "cpe-agent dhcp event: warning: %s: %s; starting afresh\n",
                   state_path.c_str(), parsed.status().message().c_str());
    } else {
      previous = std::move(*parsed);
    }
  }
  uint64_t acked = 0;
  const std::string ack_path = *dir + "/" + std::string(dhcp::kBootstrapAckFileName);
  auto ack_text = ReadIfExists(ack_path);
  if (!ack_text.ok()) return Fail("event", ack_text.status());
  if (*ack_text) {
    auto a = dhcp::ParseBootstrapAck(**ack_text);
    if (!a.ok()) return Fail("event", a.status());
    acked = *a;
  }

  const dhcp::DhcpState next = dhcp::ApplyLease(previous, *lease, *order, acked, NowUtc());
  cwmp::Status w = WriteDurably(*dir, std::string(dhcp::kStateFileName), SerializeState(next));
  if (!w.ok()) return Fail("event", w);

  const bool changed = !previous || previous->acs_url_generation != next.acs_url_generation;
  std::printf("acs_url %s%s\n", Describe(next.acs_url).c_str(),
              next.acs_url && changed ? " (new)" : "");
  std::printf("bootstrap_due %s\n", next.bootstrap_due ? "yes" : "no");
  std::printf("provisioning_server %s\n",
              next.provisioning_server ? (next.provisioning_server->url + " (option " +
                                          std::to_string(next.provisioning_server->option) + ")")
                                             .c_str()
                                       : "-");
  return 0;
}

int RunDhcpEncode(const std::vector<std::string>& argv) {
  const std::vector<OptionSpec> specs = {
      {"url", "", true},          {"provisioning-code", "", true},
      {"retry-min", "", true},    {"retry-multiplier", "", true},
      {"format", "", true},       {"option", "", true},
      {"gateway-oui", "", true},  {"gateway-serial", "", true},
      {"gateway-class", "", true}};
  auto args = ParseArgs(argv, specs);
  if (!args.ok()) return UsageError("encode", args.status().message(), kEncodeUsage);
  if (args->Has("help")) {
    std::fputs(kEncodeUsage, stdout);
    return 0;
  }
  if (!args->positionals().empty()) {
    return UsageError("encode", "unexpected argument '" + args->positionals()[0] + "'",
                      kEncodeUsage);
  }
  const std::string format_name = args->Get("format").value_or("dnsmasq");
  dhcp::ServerFormat format;
  if (format_name == "dnsmasq") {
    format = dhcp::ServerFormat::kDnsmasq;
  } else if (format_name == "isc") {
    format = dhcp::ServerFormat::kIsc;
  } else if (format_name == "hex") {
    format = dhcp::ServerFormat::kHex;
  } else {
    return UsageError("encode", "--format: '" + format_name + "' is not dnsmasq, isc or hex",
                      kEncodeUsage);
  }
  const std::string option = args->Get("option").value_or("43");
  cwmp::Result<dhcp::Bytes> bytes = cwmp::InvalidArgument("unset");
  int code = 0;
  if (option == "43") {
    code = 43;
    for (const char* g : {"gateway-oui", "gateway-serial", "gateway-class"}) {
      if (args->Has(g)) {
        return UsageError("encode", std::string("--") + g + " belongs to --option 125",
                          kEncodeUsage);
      }
    }
    if (!args->Has("url")) return UsageError("encode", "--url is required", kEncodeUsage);
    dhcp::AcsInfo info;
    info.url = args->Get("url");
    info.provisioning_code = args->Get("provisioning-code");
    for (const auto& [flag, field] : {std::pair{"retry-min", &info.retry_min_wait},
                                      std::pair{"retry-multiplier", &info.retry_multiplier}}) {
      if (auto v = args->Get(flag)) {
        char* end = nullptr;
        errno = 0;
        const unsigned long n = std::strtoul(v->c_str(), &end, 10);
        if (v->empty() || *end != '\0' || errno != 0 || n > 0xFFFFFFFFul || (*v)[0] == '-') {
          return UsageError("encode", std::string("--") + flag + ": '" + *v + "' is not a number",
                            kEncodeUsage);
        }
        *field = static_cast<uint32_t>(n);
      }
    }
    bytes = dhcp::EncodeOption43(info);
  } else if (option == "125") {
    code = 125;
    for (const char* a : {"url", "provisioning-code", "retry-min", "retry-multiplier"}) {
      if (args->Has(a)) {
        return UsageError("encode",
                          std::string("--") + a +
                              ": option 125 (TR-069 Annex F) carries gateway identity, not ACS "
                              "data; use --option 43",
                          kEncodeUsage);
      }
    }
    dhcp::GatewayAssociation g;
    g.gateway_oui = args->Get("gateway-oui");
    g.gateway_serial = args->Get("gateway-serial");
    g.gateway_product_class = args->Get("gateway-class");
    bytes = dhcp::EncodeOption125(g);
  } else {
    return UsageError("encode", "--option: '" + option + "' is not 43 or 125", kEncodeUsage);
  }
  if (!bytes.ok()) return Fail("encode", bytes.status());
  auto text = dhcp::FormatServerConfig(format, code, *bytes);
  if (!text.ok()) return Fail("encode", text.status());
  std::fputs(text->c_str(), stdout);
  return 0;
}

int RunDhcpDecode(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, {{"option", "", true}});
  if (!args.ok()) return UsageError("decode", args.status().message(), kDecodeUsage);
  if (args->Has("help")) {
    std::fputs(kDecodeUsage, stdout);
    return 0;
  }
  const auto option = args->Get("option");
  if (!option) return UsageError("decode", "--option N is required", kDecodeUsage);
  if (args->positionals().size() != 1) {
    return UsageError("decode", "exactly one VALUE is required", kDecodeUsage);
  }
  int code = 0;
  for (int c : kEventOptions) {
    if (*option == std::to_string(c)) code = c;
  }
  if (code == 0) {
    return UsageError("decode", "--option: '" + *option + "' is not 43, 125, 66, 150, 159 or 160",
                      kDecodeUsage);
  }
  const std::string& value = args->positionals()[0];
  auto bytes = dhcp::DecodeTaggedValue(value, DefaultForm(code, value), "option " + *option);
  if (!bytes.ok()) return Fail("decode", bytes.status());
  std::printf("bytes %s\n", dhcp::FormatColonHex(*bytes).c_str());
  if (code == 43) {
    auto r = dhcp::ParseOption43(*bytes);
    if (!r.ok()) return Fail("decode", r.status());
    std::printf("form %s\n", r->legacy_bare_url ? "legacy-bare-url" : "sub-options");
    std::printf("acs_url %s\n", Describe(r->url).c_str());
    std::printf("provisioning_code %s\n", Describe(r->provisioning_code).c_str());
    std::printf("retry_min_wait %s\n",
                r->retry_min_wait ? std::to_string(*r->retry_min_wait).c_str() : "-");
    std::printf("retry_multiplier %s\n",
                r->retry_multiplier ? std::to_string(*r->retry_multiplier).c_str() : "-");
    return 0;
  }
  if (code == 125) {
    auto blocks = dhcp::ParseVendorIdentifyingOption(*bytes);
    if (!blocks.ok()) return Fail("decode", blocks.status());
    for (const auto& b : *blocks) {
      std::printf("enterprise %u %s\n", b.enterprise, dhcp::FormatColonHex(b.data).c_str());
    }
    auto r = dhcp::ParseOption125(*bytes);
    if (!r.ok()) return Fail("decode", r.status());
    std::printf("device_oui %s\ndevice_serial %s\ndevice_product_class %s\n",
                Describe(r->device_oui).c_str(), Describe(r->device_serial).c_str(),
                Describe(r->device_product_class).c_str());
    std::printf("gateway_oui %s\ngateway_serial %s\ngateway_product_class %s\n",
                Describe(r->gateway_oui).c_str(), Describe(r->gateway_serial).c_str(),
                Describe(r->gateway_product_class).c_str());
    return 0;
  }
  dhcp::DhcpLease lease;
  cwmp::Status st = AddToLease(code, *bytes, lease);
  if (!st.ok()) return Fail("decode", st);
  auto server = dhcp::SelectProvisioningServer(lease, {code});
  if (!server) return Fail("decode", cwmp::NotFound("option " + *option + " names no server"));
  std::printf("server %s\nurl %s\n", server->server.c_str(), server->url.c_str());
  return 0;
}

}  // namespace agent::cli
