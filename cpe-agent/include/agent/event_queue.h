#pragma once
// Everything the device must not forget between sessions and across kill -9 / power loss,
// other than parameters: pending Inform events with their CommandKeys, TransferComplete /
// AutonomousTransferComplete results waiting for the ACS's acknowledgement, queued transfers,
// scheduled Informs, a requested reboot or factory reset, the ACS URL that was last
// bootstrapped, and the live values the last Inform reported. Every mutation is persisted
// atomically ("events.state", state_file.h) before it returns OK; a failed write changes nothing.
//
// Event rules (TR-069 Table 7, tr069-facts.md (c); docs/agent-device-model.md):
//   - numbered codes are single (one undelivered instance), "M ..." and "X ..." codes are
//     multiple (one per CommandKey);
//   - "0 BOOTSTRAP" discards every other undelivered event, result and queued transfer;
//   - an accepted Inform completes its events, except "7 TRANSFER COMPLETE", "M Download",
//     "M ScheduleDownload" and "M Upload" (complete on TransferCompleteResponse) and
//     "10 AUTONOMOUS TRANSFER COMPLETE" (AutonomousTransferCompleteResponse);
//   - "6 CONNECTION REQUEST" is never retried: a failed session drops it;
//   - at boot, events that do not persist across reboot ("1 BOOT", "2 PERIODIC",
//     "4 VALUE CHANGE", "6 CONNECTION REQUEST", "8 DIAGNOSTICS COMPLETE") are discarded; the
//     others stay until delivered. There is no retry limit: failed sessions are retried with
//     the TR-069 back-off (the client's job) and the events wait.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"
#include "cwmp/soap/messages.h"

namespace agent {

inline constexpr const char* kEventBootstrap = "0 BOOTSTRAP";
inline constexpr const char* kEventBoot = "1 BOOT";
inline constexpr const char* kEventPeriodic = "2 PERIODIC";
inline constexpr const char* kEventScheduled = "3 SCHEDULED";
inline constexpr const char* kEventValueChange = "4 VALUE CHANGE";
inline constexpr const char* kEventConnectionRequest = "6 CONNECTION REQUEST";
inline constexpr const char* kEventTransferComplete = "7 TRANSFER COMPLETE";
inline constexpr const char* kEventAutonomousTransferComplete = "10 AUTONOMOUS TRANSFER COMPLETE";
inline constexpr const char* kEventMReboot = "M Reboot";
inline constexpr const char* kEventMDownload = "M Download";
inline constexpr const char* kEventMScheduleDownload = "M ScheduleDownload";
inline constexpr const char* kEventMUpload = "M Upload";
inline constexpr const char* kEventMScheduleInform = "M ScheduleInform";

// At most this many transfers may be queued (cwmp-1-4.xsd: QueuedTransfers <= 16).
inline constexpr size_t kMaxQueuedTransfers = 16;

// A transfer the ACS asked for (Download, ScheduleDownload, Upload) that has not finished.
struct QueuedTransferItem {
  uint64_t id = 0;
  std::string method;  // "Download", "ScheduleDownload" or "Upload"
  std::string command_key;
  std::string file_type;
  std::string url;
  std::string username;
  cwmp::Secret password;  // persisted: the transfer must survive a reboot
  uint32_t file_size = 0;
  std::string target_file_name;
  int64_t not_before = 0;  // unix seconds: DelaySeconds or the first window's start
  int64_t deadline = 0;    // unix seconds: the last window's end; 0 = none
  int state = 1;           // 1 not yet started, 2 in progress
  bool operator==(const QueuedTransferItem&) const = default;
};

// A finished transfer whose (Autonomous)TransferComplete the ACS has not acknowledged yet.
struct TransferResult {
  uint64_t id = 0;
  bool autonomous = false;
  std::string method_event;  // "M Download", "M ScheduleDownload", "M Upload"; "" if autonomous
  std::string command_key;
  cwmp::soap::TransferFault fault;
  std::string start_time{cwmp::soap::kUnknownTime};
  std::string complete_time{cwmp::soap::kUnknownTime};
  // AutonomousTransferComplete only.
  std::string announce_url;
  std::string transfer_url;
  bool is_download = true;
  std::string file_type;
  uint32_t file_size = 0;
  std::string target_file_name;
  bool operator==(const TransferResult&) const = default;
};

struct ScheduledInform {
  int64_t at = 0;  // unix seconds
  std::string command_key;
  bool operator==(const ScheduledInform&) const = default;
};

class EventQueue {
 public:
  static constexpr const char* kFileName = "events.state";

