#include "cwmp/content/openssl_enc.h"

#include <gtest/gtest.h>

#include <string>

#include "cwmp/content/base64.h"
#include "cwmp/content/gzip.h"
#include "test_util.h"

namespace cwmp::content {
namespace {

using testing::FlatProfile;
using testing::Hex;
using testing::ToHex;

// Known-answer vectors from ../shared/reference/openssl-enc.md (checked there against the
// OpenSSL 3.0 CLI); hard-coded so they always run.
struct Kat {
  Kdf kdf;
  const char* key;
  const char* iv;
  const char* file;
};
const Kat kKats[] = {
    {Kdf::kMd5, "C0DA3D188DDD409A872EABD0F00D9DDD010AA360CF2E4E6DB57786957CDD106D",
     "51BE155368F679F7276805F683901AD5",
     "53616c7465645f5f0102030405060708d0510df99e1dd53df130e7d169864311b9b62b341ad61effcd1a39e0"
     "3e768c34"},
    {Kdf::kSha256, "D35B34E72D4F0550C70F0FB27CA17DACD87092A1B176274DFBE7297B7BF9C474",
     "426D0E821722B1440FEE228DB49D8828",
     "53616c7465645f5f010203040506070823e687ac393bbaa8ce0a0f1a476c259bac7a0697a29f83385ce5d786"
     "c90cc153"},
    {Kdf::kPbkdf2, "17ADFD49DB0EB468DDAC81E22970E8272DC1E387E9300D804354C200C1E5410D",
     "5757EBE9F7A5DE3B6A5B36D45EB7EAC5",
     "53616c7465645f5f010203040506070839e3ef15a1fdcb6341d8e5d7f21726e062fed3520915c5c2f97ec5e6"
     "9a14486b"},
};
constexpr char kKatPlain[] = "hello tr069 config\n";
const Secret kPass("PASS");

bool IsKatPlain(std::string_view p) { return p == kKatPlain; }

TEST(OpensslEnc, KnownAnswerKeyAndIv) {
  for (const Kat& k : kKats) {
    Result<KeyIv> d = DeriveKeyIv(k.kdf, kPass, Hex("0102030405060708"));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(ToHex(d->key), ToHex(Hex(k.key))) << KdfName(k.kdf);
    EXPECT_EQ(ToHex(d->iv), ToHex(Hex(k.iv))) << KdfName(k.kdf);
  }
}

TEST(OpensslEnc, KnownAnswerEncrypt) {
  for (const Kat& k : kKats) {
    EncOptions o;
    o.kdf = k.kdf;
    Result<std::string> f =
        OpensslEncEncrypt(kKatPlain, kPass, o, FixedBytesForTest(Hex("0102030405060708")));
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    EXPECT_EQ(ToHex(*f), k.file) << KdfName(k.kdf);
  }
}

TEST(OpensslEnc, KnownAnswerDecryptFindsTheDerivation) {
  for (const Kat& k : kKats) {
    Result<EncDecrypted> d = OpensslEncDecrypt(Hex(k.file), kPass, IsKatPlain);
    ASSERT_TRUE(d.ok()) << KdfName(k.kdf) << ": " << d.status().ToString();
    EXPECT_EQ(d->plaintext, kKatPlain);
    EXPECT_EQ(d->kdf, k.kdf);
    EXPECT_TRUE(d->salted);
    EXPECT_FALSE(d->base64);
    // The same file in base64 armour, as `openssl enc -a` writes it.
    Result<EncDecrypted> a = OpensslEncDecrypt(Base64Encode(Hex(k.file), 64), kPass, IsKatPlain);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->kdf, k.kdf);
    EXPECT_TRUE(a->base64);
  }
}

TEST(OpensslEnc, RoundTripTable) {
  const std::string profile = FlatProfile(3000);
  const std::string gz = Gzip(profile).value();
  const std::string sizes_base = "<flat-profile>";
  for (Kdf kdf : {Kdf::kMd5, Kdf::kSha256, Kdf::kPbkdf2}) {
    for (bool salt : {true, false}) {
      for (bool b64 : {false, true}) {
        for (const std::string* plain : {&profile, &gz, &sizes_base}) {
          EncOptions o{kdf, kDefaultPbkdf2Iterations, salt, b64};
          Result<std::string> f = OpensslEncEncrypt(*plain, Secret("MyOwnSecret"), o);
          ASSERT_TRUE(f.ok()) << f.status().ToString();
          EXPECT_EQ(f->starts_with(b64 ? "U2FsdGVkX1" : "Salted__"), salt);
          Result<EncDecrypted> d = OpensslEncDecrypt(*f, Secret("MyOwnSecret"));
          ASSERT_TRUE(d.ok()) << KdfName(kdf) << " salt=" << salt << " b64=" << b64 << ": "
                              << d.status().ToString();
          EXPECT_EQ(d->plaintext, *plain);
          EXPECT_EQ(d->kdf, kdf);
          EXPECT_EQ(d->salted, salt);
          EXPECT_EQ(d->base64, b64);
        }
      }
    }
  }
}

TEST(OpensslEnc, BlockBoundarySizes) {
  for (size_t n : {0, 1, 15, 16, 17, 31, 32, 33, 1000}) {
    std::string plain(n, 'p');
    EncOptions o;
    Result<std::string> f = OpensslEncEncrypt(plain, kPass, o);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->size(), 16 + (n / 16 + 1) * 16);
    Result<EncDecrypted> d =
        OpensslEncDecrypt(*f, kPass, [&](std::string_view p) { return p == plain; });
    ASSERT_TRUE(d.ok()) << n;
    EXPECT_EQ(d->plaintext, plain);
  }
}

