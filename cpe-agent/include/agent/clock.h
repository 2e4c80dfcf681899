#pragma once
// Time and randomness for the device model, injected so that schedules, uptime and retries are
// tested without sleeping. The daemon passes SystemClock(); tests pass a FakeClock they move.

#include <chrono>
#include <cstdint>
#include <memory>

namespace agent {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC), for CurrentTime, StartTime/CompleteTime and schedules.
  virtual std::chrono::sys_seconds Now() = 0;
  // A uniformly distributed 64-bit value (used for random connection-request paths and the
  // like; not for key material).
  virtual uint64_t Random() = 0;
};

// The system clock and a std::random_device-seeded generator.
std::unique_ptr<Clock> SystemClock();

// A clock that moves only when told to; Random() is a fixed-seed sequence.
class FakeClock : public Clock {
 public:
  explicit FakeClock(std::chrono::sys_seconds start) : now_(start) {}
  std::chrono::sys_seconds Now() override { return now_; }
  uint64_t Random() override {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 11;
  }
  void Advance(std::chrono::seconds d) { now_ += d; }
  void Set(std::chrono::sys_seconds t) { now_ = t; }

 private:
  std::chrono::sys_seconds now_;
  uint64_t state_ = 0x853c49e6748fea9bULL;
};

}  // namespace agent
