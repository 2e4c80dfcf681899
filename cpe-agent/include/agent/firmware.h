#pragma once
// Firmware: the `.loads` bundle (format in docs/firmware-bundle.md), the upgrade checks
// (model, Downgrade_Rev_Limit, optional signature) and the A/B image slots in the state dir.
//
// Bundle:
//   CPE-LOADS 1\n
//   version: sip68xx.11-2-4MPP-0002\n
//   models: CP-6841-3PCC CP-6851-3PCC\n
//   payload-length: <decimal>\n
//   payload-sha256: <64 lower-case hex digits>\n
//   [signature: ed25519|rsa-sha256 <base64>\n]
//   \n
//   <payload bytes>
// The signature covers the manifest text from "CPE-LOADS 1" through the payload-sha256 line
// (inclusive), so it covers the payload through its hash.
//
// Slots: <state>/firmware/slot-{a,b}.img, slot-{a,b}.meta ("<version>\n<sha256>\n"), and the
// active pointer <state>/firmware/active ("a\n" or "b\n"). An install writes the inactive slot
// (temp file, fsync, rename), reads it back and checks its SHA-256, writes its meta, and only
// then switches the pointer with one atomic rename. A crash at any point leaves the previously
// active image active and intact.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/status.h"

namespace agent {

inline constexpr size_t kMaxBundleHeader = 64 * 1024;
inline constexpr uint64_t kMaxFirmwarePayload = 256ull << 20;

struct FirmwareManifest {
  std::string version;              // a prov::FirmwareVersion ("sip68xx.11-2-4MPP-0002")
  std::vector<std::string> models;  // at least one
  uint64_t payload_length = 0;
  std::string payload_sha256;       // lower-case hex
  std::string signature_algorithm;  // "", "ed25519" or "rsa-sha256"
  std::string signature;            // raw signature bytes
};

struct FirmwareBundle {
  FirmwareManifest manifest;
  std::string payload;
};

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// The signed part of the manifest (see above).
std::string ManifestSignedText(const FirmwareManifest& manifest);

// Builds a bundle. `signing_key_pem` (optional) is an Ed25519 or RSA private key in PEM.
cwmp::Result<std::string> PackFirmwareBundle(std::string_view version,
                                             const std::vector<std::string>& models,
                                             std::string_view payload,
                                             std::string_view signing_key_pem = {});

// Parses a bundle and checks the payload length and SHA-256 (not the signature).
cwmp::Result<FirmwareBundle> ParseFirmwareBundle(std::string_view bytes);

// Verifies the signature with a public key (PEM). An unsigned bundle fails.
cwmp::Status VerifyFirmwareSignature(const FirmwareManifest& manifest,
                                     std::string_view public_key_pem);

// Downgrade_Rev_Limit: fails when `limit` is a valid version and `version` is earlier. An empty
// or invalid limit (the guide: "if a valid firmware revision number is configured") allows all.
cwmp::Status CheckDowngradeLimit(std::string_view version, std::string_view limit);

struct UpgradePolicy {
  std::string model;                   // the phone's $PN; must be in the bundle's model list
  std::string downgrade_rev_limit;     // Downgrade_Rev_Limit
  std::string trusted_public_key_pem;  // non-empty: the bundle must be signed by this key
};

// Parses and checks a downloaded bundle against the policy; the error is the $ERR detail.
cwmp::Result<FirmwareBundle> ValidateUpgrade(std::string_view bytes, const UpgradePolicy& policy);

struct SlotInfo {
  char slot = 0;  // 'a' or 'b'
  std::string version;
  std::string sha256;
};

class ImageSlots {
 public:
  // Called before each step of an install; tests kill the process there. Never set outside
  // tests.
  using StepHookForTest = std::function<void(std::string_view step)>;

  // Opens (creating <state_dir>/firmware) the slots. No image yet is not an error.
  static cwmp::Result<ImageSlots> Open(const std::string& state_dir);

  // The slot that boots, or nullopt before the first install.
  std::optional<SlotInfo> Active() const { return active_; }
  // The other slot's content, if it holds a complete image.
  std::optional<SlotInfo> Inactive() const;

  // Writes the bundle's payload to the inactive slot, verifies it and makes it active.
  cwmp::Status Install(const FirmwareBundle& bundle, const StepHookForTest& hook = nullptr);

  // Switches to the image already in the inactive slot (the guide: "validity of the load
  // location does not matter when the desired load is in the inactive partition") after
  // checking it against its SHA-256. kNotFound when that slot holds no complete image.
  cwmp::Status ActivateInactive();

  // Reads the active image and checks it against its recorded SHA-256 (what a boot loader
  // does before it jumps to it).
  cwmp::Result<std::string> ReadActiveImage() const;

 private:
  std::string dir_;
  std::optional<SlotInfo> active_;
};

}  // namespace agent
