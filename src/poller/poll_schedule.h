// When a project is checked next, as pure arithmetic: back-off after errors, jitter, and the
// wait a registry's exhausted rate limit imposes.
#pragma once

#include <chrono>
#include <optional>

#include "core/model.h"
#include "registry/rate_limit.h"

namespace berth::poller {

// The wait before the next check after `consecutive_errors` failed rounds in a row:
// interval * 2^consecutive_errors, at most `max_backoff` (but never below `interval`: an
// operator's long interval is not shortened by a small cap).
Duration backoffWait(Duration interval, int consecutive_errors, Duration max_backoff);

// `wait` spread by ±`jitter` (a fraction, clamped to [0, 1)) so that many projects with the
// same interval do not hit a registry in the same second. `random01` is uniform in [0, 1).
Duration jittered(Duration wait, double jitter, double random01);

// How long until the registry's window resets, when it reported no requests remaining and a
// window: the reset is taken as `observed + window` (Docker Hub's window slides, so this is the
// latest it can be). nullopt when the registry reported requests left, or no rate limit.
std::optional<Duration> rateLimitWait(const std::optional<registry::RateLimit>& limit,
                                      std::chrono::system_clock::time_point now);

}  // namespace berth::poller
