#include "cwmp/prov/schedule.h"

#include <string>

namespace cwmp::prov {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Shown(std::string_view s) { return "\"" + std::string(s.substr(0, 64)) + "\""; }

// Parses a decimal number up to `max`; false if not a number or too large.
bool ParseNumber(std::string_view s, uint64_t max, uint64_t* out) {
  s = Trim(s);
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (max - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

constexpr uint64_t kMaxDelay = 4294967295u;
constexpr size_t kMaxElements = 64;

}  // namespace

SystemRandom::SystemRandom() : engine_(std::random_device{}()) {}

uint64_t SystemRandom::Uniform(uint64_t max_inclusive) {
  return std::uniform_int_distribution<uint64_t>(0, max_inclusive)(engine_);
}

Result<DelaySchedule> DelaySchedule::Parse(std::string_view text, std::string_view parameter) {
  DelaySchedule schedule;
  std::string name(parameter);
  std::string_view all = Trim(text);
  if (all.empty()) return schedule;
  size_t pos = 0;
  while (true) {
    size_t comma = all.find(',', pos);
    std::string_view item =
        all.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (schedule.elements_.size() == kMaxElements) {
      return LimitExceeded(name + ": more than 64 delay elements");
    }
    DelayElement e;
    size_t plus = item.find('+');
    std::string_view base = item.substr(0, plus);
    if (!ParseNumber(base, kMaxDelay, &e.seconds)) {
      return InvalidArgument(name + ": " + Shown(Trim(item)) +
                             " is not a number of seconds (0-4294967295), optionally "
                             "followed by +random_extra");
    }
    if (plus != std::string_view::npos &&
        !ParseNumber(item.substr(plus + 1), kMaxDelay, &e.random_extra)) {
      return InvalidArgument(name + ": random extra in " + Shown(Trim(item)) +
                             " is not a number of seconds (0-4294967295)");
    }
    schedule.elements_.push_back(e);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return schedule;
}

std::optional<uint64_t> DelaySchedule::Delay(size_t index, Random& random) const {
  if (elements_.empty()) return std::nullopt;
  const DelayElement& e = elements_[index < elements_.size() ? index : elements_.size() - 1];
  if (e.seconds == 0) return std::nullopt;
  uint64_t extra = e.random_extra ? random.Uniform(e.random_extra) : 0;
  if (extra > e.random_extra) extra = e.random_extra;  // a misbehaving source stays in range
  return e.seconds + extra;
}

Result<std::optional<ResyncAt>> ParseResyncAt(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty()) return std::optional<ResyncAt>();
  bool digits = s.size() == 4;
  for (char c : s) digits = digits && c >= '0' && c <= '9';
  if (!digits) return InvalidArgument("Resync_At: " + Shown(s) + " is not four digits HHmm");
  int hour = (s[0] - '0') * 10 + (s[1] - '0');
  int minute = (s[2] - '0') * 10 + (s[3] - '0');
  if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) {
    return InvalidArgument("Resync_At: " + Shown(s) + " is not a time from 0000 to 2400");
  }
  return std::optional<ResyncAt>(ResyncAt{hour % 24, minute});
}

Result<uint32_t> ParseResyncAtRandomDelay(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty()) return uint32_t{600};
  uint64_t v = 0;
  if (!ParseNumber(s, 65535, &v)) {
    return InvalidArgument("Resync_At_Random_Delay: " + Shown(s) +
                           " is not a number of seconds from 0 to 65535");
  }
  return static_cast<uint32_t>(v);
}

uint64_t ResyncAtWindowSeconds(uint32_t random_delay_seconds) {
  return (static_cast<uint64_t>(random_delay_seconds) + 30) / 60 * 60;
}

std::chrono::sys_seconds NextResyncAt(std::chrono::sys_seconds now, ResyncAt at,
                                      std::chrono::seconds utc_offset,
                                      uint32_t random_delay_seconds, Random& random) {
  using std::chrono::days;
  using std::chrono::floor;
  using std::chrono::seconds;
  const std::chrono::local_seconds local_now{now.time_since_epoch() + utc_offset};
  const auto midnight = floor<days>(local_now);
  auto target = midnight + std::chrono::hours(at.hour) + std::chrono::minutes(at.minute);
  if (target <= local_now) target += days(1);
  uint64_t window = ResyncAtWindowSeconds(random_delay_seconds);
  uint64_t extra = window ? random.Uniform(window) : 0;
  if (extra > window) extra = window;
  return std::chrono::sys_seconds{target.time_since_epoch() - utc_offset +
                                  seconds(static_cast<int64_t>(extra))};
}

}  // namespace cwmp::prov
