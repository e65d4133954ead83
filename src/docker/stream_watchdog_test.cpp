// The watchdog that turns a stalled stream into a cancel. Real time, in tens of milliseconds.
#include "docker/stream_watchdog.h"

#include <gtest/gtest.h>

#include <thread>

namespace berth::docker {
namespace {

using namespace std::chrono_literals;

bool waitFor(const net::CancelFlag* flag, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (flag->load()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return flag->load();
}

TEST(StreamWatchdog, FiresWhenIdle) {
  StreamWatchdog w(30ms, nullptr);
  EXPECT_TRUE(waitFor(w.flag(), 2s));
  EXPECT_TRUE(w.idleExpired());
}

TEST(StreamWatchdog, ActivityKeepsItQuiet) {
  StreamWatchdog w(80ms, nullptr);
  for (int i = 0; i < 20; ++i) {
    w.touch();
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_FALSE(w.flag()->load());
  EXPECT_FALSE(w.idleExpired());
}

TEST(StreamWatchdog, ForwardsTheCallersCancel) {
  net::CancelFlag cancel{false};
  StreamWatchdog w(0ms, &cancel);
  EXPECT_FALSE(waitFor(w.flag(), 30ms));
  cancel = true;
  EXPECT_TRUE(waitFor(w.flag(), 2s));
  EXPECT_FALSE(w.idleExpired());
}

TEST(StreamWatchdog, WithoutLimitOrCancelItDoesNothing) {
  StreamWatchdog w(0ms, nullptr);
  EXPECT_FALSE(waitFor(w.flag(), 20ms));
}

}  // namespace
}  // namespace berth::docker
