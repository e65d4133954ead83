#include "registry/retry_policy.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

using namespace std::chrono_literals;

TEST(RetryPolicy, RetryableStatuses) {
  for (int s : {429, 500, 502, 503, 504})
    EXPECT_TRUE(isRetryableStatus(s)) << s;
  for (int s : {200, 301, 400, 401, 403, 404, 405, 501, 505})
    EXPECT_FALSE(isRetryableStatus(s)) << s;
}

TEST(RetryPolicy, BackoffGrowsExponentiallyWithEqualJitterAndIsCapped) {
  const RetryPolicy p;  // 500 ms base, 8 s cap
  EXPECT_EQ(backoffDelay(p, 1, 0.0), Duration(250ms));
  EXPECT_EQ(backoffDelay(p, 1, 0.5), Duration(375ms));
  EXPECT_EQ(backoffDelay(p, 2, 0.0), Duration(500ms));
  EXPECT_EQ(backoffDelay(p, 3, 0.0), Duration(1000ms));
  EXPECT_EQ(backoffDelay(p, 10, 0.0), Duration(4s));
  for (int attempt = 1; attempt < 40; ++attempt) {
    for (double r : {0.0, 0.25, 0.999999, 1.0, 7.0, -1.0}) {
      const Duration d = backoffDelay(p, attempt, r);
      EXPECT_GE(d, p.base_delay / 2) << attempt << " " << r;
      EXPECT_LT(d, p.max_delay) << attempt << " " << r;
    }
  }
}

TEST(RetryPolicy, AttemptsAreBounded) {
  const RetryPolicy p;  // 4 attempts
  EXPECT_TRUE(decideRetry(p, 1, std::nullopt, 0.5).retry);
  EXPECT_TRUE(decideRetry(p, 3, std::nullopt, 0.5).retry);
  EXPECT_FALSE(decideRetry(p, 4, std::nullopt, 0.5).retry);
}

TEST(RetryPolicy, RetryAfterIsHonouredUpToTheCap) {
  const RetryPolicy p;  // cap 60 s
  const auto d = decideRetry(p, 1, Duration(30s), 0.5);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, Duration(30s));
  EXPECT_TRUE(decideRetry(p, 1, Duration(60s), 0.5).retry);
  EXPECT_FALSE(decideRetry(p, 1, Duration(61s), 0.5).retry);
  EXPECT_FALSE(decideRetry(p, 4, Duration(1s), 0.5).retry);
}

TEST(RetryPolicy, DefaultRandomSourceStaysInRange) {
  const auto random = defaultRandomSource();
  for (int i = 0; i < 1000; ++i) {
    const double r = random();
    EXPECT_GE(r, 0.0);
    EXPECT_LT(r, 1.0);
  }
}

}  // namespace
}  // namespace berth::registry
