// A Clock for tests of code that waits on another thread. FakeClock advances itself inside
// sleepFor(), so a background loop on it would spin through its waits at once (and race on
// its fields); here time moves only when the test calls advance(), and sleepFor() blocks until
// it has moved far enough, or the cancel flag is set. Test-only.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "core/clock.h"

namespace berth::poller::testing {

class ManualClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override {
    std::lock_guard lock(mutex_);
    return steady_;
  }
  std::chrono::system_clock::time_point wallNow() const override {
    std::lock_guard lock(mutex_);
    return wall_;
  }

  bool sleepFor(Duration d, const std::atomic<bool>* cancel = nullptr) override {
    std::unique_lock lock(mutex_);
    const auto deadline = steady_ + d;
    sleepers_.push_back(deadline);
    changed_.notify_all();
    bool woke = true;
    while (steady_ < deadline) {
      if (cancel != nullptr && cancel->load()) {
        woke = false;
        break;
      }
      // The cancel flag is a bare atomic that nobody signals: look at it again every 1 ms.
      changed_.wait_for(lock, std::chrono::milliseconds(1));
    }
    sleepers_.erase(std::find(sleepers_.begin(), sleepers_.end(), deadline));
    return woke;
  }

  void advance(Duration d) {
    std::lock_guard lock(mutex_);
    steady_ += d;
    wall_ += d;
    changed_.notify_all();
  }

  // Waits (up to 5 s of real time) until a thread is blocked in sleepFor() waiting for time
  // the test has not given yet; returns how long that thread still waits, or nullopt on timeout.
  std::optional<Duration> awaitSleeper() {
    std::unique_lock lock(mutex_);
    std::optional<Duration> left;
    changed_.wait_for(lock, std::chrono::seconds(5), [&] {
      for (const auto& deadline : sleepers_)
        if (deadline > steady_) left = std::chrono::ceil<Duration>(deadline - steady_);
      return left.has_value();
    });
    return left;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::chrono::steady_clock::time_point steady_{};
  std::chrono::system_clock::time_point wall_{
      std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  std::vector<std::chrono::steady_clock::time_point> sleepers_;
};

}  // namespace berth::poller::testing
