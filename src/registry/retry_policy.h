// When to try a registry request again, and how long to wait first. Pure: the client asks,
// then sleeps on its Clock, so unit tests decide and "wait" instantly.
//
// Retried: network errors (connect, timeout, protocol), 429 and 5xx answers (500, 502, 503,
// 504). Never retried: other 4xx (they will not change), TLS failures (a certificate problem
// needs an operator), cancellation. A bounded number of attempts, each waiting an exponentially
// growing delay with "equal jitter" (half fixed, half random), so many stages polling one
// registry do not retry in lockstep, and the wait is never zero. A Retry-After is honoured as
// sent when it is within the cap; beyond the cap the client gives up at once and reports how
// long the registry asked for, so the poller can skip checks instead of blocking a worker.
#pragma once

#include <functional>
#include <optional>

#include "core/model.h"

namespace berth::registry {

struct RetryPolicy {
  int max_attempts = 4;  // first try included
  Duration base_delay = std::chrono::milliseconds(500);
  Duration max_delay = std::chrono::seconds(8);
  Duration max_retry_after = std::chrono::seconds(60);
};

// Uniform in [0, 1). Injected so tests can pin the jitter.
using RandomSource = std::function<double()>;
// A thread-safe source seeded from std::random_device.
RandomSource defaultRandomSource();

// Whether an HTTP status is worth retrying (429, 500, 502, 503, 504).
bool isRetryableStatus(int status);

// The wait before attempt `failed_attempts + 1`: with cap = min(max_delay,
// base_delay * 2^(failed_attempts-1)), a value in [cap/2, cap). `random01` outside [0,1) is
// clamped.
Duration backoffDelay(const RetryPolicy& policy, int failed_attempts, double random01);

struct RetryDecision {
  bool retry = false;
  Duration delay{0};
};

// After `failed_attempts` (>= 1) retryable failures, the last one carrying `retry_after` if the
// registry sent one: retry (and wait how long), or give up.
RetryDecision decideRetry(const RetryPolicy& policy, int failed_attempts,
                          std::optional<Duration> retry_after, double random01);

}  // namespace berth::registry
