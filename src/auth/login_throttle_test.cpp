#include "auth/login_throttle.h"

#include <gtest/gtest.h>

namespace berth::auth {
namespace {

using namespace std::chrono_literals;

class LoginThrottleTest : public ::testing::Test {
 protected:
  void failTimes(int n, std::string_view user, std::string_view address) {
    for (int i = 0; i < n; ++i)
      throttle_.failed(user, address);
  }
  FakeClock clock_;
  LoginThrottle throttle_{clock_};
};

TEST_F(LoginThrottleTest, FiveFailuresAreFreeThenTheDelayDoubles) {
  failTimes(5, "alice", "10.0.0.1");
  EXPECT_FALSE(throttle_.blocked("alice", "10.0.0.1"));
  throttle_.failed("alice", "10.0.0.1");
  EXPECT_EQ(throttle_.blocked("alice", "10.0.0.1"), 1000ms);
  clock_.advance(1s);
  EXPECT_FALSE(throttle_.blocked("alice", "10.0.0.1"));
  throttle_.failed("alice", "10.0.0.1");
  EXPECT_EQ(throttle_.blocked("alice", "10.0.0.1"), 2000ms);
  clock_.advance(2s);
  throttle_.failed("alice", "10.0.0.1");
  EXPECT_EQ(throttle_.blocked("alice", "10.0.0.1"), 4000ms);
}

TEST_F(LoginThrottleTest, TheDelayStopsGrowingAtFiveMinutes) {
  failTimes(40, "alice", "10.0.0.1");
  EXPECT_EQ(throttle_.blocked("alice", "10.0.0.1"), std::chrono::milliseconds(5min));
}

TEST_F(LoginThrottleTest, CountsPerUserAcrossAddressesAndPerAddressAcrossUsers) {
  for (int i = 0; i < 6; ++i)
    throttle_.failed("alice", "10.0.0." + std::to_string(i));
  EXPECT_TRUE(throttle_.blocked("alice", "10.9.9.9")) << "one name from many addresses";
  EXPECT_TRUE(throttle_.blocked("ALICE", "10.9.9.9")) << "names are case-insensitive";
  EXPECT_FALSE(throttle_.blocked("bob", "10.9.9.9"));

  for (int i = 0; i < LoginThrottle::kFreeFailuresPerAddress; ++i)
    throttle_.failed("user" + std::to_string(i), "192.168.1.1");
  EXPECT_FALSE(throttle_.blocked("carol", "192.168.1.1")) << "a proxy's users share an address";
  throttle_.failed("user-last", "192.168.1.1");
  EXPECT_TRUE(throttle_.blocked("carol", "192.168.1.1")) << "many names from one address";
  EXPECT_FALSE(throttle_.blocked("carol", "192.168.1.2"));
}

TEST_F(LoginThrottleTest, SuccessClearsTheCounts) {
  failTimes(5, "alice", "10.0.0.1");
  throttle_.succeeded("alice", "10.0.0.1");
  throttle_.failed("alice", "10.0.0.1");
  EXPECT_FALSE(throttle_.blocked("alice", "10.0.0.1"));
}

TEST_F(LoginThrottleTest, AQuietQuarterOfAnHourForgets) {
  failTimes(6, "alice", "10.0.0.1");
  clock_.advance(16min);
  throttle_.failed("alice", "10.0.0.1");
  EXPECT_FALSE(throttle_.blocked("alice", "10.0.0.1"));
}

}  // namespace
}  // namespace berth::auth
