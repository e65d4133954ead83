#include "core/clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace berth {
namespace {

using namespace std::chrono_literals;

TEST(SystemClock, SleepReturnsEarlyWhenCancelled) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    cancel = true;
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(systemClock().sleepFor(10s, &cancel));
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(SystemClock, SleepWaitsTheWholeDuration) {
  const auto started = systemClock().now();
  EXPECT_TRUE(systemClock().sleepFor(120ms));
  EXPECT_GE(systemClock().now() - started, 120ms);
}

TEST(FakeClock, AdvancesOnlyWhenAskedAndCountsSleeps) {
  FakeClock clock;
  const auto t0 = clock.now();
  const auto w0 = clock.wallNow();
  EXPECT_TRUE(clock.sleepFor(5s));
  clock.advance(1s);
  EXPECT_EQ(clock.now() - t0, 6s);
  EXPECT_EQ(clock.wallNow() - w0, 6s);
  EXPECT_EQ(clock.sleeps(), 1);
  EXPECT_EQ(clock.slept(), 5s);
  std::atomic<bool> cancelled{true};
  EXPECT_FALSE(clock.sleepFor(1s, &cancelled));
}

}  // namespace
}  // namespace berth
