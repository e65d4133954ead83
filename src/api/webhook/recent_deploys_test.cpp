#include "api/webhook/recent_deploys.h"

#include <gtest/gtest.h>

namespace berth::api {
namespace {

using std::chrono::minutes;

TEST(RecentDeploys, RemembersByProjectStageAndDigest) {
  FakeClock clock;
  RecentDeploys recent(clock);
  recent.remember("web", "staging", "sha256:a", 7);
  EXPECT_EQ(recent.find("web", "staging", "sha256:a"), 7);
  EXPECT_EQ(recent.find("web", "staging", "sha256:b"), std::nullopt);
  EXPECT_EQ(recent.find("web", "preview", "sha256:a"), std::nullopt);
  EXPECT_EQ(recent.find("api", "staging", "sha256:a"), std::nullopt);
}

TEST(RecentDeploys, ForgetsAfterMaxAge) {
  FakeClock clock;
  RecentDeploys recent(clock, minutes(10));
  recent.remember("web", "staging", "sha256:a", 7);
  clock.advance(minutes(9));
  EXPECT_EQ(recent.find("web", "staging", "sha256:a"), 7);
  clock.advance(minutes(1));
  EXPECT_EQ(recent.find("web", "staging", "sha256:a"), std::nullopt);
  EXPECT_EQ(recent.size(), 0u);
}

TEST(RecentDeploys, BoundedByForgettingTheOldest) {
  FakeClock clock;
  RecentDeploys recent(clock, minutes(10), 2);
  recent.remember("web", "staging", "sha256:a", 1);
  clock.advance(minutes(1));
  recent.remember("web", "staging", "sha256:b", 2);
  clock.advance(minutes(1));
  recent.remember("web", "staging", "sha256:c", 3);
  EXPECT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent.find("web", "staging", "sha256:a"), std::nullopt);
  EXPECT_EQ(recent.find("web", "staging", "sha256:b"), 2);
  EXPECT_EQ(recent.find("web", "staging", "sha256:c"), 3);
}

}  // namespace
}  // namespace berth::api
