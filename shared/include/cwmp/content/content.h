#pragma once
// The one content pipeline that everything uses (profile decode/encode CLI, resync engine,
// Download RPC). Compression precedes encryption: encode = gzip, then encrypt; decode = decrypt,
// then gunzip. See docs/content-codecs.md for formats, detection order and limits.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"
#include "cwmp/content/aes128gcm.h"
#include "cwmp/content/gzip.h"
#include "cwmp/content/openssl_enc.h"
#include "cwmp/content/random.h"

namespace cwmp::content {

inline constexpr size_t kDefaultMaxInput = size_t{16} << 20;

struct DecodeOptions {
  std::optional<Secret> key;              // --key: the file is `openssl enc -aes-256-cbc -k key`
  std::optional<Secret> ikm;              // IKM_HTTP_Encrypt_Content (raw bytes, not base64url)
  bool aes128gcm = false;                 // the HTTP response said Content-Encoding: aes128gcm
  size_t max_input = kDefaultMaxInput;    // bytes accepted before any processing
  size_t max_output = kDefaultMaxOutput;  // bound on the decoded plaintext
  int pbkdf2_iterations = kDefaultPbkdf2Iterations;
};

struct Decoded {
  std::string plaintext;
  // Layers removed, outermost first, e.g. {"base64", "aes-256-cbc/sha256", "gzip"}.
  std::vector<std::string> layers;
};

// Order (as the guide specifies): if aes128gcm, decrypt RFC 8188 with ikm (required);
// else if key, decrypt `openssl enc` (base64 / Salted__ / -nosalt detected, KDFs tried in turn,
// plaintext must look like gzip or a profile); else an `openssl enc` file (Salted__ or its
// base64 "U2FsdGVkX1") is an error naming the missing key. Then, if the result starts with the
// gzip magic, gunzip it. Anything else passes through unchanged.
Result<Decoded> DecodeContent(std::string_view bytes, const DecodeOptions& options);

struct EncodeOptions {
  bool gzip = false;
  std::optional<Secret> key;  // AES-256-CBC, openssl enc format
  Kdf kdf = Kdf::kSha256;
  int pbkdf2_iterations = kDefaultPbkdf2Iterations;
  bool salt = true;
  bool base64 = false;        // -a armour (only with key)
  std::optional<Secret> ikm;  // RFC 8188 aes128gcm (exclusive with key)
  uint32_t record_size = kAes128gcmDefaultRecordSize;
  std::string keyid;
  RandomBytesFn random;  // empty = SystemRandomBytes
};

// gzip (if asked), then encrypt with key or ikm (at most one). InvalidArgument on conflicts
// (both key and ikm, base64 without key).
Result<std::string> EncodeContent(std::string_view plaintext, const EncodeOptions& options);

}  // namespace cwmp::content
