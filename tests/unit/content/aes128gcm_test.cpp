#include "cwmp/content/aes128gcm.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace cwmp::content {
namespace {

using testing::B64u;
using testing::FlatProfile;
using testing::ToHex;

// RFC 8188 §3.1 and §3.2, hard-coded so they always run (reference_vectors_test.cpp also reads
// them from ../shared/reference when that folder is present).
constexpr char kPlain[] = "I am the walrus";
constexpr char k31Ikm[] = "yqdlZ-tYemfogSmv7Ws5PQ";
constexpr char k31Salt[] = "I1BsxtFttlv3u_Oo94xnmw";
constexpr char k31Body[] =
    "I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg";
constexpr char k32Ikm[] = "BO3ZVPxUlnLORbVGMpbT1Q";
constexpr char k32Salt[] = "uNCkWiNYzKTnBN9ji3-qWA";
constexpr char k32Body[] =
    "uNCkWiNYzKTnBN9ji3-qWAAAABkCYTHOG8chz_gnvgOqdGYovxyjuqRyJFjEDyoF1Fvkj6hQPdPHI51OEUKEpgz3SsLWIq"
    "S_uA";

TEST(Aes128gcm, Rfc8188Section31Decrypt) {
  std::string body = B64u(k31Body);
  EXPECT_EQ(body.size(), 53u);  // the RFC text says 54; the body it prints is 53 octets
  Result<Aes128gcmDecrypted> d = Aes128gcmDecryptDetailed(body, Secret(B64u(k31Ikm)));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->plaintext, kPlain);
  EXPECT_EQ(d->record_size, 4096u);
  EXPECT_EQ(d->keyid, "");
}

TEST(Aes128gcm, Rfc8188Section31KeysAndEncrypt) {
  Result<Aes128gcmKeys> k = DeriveAes128gcmKeys(Secret(B64u(k31Ikm)), B64u(k31Salt));
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(ToHex(k->cek), ToHex(B64u("_wniytB-ofscZDh4tbSjHw")));
  EXPECT_EQ(ToHex(k->nonce), ToHex(B64u("Bcs8gkIRKLI8GeI8")));
  Result<std::string> e =
      Aes128gcmEncrypt(kPlain, Secret(B64u(k31Ikm)), {}, FixedBytesForTest(B64u(k31Salt)));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Base64UrlEncode(*e), k31Body);
}

TEST(Aes128gcm, Rfc8188Section32MultipleRecords) {
  std::string body = B64u(k32Body);
  EXPECT_EQ(body.size(), 73u);
  Result<Aes128gcmDecrypted> d = Aes128gcmDecryptDetailed(body, Secret(B64u(k32Ikm)));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->plaintext, kPlain);
  EXPECT_EQ(d->record_size, 25u);
  EXPECT_EQ(d->keyid, "a1");
  Result<Aes128gcmKeys> k = DeriveAes128gcmKeys(Secret(B64u(k32Ikm)), B64u(k32Salt));
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(ToHex(k->cek), ToHex(B64u("u_eEOTjjVWUVrH82pQNwpw")));
  EXPECT_EQ(ToHex(k->nonce), ToHex(B64u("VqylG1rdt-mJrNgP")));
  Aes128gcmOptions o;
  o.record_size = 25;
  o.keyid = "a1";
  o.padding = 1;
  Result<std::string> e =
      Aes128gcmEncrypt(kPlain, Secret(B64u(k32Ikm)), o, FixedBytesForTest(B64u(k32Salt)));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Base64UrlEncode(*e), k32Body);
}

TEST(Aes128gcm, RoundTripTable) {
  const Secret ikm("0123456789abcdef");
  const std::string big = FlatProfile(20000);
  for (uint32_t rs : {18u, 19u, 25u, 4096u, 100000u}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{100}, big.size()}) {
      for (size_t pad : {size_t{0}, size_t{3}, size_t{40}}) {
        Aes128gcmOptions o;
        o.record_size = rs;
        o.padding = pad;
        o.keyid = "k";
        std::string plain = big.substr(0, n);
        Result<std::string> e = Aes128gcmEncrypt(plain, ikm, o);
        ASSERT_TRUE(e.ok()) << e.status().ToString();
        Result<Aes128gcmDecrypted> d = Aes128gcmDecryptDetailed(*e, ikm);
        ASSERT_TRUE(d.ok()) << "rs " << rs << " n " << n << " pad " << pad << ": "
                            << d.status().ToString();
        EXPECT_EQ(d->plaintext, plain);
        EXPECT_EQ(d->keyid, "k");
        EXPECT_EQ(d->record_size, rs);
      }
    }
  }
}

// Builds a body with arbitrary record plaintexts (delimiters included by the caller), so the
// decoder's framing checks can be exercised with correctly authenticated records.
std::string RawBody(const Secret& ikm, uint32_t rs, const std::vector<std::string>& records) {
  const std::string salt(16, 's');
  Aes128gcmKeys k = DeriveAes128gcmKeys(ikm, salt).value();
  std::string out = salt;
  for (int i = 3; i >= 0; --i) out += static_cast<char>(rs >> (8 * i));
  out += '\0';
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  for (size_t seq = 0; seq < records.size(); ++seq) {
    std::string nonce = k.nonce;
    for (size_t i = 0; i < 8; ++i) nonce[11 - i] ^= static_cast<char>(seq >> (8 * i));
    EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr,
                       reinterpret_cast<const uint8_t*>(k.cek.data()),
                       reinterpret_cast<const uint8_t*>(nonce.data()));
    std::string ct(records[seq].size() + 16, '\0');
    int len = 0;
    EVP_EncryptUpdate(ctx, reinterpret_cast<uint8_t*>(ct.data()), &len,
                      reinterpret_cast<const uint8_t*>(records[seq].data()),
                      static_cast<int>(records[seq].size()));
    EVP_EncryptFinal_ex(ctx, reinterpret_cast<uint8_t*>(ct.data()) + len, &len);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16,
                        reinterpret_cast<uint8_t*>(ct.data()) + records[seq].size());
    out += ct;
  }
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

