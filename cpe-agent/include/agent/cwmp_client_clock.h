#pragma once
// The time source of the CWMP client, the retry scheduler and the connection-request servers.
// Injected so that schedules are tested without sleeping. (The device model has its own
// agent::Clock in clock.h: whole seconds plus a random source, for CWMP times and schedules.)

#include <chrono>

namespace agent {

class ClientClock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~ClientClock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClientClock final : public ClientClock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace agent
