#include "cli/firmware_cli.h"

#include <cstdio>

#include "agent/firmware.h"
#include "cli/args.h"
#include "cli/file_io.h"

namespace agent::cli {
namespace {

constexpr const char* kUsage =
    "usage: cpe-agent firmware <command> [options] ...\n"
    "\n"
    "Commands:\n"
    "  pack      build a .loads bundle from a payload (optionally signed)\n"
    "  inspect   print a bundle's manifest and check its hash (and signature, model,\n"
    "            Downgrade_Rev_Limit when given)\n"
    "\n"
    "Run 'cpe-agent firmware <command> --help' for the options of each command.\n";

constexpr const char* kPackUsage =
    "usage: cpe-agent firmware pack --version V --payload FILE [--model M]...\n"
    "                               [--sign-key KEY.pem] -o OUT\n"
    "  --version V       firmware version, e.g. sip68xx.11-2-4MPP-0002\n"
    "  --payload FILE    the image bytes\n"
    "  --model M         a model the image is for (repeatable; default CP-6841-3PCC)\n"
    "  --sign-key FILE   Ed25519 or RSA private key (PEM) to sign the manifest with\n"
    "  -o, --output OUT  where to write the bundle (atomically); '-' for stdout\n";

constexpr const char* kInspectUsage =
    "usage: cpe-agent firmware inspect FILE [--public-key PUB.pem] [--model M]\n"
    "                                  [--downgrade-rev-limit V]\n"
    "  --public-key FILE          require a valid signature by this key (PEM)\n"
    "  --model M                  require the bundle to list this model\n"
    "  --downgrade-rev-limit V    refuse versions earlier than V\n";

constexpr size_t kMaxKeyFile = 64 * 1024;
constexpr size_t kMaxBundleFile = kMaxFirmwarePayload + kMaxBundleHeader;

int Usage(const char* usage, const cwmp::Status& st) {
  std::fprintf(stderr, "cpe-agent firmware: %s\n\n%s", st.message().c_str(), usage);
  return 2;
}

int Fail(const cwmp::Status& st) {
  std::fprintf(stderr, "cpe-agent firmware: %s\n", st.message().c_str());
  return 1;
}

}  // namespace

int RunFirmwareCommand(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "pack") return RunFirmwarePack(rest);
  if (command == "inspect") return RunFirmwareInspect(rest);
  std::fprintf(stderr, "cpe-agent firmware: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}

int RunFirmwarePack(const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"version", "", true, false},
                                 {"payload", "", true, false},
                                 {"model", "", true, true},
                                 {"sign-key", "", true, false},
                                 {"output", "o", true, false}});
  if (!parsed.ok()) return Usage(kPackUsage, parsed.status());
  if (parsed->Has("help")) {
    std::fputs(kPackUsage, stdout);
    return 0;
  }
  auto version = parsed->Get("version");
  auto payload_file = parsed->Get("payload");
  auto output = parsed->Get("output");
  if (!version || !payload_file || !output || !parsed->positionals().empty()) {
    return Usage(kPackUsage, cwmp::InvalidArgument("pack needs --version, --payload and -o"));
  }
  std::vector<std::string> models = parsed->GetAll("model");
  if (models.empty()) models.push_back("CP-6841-3PCC");
  auto payload = ReadFileCapped(*payload_file, kMaxFirmwarePayload);
  if (!payload.ok()) return Fail(payload.status());
  std::string key;
  if (auto key_file = parsed->Get("sign-key")) {
    auto k = ReadFileCapped(*key_file, kMaxKeyFile);
    if (!k.ok()) return Fail(k.status());
    key = std::move(k.value());
  }
  auto bundle = PackFirmwareBundle(*version, models, *payload, key);
  if (!bundle.ok()) return Fail(bundle.status());
  cwmp::Status st = WriteFileAtomic(*output, *bundle);
  if (!st.ok()) return Fail(st);
  return 0;
}

int RunFirmwareInspect(const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"public-key", "", true, false},
                                 {"model", "", true, false},
                                 {"downgrade-rev-limit", "", true, false}});
  if (!parsed.ok()) return Usage(kInspectUsage, parsed.status());
  if (parsed->Has("help")) {
    std::fputs(kInspectUsage, stdout);
    return 0;
  }
  if (parsed->positionals().size() != 1) {
    return Usage(kInspectUsage, cwmp::InvalidArgument("inspect needs exactly one FILE"));
  }
  const std::string& file = parsed->positionals()[0];
  auto bytes = ReadFileCapped(file, kMaxBundleFile);
  if (!bytes.ok()) return Fail(bytes.status());
  auto bundle = ParseFirmwareBundle(*bytes);
  if (!bundle.ok()) return Fail(bundle.status().WithPrefix(file));
  const FirmwareManifest& m = bundle->manifest;
  std::printf("version: %s\nmodels:", m.version.c_str());
  for (const std::string& model : m.models) std::printf(" %s", model.c_str());
  std::printf("\npayload-length: %llu\npayload-sha256: %s (verified)\n",
              static_cast<unsigned long long>(m.payload_length), m.payload_sha256.c_str());
  std::string signature = m.signature_algorithm.empty() ? "none" : m.signature_algorithm;
  if (auto key_file = parsed->Get("public-key")) {
    auto key = ReadFileCapped(*key_file, kMaxKeyFile);
    if (!key.ok()) return Fail(key.status());
    cwmp::Status st = VerifyFirmwareSignature(m, *key);
    if (!st.ok()) {
      std::printf("signature: %s\n", signature.c_str());
      return Fail(st.WithPrefix(file));
    }
    signature += " (verified)";
  }
  std::printf("signature: %s\n", signature.c_str());
  if (auto model = parsed->Get("model")) {
    bool listed = false;
    for (const std::string& m_model : m.models) listed = listed || m_model == *model;
    if (!listed) return Fail(cwmp::FailedPrecondition(file + ": not for " + *model));
  }
  if (auto limit = parsed->Get("downgrade-rev-limit")) {
    cwmp::Status st = CheckDowngradeLimit(m.version, *limit);
    if (!st.ok()) return Fail(st.WithPrefix(file));
  }
  return 0;
}

}  // namespace agent::cli
