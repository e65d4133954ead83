// FakeClock is single-threaded; the engine sleeps on worker threads. This one takes a lock
// around it so tests with stages deploying in parallel stay race-free. Time still moves only
// when someone sleeps or advances it.
#pragma once

#include <mutex>

#include "core/clock.h"

namespace berth::fakes {

class LockedFakeClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override {
    std::lock_guard lock(mutex_);
    return clock_.now();
  }
  std::chrono::system_clock::time_point wallNow() const override {
    std::lock_guard lock(mutex_);
    return clock_.wallNow();
  }
  bool sleepFor(Duration d, const std::atomic<bool>* cancel = nullptr) override {
    std::lock_guard lock(mutex_);
    return clock_.sleepFor(d, cancel);
  }
  Duration slept() const {
    std::lock_guard lock(mutex_);
    return clock_.slept();
  }

 private:
  mutable std::mutex mutex_;
  FakeClock clock_;
};

}  // namespace berth::fakes
