#include "config/promotion_cycles.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

using Cycles = std::vector<std::vector<size_t>>;

TEST(PromotionCycles, ChainsWithoutCyclesAreFine) {
  EXPECT_EQ(findPromotionCycles({"dev", "staging", "production"}, {"", "dev", "staging"}),
            Cycles{});
  EXPECT_EQ(findPromotionCycles({"production"}, {"staging"}), Cycles{});  // unknown name
}

TEST(PromotionCycles, FindsSelfPromotion) {
  EXPECT_EQ(findPromotionCycles({"a", "b"}, {"", "b"}), (Cycles{{1}}));
}

TEST(PromotionCycles, FindsEachCycleOnceFromItsFirstStage) {
  // a <- c <- b <- a, plus d promoting from inside the cycle.
  EXPECT_EQ(findPromotionCycles({"a", "b", "c", "d"}, {"c", "a", "b", "b"}), (Cycles{{0, 2, 1}}));
  EXPECT_EQ(findPromotionCycles({"x", "a", "b"}, {"a", "b", "a"}), (Cycles{{1, 2}}));
}

TEST(PromotionCycles, FindsSeparateCycles) {
  EXPECT_EQ(findPromotionCycles({"a", "b", "c", "d"}, {"b", "a", "d", "c"}),
            (Cycles{{0, 1}, {2, 3}}));
}

}  // namespace
}  // namespace berth
