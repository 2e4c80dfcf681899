#include "upgrade/upgrade_state.h"

#include <charconv>
#include <map>
#include <vector>

#include "agent/state_file.h"

namespace agent {
namespace {

constexpr std::string_view kMagic = "cpe-agent-upgrade";
constexpr int kVersion = 1;

std::string_view OutcomeName(UpgradeOutcome o) {
  switch (o) {
    case UpgradeOutcome::kSucceeded:
      return "succeeded";
    case UpgradeOutcome::kFailed:
      return "failed";
    case UpgradeOutcome::kNone:
      break;
  }
  return "none";
}

template <typename T>
cwmp::Status ParseNumber(const std::string& text, const std::string& key, T* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return cwmp::ParseError(std::string(UpgradeState::kFileName) + ": bad " + key + " \"" + text +
                            "\"");
  }
  return cwmp::Status::Ok();
}

}  // namespace

std::string EncodeUpgradeState(const UpgradeState& s) {
  StateWriter w(kMagic, kVersion);
  const std::string failures = std::to_string(s.failures);
  const std::string next_retry = std::to_string(s.next_retry);
  const std::string upgst = std::to_string(s.upgst);
  const std::string last_attempt = std::to_string(s.last_attempt);
  w.Record({"rule", s.rule});
  w.Record({"url", s.url});
  w.Record({"outcome", OutcomeName(s.outcome)});
  w.Record({"failures", failures});
  w.Record({"next_retry", next_retry});
  w.Record({"upgst", upgst});
  w.Record({"upgerr", s.upgerr});
  w.Record({"last_attempt", last_attempt});
  w.Record({"last_url", s.last_url});
  w.Record({"last_result", s.last_result});
  w.Record({"in_progress", s.in_progress ? "1" : "0"});
  w.Record({"in_progress_manual", s.in_progress_manual ? "1" : "0"});
  w.Record({"installing", s.installing});
  w.Record({"resync_pending", s.resync_pending ? "1" : "0"});
  return w.Finish();
}

cwmp::Result<UpgradeState> DecodeUpgradeState(std::string_view text) {
  auto records = ParseStateRecords(text, kMagic, kVersion, UpgradeState::kFileName);
  if (!records.ok()) return records.status();
  std::map<std::string, std::string> fields;
  for (const auto& r : *records) {
    if (r.size() != 2) {
      return cwmp::ParseError(std::string(UpgradeState::kFileName) + ": a record needs 2 fields");
    }
    fields[r[0]] = r[1];
  }
  UpgradeState s;
  s.rule = fields["rule"];
  s.url = fields["url"];
  const std::string& outcome = fields["outcome"];
  if (outcome == "succeeded") {
    s.outcome = UpgradeOutcome::kSucceeded;
  } else if (outcome == "failed") {
    s.outcome = UpgradeOutcome::kFailed;
  } else if (outcome != "none" && !outcome.empty()) {
    return cwmp::ParseError(std::string(UpgradeState::kFileName) + ": bad outcome \"" + outcome +
                            "\"");
  }
  CWMP_RETURN_IF_ERROR(ParseNumber(fields["failures"], "failures", &s.failures));
  CWMP_RETURN_IF_ERROR(ParseNumber(fields["next_retry"], "next_retry", &s.next_retry));
  CWMP_RETURN_IF_ERROR(ParseNumber(fields["upgst"], "upgst", &s.upgst));
  CWMP_RETURN_IF_ERROR(ParseNumber(fields["last_attempt"], "last_attempt", &s.last_attempt));
  s.upgerr = fields["upgerr"];
  s.last_url = fields["last_url"];
  s.last_result = fields["last_result"];
  s.in_progress = fields["in_progress"] == "1";
  s.in_progress_manual = fields["in_progress_manual"] == "1";
  s.installing = fields["installing"];
  s.resync_pending = fields["resync_pending"] == "1";
  return s;
}

}  // namespace agent
