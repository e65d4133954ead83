// Time as a seam. Code that waits (back-off, health-check intervals, token expiry) asks a Clock,
// so unit tests run it on a FakeClock that advances instantly; production uses systemClock().
#pragma once

#include <atomic>
#include <chrono>

#include "core/model.h"

namespace berth {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time, for intervals and deadlines.
  virtual std::chrono::steady_clock::time_point now() const = 0;
  // Calendar time, for timestamps people read and for token expiry claims.
  virtual std::chrono::system_clock::time_point wallNow() const = 0;
  // Waits `d`, returning early (false) when `cancel` becomes true. Thread-safe.
  virtual bool sleepFor(Duration d, const std::atomic<bool>* cancel = nullptr) = 0;
};

// The real clock: steady_clock, system_clock, and a sleep that polls `cancel` every 50 ms.
Clock& systemClock();

// A clock for tests: time moves only when sleepFor() or advance() is called, instantly.
class FakeClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override { return steady_; }
  std::chrono::system_clock::time_point wallNow() const override { return wall_; }
  bool sleepFor(Duration d, const std::atomic<bool>* cancel = nullptr) override {
    if (cancel != nullptr && cancel->load()) return false;
    advance(d);
    ++sleeps_;
    slept_ += d;
    return true;
  }
  void advance(Duration d) {
    steady_ += d;
    wall_ += d;
  }
  int sleeps() const { return sleeps_; }
  Duration slept() const { return slept_; }

 private:
  std::chrono::steady_clock::time_point steady_{};
  std::chrono::system_clock::time_point wall_{
      std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  int sleeps_ = 0;
  Duration slept_{0};
};

}  // namespace berth
