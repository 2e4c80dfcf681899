#pragma once
#include <chrono>

#include "agent/cwmp_client_clock.h"

namespace agent_test {

class FakeClientClock final : public agent::ClientClock {
 public:
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::milliseconds d) { now_ += d; }

 private:
  TimePoint now_ =
      TimePoint(std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} + std::chrono::hours{12});
};

}  // namespace agent_test
