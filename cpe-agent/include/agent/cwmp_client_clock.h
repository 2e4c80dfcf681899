#pragma once
// The time source of the CWMP client, the retry scheduler and the connection-request servers.
// Injected so that schedules are tested without sleeping.

#include <chrono>

namespace agent {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace agent
