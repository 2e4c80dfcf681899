#include "agent/clock.h"

#include <random>

namespace agent {
namespace {

class RealClock : public Clock {
 public:
  RealClock() : rng_(std::random_device{}()) {}
  std::chrono::sys_seconds Now() override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
  uint64_t Random() override { return rng_(); }

 private:
  std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<Clock> SystemClock() { return std::make_unique<RealClock>(); }

}  // namespace agent
