// cpe-agent profile decode / encode
#include <unistd.h>

#include <cstdio>
#include <string>

#include "cli/file_io.h"
#include "cli/profile_cli.h"
#include "cli/profile_common.h"
#include "cwmp/content/openssl_enc.h"
#include "cwmp/prov/catalog.h"

namespace agent::cli {
namespace {

const char* const kDecodeUsage =
    "usage: cpe-agent profile decode [options] FILE\n"
    "\n"
    "Detects and removes the layers a provisioning server may put on a profile, in the\n"
    "phone's order: base64 (openssl -a), AES-256-CBC in the `openssl enc -k` format (KDF\n"
    "md5, sha256 or pbkdf2 tried in turn, accepted only when the result is a profile),\n"
    "RFC 8188 aes128gcm, gzip. Prints the flat profile to stdout with secret values\n"
    "(passwords, keys) masked. FILE '-' reads standard input.\n"
    "\n"
    "Options:\n"
    "  --show-secrets      print secret values instead of ********\n"
    "  --raw               print the decoded bytes exactly (needs --show-secrets)\n"
    "  -o, --output FILE   write to FILE instead of stdout\n"
    "  -v, --verbose       say on stderr which layers were removed\n";

const char* const kEncodeUsage =
    "usage: cpe-agent profile encode [options] FILE\n"
    "\n"
    "Checks the profile against the catalog, then compresses and/or encrypts its bytes\n"
    "unchanged: gzip first, then AES-256-CBC (`openssl enc` format) or aes128gcm. The result\n"
    "opens with `openssl enc -d -aes-256-cbc -md MD -k KEY | gunzip`.\n"
    "\n"
    "Options:\n"
    "  --gzip              compress (gzip) before encrypting\n"
    "  --md md5|sha256|pbkdf2  key derivation for --key (default sha256; md5 for\n"
    "                      phones and tools of the openssl 0.9.x/1.0.x era)\n"
    "  --iter N            PBKDF2 iterations (default 10000)\n"
    "  -a, --base64        base64 armour, like `openssl enc -a`\n"
    "  --nosalt            no Salted__ header, like `openssl enc -nosalt`\n"
    "  --rs N              aes128gcm record size (default 4096, at least 18)\n"
    "  --keyid ID          aes128gcm key id written in the header\n"
    "  --allow-unknown     accept unknown parameter names (warnings)\n"
    "  --no-check          encode without checking the profile\n"
    "  -o, --output FILE   write to FILE (atomically) instead of stdout\n";

int Usage(const char* command, const std::string& error, const char* usage) {
  std::fprintf(stderr, "cpe-agent profile %s: %s\n\n%s%s", command, error.c_str(), usage,
               kKeyOptionsHelp);
  return 2;
}

bool IsSecret(std::string_view name) {
  const auto* def = cwmp::prov::Catalog::Builtin().Find(name);
  return def != nullptr && def->secret;
}

}  // namespace

int RunProfileDecode(const std::vector<std::string>& argv) {
  auto specs = KeyOptionSpecs();
  specs.push_back({"show-secrets", "", false, false});
  specs.push_back({"raw", "", false, false});
  specs.push_back({"output", "o", true, false});
  specs.push_back({"verbose", "v", false, false});
  auto args = ParseArgs(argv, specs);
  if (!args.ok()) return Usage("decode", args.status().message(), kDecodeUsage);
  if (args->Has("help")) {
    std::printf("%s%s", kDecodeUsage, kKeyOptionsHelp);
    return 0;
  }
  if (args->positionals().size() != 1) return Usage("decode", "give exactly one FILE", kDecodeUsage);
  if (args->Has("raw") && !args->Has("show-secrets")) {
    return Usage("decode", "--raw prints secrets as they are: add --show-secrets", kDecodeUsage);
  }
  auto keys = ReadKeyOptions(*args);
  if (!keys.ok()) return Usage("decode", keys.status().message(), kDecodeUsage);

  const std::string& file = args->positionals()[0];
  auto decoded = ReadAndDecode(file, *keys);
  if (!decoded.ok()) {
    std::fprintf(stderr, "cpe-agent profile decode: %s\n", decoded.status().message().c_str());
    return 1;
  }
  if (args->Has("verbose")) {
    std::string layers;
    for (const auto& layer : decoded->layers) layers += (layers.empty() ? "" : " -> ") + layer;
    std::fprintf(stderr, "%s: layers removed: %s\n", file.c_str(),
                 layers.empty() ? "(none)" : layers.c_str());
  }
  std::string output;
  if (args->Has("raw")) {
    output = std::move(decoded->plaintext);
  } else {
    cwmp::prov::ParseLimits limits;
    limits.max_bytes = keys->max_bytes;
    auto profile = cwmp::prov::ParseFlatProfile(decoded->plaintext, limits);
    if (!profile.ok()) {
      PrintDiagnostic(file, DiagnosticFromParseError(profile.status()));
      return 1;
    }
    cwmp::prov::SerializeOptions options;
    if (!args->Has("show-secrets")) {
      options.is_secret = IsSecret;
      options.secret_mode = cwmp::prov::SerializeOptions::SecretMode::kMask;
    }
    output = cwmp::prov::SerializeFlatProfile(*profile, options);
  }
  cwmp::Status st = WriteFileAtomic(args->Get("output").value_or("-"), output);
  if (!st.ok()) {
    std::fprintf(stderr, "cpe-agent profile decode: %s\n", st.message().c_str());
    return 1;
  }
  return 0;
}

int RunProfileEncode(const std::vector<std::string>& argv) {
  auto specs = KeyOptionSpecs();
  for (const char* flag : {"gzip", "nosalt", "allow-unknown", "no-check"}) {
    specs.push_back({flag, "", false, false});
  }
  specs.push_back({"base64", "a", false, false});
  for (const char* option : {"md", "iter", "rs", "keyid"}) specs.push_back({option, "", true, false});
  specs.push_back({"output", "o", true, false});
  auto args = ParseArgs(argv, specs);
  if (!args.ok()) return Usage("encode", args.status().message(), kEncodeUsage);
  if (args->Has("help")) {
    std::printf("%s%s", kEncodeUsage, kKeyOptionsHelp);
    return 0;
  }
  if (args->positionals().size() != 1) return Usage("encode", "give exactly one FILE", kEncodeUsage);
  auto keys = ReadKeyOptions(*args);
  if (!keys.ok()) return Usage("encode", keys.status().message(), kEncodeUsage);

  cwmp::content::EncodeOptions options;
  options.gzip = args->Has("gzip");
  options.key = keys->key;
  options.ikm = keys->ikm;
  options.base64 = args->Has("base64");
  options.salt = !args->Has("nosalt");
  if (auto md = args->Get("md")) {
    auto kdf = cwmp::content::ParseKdf(*md);
    if (!kdf.ok()) return Usage("encode", "--md: " + kdf.status().message(), kEncodeUsage);
    options.kdf = *kdf;
  }
  try {
    if (auto iter = args->Get("iter")) options.pbkdf2_iterations = std::stoi(*iter);
    if (auto rs = args->Get("rs")) options.record_size = static_cast<uint32_t>(std::stoul(*rs));
  } catch (const std::exception&) {
    return Usage("encode", "--iter and --rs take a positive number", kEncodeUsage);
  }
  if (auto keyid = args->Get("keyid")) options.keyid = *keyid;
  if ((args->Has("md") || args->Has("base64") || args->Has("nosalt")) && !options.key) {
    return Usage("encode", "--md, -a and --nosalt apply to --key encryption", kEncodeUsage);
  }

  const std::string& file = args->positionals()[0];
  auto bytes = ReadFileCapped(file, keys->max_bytes);
  if (!bytes.ok()) {
    std::fprintf(stderr, "cpe-agent profile encode: %s\n", bytes.status().message().c_str());
    return 1;
  }
  if (!args->Has("no-check") &&
      !CheckProfileText(file, *bytes, args->Has("allow-unknown"), keys->max_bytes, nullptr)) {
    std::fprintf(stderr, "cpe-agent profile encode: %s is not a valid profile (--no-check to "
                 "encode it anyway)\n", file.c_str());
    return 1;
  }
  auto encoded = cwmp::content::EncodeContent(*bytes, options);
  if (!encoded.ok()) {
    std::fprintf(stderr, "cpe-agent profile encode: %s\n", encoded.status().message().c_str());
    return encoded.status().code() == cwmp::StatusCode::kInvalidArgument ? 2 : 1;
  }
  const std::string output = args->Get("output").value_or("-");
  const bool binary = options.gzip || (options.key && !options.base64) || options.ikm;
  if (output == "-" && binary && ::isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "cpe-agent profile encode: refusing to write binary data to a "
                 "terminal; use -o FILE or a redirection\n");
    return 2;
  }
  cwmp::Status st = WriteFileAtomic(output, *encoded);
  if (!st.ok()) {
    std::fprintf(stderr, "cpe-agent profile encode: %s\n", st.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace agent::cli
