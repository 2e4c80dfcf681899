#pragma once
// RFC 8188 "aes128gcm" encrypted content coding (HTTP Content-Encoding: aes128gcm), keyed by the
// phone's IKM_HTTP_Encrypt_Content. Header: salt(16) rs(4, big-endian) idlen(1) keyid(idlen),
// then records of exactly rs octets (the last may be shorter), each AES-128-GCM with a 16-octet
// tag over data || delimiter (0x01, or 0x02 in the last record) || zero padding.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"
#include "cwmp/content/gzip.h"
#include "cwmp/content/random.h"

namespace cwmp::content {

inline constexpr uint32_t kAes128gcmMinRecordSize = 18;  // 16-octet tag + delimiter + 1
inline constexpr uint32_t kAes128gcmDefaultRecordSize = 4096;

struct Aes128gcmOptions {
  uint32_t record_size = kAes128gcmDefaultRecordSize;  // rs, >= 18
  std::string keyid;                                   // at most 255 octets
  size_t padding = 0;  // total zero octets of padding, placed in the earliest records
};

// Encrypts plain; the 16-octet salt comes from random. InvalidArgument for rs < 18, a keyid
// longer than 255 octets, or an empty IKM.
Result<std::string> Aes128gcmEncrypt(std::string_view plain, const Secret& ikm,
                                     const Aes128gcmOptions& options = {},
                                     const RandomBytesFn& random = SystemRandomBytes);

struct Aes128gcmDecrypted {
  std::string plaintext;
  std::string keyid;
  uint32_t record_size = 0;
};

// Decrypts and strictly checks the framing: rs >= 18; every record but the last is exactly rs
// octets and ends (before padding) in delimiter 0x01; the last ends in 0x02; padding is zeros;
// no data after the last record; no record without a delimiter. Errors are kParseError for
// framing, kDecryptError for authentication failure ("wrong IKM or corrupt data"),
// kLimitExceeded when plaintext would exceed max_output.
Result<Aes128gcmDecrypted> Aes128gcmDecryptDetailed(std::string_view data, const Secret& ikm,
                                                    size_t max_output = kDefaultMaxOutput);
Result<std::string> Aes128gcmDecrypt(std::string_view data, const Secret& ikm,
                                     size_t max_output = kDefaultMaxOutput);

// The content-encryption key and base nonce of RFC 8188 §2.2/§2.3; for known-answer tests.
struct Aes128gcmKeys {
  std::string cek;    // 16 octets
  std::string nonce;  // 12 octets
};
Result<Aes128gcmKeys> DeriveAes128gcmKeys(const Secret& ikm, std::string_view salt);

}  // namespace cwmp::content
