#include "registry/retry_policy.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <random>

namespace berth::registry {

RandomSource defaultRandomSource() {
  struct State {
    std::mutex mutex;
    std::mt19937_64 engine{std::random_device{}()};
  };
  auto state = std::make_shared<State>();
  return [state] {
    std::lock_guard lock(state->mutex);
    return std::uniform_real_distribution<double>(0.0, 1.0)(state->engine);
  };
}

bool isRetryableStatus(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

Duration backoffDelay(const RetryPolicy& policy, int failed_attempts, double random01) {
  random01 = std::clamp(random01, 0.0, 0.999999);
  Duration cap = policy.base_delay;
  for (int i = 1; i < failed_attempts && cap < policy.max_delay; ++i)
    cap *= 2;
  cap = std::min(cap, policy.max_delay);
  const auto half = cap / 2;
  return half +
         std::chrono::duration_cast<Duration>(std::chrono::duration<double, Duration::period>(
             static_cast<double>((cap - half).count()) * random01));
}

RetryDecision decideRetry(const RetryPolicy& policy, int failed_attempts,
                          std::optional<Duration> retry_after, double random01) {
  if (failed_attempts >= policy.max_attempts) return {};
  if (retry_after) {
    if (*retry_after > policy.max_retry_after) return {};
    return {true, *retry_after};
  }
  return {true, backoffDelay(policy, failed_attempts, random01)};
}

}  // namespace berth::registry
