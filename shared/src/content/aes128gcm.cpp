#include "cwmp/content/aes128gcm.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

#include "content/evp_util.h"

namespace cwmp::content {
namespace {

using internal::CipherCtx;
using internal::NewCipherCtx;
using internal::OpensslFailure;

constexpr size_t kSaltLen = 16;
constexpr size_t kHeaderFixed = kSaltLen + 4 + 1;  // salt, rs, idlen
constexpr size_t kTagLen = 16;
constexpr size_t kKeyLen = 16;
constexpr size_t kNonceLen = 12;
constexpr size_t kMaxChunk = size_t{1} << 30;  // EVP lengths are int
constexpr uint8_t kDelimiterMore = 0x01;
constexpr uint8_t kDelimiterLast = 0x02;

const uint8_t* U8(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }
uint8_t* U8(std::string& s) { return reinterpret_cast<uint8_t*>(s.data()); }

struct KdfDeleter {
  void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
};
struct KdfCtxDeleter {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

// HKDF-SHA-256 extract-and-expand (RFC 5869) to `length` octets.
Result<std::string> Hkdf(std::string_view ikm, std::string_view salt, std::string_view info,
                         size_t length) {
  std::unique_ptr<EVP_KDF, KdfDeleter> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) return Internal(OpensslFailure("EVP_KDF_fetch(HKDF)"));
  std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return Internal(OpensslFailure("EVP_KDF_CTX_new"));
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(ikm.data()),
                                        ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()),
                                        info.size()),
      OSSL_PARAM_construct_end(),
  };
  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), U8(out), out.size(), params) != 1) {
    return Internal(OpensslFailure("HKDF derive"));
  }
  return out;
}

void RecordNonce(const std::string& base, uint64_t seq, std::array<uint8_t, kNonceLen>& nonce) {
  for (size_t i = 0; i < kNonceLen; ++i) nonce[i] = static_cast<uint8_t>(base[i]);
  for (size_t i = 0; i < 8; ++i) {
    nonce[kNonceLen - 1 - i] ^= static_cast<uint8_t>(seq >> (8 * i));
  }
}

// EVP_CipherUpdate over any length (int-sized chunks).
bool Update(EVP_CIPHER_CTX* ctx, uint8_t* out, const uint8_t* in, size_t n) {
  for (size_t off = 0; off < n; off += kMaxChunk) {
    size_t chunk = std::min(kMaxChunk, n - off);
    int len = 0;
    if (EVP_CipherUpdate(ctx, out + off, &len, in + off, static_cast<int>(chunk)) != 1 ||
        static_cast<size_t>(len) != chunk) {
      return false;
    }
  }
  return true;
}

void PutU32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

}  // namespace

Result<Aes128gcmKeys> DeriveAes128gcmKeys(const Secret& ikm, std::string_view salt) {
  static constexpr char kCekInfo[] = "Content-Encoding: aes128gcm";  // + its terminating NUL
  static constexpr char kNonceInfo[] = "Content-Encoding: nonce";
  Result<std::string> cek =
      Hkdf(ikm.Reveal(), salt, std::string_view(kCekInfo, sizeof(kCekInfo)), kKeyLen);
  if (!cek.ok()) return cek.status();
  Result<std::string> nonce =
      Hkdf(ikm.Reveal(), salt, std::string_view(kNonceInfo, sizeof(kNonceInfo)), kNonceLen);
  if (!nonce.ok()) return nonce.status();
  return Aes128gcmKeys{std::move(cek).value(), std::move(nonce).value()};
}

Result<std::string> Aes128gcmEncrypt(std::string_view plain, const Secret& ikm,
                                     const Aes128gcmOptions& options, const RandomBytesFn& random) {
  const uint32_t rs = options.record_size;
  if (rs < kAes128gcmMinRecordSize) {
    return InvalidArgument("aes128gcm record size " + std::to_string(rs) +
                           " is below the minimum " + std::to_string(kAes128gcmMinRecordSize));
  }
  if (options.keyid.size() > 255) {
    return InvalidArgument("aes128gcm keyid is " + std::to_string(options.keyid.size()) +
                           " octets; at most 255 fit the header");
  }
  if (ikm.empty()) return InvalidArgument("aes128gcm needs a non-empty IKM");

  std::string salt(kSaltLen, '\0');
  const RandomBytesFn& rng = random ? random : RandomBytesFn(SystemRandomBytes);
  CWMP_RETURN_IF_ERROR(rng(U8(salt), salt.size()));
  Result<Aes128gcmKeys> keys = DeriveAes128gcmKeys(ikm, salt);
  if (!keys.ok()) return keys.status();

  const size_t cap = rs - kTagLen - 1;  // data + padding octets per record
  size_t data_left = plain.size();
  size_t pad_left = options.padding;
  const size_t total = data_left + pad_left;
  const size_t records = total == 0 ? 1 : (total + cap - 1) / cap;

  std::string out;
  out.reserve(kHeaderFixed + options.keyid.size() + total + records * (kTagLen + 1));
  out.append(salt);
  PutU32(out, rs);
  out += static_cast<char>(options.keyid.size());
  out.append(options.keyid);

  CipherCtx ctx = NewCipherCtx();
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, U8(keys->cek), nullptr) != 1) {
    return Internal(OpensslFailure("AES-128-GCM encrypt init"));
  }
  std::string record;
  std::array<uint8_t, kNonceLen> nonce{};
  size_t pos = 0;
  for (size_t i = 0; i < records; ++i) {
    const bool last = i + 1 == records;
    size_t take = std::min(cap, data_left + pad_left);
    size_t pad = std::min(pad_left, take);
    size_t data = take - pad;
    record.assign(plain.substr(pos, data));
    record += static_cast<char>(last ? kDelimiterLast : kDelimiterMore);
    record.append(pad, '\0');
    pos += data;
    data_left -= data;
    pad_left -= pad;

    RecordNonce(keys->nonce, i, nonce);
    if (EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, nullptr, nonce.data()) != 1) {
      return Internal(OpensslFailure("AES-128-GCM set nonce"));
    }
    size_t at = out.size();
    out.resize(at + record.size() + kTagLen);
    uint8_t* dst = reinterpret_cast<uint8_t*>(out.data()) + at;
    int len = 0;
    if (!Update(ctx.get(), dst, U8(record), record.size()) ||
        EVP_EncryptFinal_ex(ctx.get(), dst + record.size(), &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagLen),
                            dst + record.size()) != 1) {
      return Internal(OpensslFailure("AES-128-GCM encrypt"));
    }
  }
  return out;
}

