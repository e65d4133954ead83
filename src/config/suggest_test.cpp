#include "config/suggest.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

const std::vector<std::string> kHealthKeys{"path", "interval", "timeout"};

TEST(ClosestMatch, FindsCommonTypos) {
  EXPECT_EQ(closestMatch("intervall", kHealthKeys), "interval");
  EXPECT_EQ(closestMatch("timout", kHealthKeys), "timeout");
  EXPECT_EQ(closestMatch("Path", kHealthKeys), "path");
  EXPECT_EQ(closestMatch("promote-from", {"name", "promote_from"}), "promote_from");
}

TEST(ClosestMatch, StaysQuietForUnrelatedWords) {
  EXPECT_EQ(closestMatch("colour", kHealthKeys), std::nullopt);
  EXPECT_EQ(closestMatch("x", {}), std::nullopt);
}

TEST(ClosestMatch, TiesGoToTheFirstCandidate) {
  EXPECT_EQ(closestMatch("ab", {"aa", "bb"}), "aa");
}

TEST(JoinList, SeparatesWithCommas) {
  EXPECT_EQ(joinList({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(joinList({}), "");
}

}  // namespace
}  // namespace berth
