#include "resync/resync_state.h"

#include <charconv>
#include <vector>

#include "agent/state_file.h"

namespace agent::resync_internal {
namespace {

constexpr const char* kMagic = "resync-state";
constexpr int kVersion = 1;

const ResyncTrigger kTriggers[] = {ResyncTrigger::kPowerUp,  ResyncTrigger::kPeriodic,
                                   ResyncTrigger::kResyncAt, ResyncTrigger::kRetry,
                                   ResyncTrigger::kExplicit, ResyncTrigger::kAfterUpgrade};

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<uint64_t> ParseHex(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

void Optional(StateWriter& w, std::string_view key, const std::optional<int64_t>& v) {
  if (v) w.Record({key, std::to_string(*v)});
}

cwmp::Status Bad(size_t index, std::string_view what) {
  return cwmp::ParseError(std::string(kStateFileName) + ": record " + std::to_string(index + 1) +
                          ": " + std::string(what));
}

// Applies one record; false when it is malformed.
bool ApplyRecord(const std::vector<std::string>& r, PersistedState* s) {
  if (r.size() < 2) return false;
  const std::string& key = r[0];
  if (key == "digest") {
    if (r.size() != 3) return false;
    auto d = ParseHex(r[2]);
    if (!d) return false;
    s->digests[r[1]] = *d;
    return true;
  }
  if (key == "last_error") {
    s->last_error = r[1];
    return true;
  }
  if (key == "next") {
    if (r.size() != 3) return false;
    auto due = ParseInt(r[1]);
    if (!due) return false;
    for (ResyncTrigger t : kTriggers) {
      if (r[2] == ResyncTriggerName(t)) {
        s->next_due = *due;
        s->next_trigger = t;
        return true;
      }
    }
    return false;
  }
  auto v = ParseInt(r[1]);
  if (!v || r.size() != 2) return false;
  if (key == "last_attempt")
    s->last_attempt = *v;
  else if (key == "last_finish")
    s->last_finish = *v;
  else if (key == "last_success")
    s->last_success = *v;
  else if (key == "last_succeeded")
    s->last_succeeded = *v != 0;
  else if (key == "prvst")
    s->prvst = static_cast<int>(*v);
  else if (key == "failures")
    s->consecutive_failures = static_cast<int>(*v);
  else if (key == "periodic_index")
    s->periodic_index = static_cast<int>(*v);
  else if (key == "failure_reported")
    s->failure_reported = *v != 0;
  else
    return false;
  return true;
}

}  // namespace

std::string SerializeState(const PersistedState& s) {
  StateWriter w(kMagic, kVersion);
  Optional(w, "last_attempt", s.last_attempt);
  Optional(w, "last_finish", s.last_finish);
  Optional(w, "last_success", s.last_success);
  if (s.last_succeeded) w.Record({"last_succeeded", *s.last_succeeded ? "1" : "0"});
  if (!s.last_error.empty()) w.Record({"last_error", s.last_error});
  w.Record({"prvst", std::to_string(s.prvst)});
  w.Record({"failures", std::to_string(s.consecutive_failures)});
  w.Record({"periodic_index", std::to_string(s.periodic_index)});
  w.Record({"failure_reported", s.failure_reported ? "1" : "0"});
  if (s.next_due) {
    w.Record({"next", std::to_string(*s.next_due), ResyncTriggerName(s.next_trigger)});
  }
  for (const auto& [rule, digest] : s.digests) {
    char hex[17];
    auto [end, ec] = std::to_chars(hex, hex + sizeof(hex), digest, 16);
    (void)ec;
    w.Record({"digest", rule, std::string_view(hex, static_cast<size_t>(end - hex))});
  }
  return w.Finish();
}

cwmp::Result<PersistedState> ParseState(std::string_view text) {
  auto records = ParseStateRecords(text, kMagic, kVersion, kStateFileName);
  if (!records.ok()) return records.status();
  PersistedState s;
  for (size_t i = 0; i < records->size(); ++i) {
    if (!ApplyRecord((*records)[i], &s)) {
      const auto& r = (*records)[i];
      return Bad(i, "malformed \"" + (r.empty() ? std::string() : r[0]) + "\"");
    }
  }
  return s;
}

uint64_t ContentDigest(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace agent::resync_internal
