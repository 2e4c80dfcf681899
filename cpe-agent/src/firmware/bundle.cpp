// The .loads bundle: pack, parse, sign and verify (OpenSSL), and the upgrade checks.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <charconv>
#include <memory>

#include "agent/firmware.h"
#include "agent/network_worker.h"
#include "cwmp/content/base64.h"
#include "cwmp/content/hash.h"
#include "cwmp/prov/version.h"

namespace agent {
namespace {

constexpr std::string_view kMagic = "CPE-LOADS 1\n";

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::unique_ptr<EVP_PKEY, PkeyDeleter> LoadKey(std::string_view pem, bool is_private) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  EVP_PKEY* key = is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                             : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  return std::unique_ptr<EVP_PKEY, PkeyDeleter>(key);
}

// "ed25519" or "rsa-sha256" for a supported key, "" otherwise.
std::string AlgorithmOf(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519:
      return "ed25519";
    case EVP_PKEY_RSA:
      return "rsa-sha256";
    default:
      return "";
  }
}

const EVP_MD* DigestFor(const std::string& algorithm) {
  return algorithm == "rsa-sha256" ? EVP_sha256() : nullptr;  // Ed25519 hashes internally
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  return cwmp::content::HexLower(cwmp::content::Sha256(data));
}

std::string ManifestSignedText(const FirmwareManifest& m) {
  std::string s(kMagic);
  s += "version: " + m.version + "\n";
  s += "models:";
  for (const std::string& model : m.models) s += " " + model;
  s += "\npayload-length: " + std::to_string(m.payload_length) + "\n";
  s += "payload-sha256: " + m.payload_sha256 + "\n";
  return s;
}

cwmp::Result<std::string> PackFirmwareBundle(std::string_view version,
                                             const std::vector<std::string>& models,
                                             std::string_view payload,
                                             std::string_view signing_key_pem) {
  if (!cwmp::prov::LooksLikeFirmwareVersion(version)) {
    return cwmp::InvalidArgument("version \"" + std::string(version) +
                                 "\" is not a firmware version like sip68xx.11-2-4MPP-0002");
  }
  if (models.empty()) return cwmp::InvalidArgument("a bundle needs at least one model");
  for (const std::string& model : models) {
    if (model.empty() || model.find_first_of(" \t\r\n") != std::string::npos) {
      return cwmp::InvalidArgument("model \"" + model + "\" is empty or contains spaces");
    }
  }
  if (payload.size() > kMaxFirmwarePayload) {
    return cwmp::LimitExceeded("payload larger than " + std::to_string(kMaxFirmwarePayload) +
                               " bytes");
  }
  FirmwareManifest m;
  m.version = std::string(version);
  m.models = models;
  m.payload_length = payload.size();
  m.payload_sha256 = Sha256Hex(payload);
  std::string text = ManifestSignedText(m);
  if (!signing_key_pem.empty()) {
    auto key = LoadKey(signing_key_pem, /*is_private=*/true);
    if (!key) return cwmp::InvalidArgument("signing key: not a PEM private key");
    std::string algorithm = AlgorithmOf(key.get());
    if (algorithm.empty()) return cwmp::Unsupported("signing key: only Ed25519 and RSA keys");
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    size_t len = 0;
    if (!ctx ||
        EVP_DigestSignInit(ctx.get(), nullptr, DigestFor(algorithm), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len,
                       reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1) {
      return cwmp::Internal("signing failed");
    }
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1) {
      return cwmp::Internal("signing failed");
    }
    sig.resize(len);
    text += "signature: " + algorithm + " " + cwmp::content::Base64Encode(sig) + "\n";
  }
  text += "\n";
  text.append(payload.data(), payload.size());
  return text;
}

