#include "cwmp/content/content.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cwmp/content/base64.h"
#include "test_util.h"

namespace cwmp::content {
namespace {

using testing::CurrentRssBytes;
using testing::FlatProfile;
using testing::PeakRssBytes;
using testing::ResetPeakRss;

struct PipelineCase {
  const char* name;
  bool gzip;
  bool key;
  Kdf kdf;
  bool base64;
  bool salt;
  bool ikm;
  std::vector<std::string> layers;
};

const PipelineCase kPipeline[] = {
    {"plain", false, false, Kdf::kSha256, false, true, false, {}},
    {"gzip", true, false, Kdf::kSha256, false, true, false, {"gzip"}},
    {"md5", false, true, Kdf::kMd5, false, true, false, {"aes-256-cbc/md5"}},
    {"gzip+md5", true, true, Kdf::kMd5, false, true, false, {"aes-256-cbc/md5", "gzip"}},
    {"gzip+sha256", true, true, Kdf::kSha256, false, true, false, {"aes-256-cbc/sha256", "gzip"}},
    {"gzip+sha256 -a",
     true,
     true,
     Kdf::kSha256,
     true,
     true,
     false,
     {"base64", "aes-256-cbc/sha256", "gzip"}},
    {"pbkdf2 -a", false, true, Kdf::kPbkdf2, true, true, false, {"base64", "aes-256-cbc/pbkdf2"}},
    {"gzip+pbkdf2 -nosalt",
     true,
     true,
     Kdf::kPbkdf2,
     false,
     false,
     false,
     {"aes-256-cbc/pbkdf2", "gzip"}},
    {"md5 -nosalt -a", false, true, Kdf::kMd5, true, false, false, {"base64", "aes-256-cbc/md5"}},
    {"aes128gcm", false, false, Kdf::kSha256, false, true, true, {"aes128gcm"}},
    {"gzip+aes128gcm", true, false, Kdf::kSha256, false, true, true, {"aes128gcm", "gzip"}},
};

TEST(Content, EncodeThenDecodeTable) {
  const std::string profile = FlatProfile(50000);
  for (const PipelineCase& c : kPipeline) {
    EncodeOptions e;
    e.gzip = c.gzip;
    if (c.key) e.key = Secret("SecretPhrase1234");
    e.kdf = c.kdf;
    e.base64 = c.base64;
    e.salt = c.salt;
    if (c.ikm) e.ikm = Secret("sixteen byte ikm");
    e.record_size = 1000;
    Result<std::string> encoded = EncodeContent(profile, e);
    ASSERT_TRUE(encoded.ok()) << c.name << ": " << encoded.status().ToString();
    DecodeOptions d;
    d.key = e.key;
    d.ikm = e.ikm;
    d.aes128gcm = c.ikm;
    Result<Decoded> decoded = DecodeContent(*encoded, d);
    ASSERT_TRUE(decoded.ok()) << c.name << ": " << decoded.status().ToString();
    EXPECT_EQ(decoded->plaintext, profile) << c.name;
    EXPECT_EQ(decoded->layers, c.layers) << c.name;
  }
}

TEST(Content, GuidePrecedenceAes128gcmOverKey) {
  // Guide: --key means AES-256-CBC "unless the Content-Encoding header ... indicates aes128gcm".
  EncodeOptions e;
  e.ikm = Secret("sixteen byte ikm");
  std::string body = EncodeContent("<flat-profile/>", e).value();
  DecodeOptions d;
  d.key = Secret("SecretPhrase1234");
  d.ikm = e.ikm;
  d.aes128gcm = true;
  Result<Decoded> r = DecodeContent(body, d);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->plaintext, "<flat-profile/>");
  // Without the header the key applies, and this is not an openssl enc file.
  d.aes128gcm = false;
  EXPECT_FALSE(DecodeContent(body, d).ok());
}

TEST(Content, ErrorsNameTheProblem) {
  EncodeOptions e;
  e.key = Secret("k");
  std::string salted = EncodeContent("<flat-profile/>", e).value();
  e.base64 = true;
  std::string armoured = EncodeContent("<flat-profile/>", e).value();
  const std::string missing_key =
      "content is encrypted with openssl enc (Salted__ header) but no --key was given";
  EXPECT_EQ(DecodeContent(salted, {}).status().message(), missing_key);
  EXPECT_EQ(DecodeContent(armoured, {}).status().message(), missing_key);

  DecodeOptions wrong;
  wrong.key = Secret("not-k");
  Result<Decoded> r = DecodeContent(salted, wrong);
  EXPECT_EQ(r.status().code(), StatusCode::kDecryptError);
  EXPECT_EQ(r.status().message(),
            "wrong key or corrupt file: no key derivation (md5, sha256, pbkdf2) produced a valid "
            "profile");

  DecodeOptions gcm;
  gcm.aes128gcm = true;
  EXPECT_EQ(DecodeContent("whatever", gcm).status().code(), StatusCode::kFailedPrecondition);

  EncodeOptions gz;
  gz.gzip = true;
  std::string truncated = EncodeContent(FlatProfile(5000), gz).value();
  truncated.resize(truncated.size() / 2);
  EXPECT_EQ(DecodeContent(truncated, {}).status().message(), "gzip stream truncated");
}

TEST(Content, EncryptedButTruncatedGzipIsAnError) {
  // A gzip+AES file whose gzip part was cut before encryption: decryption succeeds (the
  // gzip magic validates), gunzip then reports the truncation.
  std::string gz = Gzip(FlatProfile(5000)).value();
  gz.resize(gz.size() - 100);
  std::string f = OpensslEncEncrypt(gz, Secret("k"), EncOptions{}).value();
  DecodeOptions d;
  d.key = Secret("k");
  EXPECT_EQ(DecodeContent(f, d).status().message(), "gzip stream truncated");
}

TEST(Content, HundredMebibyteInputIsRejectedFast) {
  const std::string big(size_t{100} << 20, 'x');
  ASSERT_TRUE(ResetPeakRss()) << "cannot reset peak RSS via /proc/self/clear_refs";
  const size_t rss_before = CurrentRssBytes();
  const auto start = std::chrono::steady_clock::now();
  DecodeOptions d;
  d.key = Secret("k");
  Result<Decoded> r = DecodeContent(big, d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(r.status().message(), "input is 104857600 bytes, exceeds 16 MiB limit");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_LT(PeakRssBytes(), rss_before + (size_t{8} << 20));
}

TEST(Content, HundredMebibyteInputWithRaisedInputLimitStaysBounded) {
  // Even when the caller allows 128 MiB in, a 100 MiB gzip+AES file whose plaintext is larger
  // than max_output stops at max_output.
  std::string gz = Gzip(std::string(size_t{100} << 20, 'a'), 1).value();
  std::string f = OpensslEncEncrypt(gz, Secret("k"), EncOptions{}).value();
  DecodeOptions d;
  d.key = Secret("k");
  d.max_input = size_t{128} << 20;
  const auto start = std::chrono::steady_clock::now();
  Result<Decoded> r = DecodeContent(f, d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "decompressed size exceeds 16 MiB limit");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// The four hostile inputs through the one pipeline: each is a clear error, quickly, and
// without memory growing beyond the limits.
TEST(Content, HostileInputsFailClearlyFastAndBounded) {
  std::string truncated = Gzip(FlatProfile(200000)).value();
  truncated.resize(truncated.size() - 1000);
  EncodeOptions enc;
  enc.gzip = true;
  enc.key = Secret("right key");
  const std::string encrypted = EncodeContent(FlatProfile(200000), enc).value();
  // 64 MiB of zeros in ~64 KiB: decompresses far past the 16 MiB default limit.
  const std::string bomb = Gzip(std::string(size_t{64} << 20, '\0'), 9).value();
  const std::string big(size_t{100} << 20, 'b');
  struct Case {
    const char* name;
    const std::string* input;
    std::optional<Secret> key;
    const char* message;
  };
  const Case cases[] = {
      {"truncated gzip", &truncated, std::nullopt, "gzip stream truncated"},
      {"wrong key", &encrypted, Secret("wrong key"),
       "wrong key or corrupt file: no key derivation (md5, sha256, pbkdf2) produced a valid "
       "profile"},
      {"gzip bomb", &bomb, std::nullopt, "decompressed size exceeds 16 MiB limit"},
      {"100 MiB input", &big, std::nullopt, "input is 104857600 bytes, exceeds 16 MiB limit"},
  };
  for (const Case& c : cases) {
    DecodeOptions d;
    d.key = c.key;
    ASSERT_TRUE(ResetPeakRss()) << "cannot reset peak RSS via /proc/self/clear_refs";
    const size_t rss_before = CurrentRssBytes();
    const auto start = std::chrono::steady_clock::now();
    Result<Decoded> r = DecodeContent(*c.input, d);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().message(), c.message) << c.name;
    EXPECT_LT(elapsed, std::chrono::seconds(3)) << c.name;
    EXPECT_LT(PeakRssBytes(), rss_before + (size_t{48} << 20)) << c.name;
  }
}

TEST(Content, PlainOutputAboveLimitIsAnError) {
  DecodeOptions d;
  d.max_output = 10;
  EXPECT_EQ(DecodeContent("<flat-profile/>", d).status().code(), StatusCode::kLimitExceeded);
}

TEST(Content, EncodeOptionConflicts) {
  EncodeOptions both;
  both.key = Secret("k");
  both.ikm = Secret("i");
  EXPECT_EQ(EncodeContent("x", both).status().code(), StatusCode::kInvalidArgument);
  EncodeOptions armour_only;
  armour_only.base64 = true;
  EXPECT_EQ(EncodeContent("x", armour_only).status().code(), StatusCode::kInvalidArgument);
  EncodeOptions empty_key;
  empty_key.key = Secret("");
  EXPECT_EQ(EncodeContent("x", empty_key).status().code(), StatusCode::kInvalidArgument);
}

TEST(Content, EncodeIsCompressThenEncrypt) {
  EncodeOptions e;
  e.gzip = true;
  e.key = Secret("k");
  e.random = FixedBytesForTest("12345678");
  std::string f = EncodeContent(FlatProfile(1000), e).value();
  Result<EncDecrypted> inner = OpensslEncDecrypt(f, Secret("k"));
  ASSERT_TRUE(inner.ok());
  EXPECT_TRUE(LooksLikeGzip(inner->plaintext));
  EXPECT_EQ(f.substr(8, 8), "12345678");
}

}  // namespace
}  // namespace cwmp::content
