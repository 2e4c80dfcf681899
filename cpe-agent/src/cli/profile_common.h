#pragma once
// Pieces the profile subcommands share: the key options, reading and decoding an input file,
// and checking a parsed profile against the catalog.

#include <optional>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"
#include "cwmp/content/content.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/profile_check.h"

namespace agent::cli {

// Default bound on any input file; --max-size overrides it.
inline constexpr size_t kDefaultMaxInputBytes = size_t{16} << 20;

// --key, --key-file, --ikm, --ikm-file, --aes128gcm, --max-size.
std::vector<OptionSpec> KeyOptionSpecs();
extern const char* const kKeyOptionsHelp;

struct KeyOptions {
  std::optional<cwmp::Secret> key;  // AES-256-CBC passphrase (`openssl enc -k`)
  std::optional<cwmp::Secret> ikm;  // RFC 8188 input keying material, raw bytes
  bool aes128gcm = false;           // treat the input as aes128gcm
  size_t max_bytes = kDefaultMaxInputBytes;
};

// Reads --key/--key-file (file contents, one trailing newline dropped), --ikm/--ikm-file
// (base64url), --aes128gcm and --max-size (bytes, or with a K/M/G suffix).
cwmp::Result<KeyOptions> ReadKeyOptions(const ParsedArgs& args);

// Reads FILE (capped) and removes base64 / encryption / gzip layers.
cwmp::Result<cwmp::content::Decoded> ReadAndDecode(const std::string& path, const KeyOptions& keys);

using Diagnostic = cwmp::prov::CheckDiagnostic;

// Splits a parser Status message "LINE:COL: text" into a Diagnostic.
Diagnostic DiagnosticFromParseError(const cwmp::Status& status);

// Prints "FILE:LINE:COL: [warning: ]message" to stderr.
void PrintDiagnostic(const std::string& file, const Diagnostic& d);

// Parses decoded text and checks it; prints diagnostics; true when there was no error.
bool CheckProfileText(const std::string& file, const std::string& text, bool allow_unknown,
                      size_t max_bytes, cwmp::prov::FlatProfile* parsed);

}  // namespace agent::cli
