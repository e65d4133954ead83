#include "poller/poll_schedule.h"

#include <gtest/gtest.h>

namespace berth::poller {
namespace {

using namespace std::chrono_literals;

TEST(BackoffWait, DoublesPerConsecutiveErrorUpToTheCap) {
  EXPECT_EQ(backoffWait(60s, 0, 30min), 60s);
  EXPECT_EQ(backoffWait(60s, 1, 30min), 120s);
  EXPECT_EQ(backoffWait(60s, 2, 30min), 240s);
  EXPECT_EQ(backoffWait(60s, 5, 30min), 30min);  // 64 min capped
  EXPECT_EQ(backoffWait(60s, 1'000'000, 30min), 30min);
}

TEST(BackoffWait, ACapBelowTheIntervalDoesNotShortenIt) {
  EXPECT_EQ(backoffWait(1h, 0, 30min), 1h);
  EXPECT_EQ(backoffWait(1h, 3, 30min), 1h);
}

TEST(Jittered, SpreadsByTheFractionEitherWay) {
  EXPECT_EQ(jittered(60s, 0.1, 0.0), 54s);
  EXPECT_EQ(jittered(60s, 0.1, 0.5), 60s);
  EXPECT_GT(jittered(60s, 0.1, 0.999), 65900ms);
  EXPECT_LT(jittered(60s, 0.1, 0.999), 66s);
  EXPECT_EQ(jittered(60s, 0.0, 0.0), 60s);
  // A jitter of 1 or more would allow a zero wait, a busy loop against the registry.
  EXPECT_GT(jittered(60s, 5.0, 0.0), 0s);
}

TEST(RateLimitWait, WaitsForTheWindowWhenNothingRemains) {
  const std::chrono::system_clock::time_point now{
      std::chrono::sys_days{std::chrono::year{2026} / 3 / 1}};
  registry::RateLimit limit;
  limit.limit = 100;
  limit.remaining = 0;
  limit.window = 6h;
  limit.observed = now - 1h;
  EXPECT_EQ(rateLimitWait(limit, now), Duration(5h));

  limit.observed = now - 7h;  // the window has reset already
  EXPECT_EQ(rateLimitWait(limit, now), std::nullopt);

  limit.observed = now;
  limit.remaining = 3;
  EXPECT_EQ(rateLimitWait(limit, now), std::nullopt);

  limit.remaining = 0;
  limit.window.reset();  // no window: no idea when it resets, back-off decides
  EXPECT_EQ(rateLimitWait(limit, now), std::nullopt);
  EXPECT_EQ(rateLimitWait(std::nullopt, now), std::nullopt);
}

}  // namespace
}  // namespace berth::poller
