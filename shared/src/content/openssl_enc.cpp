#include "cwmp/content/openssl_enc.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <vector>

#include "content/evp_util.h"
#include "cwmp/content/base64.h"

namespace cwmp::content {
namespace {

using internal::CipherCtx;
using internal::NewCipherCtx;
using internal::OpensslFailure;

constexpr std::string_view kMagic = "Salted__";
constexpr size_t kSaltLen = 8;
constexpr size_t kBlock = 16;
constexpr size_t kKeyLen = 32;
constexpr size_t kIvLen = 16;
constexpr size_t kMaxChunk = size_t{1} << 30;  // EVP lengths are int
constexpr int kBase64LineLength = 64;          // what `openssl enc -a` writes

const uint8_t* U8(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

// Runs EVP_CipherUpdate over input in int-sized chunks, then Final. Returns false when Final
// fails (on decryption: bad padding).
bool RunCipher(EVP_CIPHER_CTX* ctx, std::string_view in, std::string& out) {
  out.resize(in.size() + kBlock);
  size_t produced = 0;
  for (size_t off = 0; off < in.size(); off += kMaxChunk) {
    size_t n = std::min(kMaxChunk, in.size() - off);
    int len = 0;
    if (EVP_CipherUpdate(ctx, reinterpret_cast<uint8_t*>(out.data()) + produced, &len, U8(in) + off,
                         static_cast<int>(n)) != 1) {
      return false;
    }
    produced += static_cast<size_t>(len);
  }
  int len = 0;
  if (EVP_CipherFinal_ex(ctx, reinterpret_cast<uint8_t*>(out.data()) + produced, &len) != 1) {
    return false;
  }
  produced += static_cast<size_t>(len);
  out.resize(produced);
  return true;
}

// Cheap pre-check: decrypts only the last block and tests its PKCS#7 padding, so a wrong
// derivation is usually rejected without decrypting the whole file.
bool LastBlockPaddingOk(EVP_CIPHER_CTX* ctx, const KeyIv& k, std::string_view ct) {
  std::string_view prev =
      ct.size() == kBlock ? std::string_view(k.iv) : ct.substr(ct.size() - 2 * kBlock, kBlock);
  if (EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, U8(k.key), U8(prev)) != 1) return false;
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  std::array<uint8_t, kBlock> block{};
  int len = 0;
  if (EVP_DecryptUpdate(ctx, block.data(), &len, U8(ct) + ct.size() - kBlock,
                        static_cast<int>(kBlock)) != 1 ||
      len != static_cast<int>(kBlock)) {
    return false;
  }
  uint8_t pad = block[kBlock - 1];
  if (pad == 0 || pad > kBlock) return false;
  for (size_t i = kBlock - pad; i < kBlock; ++i) {
    if (block[i] != pad) return false;
  }
  return true;
}

struct Framing {
  std::string_view bytes;
  bool base64;
};

}  // namespace

const char* KdfName(Kdf kdf) {
  switch (kdf) {
    case Kdf::kMd5:
      return "md5";
    case Kdf::kSha256:
      return "sha256";
    case Kdf::kPbkdf2:
      return "pbkdf2";
  }
  return "unknown";
}

Result<Kdf> ParseKdf(std::string_view name) {
  if (name == "md5") return Kdf::kMd5;
  if (name == "sha256") return Kdf::kSha256;
  if (name == "pbkdf2") return Kdf::kPbkdf2;
  return InvalidArgument("key derivation \"" + std::string(name) +
                         "\" is not one of md5, sha256, pbkdf2");
}

Result<KeyIv> DeriveKeyIv(Kdf kdf, const Secret& pass, std::string_view salt,
                          int pbkdf2_iterations) {
  if (!salt.empty() && salt.size() != kSaltLen) {
    return InvalidArgument("openssl enc salt must be 8 bytes, got " + std::to_string(salt.size()));
  }
  const std::string& p = pass.Reveal();
  if (p.size() > INT_MAX) return InvalidArgument("password too long");
  std::array<uint8_t, kKeyLen + kIvLen> buf{};
  if (kdf == Kdf::kPbkdf2) {
    if (pbkdf2_iterations < 1) {
      return InvalidArgument("PBKDF2 iteration count " + std::to_string(pbkdf2_iterations) +
                             " must be at least 1");
    }
    // -nosalt with -pbkdf2 derives from an empty salt (checked against the openssl CLI).
    static const uint8_t kEmpty = 0;
    if (PKCS5_PBKDF2_HMAC(p.data(), static_cast<int>(p.size()), salt.empty() ? &kEmpty : U8(salt),
                          static_cast<int>(salt.size()), pbkdf2_iterations, EVP_sha256(),
                          static_cast<int>(buf.size()), buf.data()) != 1) {
      return Internal(OpensslFailure("PKCS5_PBKDF2_HMAC"));
    }
  } else {
    const EVP_MD* md = kdf == Kdf::kMd5 ? EVP_md5() : EVP_sha256();
    if (EVP_BytesToKey(EVP_aes_256_cbc(), md, salt.empty() ? nullptr : U8(salt), U8(p),
                       static_cast<int>(p.size()), 1, buf.data(), buf.data() + kKeyLen) == 0) {
      return Internal(OpensslFailure("EVP_BytesToKey"));
    }
  }
  KeyIv out;
  out.key.assign(reinterpret_cast<const char*>(buf.data()), kKeyLen);
  out.iv.assign(reinterpret_cast<const char*>(buf.data()) + kKeyLen, kIvLen);
  OPENSSL_cleanse(buf.data(), buf.size());
  return out;
}

Result<std::string> OpensslEncEncrypt(std::string_view plain, const Secret& pass,
                                      const EncOptions& options, const RandomBytesFn& random) {
  std::string salt;
  if (options.salt) {
    salt.resize(kSaltLen);
    const RandomBytesFn& rng = random ? random : RandomBytesFn(SystemRandomBytes);
    CWMP_RETURN_IF_ERROR(rng(reinterpret_cast<uint8_t*>(salt.data()), salt.size()));
  }
  Result<KeyIv> k = DeriveKeyIv(options.kdf, pass, salt, options.pbkdf2_iterations);
  if (!k.ok()) return k.status();
  CipherCtx ctx = NewCipherCtx();
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, U8(k->key), U8(k->iv)) != 1) {
    return Internal(OpensslFailure("AES-256-CBC encrypt init"));
  }
  std::string ct;
  if (!RunCipher(ctx.get(), plain, ct)) return Internal(OpensslFailure("AES-256-CBC encrypt"));
  std::string out;
  if (options.salt) {
    out.reserve(kMagic.size() + kSaltLen + ct.size());
    out.append(kMagic);
    out.append(salt);
    out.append(ct);
  } else {
    out = std::move(ct);
  }
  if (options.base64) return Base64Encode(out, kBase64LineLength);
  return out;
}

