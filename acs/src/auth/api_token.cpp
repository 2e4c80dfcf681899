#include "acs/api_token.h"

#include <openssl/rand.h>

#include "util/sha256.h"

namespace acs {

cwmp::Result<cwmp::Secret> GenerateApiToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return cwmp::Internal("no random bytes from the OpenSSL CSPRNG");
  }
  static const char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "acs_";
  // 32 bytes = 256 bits → 43 base64url characters (unpadded).
  unsigned int acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kB64Url[(acc >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += kB64Url[(acc << (6 - bits)) & 0x3f];
  OPENSSL_cleanse(bytes, sizeof(bytes));
  return cwmp::Secret(std::move(out));
}

std::string ApiTokenSha256Hex(const cwmp::Secret& token) { return Sha256Hex(token.Reveal()); }

}  // namespace acs
