#include "docker/stream_watchdog.h"

#include <algorithm>

namespace berth::docker {

StreamWatchdog::StreamWatchdog(std::chrono::milliseconds idle_limit,
                               const net::CancelFlag* user_cancel)
    : idle_limit_(idle_limit), user_cancel_(user_cancel), last_activity_ns_(nowNs()) {
  if (idle_limit_.count() > 0 || user_cancel_ != nullptr) thread_ = std::thread([this] { run(); });
}

StreamWatchdog::~StreamWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::int64_t StreamWatchdog::nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void StreamWatchdog::touch() {
  last_activity_ns_.store(nowNs(), std::memory_order_relaxed);
}

void StreamWatchdog::run() {
  // Check often enough that a cancel or a stall is noticed well within a second, and that a
  // short idle limit (tests) is not overshot by much.
  const auto tick = idle_limit_.count() > 0
                        ? std::clamp(idle_limit_ / 10, std::chrono::milliseconds(5),
                                     std::chrono::milliseconds(100))
                        : std::chrono::milliseconds(100);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, tick, [this] { return stopping_; });
    if (stopping_) break;
    if (user_cancel_ != nullptr && user_cancel_->load()) {
      flag_.store(true);
      continue;
    }
    const auto idle_ns = nowNs() - last_activity_ns_.load(std::memory_order_relaxed);
    if (idle_limit_.count() > 0 &&
        idle_ns > std::chrono::duration_cast<std::chrono::nanoseconds>(idle_limit_).count()) {
      idle_expired_.store(true);
      flag_.store(true);
    }
  }
}

}  // namespace berth::docker
