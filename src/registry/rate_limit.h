// What a registry says about its rate limits, read from response headers so the poller can show
// them and slow down before it is cut off:
//   ratelimit-limit: 100;w=21600       (Docker Hub: 100 pulls per 6 hours)
//   ratelimit-remaining: 76;w=21600
//   Retry-After: 120  |  Retry-After: Wed, 21 Oct 2026 07:28:00 GMT   (on 429 or 503)
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/model.h"
#include "net/http.h"

namespace berth::registry {

struct RateLimit {
  std::optional<std::int64_t> limit{};               // requests per window, when sent
  std::optional<std::int64_t> remaining{};           // left in the current window, when sent
  std::optional<std::chrono::seconds> window{};      // the ";w=" policy window, when sent
  std::chrono::system_clock::time_point observed{};  // when the response carrying it arrived
  bool operator==(const RateLimit&) const = default;
};

// nullopt when neither header is present or both are unreadable.
std::optional<RateLimit> parseRateLimit(const net::Headers& headers,
                                        std::chrono::system_clock::time_point now);

// How long Retry-After asks to wait: delta-seconds, or an IMF-fixdate HTTP date relative to
// `now` (a past date means 0). nullopt when the value is neither.
std::optional<Duration> parseRetryAfter(std::string_view value,
                                        std::chrono::system_clock::time_point now);

}  // namespace berth::registry