Result<Aes128gcmDecrypted> Aes128gcmDecryptDetailed(std::string_view data, const Secret& ikm,
                                                    size_t max_output) {
  if (data.size() < kHeaderFixed) {
    return ParseError("aes128gcm header truncated: " + std::to_string(data.size()) +
                      " octets, need at least " + std::to_string(kHeaderFixed));
  }
  std::string_view salt = data.substr(0, kSaltLen);
  const uint32_t rs = (uint32_t{static_cast<uint8_t>(data[16])} << 24) |
                      (uint32_t{static_cast<uint8_t>(data[17])} << 16) |
                      (uint32_t{static_cast<uint8_t>(data[18])} << 8) |
                      uint32_t{static_cast<uint8_t>(data[19])};
  const size_t idlen = static_cast<uint8_t>(data[20]);
  if (rs < kAes128gcmMinRecordSize) {
    return ParseError("aes128gcm record size " + std::to_string(rs) + " is below the minimum " +
                      std::to_string(kAes128gcmMinRecordSize));
  }
  if (data.size() < kHeaderFixed + idlen) {
    return ParseError("aes128gcm header truncated: keyid of " + std::to_string(idlen) +
                      " octets does not fit");
  }
  if (ikm.empty()) return InvalidArgument("aes128gcm needs a non-empty IKM");
  Aes128gcmDecrypted result;
  result.record_size = rs;
  result.keyid.assign(data.substr(kHeaderFixed, idlen));
  std::string_view body = data.substr(kHeaderFixed + idlen);
  if (body.empty()) return ParseError("aes128gcm content truncated: no records after the header");

  Result<Aes128gcmKeys> keys = DeriveAes128gcmKeys(ikm, salt);
  if (!keys.ok()) return keys.status();
  CipherCtx ctx = NewCipherCtx();
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, U8(keys->cek), nullptr) != 1) {
    return Internal(OpensslFailure("AES-128-GCM decrypt init"));
  }

  std::string& out = result.plaintext;
  out.reserve(std::min(body.size(), max_output));
  std::array<uint8_t, kNonceLen> nonce{};
  size_t offset = 0;
  for (uint64_t seq = 0; offset < body.size(); ++seq) {
    const size_t len = std::min<size_t>(rs, body.size() - offset);
    const bool last = offset + len == body.size();
    const std::string where = "aes128gcm record " + std::to_string(seq);
    if (len < kTagLen + 1) {
      return ParseError(where + " is " + std::to_string(len) +
                        " octets, shorter than the 16-octet tag plus a delimiter");
    }
    std::string_view rec = body.substr(offset, len);
    const size_t ct_len = len - kTagLen;
    // Output never exceeds the ciphertext, so memory is bounded by the input size.
    RecordNonce(keys->nonce, seq, nonce);
    if (EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, nullptr, nonce.data()) != 1) {
      return Internal(OpensslFailure("AES-128-GCM set nonce"));
    }
    const size_t at = out.size();
    out.resize(at + ct_len);
    uint8_t* dst = reinterpret_cast<uint8_t*>(out.data()) + at;
    int flen = 0;
    std::array<uint8_t, kTagLen> tag{};
    std::copy_n(U8(rec) + ct_len, kTagLen, tag.begin());
    if (!Update(ctx.get(), dst, U8(rec), ct_len) ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagLen),
                            tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), dst + ct_len, &flen) != 1) {
      internal::OpensslFailure("");  // clear the error queue
      return DecryptError(where + " failed authentication (wrong IKM or corrupt data)");
    }
    // Strip zero padding, then the delimiter.
    size_t end = ct_len;
    while (end > 0 && dst[end - 1] == 0) --end;
    if (end == 0) return ParseError(where + " has no delimiter (all octets are zero)");
    const uint8_t delimiter = dst[end - 1];
    if (last && delimiter != kDelimiterLast) {
      if (delimiter == kDelimiterMore) {
        return ParseError("aes128gcm content truncated: " + where +
                          " is the last one received but its delimiter says more follow");
      }
      return ParseError(where + " has invalid delimiter " + std::to_string(delimiter));
    }
    if (!last && delimiter != kDelimiterMore) {
      if (delimiter == kDelimiterLast) {
        return ParseError(where + " is marked last (delimiter 2) but more data follows");
      }
      return ParseError(where + " has invalid delimiter " + std::to_string(delimiter));
    }
    out.resize(at + end - 1);
    if (out.size() > max_output) {
      return LimitExceeded("aes128gcm plaintext exceeds " + FormatSize(max_output) + " limit");
    }
    offset += len;
  }
  return result;
}

Result<std::string> Aes128gcmDecrypt(std::string_view data, const Secret& ikm, size_t max_output) {
  Result<Aes128gcmDecrypted> r = Aes128gcmDecryptDetailed(data, ikm, max_output);
  if (!r.ok()) return r.status();
  return std::move(r).value().plaintext;
}

}  // namespace cwmp::content
