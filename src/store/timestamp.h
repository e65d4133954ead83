// Points in time as the store keeps them.
//
// Timestamps are stored as INTEGER unix milliseconds, UTC: integers sort and compare correctly in
// SQL (ORDER BY, <, indexes) without parsing, carry no time zone or format ambiguity, and
// millisecond precision orders the steps of one deploy, which happen well under a second apart.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace berth {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// Where the store reads the current time; tests pass a fixed or stepping clock.
using StoreClock = std::function<Timestamp()>;

inline Timestamp systemNow() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

inline std::int64_t toUnixMillis(Timestamp t) {
  return t.time_since_epoch().count();
}
inline Timestamp fromUnixMillis(std::int64_t ms) {
  return Timestamp(std::chrono::milliseconds(ms));
}

}  // namespace berth