  struct State {
    std::vector<cwmp::soap::EventStruct> events;  // oldest first
    std::vector<TransferResult> results;
    std::vector<QueuedTransferItem> transfers;
    std::vector<ScheduledInform> scheduled_informs;
    bool reboot_requested = false;
    std::optional<std::string> reboot_command_key;  // for "M Reboot" after the restart
    bool factory_reset_requested = false;
    std::optional<std::string> bootstrapped_url;  // ACS URL of the last delivered BOOTSTRAP
    std::map<std::string, std::string> informed;  // live path -> value last reported
    uint64_t next_id = 1;
    bool operator==(const State&) const = default;
  };

  static cwmp::Result<std::unique_ptr<EventQueue>> Open(std::string state_dir);

  const State& state() const { return state_; }
  const std::vector<cwmp::soap::EventStruct>& events() const { return state_.events; }
  bool HasEvent(std::string_view code) const;

  cwmp::Status Add(const std::string& code, const std::string& command_key = {});
  // The Inform carrying `sent` was accepted.
  cwmp::Status OnInformDelivered(const std::vector<cwmp::soap::EventStruct>& sent);
  cwmp::Status OnSessionFailed();
  // The device (re)started: drops the events that do not survive a reboot, adds "M Reboot"
  // for a requested reboot, returns interrupted transfers to state 1, and adds "1 BOOT".
  cwmp::Status OnBoot();

  // Queues a transfer (id assigned); kLimitExceeded when 16 are queued.
  cwmp::Result<uint64_t> Enqueue(QueuedTransferItem item);
  cwmp::Status SetTransferState(uint64_t id, int state);
  // Removes the queued transfer `id` (if any) and records its result with its events
  // ("7 TRANSFER COMPLETE" + method event, or "10 AUTONOMOUS ..."), in one write.
  // reboot=true also requests a reboot (a firmware image was installed).
  cwmp::Status Complete(uint64_t id, TransferResult result, bool reboot = false);
  // The ACS acknowledged result `id`: drop it and the events that waited for it.
  cwmp::Status Acknowledge(uint64_t id);
  // CancelTransfer: kNotFound (no such CommandKey), kFailedPrecondition (in progress or done,
  // fault 9021), or OK (removed).
  cwmp::Status Cancel(const std::string& command_key);

  cwmp::Status AddScheduledInform(ScheduledInform s);
  // Turns scheduled Informs due at `now` into "3 SCHEDULED" + "M ScheduleInform" events;
  // returns how many fired.
  cwmp::Result<size_t> FireScheduledInforms(int64_t now);

  cwmp::Status RequestReboot(std::optional<std::string> command_key);
  cwmp::Status RequestFactoryReset();
  // After the store was reset: every event, result, transfer and schedule dropped,
  // "0 BOOTSTRAP" queued, the reset and reboot flags cleared except reboot_requested.
  cwmp::Status CompleteFactoryReset();
  cwmp::Status ClearReboot();
  cwmp::Status SetBootstrappedUrl(std::string url);
  cwmp::Status SetInformed(std::map<std::string, std::string> informed);

 private:
  explicit EventQueue(std::string dir) : dir_(std::move(dir)) {}
  cwmp::Status Load();
  cwmp::Status Persist(const State& next) const;
  cwmp::Status Commit(State next);
  static void AddTo(State& s, const std::string& code, const std::string& command_key);

  std::string dir_;
  State state_;
};

// Whether the code is "multiple" (one per CommandKey): "M ..." and "X ..." codes.
bool IsMultipleEvent(std::string_view code);

}  // namespace agent
