#include "core/result.h"

#include <gtest/gtest.h>

#include <string>

namespace berth {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return Failure{std::to_string(n) + " is odd"};
  return n / 2;
}

TEST(Result, HoldsAValueOrAMessage) {
  const auto ok = half(4);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 2);
  const auto odd = half(3);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error(), "3 is odd");
}

TEST(Result, MisuseIsALogicErrorCarryingTheMessage) {
  try {
    (void)half(3).value();
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "Result::value() called on a failure: 3 is odd");
  }
  EXPECT_THROW((void)half(4).error(), std::logic_error);
}

TEST(Result, StringValuesAreNotMistakenForFailures) {
  const Result<std::string> text = std::string("fine");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->size(), 4u);
}

}  // namespace
}  // namespace berth
