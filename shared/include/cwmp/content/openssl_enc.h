#pragma once
// AES-256-CBC in the file format of `openssl enc -aes-256-cbc -k PASS` (what the guide's --key
// option expects): optional base64 armour (-a), optional "Salted__" + 8-byte salt header
// (absent with -nosalt), PKCS#7 padding, and one of three password-to-key derivations.

#include <string>
#include <string_view>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"
#include "cwmp/content/random.h"
#include "cwmp/content/validator.h"

namespace cwmp::content {

enum class Kdf {
  kMd5,     // EVP_BytesToKey, MD5, 1 iteration: OpenSSL <= 1.0.2 default (0.9.7c-era firmware)
  kSha256,  // EVP_BytesToKey, SHA-256, 1 iteration: OpenSSL >= 1.1.0 default
  kPbkdf2,  // PBKDF2-HMAC-SHA256 (-pbkdf2 / -iter N), key||IV = 48 bytes
};

// "md5", "sha256", "pbkdf2".
const char* KdfName(Kdf kdf);
// Inverse of KdfName; InvalidArgument for anything else.
Result<Kdf> ParseKdf(std::string_view name);

inline constexpr int kDefaultPbkdf2Iterations = 10000;  // openssl enc's default for -pbkdf2

struct EncOptions {
  Kdf kdf = Kdf::kSha256;
  int pbkdf2_iterations = kDefaultPbkdf2Iterations;
  bool salt = true;     // false = -nosalt
  bool base64 = false;  // true = -a (64-character lines)
};

// Encrypts like `openssl enc -e -aes-256-cbc -k pass [-md md5|sha256 | -pbkdf2 -iter N] [-a]
// [-nosalt]`. The salt comes from random (tests inject a fixed one).
Result<std::string> OpensslEncEncrypt(std::string_view plain, const Secret& pass,
                                      const EncOptions& options,
                                      const RandomBytesFn& random = SystemRandomBytes);

struct EncDecrypted {
  std::string plaintext;
  Kdf kdf = Kdf::kSha256;
  bool base64 = false;
  bool salted = true;
};

// Decrypts any file OpensslEncEncrypt or the openssl CLI writes. The KDF is not recorded in the
// file, so candidates are tried in order — MD5, SHA-256, PBKDF2(pbkdf2_iterations) — for each
// framing (base64 first when the data looks like base64, then raw; Salted__ header or -nosalt);
// the first whose padding is correct AND whose plaintext passes validate wins.
// Errors: kDecryptError "wrong key or corrupt file: no key derivation (md5, sha256, pbkdf2)
// produced a valid profile"; kParseError when the data cannot be AES-CBC ciphertext at all.
Result<EncDecrypted> OpensslEncDecrypt(std::string_view data, const Secret& pass,
                                       const PlaintextValidator& validate = LooksLikeProfile,
                                       int pbkdf2_iterations = kDefaultPbkdf2Iterations);

// Key and IV exactly as `openssl enc -P` prints them (32 + 16 bytes); salt may be empty
// (-nosalt). Exposed for known-answer tests.
struct KeyIv {
  std::string key;  // 32 bytes
  std::string iv;   // 16 bytes
};
Result<KeyIv> DeriveKeyIv(Kdf kdf, const Secret& pass, std::string_view salt,
                          int pbkdf2_iterations = kDefaultPbkdf2Iterations);

}  // namespace cwmp::content
