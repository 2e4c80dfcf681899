#include "cwmp/content/base64.h"

#include <gtest/gtest.h>

namespace cwmp::content {
namespace {

struct Case {
  std::string plain;
  std::string std64;
  std::string url64;
};

// RFC 4648 §10 plus bytes that differ between the two alphabets.
const Case kCases[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
    {"\xfb\xff\xbf", "+/+/", "-_-_"},
};

TEST(Base64, EncodeDecodeTable) {
  for (const Case& c : kCases) {
    EXPECT_EQ(Base64Encode(c.plain), c.std64);
    EXPECT_EQ(Base64UrlEncode(c.plain), c.url64);
    Result<std::string> d = Base64Decode(c.std64);
    ASSERT_TRUE(d.ok()) << c.std64 << ": " << d.status().ToString();
    EXPECT_EQ(*d, c.plain);
    Result<std::string> u = Base64UrlDecode(c.url64);
    ASSERT_TRUE(u.ok()) << c.url64 << ": " << u.status().ToString();
    EXPECT_EQ(*u, c.plain);
  }
}

TEST(Base64, LineBreaksLikeOpensslA) {
  std::string data(100, 'x');
  std::string enc = Base64Encode(data, 64);
  // 136 characters: a 64-character line, another, then 8 and a final newline.
  EXPECT_EQ(enc.find('\n'), 64u);
  EXPECT_EQ(enc.back(), '\n');
  EXPECT_EQ(enc.size(), 136u + 3u);
  Result<std::string> d = Base64Decode(enc);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, data);
  Result<std::string> crlf = Base64Decode("Zm9v\r\nYmFy\r\n");
  ASSERT_TRUE(crlf.ok());
  EXPECT_EQ(*crlf, "foobar");
}

TEST(Base64, RejectsMalformed) {
  const char* bad[] = {"Zm9v!", "Z", "Zm9vY", "Zg=", "Zg==Zg==", "Zh=="};
  for (const char* b : bad) {
    EXPECT_FALSE(Base64Decode(b).ok()) << b;
  }
  EXPECT_FALSE(Base64UrlDecode("Zm9v Yg").ok());  // no whitespace in base64url
  EXPECT_FALSE(Base64UrlDecode("+/+/").ok());
  EXPECT_FALSE(Base64Decode("-_-_").ok());
  EXPECT_EQ(Base64Decode("Zm9v!").status().message(), "base64: invalid character at offset 4");
}

TEST(Base64, LooksLikeBase64) {
  EXPECT_TRUE(LooksLikeBase64("U2FsdGVkX1/Cdp6c\n"));
  EXPECT_TRUE(LooksLikeBase64("Zg==\r\n"));
  EXPECT_FALSE(LooksLikeBase64(""));
  EXPECT_FALSE(LooksLikeBase64("\n  \n"));
  EXPECT_FALSE(LooksLikeBase64("<flat-profile>"));
  EXPECT_FALSE(LooksLikeBase64(std::string("Salted__\x01\x02", 10)));
}

}  // namespace
}  // namespace cwmp::content
