#include "config/promotion_cycles.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

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

// Looking names up by scanning the list made 200,000 stages take minutes.
TEST(PromotionCycles, ALongChainIsCheckedQuickly) {
  constexpr size_t kStages = 200'000;
  std::vector<std::string> names, promote_from;
  for (size_t i = 0; i < kStages; ++i) {
    names.push_back("s" + std::to_string(i));
    promote_from.push_back("s" + std::to_string((i + 1) % kStages));
  }
  const auto start = std::chrono::steady_clock::now();
  const Cycles cycles = findPromotionCycles(names, promote_from);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].size(), kStages);
}

}  // namespace
}  // namespace berth
