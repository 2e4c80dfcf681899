// The one-algorithm digest functions are deprecated in OpenSSL 3 in favour of EVP, but remain
// part of its API; they are used here on purpose (see cwmp/content/hash.h).
#define OPENSSL_SUPPRESS_DEPRECATED

#include "cwmp/content/hash.h"

#include <openssl/md5.h>
#include <openssl/sha.h>

#include <algorithm>

namespace cwmp::content {
namespace {

template <typename Ctx, size_t N>
std::string Digest(std::string_view data, int (*init)(Ctx*),
                   int (*update)(Ctx*, const void*, size_t),
                   int (*final)(unsigned char*, Ctx*)) {
  Ctx ctx;
  unsigned char out[N];
  init(&ctx);
  update(&ctx, data.data(), data.size());
  final(out, &ctx);
  return std::string(reinterpret_cast<const char*>(out), N);
}

}  // namespace

std::string Md5(std::string_view data) {
  return Digest<MD5_CTX, MD5_DIGEST_LENGTH>(data, MD5_Init, MD5_Update, MD5_Final);
}

std::string Sha1(std::string_view data) {
  return Digest<SHA_CTX, SHA_DIGEST_LENGTH>(data, SHA1_Init, SHA1_Update, SHA1_Final);
}

std::string Sha256(std::string_view data) {
  return Digest<SHA256_CTX, SHA256_DIGEST_LENGTH>(data, SHA256_Init, SHA256_Update,
                                                  SHA256_Final);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  constexpr size_t kBlock = 64;  // SHA-1's block size
  std::string k = key.size() > kBlock ? Sha1(key) : std::string(key);
  k.resize(kBlock, '\0');
  std::string inner(kBlock, '\0'), outer(kBlock, '\0');
  for (size_t i = 0; i < kBlock; ++i) {
    inner[i] = static_cast<char>(k[i] ^ 0x36);
    outer[i] = static_cast<char>(k[i] ^ 0x5c);
  }
  std::string mac = Sha1(outer + Sha1(inner.append(data)));
  // The padded key copies held key material.
  std::fill(k.begin(), k.end(), '\0');
  std::fill(inner.begin(), inner.end(), '\0');
  std::fill(outer.begin(), outer.end(), '\0');
  return mac;
}

std::string HexLower(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace cwmp::content
