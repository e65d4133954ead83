#include "poller/poll_schedule.h"

#include <algorithm>

namespace berth::poller {

Duration backoffWait(Duration interval, int consecutive_errors, Duration max_backoff) {
  const Duration cap = std::max(interval, max_backoff);
  Duration wait = interval;
  // Doubling step by step, stopping at the cap, cannot overflow however many errors there were.
  for (int i = 0; i < consecutive_errors && wait < cap; ++i)
    wait *= 2;
  return std::min(wait, cap);
}

Duration jittered(Duration wait, double jitter, double random01) {
  const double spread = std::clamp(jitter, 0.0, 0.99);
  const double factor = 1.0 + spread * (2.0 * std::clamp(random01, 0.0, 1.0) - 1.0);
  return std::chrono::duration_cast<Duration>(wait * factor);
}

std::optional<Duration> rateLimitWait(const std::optional<registry::RateLimit>& limit,
                                      std::chrono::system_clock::time_point now) {
  if (!limit || !limit->remaining || *limit->remaining > 0 || !limit->window) return std::nullopt;
  const auto reset = limit->observed + *limit->window;
  if (reset <= now) return std::nullopt;
  return std::chrono::ceil<Duration>(reset - now);
}

}  // namespace berth::poller
