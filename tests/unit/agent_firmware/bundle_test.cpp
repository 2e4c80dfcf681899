#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "agent/firmware.h"

namespace agent {
namespace {

std::string Data(const std::string& name) {
  std::ifstream in(std::string(CWMP_SOURCE_DIR) + "/tests/unit/agent_firmware/data/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::vector<std::string> kModels = {"CP-6841-3PCC", "CP-6851-3PCC"};
constexpr char kVersion[] = "sip68xx.11-2-4MPP-0002";

std::string Payload() {
  std::string p;
  for (int i = 0; i < 5000; ++i) p += static_cast<char>(i * 7 % 256);
  return p;
}

TEST(Sha256Hex, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(FirmwareBundle, PackParseRoundTrip) {
  struct Case {
    const char* key;
    const char* public_key;
    const char* algorithm;
  } cases[] = {{"", "", ""},
               {"ed25519.key", "ed25519.pub", "ed25519"},
               {"rsa.key", "rsa.pub", "rsa-sha256"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.algorithm);
    auto packed = PackFirmwareBundle(kVersion, kModels, Payload(), c.key[0] ? Data(c.key) : "");
    ASSERT_TRUE(packed.ok()) << packed.status().ToString();
    EXPECT_EQ(packed->rfind("CPE-LOADS 1\nversion: sip68xx.11-2-4MPP-0002\n"
                            "models: CP-6841-3PCC CP-6851-3PCC\npayload-length: 5000\n"
                            "payload-sha256: " +
                                Sha256Hex(Payload()) + "\n",
                            0),
              0u);
    auto parsed = ParseFirmwareBundle(*packed);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->manifest.version, kVersion);
    EXPECT_EQ(parsed->manifest.models, kModels);
    EXPECT_EQ(parsed->manifest.payload_length, 5000u);
    EXPECT_EQ(parsed->manifest.signature_algorithm, c.algorithm);
    EXPECT_EQ(parsed->payload, Payload());
    if (c.public_key[0]) {
      EXPECT_TRUE(VerifyFirmwareSignature(parsed->manifest, Data(c.public_key)).ok());
    } else {
      EXPECT_EQ(VerifyFirmwareSignature(parsed->manifest, Data("ed25519.pub")).code(),
                cwmp::StatusCode::kFailedPrecondition);
    }
  }
}

TEST(FirmwareBundle, PackRefusesBadInput) {
  EXPECT_EQ(PackFirmwareBundle("11.0.0", kModels, "x").status().code(),
            cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(PackFirmwareBundle(kVersion, {}, "x").status().code(),
            cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(PackFirmwareBundle(kVersion, {"CP 6841"}, "x").status().code(),
            cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(PackFirmwareBundle(kVersion, kModels, "x", "not a key").status().code(),
            cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(PackFirmwareBundle(kVersion, kModels, "x", Data("ec.key")).status().code(),
            cwmp::StatusCode::kUnsupported);
}

TEST(FirmwareBundle, ParseRejectsDamage) {
  const std::string good = *PackFirmwareBundle(kVersion, kModels, Payload(), Data("ed25519.key"));
  const std::string sha = Sha256Hex(Payload());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  std::string flipped = good;
  flipped.back() ^= 1;
  struct Case {
    std::string name;
    std::string bytes;
    cwmp::StatusCode code;
  } cases[] = {
      {"empty", "", cwmp::StatusCode::kParseError},
      {"magic", "CPE-LOADS 2\n" + good.substr(12), cwmp::StatusCode::kParseError},
      {"no end of header", good.substr(0, 60), cwmp::StatusCode::kParseError},
      {"truncated payload", good.substr(0, good.size() - 1), cwmp::StatusCode::kParseError},
      {"extra payload", good + "x", cwmp::StatusCode::kParseError},
      {"payload bit flip", flipped, cwmp::StatusCode::kParseError},
      {"length not a number", replace("payload-length: 5000", "payload-length: 5k"),
       cwmp::StatusCode::kParseError},
      {"length too large", replace("payload-length: 5000", "payload-length: 999999999999"),
       cwmp::StatusCode::kLimitExceeded},
      {"sha not hex", replace(sha, std::string(64, 'G')), cwmp::StatusCode::kParseError},
      {"unknown field", replace("models:", "colour: red\nmodels:"), cwmp::StatusCode::kParseError},
      {"fields out of order",
       replace("version: sip68xx.11-2-4MPP-0002\nmodels: CP-6841-3PCC "
               "CP-6851-3PCC\n",
               "models: CP-6841-3PCC CP-6851-3PCC\nversion: "
               "sip68xx.11-2-4MPP-0002\n"),
       cwmp::StatusCode::kParseError},
      {"bad version", replace(kVersion, "11.2.4"), cwmp::StatusCode::kParseError},
      {"signature algorithm", replace("signature: ed25519", "signature: dsa"),
       cwmp::StatusCode::kUnsupported},
      {"header too long", "CPE-LOADS 1\nversion: " + std::string(70000, 'a') + "\n\n",
       cwmp::StatusCode::kParseError},
  };
  for (const Case& c : cases) {
    auto parsed = ParseFirmwareBundle(c.bytes);
    ASSERT_FALSE(parsed.ok()) << c.name;
    EXPECT_EQ(parsed.status().code(), c.code) << c.name << ": " << parsed.status().ToString();
  }
}

TEST(FirmwareBundle, SignatureCoversTheManifest) {
  const std::string good = *PackFirmwareBundle(kVersion, kModels, Payload(), Data("ed25519.key"));
  auto parsed = ParseFirmwareBundle(good);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(VerifyFirmwareSignature(parsed->manifest, Data("other_ed25519.pub")).code(),
            cwmp::StatusCode::kDecryptError);
  EXPECT_EQ(VerifyFirmwareSignature(parsed->manifest, Data("rsa.pub")).code(),
            cwmp::StatusCode::kDecryptError);
  // Re-labelled as a newer version (hash still matches the payload): the signature breaks.
  std::string relabelled = good;
  relabelled.replace(relabelled.find("0002"), 4, "0009");
  auto tampered = ParseFirmwareBundle(relabelled);
  ASSERT_TRUE(tampered.ok());
  EXPECT_EQ(VerifyFirmwareSignature(tampered->manifest, Data("ed25519.pub")).code(),
            cwmp::StatusCode::kDecryptError);
  // A different model list, likewise.
  auto other_model = parsed->manifest;
  other_model.models = {"CP-6841-3PCC"};
  EXPECT_EQ(VerifyFirmwareSignature(other_model, Data("ed25519.pub")).code(),
            cwmp::StatusCode::kDecryptError);
}

TEST(DowngradeRevLimit, ComparesWithTheProvVersionOrder) {
  struct Case {
    const char* version;
    const char* limit;
    bool allowed;
  } cases[] = {
      {"sip68xx.11-2-4MPP-0002", "", true},
      {"sip68xx.11-2-4MPP-0002", "not a version", true},
      {"sip68xx.11-2-4MPP-0002", "sip68xx.11-2-4MPP-0002", true},
      {"sip68xx.11-2-4MPP-0002", "sip68xx.11-2-3MPP-0001", true},
      {"sip68xx.11-2-4MPP-0002", "sip68xx.11-2-4MPP-0003", false},
      {"sip68xx.11-0-1MPP-0001", "sip68xx.11-2-1MPP", false},
      {"sip68xx.12-0-0MPP-0001", "sip68xx.11-9-9MPP", true},
  };
  for (const Case& c : cases) {
    cwmp::Status st = CheckDowngradeLimit(c.version, c.limit);
    EXPECT_EQ(st.ok(), c.allowed) << c.version << " vs " << c.limit << ": " << st.ToString();
  }
  EXPECT_EQ(CheckDowngradeLimit("sip68xx.11-0-1MPP", "sip68xx.11-2-1MPP").message(),
            "sip68xx.11-0-1MPP is earlier than Downgrade_Rev_Limit sip68xx.11-2-1MPP");
  // Different families cannot be ordered: refused rather than guessed.
  EXPECT_FALSE(CheckDowngradeLimit("sip78xx.11-0-1MPP", "sip68xx.11-0-0MPP").ok());
}

TEST(ValidateUpgrade, AppliesModelLimitAndSignaturePolicy) {
  const std::string signed_bundle =
      *PackFirmwareBundle(kVersion, kModels, Payload(), Data("ed25519.key"));
  const std::string unsigned_bundle = *PackFirmwareBundle(kVersion, kModels, Payload());
  UpgradePolicy policy;
  policy.model = "CP-6851-3PCC";
  EXPECT_TRUE(ValidateUpgrade(unsigned_bundle, policy).ok());
  policy.model = "CP-7841-3PCC";
  EXPECT_EQ(ValidateUpgrade(signed_bundle, policy).status().message(),
            "sip68xx.11-2-4MPP-0002 is not for CP-7841-3PCC");
  policy.model = "CP-6841-3PCC";
  policy.downgrade_rev_limit = "sip68xx.11-3-1MPP";
  EXPECT_EQ(ValidateUpgrade(signed_bundle, policy).status().code(),
            cwmp::StatusCode::kFailedPrecondition);
  policy.downgrade_rev_limit = "sip68xx.11-2-1MPP";
  policy.trusted_public_key_pem = Data("ed25519.pub");
  EXPECT_TRUE(ValidateUpgrade(signed_bundle, policy).ok());
  EXPECT_EQ(ValidateUpgrade(unsigned_bundle, policy).status().code(),
            cwmp::StatusCode::kFailedPrecondition);
  policy.trusted_public_key_pem = Data("other_ed25519.pub");
  EXPECT_EQ(ValidateUpgrade(signed_bundle, policy).status().code(),
            cwmp::StatusCode::kDecryptError);
}

}  // namespace
}  // namespace agent
