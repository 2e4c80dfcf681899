#include "cli/profile_common.h"

#include <charconv>
#include <cstdio>

#include "cli/file_io.h"
#include "cwmp/content/base64.h"
#include "cwmp/prov/catalog.h"

namespace agent::cli {
namespace {

constexpr size_t kMaxKeyFileBytes = 4096;

cwmp::Result<cwmp::Secret> ReadSecretFile(const std::string& path) {
  auto data = ReadFileCapped(path, kMaxKeyFileBytes);
  if (!data.ok()) return data.status();
  std::string text = std::move(data).value();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (text.empty()) return cwmp::InvalidArgument(path + ": the key file is empty");
  return cwmp::Secret(std::move(text));
}

cwmp::Result<size_t> ParseSize(const std::string& text) {
  size_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr == text.data()) {
    return cwmp::InvalidArgument("--max-size: \"" + text + "\" is not a size");
  }
  std::string suffix(ptr, end);
  size_t scale = 1;
  if (suffix == "K" || suffix == "k") scale = size_t{1} << 10;
  else if (suffix == "M" || suffix == "m") scale = size_t{1} << 20;
  else if (suffix == "G" || suffix == "g") scale = size_t{1} << 30;
  else if (!suffix.empty()) return cwmp::InvalidArgument("--max-size: unknown suffix \"" + suffix + "\"");
  if (value == 0) return cwmp::InvalidArgument("--max-size must be positive");
  return value * scale;
}

}  // namespace

std::vector<OptionSpec> KeyOptionSpecs() {
  return {{"key", "", true, false},      {"key-file", "", true, false},
          {"ikm", "", true, false},      {"ikm-file", "", true, false},
          {"aes128gcm", "", false, false}, {"max-size", "", true, false}};
}

const char* const kKeyOptionsHelp =
    "  --key SECRET        AES-256-CBC passphrase, as given to `openssl enc -k`\n"
    "  --key-file FILE     read the passphrase from FILE (keeps it out of `ps`)\n"
    "  --ikm BASE64URL     RFC 8188 input keying material (IKM_HTTP_Encrypt_Content)\n"
    "  --ikm-file FILE     read the base64url IKM from FILE\n"
    "  --aes128gcm         the content is aes128gcm (what Content-Encoding says on HTTP);\n"
    "                      implied by --ikm without --key\n"
    "  --max-size N[K|M|G] refuse inputs larger than this (default 16M)\n";

cwmp::Result<KeyOptions> ReadKeyOptions(const ParsedArgs& args) {
  KeyOptions keys;
  if (args.Has("key") && args.Has("key-file")) {
    return cwmp::InvalidArgument("give --key or --key-file, not both");
  }
  if (auto key = args.Get("key")) {
    if (key->empty()) return cwmp::InvalidArgument("--key: the passphrase is empty");
    keys.key = cwmp::Secret(*key);
  } else if (auto file = args.Get("key-file")) {
    auto secret = ReadSecretFile(*file);
    if (!secret.ok()) return secret.status().WithPrefix("--key-file");
    keys.key = std::move(secret).value();
  }
  std::optional<std::string> ikm_text = args.Get("ikm");
  if (auto file = args.Get("ikm-file")) {
    if (ikm_text) return cwmp::InvalidArgument("give --ikm or --ikm-file, not both");
    auto secret = ReadSecretFile(*file);
    if (!secret.ok()) return secret.status().WithPrefix("--ikm-file");
    ikm_text = secret->Reveal();
  }
  if (ikm_text) {
    auto raw = cwmp::content::Base64UrlDecode(*ikm_text);
    if (!raw.ok()) return cwmp::InvalidArgument("--ikm: not base64url: " + raw.status().message());
    if (raw->empty()) return cwmp::InvalidArgument("--ikm: the key material is empty");
    keys.ikm = cwmp::Secret(std::move(raw).value());
  }
  keys.aes128gcm = args.Has("aes128gcm") || (keys.ikm && !keys.key);
  if (keys.aes128gcm && !keys.ikm) return cwmp::InvalidArgument("--aes128gcm needs --ikm");
  if (auto size = args.Get("max-size")) {
    auto parsed = ParseSize(*size);
    if (!parsed.ok()) return parsed.status();
    keys.max_bytes = *parsed;
  }
  return keys;
}

cwmp::Result<cwmp::content::Decoded> ReadAndDecode(const std::string& path,
                                                   const KeyOptions& keys) {
  auto bytes = ReadFileCapped(path, keys.max_bytes);
  if (!bytes.ok()) return bytes.status();
  cwmp::content::DecodeOptions options;
  options.key = keys.key;
  options.ikm = keys.ikm;
  options.aes128gcm = keys.aes128gcm;
  options.max_input = keys.max_bytes;
  options.max_output = keys.max_bytes;
  auto decoded = cwmp::content::DecodeContent(*bytes, options);
  if (!decoded.ok()) return decoded.status().WithPrefix(path);
  return decoded;
}

Diagnostic DiagnosticFromParseError(const cwmp::Status& status) {
  Diagnostic d;
  const std::string& m = status.message();
  int line = 0, column = 0;
  size_t consumed = 0;
  if (std::sscanf(m.c_str(), "%d:%d: %zn", &line, &column, &consumed) == 2 && consumed > 0) {
    d.line = line;
    d.column = column;
    d.message = m.substr(consumed);
  } else {
    d.message = m;
  }
  return d;
}

void PrintDiagnostic(const std::string& file, const Diagnostic& d) {
  if (d.line > 0) {
    std::fprintf(stderr, "%s:%d:%d: %s%s\n", file.c_str(), d.line, d.column,
                 d.warning ? "warning: " : "", d.message.c_str());
  } else {
    std::fprintf(stderr, "%s: %s%s\n", file.c_str(), d.warning ? "warning: " : "",
                 d.message.c_str());
  }
}

bool CheckProfileText(const std::string& file, const std::string& text, bool allow_unknown,
                      size_t max_bytes, cwmp::prov::FlatProfile* parsed) {
  cwmp::prov::ParseLimits limits;
  limits.max_bytes = max_bytes;
  auto profile = cwmp::prov::ParseFlatProfile(text, limits);
  if (!profile.ok()) {
    PrintDiagnostic(file, DiagnosticFromParseError(profile.status()));
    return false;
  }
  bool ok = true;
  cwmp::prov::CheckOptions options;
  options.allow_unknown = allow_unknown;
  for (const Diagnostic& d :
       cwmp::prov::CheckProfile(*profile, cwmp::prov::Catalog::Builtin(), options)) {
    PrintDiagnostic(file, d);
    ok = ok && d.warning;
  }
  if (parsed != nullptr) *parsed = std::move(profile).value();
  return ok;
}

}  // namespace agent::cli
