// Cancels a long transfer that has stopped making progress. A pull may rightly take many
// minutes, so its total timeout is long; but a pull whose daemon has not written a byte for
// minutes is stuck (registry hanging, daemon wedged) and should fail as a timeout, not hang a
// deploy. The HTTP seam takes one cancel flag and checks it about once a second; the watchdog
// owns that flag and sets it when the caller's own flag is set or when touch() has not been
// called for `idle_limit`.
//
// It runs on its own thread and therefore measures real time (std::chrono::steady_clock), not
// the Clock seam: FakeClock is single-threaded and advances only when a test says so.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "net/http.h"

namespace berth::docker {

class StreamWatchdog {
 public:
  // idle_limit zero: no idle check (only forwards `user_cancel`).
  StreamWatchdog(std::chrono::milliseconds idle_limit, const net::CancelFlag* user_cancel);
  ~StreamWatchdog();
  StreamWatchdog(const StreamWatchdog&) = delete;
  StreamWatchdog& operator=(const StreamWatchdog&) = delete;

  // Progress was made (a chunk arrived). Cheap; call it from the data callback.
  void touch();
  // The flag to hand to HttpClient::stream.
  const net::CancelFlag* flag() const { return &flag_; }
  // True when the watchdog cancelled because of idleness (not because the caller cancelled).
  bool idleExpired() const { return idle_expired_.load(); }

 private:
  void run();
  static std::int64_t nowNs();

  std::chrono::milliseconds idle_limit_;
  const net::CancelFlag* user_cancel_;
  net::CancelFlag flag_{false};
  std::atomic<bool> idle_expired_{false};
  std::atomic<std::int64_t> last_activity_ns_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace berth::docker
