// A/B image slots. The active pointer is the single commit point: it is renamed into place only
// after the new slot's image and meta are durable and the image has been read back and hashed.
#include <cstdio>
#include <sstream>

#include "agent/firmware.h"
#include "firmware/durable_file.h"

namespace agent {
namespace {

char Other(char slot) { return slot == 'a' ? 'b' : 'a'; }

std::string ImagePath(const std::string& dir, char slot) { return dir + "/slot-" + slot + ".img"; }
std::string MetaPath(const std::string& dir, char slot) { return dir + "/slot-" + slot + ".meta"; }

// The slot's recorded version and SHA-256, if its meta file is complete.
std::optional<SlotInfo> ReadMeta(const std::string& dir, char slot) {
  auto text = durable::ReadFile(MetaPath(dir, slot), 4096);
  if (!text.ok()) return std::nullopt;
  std::istringstream in(*text);
  SlotInfo info;
  info.slot = slot;
  if (!std::getline(in, info.version) || !std::getline(in, info.sha256) || info.version.empty() ||
      info.sha256.size() != 64) {
    return std::nullopt;
  }
  return info;
}

void Step(const ImageSlots::StepHookForTest& hook, std::string_view step) {
  if (hook) hook(step);
}

}  // namespace

cwmp::Result<ImageSlots> ImageSlots::Open(const std::string& state_dir) {
  ImageSlots slots;
  slots.dir_ = state_dir + "/firmware";
  CWMP_RETURN_IF_ERROR(durable::MakeDirectories(slots.dir_));
  auto active = durable::ReadFile(slots.dir_ + "/active", 16);
  if (!active.ok()) {
    if (active.status().code() == cwmp::StatusCode::kNotFound) return slots;
    return active.status();
  }
  if (*active != "a\n" && *active != "b\n") {
    return cwmp::ParseError(slots.dir_ + "/active: neither \"a\" nor \"b\"");
  }
  char slot = (*active)[0];
  slots.active_ = ReadMeta(slots.dir_, slot);
  if (!slots.active_) {
    return cwmp::ParseError(MetaPath(slots.dir_, slot) + ": missing or incomplete");
  }
  return slots;
}

std::optional<SlotInfo> ImageSlots::Inactive() const {
  char slot = active_ ? Other(active_->slot) : 'a';
  return ReadMeta(dir_, slot);
}

cwmp::Status ImageSlots::Install(const FirmwareBundle& bundle, const StepHookForTest& hook) {
  const FirmwareManifest& m = bundle.manifest;
  if (bundle.payload.size() != m.payload_length || Sha256Hex(bundle.payload) != m.payload_sha256) {
    return cwmp::InvalidArgument("image does not match its manifest");
  }
  const char target = active_ ? Other(active_->slot) : 'a';
  durable::StepHook step_hook;
  if (hook) step_hook = [&hook](std::string_view s) { hook(s); };

  // 1. Invalidate the target slot's meta first, so a torn image is never described as valid.
  Step(hook, "drop-meta");
  std::remove(MetaPath(dir_, target).c_str());
  CWMP_RETURN_IF_ERROR(durable::SyncDirectory(dir_));
  // 2. The image itself.
  CWMP_RETURN_IF_ERROR(durable::WriteFile(ImagePath(dir_, target), bundle.payload, step_hook));
  // 3. Read it back: what is on disk must be what was verified.
  Step(hook, "verify");
  auto written = durable::ReadFile(ImagePath(dir_, target), m.payload_length + 1);
  if (!written.ok()) return written.status();
  if (Sha256Hex(*written) != m.payload_sha256) {
    return cwmp::IoError("slot " + std::string(1, target) +
                         ": the written image does not match its SHA-256");
  }
  // 4. Meta, then the commit point: the active pointer.
  CWMP_RETURN_IF_ERROR(durable::WriteFile(MetaPath(dir_, target),
                                          m.version + "\n" + m.payload_sha256 + "\n", step_hook));
  Step(hook, "switch");
  CWMP_RETURN_IF_ERROR(
      durable::WriteFile(dir_ + "/active", std::string(1, target) + "\n", step_hook));
  active_ = SlotInfo{target, m.version, m.payload_sha256};
  return cwmp::Status::Ok();
}

cwmp::Status ImageSlots::ActivateInactive() {
  std::optional<SlotInfo> inactive = active_ ? Inactive() : std::nullopt;
  if (!inactive) return cwmp::NotFound("the inactive slot holds no complete image");
  auto image = durable::ReadFile(ImagePath(dir_, inactive->slot), kMaxFirmwarePayload);
  if (!image.ok()) return image.status();
  if (Sha256Hex(*image) != inactive->sha256) {
    return cwmp::IoError("slot " + std::string(1, inactive->slot) +
                         ": image does not match its SHA-256");
  }
  CWMP_RETURN_IF_ERROR(durable::WriteFile(dir_ + "/active", std::string(1, inactive->slot) + "\n"));
  active_ = std::move(inactive);
  return cwmp::Status::Ok();
}

cwmp::Result<std::string> ImageSlots::ReadActiveImage() const {
  if (!active_) return cwmp::NotFound("no firmware image installed");
  auto image = durable::ReadFile(ImagePath(dir_, active_->slot), kMaxFirmwarePayload);
  if (!image.ok()) return image.status();
  if (Sha256Hex(*image) != active_->sha256) {
    return cwmp::IoError("slot " + std::string(1, active_->slot) +
                         ": image does not match its SHA-256");
  }
  return image;
}

}  // namespace agent
