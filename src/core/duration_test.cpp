#include "core/duration.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

using namespace std::chrono_literals;

TEST(Duration, ParsesEachUnitAndCombinations) {
  EXPECT_EQ(parseDuration("500ms"), Duration(500));
  EXPECT_EQ(parseDuration("30s"), Duration(30s));
  EXPECT_EQ(parseDuration("5m"), Duration(5min));
  EXPECT_EQ(parseDuration("2h"), Duration(2h));
  EXPECT_EQ(parseDuration("1m30s"), Duration(90s));
  EXPECT_EQ(parseDuration("1h0m5s250ms"), Duration(1h + 5s + 250ms));
}

TEST(Duration, RejectsWhatAnOperatorMightMistype) {
  for (const char* bad : {"", "5", "s", "-5s", "1.5s", "5 s", "5sec", "30s1m", "1s1s", "10d",
                          "99999999999999999999s"})
    EXPECT_EQ(parseDuration(bad), std::nullopt) << bad;
}

TEST(Duration, FormatIsCanonicalAndRoundTrips) {
  EXPECT_EQ(formatDuration(0ms), "0s");
  EXPECT_EQ(formatDuration(90s), "1m30s");
  EXPECT_EQ(formatDuration(1500ms), "1500ms");
  EXPECT_EQ(formatDuration(1h + 500ms), "1h500ms");
  for (long long ms : {0LL, 1LL, 999LL, 1000LL, 61'000LL, 3'600'000LL, 3'661'001LL})
    EXPECT_EQ(parseDuration(formatDuration(Duration(ms))), Duration(ms)) << ms;
}

}  // namespace
}  // namespace berth