cwmp::Result<FirmwareBundle> ParseFirmwareBundle(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    return cwmp::ParseError("not a firmware bundle (no \"CPE-LOADS 1\" line)");
  }
  size_t end = bytes.find("\n\n");
  if (end == std::string_view::npos || end + 2 > kMaxBundleHeader) {
    return cwmp::ParseError("bundle header is not terminated by an empty line within " +
                            std::to_string(kMaxBundleHeader) + " bytes");
  }
  std::string_view header = bytes.substr(kMagic.size(), end + 1 - kMagic.size());
  FirmwareBundle b;
  FirmwareManifest& m = b.manifest;
  bool have_version = false, have_models = false, have_length = false, have_sha = false;
  // The fields must come in the documented order: the signed text is rebuilt from them.
  int expected = 0;
  while (!header.empty()) {
    size_t nl = header.find('\n');
    std::string_view line = header.substr(0, nl);
    header.remove_prefix(nl + 1);
    size_t colon = line.find(": ");
    if (colon == std::string_view::npos) {
      return cwmp::ParseError("bundle header line \"" + std::string(line) + "\" is not key: value");
    }
    std::string_view key = line.substr(0, colon);
    std::string_view value = line.substr(colon + 2);
    if (key == "version" && expected == 0) {
      m.version = std::string(value);
      if (!cwmp::prov::LooksLikeFirmwareVersion(value)) {
        return cwmp::ParseError("bundle version \"" + m.version + "\" is not a firmware version");
      }
      have_version = true;
    } else if (key == "models" && expected == 1) {
      size_t pos = 0;
      while (pos < value.size()) {
        size_t sp = value.find(' ', pos);
        if (sp == std::string_view::npos) sp = value.size();
        if (sp > pos) m.models.emplace_back(value.substr(pos, sp - pos));
        pos = sp + 1;
      }
      if (m.models.empty()) return cwmp::ParseError("bundle lists no models");
      have_models = true;
    } else if (key == "payload-length" && expected == 2) {
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), m.payload_length);
      if (ec != std::errc() || p != value.data() + value.size() || value.empty()) {
        return cwmp::ParseError("bundle payload-length \"" + std::string(value) +
                                "\" is not a number");
      }
      if (m.payload_length > kMaxFirmwarePayload) {
        return cwmp::LimitExceeded("bundle payload larger than " +
                                   std::to_string(kMaxFirmwarePayload) + " bytes");
      }
      have_length = true;
    } else if (key == "payload-sha256" && expected == 3) {
      if (value.size() != 64 || !IsLowerHex(value)) {
        return cwmp::ParseError("bundle payload-sha256 is not 64 lower-case hex digits");
      }
      m.payload_sha256 = std::string(value);
      have_sha = true;
    } else if (key == "signature" && expected == 4) {
      size_t sp = value.find(' ');
      if (sp == std::string_view::npos)
        return cwmp::ParseError("bundle signature has no algorithm");
      m.signature_algorithm = std::string(value.substr(0, sp));
      if (m.signature_algorithm != "ed25519" && m.signature_algorithm != "rsa-sha256") {
        return cwmp::Unsupported("bundle signature algorithm \"" + m.signature_algorithm + "\"");
      }
      auto sig = cwmp::content::Base64Decode(value.substr(sp + 1));
      if (!sig.ok()) return cwmp::ParseError("bundle signature is not base64");
      m.signature = std::move(sig.value());
    } else {
      return cwmp::ParseError("unexpected bundle header field \"" + std::string(key) + "\"");
    }
    ++expected;
  }
  if (!(have_version && have_models && have_length && have_sha)) {
    return cwmp::ParseError(
        "bundle header lacks version, models, payload-length or "
        "payload-sha256");
  }
  std::string_view payload = bytes.substr(end + 2);
  if (payload.size() != m.payload_length) {
    return cwmp::ParseError("bundle payload is " + std::to_string(payload.size()) +
                            " bytes, the manifest says " + std::to_string(m.payload_length));
  }
  if (Sha256Hex(payload) != m.payload_sha256) {
    return cwmp::ParseError("bundle payload does not match its SHA-256");
  }
  b.payload = std::string(payload);
  return b;
}

cwmp::Status VerifyFirmwareSignature(const FirmwareManifest& m, std::string_view public_key_pem) {
  if (m.signature.empty()) return cwmp::FailedPrecondition("bundle is not signed");
  auto key = LoadKey(public_key_pem, /*is_private=*/false);
  if (!key) return cwmp::InvalidArgument("public key: not a PEM public key");
  if (AlgorithmOf(key.get()) != m.signature_algorithm) {
    return cwmp::DecryptError("bundle signature is " + m.signature_algorithm +
                              ", the trusted key is not");
  }
  std::string text = ManifestSignedText(m);
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, DigestFor(m.signature_algorithm), nullptr,
                                   key.get()) != 1) {
    return cwmp::Internal("signature verification could not start");
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(m.signature.data()),
                            m.signature.size(), reinterpret_cast<const unsigned char*>(text.data()),
                            text.size());
  if (rc != 1) return cwmp::DecryptError("bundle signature does not verify");
  return cwmp::Status::Ok();
}

cwmp::Status CheckDowngradeLimit(std::string_view version, std::string_view limit) {
  if (limit.empty()) return cwmp::Status::Ok();
  auto lim = cwmp::prov::ParseFirmwareVersion(limit);
  if (!lim.ok()) return cwmp::Status::Ok();  // not a valid revision: no limit
  auto ver = cwmp::prov::ParseFirmwareVersion(version);
  if (!ver.ok()) return ver.status();
  auto cmp = cwmp::prov::CompareFirmwareVersions(*ver, *lim);
  if (!cmp.ok()) return cmp.status();
  if (*cmp < 0) {
    return cwmp::FailedPrecondition(std::string(version) + " is earlier than Downgrade_Rev_Limit " +
                                    std::string(limit));
  }
  return cwmp::Status::Ok();
}

cwmp::Result<FirmwareBundle> ValidateUpgrade(std::string_view bytes, const UpgradePolicy& policy) {
  auto bundle = ParseFirmwareBundle(bytes);
  if (!bundle.ok()) return bundle.status();
  const FirmwareManifest& m = bundle->manifest;
  bool model_ok = false;
  for (const std::string& model : m.models) model_ok = model_ok || model == policy.model;
  if (!model_ok) {
    return cwmp::FailedPrecondition(m.version + " is not for " + policy.model);
  }
  CWMP_RETURN_IF_ERROR(CheckDowngradeLimit(m.version, policy.downgrade_rev_limit));
  if (!policy.trusted_public_key_pem.empty()) {
    CWMP_RETURN_IF_ERROR(VerifyFirmwareSignatureIsolated(m, policy.trusted_public_key_pem));
  }
  return bundle;
}

}  // namespace agent
