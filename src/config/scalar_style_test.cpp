#include "config/scalar_style.h"

#include <gtest/gtest.h>

#include <string>

namespace berth {
namespace {

TEST(ReadsAsNonString, CatchesWhatYamlToolsWouldConvert) {
  for (const char* text : {"",    "~",    "null", "true", "False",      "yes",  "NO",   "on",
                           "y",   "8080", "-1",   "1.5",  "1e3",        ".5",   "0x1F", "0o17",
                           "017", "1:30", ".inf", ".NaN", "2024-01-31", "1_000"})
    EXPECT_TRUE(readsAsNonString(text)) << text;
}

TEST(ReadsAsNonString, LeavesOrdinaryStringsAlone) {
  for (const char* text : {"web", "info", "127.0.0.1:8080", "v1.2.3", "1.2.3", "web-data:/data",
                           "nginx -s reload", "yesterday", "true-ish", "0.0.0.0"})
    EXPECT_FALSE(readsAsNonString(text)) << text;
}

// A backtracking matcher recursed once per character: exporting a 100,000-digit env value
// overflowed the stack.
TEST(ReadsAsNonString, HandlesVeryLongValuesWithoutRecursing) {
  EXPECT_TRUE(readsAsNonString(std::string(1'000'000, '1')));
  EXPECT_TRUE(readsAsNonString("2024-01-31 " + std::string(1'000'000, 'x')));
  EXPECT_FALSE(readsAsNonString(std::string(1'000'000, '1') + "x"));
}

TEST(HasControlCharacter, SpotsNewlinesAndTabs) {
  EXPECT_TRUE(hasControlCharacter("a\nb"));
  EXPECT_TRUE(hasControlCharacter("a\tb"));
  EXPECT_FALSE(hasControlCharacter("^v[0-9]+$"));
}

}  // namespace
}  // namespace berth
