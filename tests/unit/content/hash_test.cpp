// cwmp/content/hash.h against the published test vectors (RFC 1321 MD5, FIPS 180-2 SHA-1 and
// SHA-256, RFC 2202 HMAC-SHA1) and against OpenSSL's EVP for every length around the block
// boundaries.
#include "cwmp/content/hash.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

namespace {

using cwmp::content::HexLower;

std::string Evp(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string EvpHmacSha1(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

TEST(Hash, Md5Rfc1321Vectors) {
  EXPECT_EQ(HexLower(cwmp::content::Md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(HexLower(cwmp::content::Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(HexLower(cwmp::content::Md5("message digest")), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(HexLower(cwmp::content::Md5(
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890")),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Hash, Sha1AndSha256Fips180Vectors) {
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  EXPECT_EQ(HexLower(cwmp::content::Sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(HexLower(cwmp::content::Sha1(two_blocks)),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(HexLower(cwmp::content::Sha1(std::string(1000000, 'a'))),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  EXPECT_EQ(HexLower(cwmp::content::Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexLower(cwmp::content::Sha256(two_blocks)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(HexLower(cwmp::content::Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Hash, HmacSha1Rfc2202Vectors) {
  struct Case {
    std::string key, data, mac;
  };
  const Case cases[] = {
      {std::string(20, '\x0b'), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
      {"Jefe", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
      {std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
      {std::string(80, '\xaa'),
       "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
       "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(HexLower(cwmp::content::HmacSha1(c.key, c.data)), c.mac) << c.data;
  }
}

TEST(Hash, SameAsEvpForEveryLengthAroundTheBlockBoundaries) {
  std::string data;
  for (int n = 0; n <= 300; ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(cwmp::content::Md5(data), Evp(EVP_md5(), data));
    EXPECT_EQ(cwmp::content::Sha1(data), Evp(EVP_sha1(), data));
    EXPECT_EQ(cwmp::content::Sha256(data), Evp(EVP_sha256(), data));
    // Keys shorter than, equal to and longer than SHA-1's 64-byte block.
    EXPECT_EQ(cwmp::content::HmacSha1(data, "payload"), EvpHmacSha1(data, "payload"));
    EXPECT_EQ(cwmp::content::HmacSha1("key", data), EvpHmacSha1("key", data));
    data += static_cast<char>(n * 37 + 11);
  }
}

TEST(Hash, HexLower) {
  EXPECT_EQ(HexLower(std::string("\x00\x0f\xf0\xff", 4)), "000ff0ff");
  EXPECT_EQ(HexLower(""), "");
}

}  // namespace
