#include "core/semver.h"

#include <gtest/gtest.h>

#include <vector>

namespace berth {
namespace {

Semver v(std::string_view text) {
  auto parsed = parseSemver(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(Semver{});
}

TEST(Semver, ParsesFullVersionsWithPrereleaseAndBuild) {
  const Semver s = v("1.2.3-rc.1+build.5");
  EXPECT_EQ(s.major, 1u);
  EXPECT_EQ(s.minor, 2u);
  EXPECT_EQ(s.patch, 3u);
  EXPECT_EQ(s.prerelease, (std::vector<std::string>{"rc", "1"}));
  EXPECT_EQ(s.build, (std::vector<std::string>{"build", "5"}));
  EXPECT_TRUE(s.isPrerelease());
  EXPECT_EQ(s.str(), "1.2.3-rc.1+build.5");
  EXPECT_EQ(v("1.0.0+20130313144700").build, (std::vector<std::string>{"20130313144700"}));
  EXPECT_EQ(v("1.0.0-x-y-z.--").prerelease, (std::vector<std::string>{"x-y-z", "--"}));
  EXPECT_EQ(v("1.0.0+0001.exp-sha.5114f85").str(), "1.0.0+0001.exp-sha.5114f85");
}

TEST(Semver, AcceptsLeadingVAndPartialTagForms) {
  EXPECT_EQ(v("v1.2.3").str(), "1.2.3");
  EXPECT_EQ(v("1").str(), "1.0.0");
  EXPECT_EQ(v("1.2").str(), "1.2.0");
  EXPECT_EQ(v("v1.2").str(), "1.2.0");
  EXPECT_EQ(v("1.25-alpine").str(), "1.25.0-alpine");
  EXPECT_FALSE(v("1.2.3").isPrerelease());
  EXPECT_EQ(v("18446744073709551615.0.0").major, 18446744073709551615u);
}

TEST(Semver, RejectsWhatIsNotAVersion) {
  for (const char* bad : {"",
                          "v",
                          "latest",
                          "main-abc1234",
                          "1.2.3.4",
                          "01.2.3",
                          "1.02.3",
                          "1.2.03",
                          "1..3",
                          "1.2.",
                          ".1.2",
                          "1.2.3-",
                          "1.2.3+",
                          "1.2.3-01",
                          "1.2.3-rc..1",
                          "1.2.3-rc_1",
                          "1.2.3+a+b",
                          "V1.2.3",
                          "vv1.2.3",
                          " 1.2.3",
                          "1.2.3 ",
                          "-1.2.3",
                          "1.-2.3",
                          "18446744073709551616.0.0",
                          "1.2.3-ümlaut"})
    EXPECT_EQ(parseSemver(bad), std::nullopt) << bad;
}

TEST(Semver, LeadingZerosAreAllowedInBuildButNotNumericPrerelease) {
  EXPECT_TRUE(parseSemver("1.2.3+001").has_value());
  EXPECT_TRUE(parseSemver("1.2.3-0a").has_value());  // alphanumeric, so not a number
  EXPECT_TRUE(parseSemver("1.2.3-0").has_value());
  EXPECT_FALSE(parseSemver("1.2.3-00").has_value());
}

// semver.org §11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2
// < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0, and 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1.
TEST(Semver, PrecedenceFollowsSemverOrgExamples) {
  const std::vector<const char*> ascending = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                              "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                                              "1.0.0-rc.1",  "1.0.0",         "2.0.0",
                                              "2.1.0",       "2.1.1"};
  for (size_t i = 0; i < ascending.size(); ++i)
    for (size_t j = 0; j < ascending.size(); ++j) {
      const auto order = comparePrecedence(v(ascending[i]), v(ascending[j]));
      EXPECT_EQ(order, i <=> j) << ascending[i] << " vs " << ascending[j];
    }
}

TEST(Semver, NumbersCompareNumericallyNotAsText) {
  EXPECT_TRUE(std::is_lt(comparePrecedence(v("1.9.0"), v("1.10.0"))));
  EXPECT_TRUE(std::is_lt(comparePrecedence(v("1.0.0-rc.9"), v("1.0.0-rc.10"))));
  // Numeric prerelease identifiers beyond 64 bits still compare correctly.
  EXPECT_TRUE(std::is_lt(
      comparePrecedence(v("1.0.0-99999999999999999999"), v("1.0.0-100000000000000000000"))));
  EXPECT_TRUE(
      std::is_lt(comparePrecedence(v("1.0.0-999"), v("1.0.0-a"))));  // numeric below alphanumeric
  EXPECT_TRUE(std::is_lt(comparePrecedence(v("1.0.0-Z"), v("1.0.0-a"))));  // ASCII order
}

TEST(Semver, BuildMetadataAndSpellingDoNotAffectPrecedence) {
  EXPECT_TRUE(std::is_eq(comparePrecedence(v("1.0.0+a"), v("1.0.0+b"))));
  EXPECT_NE(v("1.0.0+a"), v("1.0.0+b"));
  EXPECT_TRUE(std::is_eq(comparePrecedence(v("v1.2"), v("1.2.0"))));
  EXPECT_EQ(v("v1.2"), v("1.2.0"));
}

}  // namespace
}  // namespace berth
