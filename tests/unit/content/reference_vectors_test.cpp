// Reads the known-answer vectors from ../shared/reference (CWMP_REFERENCE_DIR) and checks the
// codecs against them. The same vectors are hard-coded in openssl_enc_test.cpp and
// aes128gcm_test.cpp so they run even without the folder; here they catch drift between the
// reference text and the code. Skips visibly when the folder is absent.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cwmp/content/aes128gcm.h"
#include "cwmp/content/base64.h"
#include "cwmp/content/openssl_enc.h"
#include "test_util.h"

namespace cwmp::content {
namespace {

using testing::B64u;
using testing::Hex;
using testing::ToHex;

std::string ReadReference(const char* name) {
  std::filesystem::path p = std::filesystem::path(CWMP_REFERENCE_DIR) / name;
  std::ifstream in(p);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> BacktickFields(const std::string& line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t a = line.find('`', pos);
    if (a == std::string::npos) break;
    size_t b = line.find('`', a + 1);
    if (b == std::string::npos) break;
    out.push_back(line.substr(a + 1, b - a - 1));
    pos = b + 1;
  }
  return out;
}

TEST(ReferenceVectors, OpensslEncTable) {
  std::string md = ReadReference("openssl-enc.md");
  if (md.empty()) GTEST_SKIP() << "reference folder absent: " << CWMP_REFERENCE_DIR;
  struct Row {
    const char* label;
    Kdf kdf;
  };
  const Row rows[] = {
      {"| MD5 |", Kdf::kMd5}, {"| SHA-256 |", Kdf::kSha256}, {"| PBKDF2 (10000) |", Kdf::kPbkdf2}};
  const std::string salt = Hex("0102030405060708");
  const char plain[] = "hello tr069 config\n";
  ASSERT_NE(md.find("Salt `0102030405060708`, password `PASS`"), std::string::npos);
  for (const Row& row : rows) {
    size_t at = md.find(row.label);
    ASSERT_NE(at, std::string::npos) << row.label;
    std::string line = md.substr(at, md.find('\n', at) - at);
    std::vector<std::string> f = BacktickFields(line);
    ASSERT_EQ(f.size(), 3u) << line;
    KeyIv k = DeriveKeyIv(row.kdf, Secret("PASS"), salt).value();
    EXPECT_EQ(ToHex(k.key), ToHex(Hex(f[0]))) << row.label;
    EXPECT_EQ(ToHex(k.iv), ToHex(Hex(f[1]))) << row.label;
    EncOptions o;
    o.kdf = row.kdf;
    EXPECT_EQ(ToHex(OpensslEncEncrypt(plain, Secret("PASS"), o, FixedBytesForTest(salt)).value()),
              f[2])
        << row.label;
    Result<EncDecrypted> d = OpensslEncDecrypt(Hex(f[2]), Secret("PASS"),
                                               [&](std::string_view p) { return p == plain; });
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->kdf, row.kdf);
  }
}

// Value after "<name> :" (or "<name> =") in the section that starts at `section`.
std::string Field(const std::string& md, size_t section, const std::string& name) {
  size_t end = md.find("\n## ", section + 1);
  size_t at = md.find("\n    " + name, section);
  if (at == std::string::npos || at > end) return {};
  size_t colon = md.find_first_of(":=", at);
  size_t eol = md.find('\n', colon);
  std::string v = md.substr(colon + 1, eol - colon - 1);
  v.erase(0, v.find_first_not_of(' '));
  v.erase(v.find_last_not_of(' ') + 1);
  return v;
}

TEST(ReferenceVectors, Rfc8188Sections31And32) {
  std::string md = ReadReference("rfc8188-vectors.md");
  if (md.empty()) GTEST_SKIP() << "reference folder absent: " << CWMP_REFERENCE_DIR;
  struct Section {
    const char* heading;
    uint32_t rs;
    const char* keyid;
    size_t padding;
  };
  const Section sections[] = {{"## §3.1", 4096, "", 0}, {"## §3.2", 25, "a1", 1}};
  for (const Section& s : sections) {
    size_t at = md.find(s.heading);
    ASSERT_NE(at, std::string::npos) << s.heading;
    std::string ikm = Field(md, at, "IKM");
    std::string salt = Field(md, at, "salt ");
    std::string body = Field(md, at, "body");
    ASSERT_FALSE(ikm.empty() || salt.empty() || body.empty()) << s.heading;
    EXPECT_EQ(Field(md, at, "rs").substr(0, std::to_string(s.rs).size()), std::to_string(s.rs));
    Result<Aes128gcmDecrypted> d = Aes128gcmDecryptDetailed(B64u(body), Secret(B64u(ikm)));
    ASSERT_TRUE(d.ok()) << s.heading << ": " << d.status().ToString();
    EXPECT_EQ(d->plaintext, "I am the walrus");
    EXPECT_EQ(d->record_size, s.rs);
    EXPECT_EQ(d->keyid, s.keyid);
    Aes128gcmOptions o;
    o.record_size = s.rs;
    o.keyid = s.keyid;
    o.padding = s.padding;
    Result<std::string> e =
        Aes128gcmEncrypt("I am the walrus", Secret(B64u(ikm)), o, FixedBytesForTest(B64u(salt)));
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(Base64UrlEncode(*e), body) << s.heading;
    std::string cek = Field(md, at, "CEK");
    if (!cek.empty()) {
      EXPECT_EQ(ToHex(DeriveAes128gcmKeys(Secret(B64u(ikm)), B64u(salt))->cek), ToHex(B64u(cek)));
    }
  }
}

}  // namespace
}  // namespace cwmp::content
