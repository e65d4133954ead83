#include "core/clock.h"

#include <thread>

namespace berth {
namespace {

class SystemClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point wallNow() const override {
    return std::chrono::system_clock::now();
  }
  bool sleepFor(Duration d, const std::atomic<bool>* cancel) override {
    // Sleeping in short slices keeps cancellation (deploy cancel, shutdown) prompt.
    constexpr Duration kSlice{50};
    const auto deadline = std::chrono::steady_clock::now() + d;
    while (true) {
      if (cancel != nullptr && cancel->load()) return false;
      const auto left = deadline - std::chrono::steady_clock::now();
      if (left <= Duration::zero()) return true;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, kSlice));
    }
  }
};

}  // namespace

Clock& systemClock() {
  static SystemClock clock;
  return clock;
}

}  // namespace berth
