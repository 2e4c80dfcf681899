#include "agent/event_queue.h"

#include <algorithm>
#include <charconv>

#include "agent/state_file.h"

namespace agent {
namespace {

namespace soap = cwmp::soap;

constexpr std::string_view kMagic = "cpe-agent-events";
constexpr int kVersion = 1;

// Events that complete on an RPC after the Inform (TR-069 Table 7).
bool CompletesLater(std::string_view code) {
  return code == kEventTransferComplete || code == kEventMDownload ||
         code == kEventMScheduleDownload || code == kEventMUpload ||
         code == kEventAutonomousTransferComplete;
}

// Events that do not survive a reboot.
bool DroppedAtBoot(std::string_view code) {
  return code == kEventBoot || code == kEventPeriodic || code == kEventValueChange ||
         code == kEventConnectionRequest || code == "8 DIAGNOSTICS COMPLETE";
}

template <typename T>
bool ParseNumber(const std::string& s, T* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

bool IsMultipleEvent(std::string_view code) {
  return code.starts_with("M ") || code.starts_with("X ");
}

cwmp::Result<std::unique_ptr<EventQueue>> EventQueue::Open(std::string state_dir) {
  CWMP_RETURN_IF_ERROR(EnsureStateDir(state_dir));
  std::unique_ptr<EventQueue> q(new EventQueue(std::move(state_dir)));
  CWMP_RETURN_IF_ERROR(q->Load());
  return q;
}

cwmp::Status EventQueue::Persist(const State& s) const {
  StateWriter w(kMagic, kVersion);
  w.Record({"n", std::to_string(s.next_id)});
  for (const auto& e : s.events) w.Record({"e", e.event_code, e.command_key});
  for (const auto& r : s.results) {
    w.Record({"r", std::to_string(r.id), r.autonomous ? "1" : "0", r.method_event, r.command_key,
              std::to_string(r.fault.fault_code), r.fault.fault_string, r.start_time,
              r.complete_time, r.announce_url, r.transfer_url, r.is_download ? "1" : "0",
              r.file_type, std::to_string(r.file_size), r.target_file_name});
  }
  for (const auto& t : s.transfers) {
    w.Record({"q", std::to_string(t.id), t.method, t.command_key, t.file_type, t.url, t.username,
              t.password.Reveal(), std::to_string(t.file_size), t.target_file_name,
              std::to_string(t.not_before), std::to_string(t.deadline), std::to_string(t.state)});
  }
  for (const auto& si : s.scheduled_informs) {
    w.Record({"s", std::to_string(si.at), si.command_key});
  }
  if (s.reboot_requested) w.Record({"b"});
  if (s.reboot_command_key) w.Record({"k", *s.reboot_command_key});
  if (s.factory_reset_requested) w.Record({"f"});
  if (s.bootstrapped_url) w.Record({"u", *s.bootstrapped_url});
  for (const auto& [path, value] : s.informed) w.Record({"i", path, value});
  return WriteStateFile(dir_, kFileName, w.Finish());
}

cwmp::Status EventQueue::Load() {
  auto text = ReadStateFile(dir_, kFileName);
  if (!text.ok()) {
    if (text.status().code() == cwmp::StatusCode::kNotFound) return cwmp::Status::Ok();
    return text.status();
  }
  auto records = ParseStateRecords(*text, kMagic, kVersion, kFileName);
  if (!records.ok()) return records.status();
  State s;
  for (const auto& r : *records) {
    auto bad = [&] {
      return cwmp::ParseError(std::string(kFileName) + ": bad \"" + r[0] + "\" record");
    };
    const std::string& tag = r[0];
    bool ok = true;
    if (tag == "n" && r.size() == 2) {
      ok = ParseNumber(r[1], &s.next_id);
    } else if (tag == "e" && r.size() == 3) {
      s.events.push_back({r[1], r[2]});
    } else if (tag == "r" && r.size() == 15) {
      TransferResult t;
      ok = ParseNumber(r[1], &t.id) && ParseNumber(r[5], &t.fault.fault_code) &&
           ParseNumber(r[13], &t.file_size);
      t.autonomous = r[2] == "1";
      t.method_event = r[3];
      t.command_key = r[4];
      t.fault.fault_string = r[6];
      t.start_time = r[7];
      t.complete_time = r[8];
      t.announce_url = r[9];
      t.transfer_url = r[10];
      t.is_download = r[11] == "1";
      t.file_type = r[12];
      t.target_file_name = r[14];
      s.results.push_back(std::move(t));
    } else if (tag == "q" && r.size() == 13) {
      QueuedTransferItem t;
      ok = ParseNumber(r[1], &t.id) && ParseNumber(r[8], &t.file_size) &&
           ParseNumber(r[10], &t.not_before) && ParseNumber(r[11], &t.deadline) &&
           ParseNumber(r[12], &t.state);
      t.method = r[2];
      t.command_key = r[3];
      t.file_type = r[4];
      t.url = r[5];
      t.username = r[6];
      t.password = cwmp::Secret(r[7]);
      t.target_file_name = r[9];
      s.transfers.push_back(std::move(t));
    } else if (tag == "s" && r.size() == 3) {
      ScheduledInform si;
      ok = ParseNumber(r[1], &si.at);
      si.command_key = r[2];
      s.scheduled_informs.push_back(std::move(si));
    } else if (tag == "b" && r.size() == 1) {
      s.reboot_requested = true;
    } else if (tag == "k" && r.size() == 2) {
      s.reboot_command_key = r[1];
    } else if (tag == "f" && r.size() == 1) {
      s.factory_reset_requested = true;
    } else if (tag == "u" && r.size() == 2) {
      s.bootstrapped_url = r[1];
    } else if (tag == "i" && r.size() == 3) {
      s.informed[r[1]] = r[2];
    } else {
      ok = false;
    }
    if (!ok) return bad();
  }
  state_ = std::move(s);
  return cwmp::Status::Ok();
}

cwmp::Status EventQueue::Commit(State next) {
  CWMP_RETURN_IF_ERROR(Persist(next));
  state_ = std::move(next);
  return cwmp::Status::Ok();
}

bool EventQueue::HasEvent(std::string_view code) const {
  return std::any_of(state_.events.begin(), state_.events.end(),
                     [&](const auto& e) { return e.event_code == code; });
}

void EventQueue::AddTo(State& s, const std::string& code, const std::string& command_key) {
  bool multiple = IsMultipleEvent(code);
  for (const auto& e : s.events) {
    if (e.event_code == code && (!multiple || e.command_key == command_key)) return;
  }
  if (code == kEventBootstrap) {
    // "All other undelivered events MUST be discarded on BOOTSTRAP": the new ACS knows nothing
    // of the old one's requests.
    s.events.clear();
    s.results.clear();
    s.transfers.clear();
    s.scheduled_informs.clear();
  }
  s.events.push_back({code, command_key});
}

cwmp::Status EventQueue::Add(const std::string& code, const std::string& command_key) {
  State next = state_;
  AddTo(next, code, command_key);
  if (next == state_) return cwmp::Status::Ok();
  return Commit(std::move(next));
}

cwmp::Status EventQueue::OnInformDelivered(const std::vector<soap::EventStruct>& sent) {
  State next = state_;
  std::erase_if(next.events, [&](const soap::EventStruct& e) {
    return !CompletesLater(e.event_code) && std::find(sent.begin(), sent.end(), e) != sent.end();
  });
  if (next == state_) return cwmp::Status::Ok();
  return Commit(std::move(next));
}

cwmp::Status EventQueue::OnSessionFailed() {
  State next = state_;
  std::erase_if(next.events,
                [](const auto& e) { return e.event_code == kEventConnectionRequest; });
  if (next == state_) return cwmp::Status::Ok();
  return Commit(std::move(next));
}

cwmp::Status EventQueue::OnBoot() {
  State next = state_;
  std::erase_if(next.events, [](const auto& e) { return DroppedAtBoot(e.event_code); });
  if (next.reboot_command_key) AddTo(next, kEventMReboot, *next.reboot_command_key);
  next.reboot_command_key.reset();
  next.reboot_requested = false;
  // A transfer interrupted by the restart starts again from the beginning.
  for (auto& t : next.transfers) t.state = 1;
  AddTo(next, kEventBoot, "");
  return Commit(std::move(next));
}

cwmp::Result<uint64_t> EventQueue::Enqueue(QueuedTransferItem item) {
  if (state_.transfers.size() >= kMaxQueuedTransfers) {
    return cwmp::LimitExceeded("transfer queue is full (" + std::to_string(kMaxQueuedTransfers) +
                               " transfers)");
  }
  State next = state_;
  item.id = next.next_id++;
  uint64_t id = item.id;
  next.transfers.push_back(std::move(item));
  CWMP_RETURN_IF_ERROR(Commit(std::move(next)));
  return id;
}

cwmp::Status EventQueue::SetTransferState(uint64_t id, int state) {
  State next = state_;
  for (auto& t : next.transfers) {
    if (t.id == id) t.state = state;
  }
  return Commit(std::move(next));
}

cwmp::Status EventQueue::Complete(uint64_t id, TransferResult result, bool reboot) {
  State next = state_;
  std::erase_if(next.transfers, [&](const auto& t) { return t.id == id; });
  result.id = next.next_id++;
  if (result.autonomous) {
    AddTo(next, kEventAutonomousTransferComplete, "");
  } else {
    AddTo(next, kEventTransferComplete, "");
    AddTo(next, result.method_event, result.command_key);
  }
  next.results.push_back(std::move(result));
  if (reboot) next.reboot_requested = true;
  return Commit(std::move(next));
}

cwmp::Status EventQueue::Acknowledge(uint64_t id) {
  State next = state_;
  auto it = std::find_if(next.results.begin(), next.results.end(),
                         [&](const auto& r) { return r.id == id; });
  if (it == next.results.end()) return cwmp::Status::Ok();
  TransferResult done = *it;
  next.results.erase(it);
  auto any = [&](bool autonomous, std::string_view method, std::string_view key, bool match_key) {
    return std::any_of(next.results.begin(), next.results.end(), [&](const auto& r) {
      return r.autonomous == autonomous &&
             (!match_key || (r.method_event == method && r.command_key == key));
    });
  };
  if (done.autonomous) {
    if (!any(true, "", "", false)) {
      std::erase_if(next.events, [](const auto& e) {
        return e.event_code == kEventAutonomousTransferComplete;
      });
    }
  } else {
    if (!any(false, done.method_event, done.command_key, true)) {
      std::erase_if(next.events, [&](const auto& e) {
        return e.event_code == done.method_event && e.command_key == done.command_key;
      });
    }
    if (!any(false, "", "", false)) {
      std::erase_if(next.events,
                    [](const auto& e) { return e.event_code == kEventTransferComplete; });
    }
  }
  return Commit(std::move(next));
}

cwmp::Status EventQueue::Cancel(const std::string& command_key) {
  for (const auto& r : state_.results) {
    if (!r.autonomous && r.command_key == command_key) {
      return cwmp::FailedPrecondition("transfer \"" + command_key + "\" has completed");
    }
  }
  auto it = std::find_if(state_.transfers.begin(), state_.transfers.end(),
                         [&](const auto& t) { return t.command_key == command_key; });
  if (it == state_.transfers.end()) {
    return cwmp::NotFound("no transfer with CommandKey \"" + command_key + "\"");
  }
  if (it->state != 1) {
    return cwmp::FailedPrecondition("transfer \"" + command_key + "\" is in progress");
  }
  State next = state_;
  std::erase_if(next.transfers, [&](const auto& t) { return t.command_key == command_key; });
  return Commit(std::move(next));
}

cwmp::Status EventQueue::AddScheduledInform(ScheduledInform s) {
  State next = state_;
  next.scheduled_informs.push_back(std::move(s));
  return Commit(std::move(next));
}

cwmp::Result<size_t> EventQueue::FireScheduledInforms(int64_t now) {
  State next = state_;
  size_t fired = 0;
  std::vector<ScheduledInform> keep;
  for (auto& si : next.scheduled_informs) {
    if (si.at <= now) {
      AddTo(next, kEventScheduled, "");
      AddTo(next, kEventMScheduleInform, si.command_key);
      ++fired;
    } else {
      keep.push_back(std::move(si));
    }
  }
  if (fired == 0) return size_t{0};
  next.scheduled_informs = std::move(keep);
  CWMP_RETURN_IF_ERROR(Commit(std::move(next)));
  return fired;
}

cwmp::Status EventQueue::RequestReboot(std::optional<std::string> command_key) {
  State next = state_;
  next.reboot_requested = true;
  if (command_key) next.reboot_command_key = std::move(command_key);
  return Commit(std::move(next));
}

cwmp::Status EventQueue::RequestFactoryReset() {
  State next = state_;
  next.factory_reset_requested = true;
  return Commit(std::move(next));
}

cwmp::Status EventQueue::CompleteFactoryReset() {
  State next;
  next.next_id = state_.next_id;
  next.reboot_requested = true;
  AddTo(next, kEventBootstrap, "");
  return Commit(std::move(next));
}

cwmp::Status EventQueue::ClearReboot() {
  State next = state_;
  next.reboot_requested = false;
  return Commit(std::move(next));
}

cwmp::Status EventQueue::SetBootstrappedUrl(std::string url) {
  State next = state_;
  next.bootstrapped_url = std::move(url);
  if (next == state_) return cwmp::Status::Ok();
  return Commit(std::move(next));
}

cwmp::Status EventQueue::SetInformed(std::map<std::string, std::string> informed) {
  State next = state_;
  next.informed = std::move(informed);
  if (next == state_) return cwmp::Status::Ok();
  return Commit(std::move(next));
}

}  // namespace agent