Result<EncDecrypted> OpensslEncDecrypt(std::string_view data, const Secret& pass,
                                       const PlaintextValidator& validate, int pbkdf2_iterations) {
  // Framings to try: base64 armour first when the bytes could be base64, then the raw bytes.
  std::string unarmoured;
  std::vector<Framing> framings;
  if (LooksLikeBase64(data)) {
    Result<std::string> decoded = Base64Decode(data);
    if (decoded.ok()) {
      unarmoured = std::move(decoded).value();
      framings.push_back({unarmoured, true});
    }
  }
  framings.push_back({data, false});

  CipherCtx ctx = NewCipherCtx();
  if (!ctx) return Internal(OpensslFailure("EVP_CIPHER_CTX_new"));
  bool any_well_formed = false;
  std::string plain;
  for (const Framing& f : framings) {
    std::string_view salt;
    std::string_view ct = f.bytes;
    bool salted = false;
    if (ct.starts_with(kMagic) && ct.size() >= kMagic.size() + kSaltLen) {
      salt = ct.substr(kMagic.size(), kSaltLen);
      ct.remove_prefix(kMagic.size() + kSaltLen);
      salted = true;
    }
    if (ct.empty() || ct.size() % kBlock != 0) continue;
    any_well_formed = true;
    for (Kdf kdf : {Kdf::kMd5, Kdf::kSha256, Kdf::kPbkdf2}) {
      Result<KeyIv> k = DeriveKeyIv(kdf, pass, salt, pbkdf2_iterations);
      if (!k.ok()) return k.status();
      if (!LastBlockPaddingOk(ctx.get(), *k, ct)) continue;
      if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, U8(k->key), U8(k->iv)) != 1) {
        return Internal(OpensslFailure("AES-256-CBC decrypt init"));
      }
      EVP_CIPHER_CTX_set_padding(ctx.get(), 1);
      if (!RunCipher(ctx.get(), ct, plain)) continue;
      if (validate && !validate(plain)) continue;
      EncDecrypted out;
      out.plaintext = std::move(plain);
      out.kdf = kdf;
      out.base64 = f.base64;
      out.salted = salted;
      return out;
    }
  }
  if (!any_well_formed) {
    return ParseError("not an openssl enc AES-256-CBC file: " + std::to_string(data.size()) +
                      " bytes is not a whole number of 16-byte blocks after any header");
  }
  return DecryptError(
      "wrong key or corrupt file: no key derivation (md5, sha256, pbkdf2) produced a valid "
      "profile");
}

}  // namespace cwmp::content