struct FramingCase {
  const char* name;
  uint32_t rs;
  std::vector<std::string> records;
  StatusCode code;
  const char* message_part;
};

TEST(Aes128gcm, StrictFramingTable) {
  const Secret ikm("framing-test-ikm");
  using namespace std::string_literals;
  const FramingCase cases[] = {
      {"valid two records", 20, {"abc\x01"s, "de\x02"s}, StatusCode::kOk, ""},
      {"valid padded last", 30, {"abc\x02\0\0\0"s}, StatusCode::kOk, ""},
      {"all-zero record", 30, {"\0\0\0"s}, StatusCode::kParseError, "no delimiter"},
      {"empty record", 30, {""s}, StatusCode::kParseError, "shorter than"},
      {"last has delimiter 1", 30, {"abc\x01"s}, StatusCode::kParseError, "truncated"},
      {"delimiter 3", 30, {"abc\x03"s}, StatusCode::kParseError, "invalid delimiter 3"},
      {"non-last with delimiter 2",
       20,
       {"abc\x02"s, "de\x02"s},
       StatusCode::kParseError,
       "marked last"},
      {"non-last with delimiter 3",
       20,
       {"abc\x03"s, "de\x02"s},
       StatusCode::kParseError,
       "invalid delimiter 3"},
      {"nonzero padding byte",
       30,
       {"ab\x02\0\x05\0"s},
       StatusCode::kParseError,
       "invalid delimiter 5"},
  };
  for (const FramingCase& c : cases) {
    std::string body = RawBody(ikm, c.rs, c.records);
    Result<std::string> d = Aes128gcmDecrypt(body, ikm);
    EXPECT_EQ(d.status().code(), c.code) << c.name << ": " << d.status().ToString();
    EXPECT_NE(d.status().message().find(c.message_part), std::string::npos)
        << c.name << ": " << d.status().message();
  }
}

TEST(Aes128gcm, HeaderAndTruncationErrors) {
  const Secret ikm(B64u(k32Ikm));
  const std::string body = B64u(k32Body);
  // Every proper prefix fails, never yielding a partial plaintext.
  for (size_t cut = 0; cut < body.size(); ++cut) {
    EXPECT_FALSE(Aes128gcmDecrypt(body.substr(0, cut), ikm).ok()) << "cut " << cut;
  }
  // Dropping the last record entirely: the remaining last record says "more follow".
  Result<std::string> r = Aes128gcmDecrypt(body.substr(0, 21 + 2 + 25), ikm);
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
  std::string small_rs = body;
  small_rs[19] = 17;
  r = Aes128gcmDecrypt(small_rs, ikm);
  EXPECT_EQ(r.status().message(), "aes128gcm record size 17 is below the minimum 18");
  r = Aes128gcmDecrypt(body.substr(0, 10), ikm);
  EXPECT_EQ(r.status().message(), "aes128gcm header truncated: 10 octets, need at least 21");
  r = Aes128gcmDecrypt(body.substr(0, 23), ikm);
  EXPECT_EQ(r.status().message(), "aes128gcm content truncated: no records after the header");
  // Trailing bytes after the final record form a record too short to hold a tag.
  r = Aes128gcmDecrypt(body + "0123456789", ikm);
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
}

TEST(Aes128gcm, WrongIkmAndTamperingAreDecryptErrors) {
  const std::string body = B64u(k31Body);
  Result<std::string> r = Aes128gcmDecrypt(body, Secret("wrong ikm value!"));
  EXPECT_EQ(r.status().code(), StatusCode::kDecryptError);
  EXPECT_EQ(r.status().message(),
            "aes128gcm record 0 failed authentication (wrong IKM or corrupt data)");
  for (size_t i = 21; i < body.size(); ++i) {
    std::string t = body;
    t[i] ^= 0x40;
    EXPECT_EQ(Aes128gcmDecrypt(t, Secret(B64u(k31Ikm))).status().code(), StatusCode::kDecryptError)
        << "flipped octet " << i;
  }
}

TEST(Aes128gcm, OutputLimitAndOptionChecks) {
  const Secret ikm("limit-test-ikm!!");
  std::string e = Aes128gcmEncrypt(std::string(10000, 'x'), ikm).value();
  EXPECT_TRUE(Aes128gcmDecrypt(e, ikm, 10000).ok());
  Result<std::string> r = Aes128gcmDecrypt(e, ikm, 9999);
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(r.status().message(), "aes128gcm plaintext exceeds 9999 bytes limit");
  Aes128gcmOptions o;
  o.record_size = 17;
  EXPECT_EQ(Aes128gcmEncrypt("x", ikm, o).status().code(), StatusCode::kInvalidArgument);
  o.record_size = 4096;
  o.keyid = std::string(256, 'k');
  EXPECT_EQ(Aes128gcmEncrypt("x", ikm, o).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Aes128gcmEncrypt("x", Secret("")).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cwmp::content
