#include "proxy/command_line.h"

#include <gtest/gtest.h>

namespace berth::proxy {
namespace {

using Argv = std::vector<std::string>;

Argv split(std::string_view s) {
  std::string why;
  auto r = splitCommandLine(s, &why);
  EXPECT_TRUE(r.has_value()) << s << ": " << why;
  return r.value_or(Argv{});
}

TEST(SplitCommandLine, SplitsOnWhitespace) {
  EXPECT_EQ(split("nginx -s reload"), (Argv{"nginx", "-s", "reload"}));
  EXPECT_EQ(split("  nginx\t-t \n"), (Argv{"nginx", "-t"}));
}

TEST(SplitCommandLine, QuotesKeepSpacesAndJoinPieces) {
  EXPECT_EQ(split("nginx -p '/srv/my nginx/' -t"), (Argv{"nginx", "-p", "/srv/my nginx/", "-t"}));
  EXPECT_EQ(split(R"(a "b \"c\" \\ d" e)"), (Argv{"a", R"(b "c" \ d)", "e"}));
  EXPECT_EQ(split("a'b c'd"), (Argv{"ab cd"}));
  EXPECT_EQ(split("x '' y"), (Argv{"x", "", "y"}));
  EXPECT_EQ(split(R"(a\ b)"), (Argv{"a b"}));
}

// No shell: these characters reach the program as they are.
TEST(SplitCommandLine, ShellSyntaxIsOrdinaryText) {
  EXPECT_EQ(split("nginx -t; rm -rf $HOME | cat > x"),
            (Argv{"nginx", "-t;", "rm", "-rf", "$HOME", "|", "cat", ">", "x"}));
}

TEST(SplitCommandLine, RefusesUnterminatedQuotesAndEmptyCommands) {
  std::string why;
  EXPECT_FALSE(splitCommandLine("nginx 'oops", &why));
  EXPECT_EQ(why, "unterminated single quote");
  EXPECT_FALSE(splitCommandLine("nginx \"oops", &why));
  EXPECT_EQ(why, "unterminated double quote");
  EXPECT_FALSE(splitCommandLine("nginx \\", &why));
  EXPECT_EQ(why, "trailing backslash");
  EXPECT_FALSE(splitCommandLine("   ", &why));
  EXPECT_EQ(why, "empty command");
}

TEST(JoinCommandLine, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(joinCommandLine({"nginx", "-p", "/srv/my nginx/", "-t", "it's", ""}),
            "nginx -p '/srv/my nginx/' -t 'it'\\''s' ''");
  EXPECT_EQ(split(joinCommandLine({"a b", "it's", "", "c"})), (Argv{"a b", "it's", "", "c"}));
}

}  // namespace
}  // namespace berth::proxy