TEST(OpensslEnc, Base64LinesAre64Characters) {
  EncOptions o;
  o.base64 = true;
  std::string f = OpensslEncEncrypt(FlatProfile(1000), kPass, o).value();
  size_t start = 0;
  while (start < f.size()) {
    size_t nl = f.find('\n', start);
    ASSERT_NE(nl, std::string::npos);
    if (nl + 1 < f.size()) {
      EXPECT_EQ(nl - start, 64u);
    }
    start = nl + 1;
  }
}

TEST(OpensslEnc, WrongKeyIsAClearError) {
  std::string f = OpensslEncEncrypt(FlatProfile(2000), kPass, EncOptions{}).value();
  Result<EncDecrypted> d = OpensslEncDecrypt(f, Secret("PASS2"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kDecryptError);
  EXPECT_EQ(d.status().message(),
            "wrong key or corrupt file: no key derivation (md5, sha256, pbkdf2) produced a valid "
            "profile");
}

TEST(OpensslEnc, CorruptFramingIsAParseError) {
  std::string f = OpensslEncEncrypt(FlatProfile(2000), kPass, EncOptions{}).value();
  Result<EncDecrypted> d = OpensslEncDecrypt(std::string_view(f).substr(0, f.size() - 1), kPass);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kParseError);
  d = OpensslEncDecrypt("Salted__12345678", kPass);
  EXPECT_EQ(d.status().code(), StatusCode::kParseError);
  // A whole block missing at the end leaves a well-formed but undecryptable file.
  d = OpensslEncDecrypt(std::string_view(f).substr(0, f.size() - 16), kPass);
  EXPECT_EQ(d.status().code(), StatusCode::kDecryptError);
}

TEST(OpensslEnc, PlaintextThatIsNotAProfileIsRejected) {
  std::string f = OpensslEncEncrypt("just some text", kPass, EncOptions{}).value();
  EXPECT_EQ(OpensslEncDecrypt(f, kPass).status().code(), StatusCode::kDecryptError);
  EXPECT_TRUE(OpensslEncDecrypt(f, kPass, nullptr).ok());  // padding-only when asked for
}

// The reason for the validator: a wrong derivation sometimes leaves valid PKCS#7 padding.
// Search salts for a SHA-256 file that the MD5 key also "decrypts", then check that the
// validator (not the padding) picks the right one.
TEST(OpensslEnc, PaddingAloneWouldAcceptTheWrongDerivation) {
  const std::string profile = FlatProfile(500);
  bool found = false;
  for (uint32_t s = 0; s < 20000 && !found; ++s) {
    std::string salt(8, '\0');
    for (int i = 0; i < 4; ++i) salt[i] = static_cast<char>(s >> (8 * i));
    EncOptions o;
    o.kdf = Kdf::kSha256;
    std::string f = OpensslEncEncrypt(profile, kPass, o, FixedBytesForTest(salt)).value();
    Result<EncDecrypted> padding_only = OpensslEncDecrypt(f, kPass, nullptr);
    ASSERT_TRUE(padding_only.ok());
    if (padding_only->kdf != Kdf::kMd5) continue;
    found = true;
    EXPECT_NE(padding_only->plaintext, profile);
    Result<EncDecrypted> validated = OpensslEncDecrypt(f, kPass);
    ASSERT_TRUE(validated.ok()) << validated.status().ToString();
    EXPECT_EQ(validated->kdf, Kdf::kSha256);
    EXPECT_EQ(validated->plaintext, profile);
  }
  EXPECT_TRUE(found) << "no salt in 20000 gave a false padding match (expected ~1 in 256)";
}

TEST(OpensslEnc, CustomPbkdf2Iterations) {
  EncOptions o;
  o.kdf = Kdf::kPbkdf2;
  o.pbkdf2_iterations = 20000;
  std::string f = OpensslEncEncrypt(FlatProfile(300), kPass, o).value();
  EXPECT_FALSE(OpensslEncDecrypt(f, kPass).ok());
  Result<EncDecrypted> d = OpensslEncDecrypt(f, kPass, LooksLikeProfile, 20000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kdf, Kdf::kPbkdf2);
  o.pbkdf2_iterations = 0;
  EXPECT_EQ(OpensslEncEncrypt("x", kPass, o).status().code(), StatusCode::kInvalidArgument);
}

TEST(OpensslEnc, KdfNamesRoundTrip) {
  for (Kdf k : {Kdf::kMd5, Kdf::kSha256, Kdf::kPbkdf2}) {
    Result<Kdf> parsed = ParseKdf(KdfName(k));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, k);
  }
  EXPECT_EQ(ParseKdf("sha1").status().message(),
            "key derivation \"sha1\" is not one of md5, sha256, pbkdf2");
}

}  // namespace
}  // namespace cwmp::content
