// Files made by the real `openssl enc` (and `gzip`) decode with our code, and files made by our
// encoder open with the real `openssl enc -d` (and `gunzip`). Each case runs the CLI through
// /bin/sh in a fresh temporary directory.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cwmp/content/content.h"

namespace cwmp::content {
namespace {

namespace fs = std::filesystem;

std::string Profile() {
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n";
  for (int i = 1; s.size() < 30000; ++i) {
    s += "  <Proxy_" + std::to_string(i) + "_ ua=\"na\">sip" + std::to_string(i) +
         ".example.com</Proxy_" + std::to_string(i) + "_>\n";
  }
  return s + "</flat-profile>\n";
}

class CliInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/content_interop_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_EQ(Run("command -v openssl && command -v gzip && command -v gunzip"), 0)
        << "the openssl, gzip and gunzip programs must be installed for these tests";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Runs a shell command in the temporary directory; stderr goes to err.txt.
  int Run(const std::string& cmd) {
    std::string full = "cd '" + dir_.string() + "' && { " + cmd + " ; } >/dev/null 2>err.txt";
    int rc = std::system(full.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  // Same, but stdout goes to out_file.
  int RunTo(const std::string& cmd, const std::string& out_file) {
    std::string full =
        "cd '" + dir_.string() + "' && { " + cmd + " ; } >" + out_file + " 2>err.txt";
    int rc = std::system(full.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  void Write(const std::string& name, std::string_view data) {
    std::ofstream out(dir_ / name, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string Err() { return Read("err.txt"); }

  fs::path dir_;
};

struct Variant {
  const char* md_args;  // what selects the derivation on the openssl command line
  Kdf kdf;
};
const Variant kVariants[] = {
    {"-md md5", Kdf::kMd5},
    {"-md sha256", Kdf::kSha256},
    {"-pbkdf2", Kdf::kPbkdf2},
    {"-pbkdf2 -iter 10000", Kdf::kPbkdf2},
};

TEST_F(CliInterop, OpensslCliFilesDecodeWithOurCode) {
  const std::string profile = Profile();
  Write("p.xml", profile);
  ASSERT_EQ(Run("gzip -c p.xml > p.xml.gz"), 0) << Err();
  const std::string pass = "my secret phrase";
  for (const Variant& v : kVariants) {
    for (bool gz : {false, true}) {
      for (bool armour : {false, true}) {
        for (bool nosalt : {false, true}) {
          std::string cmd = std::string("openssl enc -e -aes-256-cbc ") + v.md_args + " -k '" +
                            pass + "' -in " + (gz ? "p.xml.gz" : "p.xml") + " -out p.cfg" +
                            (armour ? " -a" : "") + (nosalt ? " -nosalt" : "");
          ASSERT_EQ(Run(cmd), 0) << cmd << "\n" << Err();
          DecodeOptions d;
          d.key = Secret(pass);
          Result<Decoded> r = DecodeContent(Read("p.cfg"), d);
          ASSERT_TRUE(r.ok()) << cmd << ": " << r.status().ToString();
          EXPECT_EQ(r->plaintext, profile) << cmd;
          std::vector<std::string> layers;
          if (armour) layers.emplace_back("base64");
          layers.push_back(std::string("aes-256-cbc/") + KdfName(v.kdf));
          if (gz) layers.emplace_back("gzip");
          EXPECT_EQ(r->layers, layers) << cmd;
        }
      }
    }
  }
}

TEST_F(CliInterop, GuideCommandsDecode) {
  // The guide's own example: openssl enc -e -aes-256-cbc -k SecretPhrase1234 -in profile.xml
  // (default digest: SHA-256 on this OpenSSL; 0.9.7c-era tools used MD5, covered above).
  Write("profile.xml", Profile());
  ASSERT_EQ(Run("gzip profile.xml"), 0) << Err();
  ASSERT_EQ(Run("openssl enc -e -aes-256-cbc -k SecretPhrase1234 -in profile.xml.gz -out "
                "profile.cfg"),
            0)
      << Err();
  DecodeOptions d;
  d.key = Secret("SecretPhrase1234");
  Result<Decoded> r = DecodeContent(Read("profile.cfg"), d);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->plaintext, Profile());
  d.key = Secret("SecretPhrase1235");
  EXPECT_EQ(DecodeContent(Read("profile.cfg"), d).status().message(),
            "wrong key or corrupt file: no key derivation (md5, sha256, pbkdf2) produced a valid "
            "profile");
}

TEST_F(CliInterop, OurFilesOpenWithOpensslCli) {
  const std::string profile = Profile();
  const std::string pass = "SecretPhrase1234";
  for (const Variant& v : kVariants) {
    for (bool gz : {false, true}) {
      for (bool armour : {false, true}) {
        for (bool salt : {true, false}) {
          EncodeOptions e;
          e.gzip = gz;
          e.key = Secret(pass);
          e.kdf = v.kdf;
          e.base64 = armour;
          e.salt = salt;
          Result<std::string> f = EncodeContent(profile, e);
          ASSERT_TRUE(f.ok()) << f.status().ToString();
          Write("ours.cfg", *f);
          std::string cmd = std::string("openssl enc -d -aes-256-cbc ") + v.md_args + " -k " +
                            pass + " -in ours.cfg" + (armour ? " -a" : "") +
                            (salt ? "" : " -nosalt") +
                            (gz ? " -out dec.gz && gunzip -c dec.gz" : "");
          ASSERT_EQ(RunTo(cmd, "plain.out"), 0) << cmd << "\n" << Err();
          EXPECT_EQ(Read("plain.out"), profile) << cmd;
        }
      }
    }
  }
}

TEST_F(CliInterop, GzipBothWays) {
  const std::string profile = Profile();
  Write("a.txt", profile);
  for (const char* level : {"-1", "-6", "-9"}) {
    ASSERT_EQ(Run(std::string("gzip -c ") + level + " a.txt > a.gz"), 0) << Err();
    Result<std::string> r = Gunzip(Read("a.gz"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, profile);
  }
  // `cat a.gz b.gz` is one valid gzip file with two members.
  Write("b.txt", "second member\n");
  ASSERT_EQ(Run("gzip -c a.txt > m.gz && gzip -c b.txt >> m.gz"), 0) << Err();
  Result<std::string> both = Gunzip(Read("m.gz"));
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(*both, profile + "second member\n");

  Write("ours.gz", Gzip(profile, 9).value());
  ASSERT_EQ(RunTo("gunzip -c ours.gz", "back.txt"), 0) << Err();
  EXPECT_EQ(Read("back.txt"), profile);
  ASSERT_EQ(Run("gzip -t ours.gz"), 0) << Err();

  // A truncated file made by the real gzip gives our clear error.
  ASSERT_EQ(Run("gzip -c a.txt | head -c 500 > cut.gz"), 0) << Err();
  EXPECT_EQ(Gunzip(Read("cut.gz")).status().message(), "gzip stream truncated");
}

}  // namespace
}  // namespace cwmp::content
