#include "core/tag_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth {
namespace {

using namespace std::chrono_literals;
using Tags = std::vector<std::string>;

std::vector<TagCandidate> candidates(const Tags& tags) {
  std::vector<TagCandidate> out;
  for (const auto& t : tags)
    out.push_back({t, std::nullopt});
  return out;
}

TagPolicy policy(std::string match, TagOrder order, bool prerelease = false) {
  return TagPolicy{std::move(match), order, prerelease, ""};
}

TEST(TagPolicy, SemverRanksVersionsAndSkipsEverythingElse) {
  const auto tags = candidates(
      {"latest", "v1.2.3", "1.10.0", "1.9.9", "2.0.0-rc.1", "main-abc1234", "1.2", "v2"});
  EXPECT_EQ(rankTags(policy("", TagOrder::semver), tags),
            (Tags{"v2", "1.10.0", "1.9.9", "v1.2.3", "1.2"}));
  EXPECT_EQ(selectTag(policy("", TagOrder::semver), tags), "v2");
}

TEST(TagPolicy, SemverPrereleasesOnlyWhenAskedFor) {
  const auto tags = candidates({"1.0.0", "1.1.0-rc.1", "1.1.0-beta.2", "1.1.0-beta.11"});
  EXPECT_EQ(selectTag(policy("", TagOrder::semver), tags), "1.0.0");
  EXPECT_EQ(rankTags(policy("", TagOrder::semver, true), tags),
            (Tags{"1.1.0-rc.1", "1.1.0-beta.11", "1.1.0-beta.2", "1.0.0"}));
  EXPECT_FALSE(policyAccepts(policy("", TagOrder::semver), "1.1.0-rc.1"));
  EXPECT_TRUE(policyAccepts(policy("", TagOrder::semver, true), "1.1.0-rc.1"));
}

TEST(TagPolicy, MatchUsesSearchSemanticsSoAnchorsAreTheOperators) {
  EXPECT_TRUE(policyAccepts(policy("main", TagOrder::alphabetical), "feature-main-x"));
  EXPECT_FALSE(policyAccepts(policy("^main-", TagOrder::alphabetical), "feature-main-x"));
  const TagPolicy staging = policy("^main-[0-9a-f]{7,}$", TagOrder::alphabetical);
  EXPECT_TRUE(policyAccepts(staging, "main-abc1234"));
  EXPECT_FALSE(policyAccepts(staging, "main-abc12"));
  EXPECT_FALSE(policyAccepts(staging, "main-abc1234-dirty"));
}

TEST(TagPolicy, SemverFilterAppliesBeforeOrdering) {
  const auto tags = candidates({"1.25.3", "1.24.0", "1.26.0-alpine", "2.0.0"});
  EXPECT_EQ(selectTag(policy("^1\\.", TagOrder::semver), tags), "1.25.3");
}

TEST(TagPolicy, NumericUsesTheFirstCaptureGroup) {
  const auto tags = candidates({"build-9", "build-10", "build-100", "build-x", "other-500"});
  EXPECT_EQ(rankTags(policy("^build-(\\d+)$", TagOrder::numeric), tags),
            (Tags{"build-100", "build-10", "build-9"}));
  EXPECT_FALSE(policyAccepts(policy("^build-(.*)$", TagOrder::numeric), "build-x"));
}

TEST(TagPolicy, NumericWholeTagWithoutGroupAndNoOverflow) {
  const auto tags = candidates(
      {"9", "10", "007", "99999999999999999999999999", "100000000000000000000000000", "v3", "-1"});
  EXPECT_EQ(rankTags(policy("", TagOrder::numeric), tags),
            (Tags{"100000000000000000000000000", "99999999999999999999999999", "10", "9", "007"}));
  // Non-capturing groups do not count as the key.
  EXPECT_EQ(selectTag(policy("^(?:rel|build)-\\d+$", TagOrder::numeric),
                      candidates({"rel-1", "build-2"})),
            std::nullopt);  // whole tag is the key and is not a number
}

TEST(TagPolicy, NumericEqualValuesTieBreakByTagString) {
  EXPECT_EQ(rankTags(policy("", TagOrder::numeric), candidates({"07", "7", "007"})),
            (Tags{"7", "07", "007"}));
}

TEST(TagPolicy, AlphabeticalComparesBytes) {
  const auto tags = candidates({"2024-01-05", "2024-01-10", "2023-12-31", "Z", "a"});
  EXPECT_EQ(rankTags(policy("^(\\d{4}-\\d{2}-\\d{2})$", TagOrder::alphabetical), tags),
            (Tags{"2024-01-10", "2024-01-05", "2023-12-31"}));
  EXPECT_EQ(rankTags(policy("", TagOrder::alphabetical), candidates({"a", "Z", "b"})),
            (Tags{"b", "a", "Z"}));
}

TEST(TagPolicy, PushedRanksByCreationTimeThenTag) {
  const auto t0 = std::chrono::system_clock::time_point{} + 1000h;
  const std::vector<TagCandidate> tags = {{"main-aaaaaaa", t0},
                                          {"main-bbbbbbb", t0 + 1min},
                                          {"main-ccccccc", t0 + 1min},  // same image, two tags
                                          {"main-ddddddd", std::nullopt},
                                          {"latest", t0 + 5min}};
  const TagPolicy staging = policy("^main-[0-9a-f]{7,}$", TagOrder::pushed);
  EXPECT_EQ(rankTags(staging, tags), (Tags{"main-ccccccc", "main-bbbbbbb", "main-aaaaaaa"}));
  EXPECT_TRUE(policyAccepts(staging, "main-ddddddd"));  // webhook: no time needed to accept
  EXPECT_FALSE(policyAccepts(staging, "latest"));
}

TEST(TagPolicy, RankingDoesNotDependOnListingOrder) {
  const auto t = std::chrono::system_clock::time_point{} + 1h;
  std::vector<TagCandidate> forward = {{"b", t}, {"a", t}, {"c", t}};
  std::vector<TagCandidate> backward(forward.rbegin(), forward.rend());
  const TagPolicy p = policy("", TagOrder::pushed);
  EXPECT_EQ(rankTags(p, forward), rankTags(p, backward));
  EXPECT_EQ(rankTags(p, forward), (Tags{"c", "b", "a"}));
}

TEST(TagPolicy, DuplicateTagsAppearOnce) {
  EXPECT_EQ(rankTags(policy("", TagOrder::semver), candidates({"1.0.0", "1.0.0", "2.0.0"})),
            (Tags{"2.0.0", "1.0.0"}));
}

TEST(TagPolicy, InvalidDockerTagsAreNeverCandidates) {
  EXPECT_FALSE(policyAccepts(policy("", TagOrder::alphabetical), ""));
  EXPECT_FALSE(policyAccepts(policy("", TagOrder::alphabetical), "a b"));
  EXPECT_FALSE(policyAccepts(policy("", TagOrder::alphabetical), std::string(129, 'a')));
  EXPECT_FALSE(policyAccepts(policy("", TagOrder::semver), "1.0.0+build"));  // '+' not in tags
}

TEST(TagPolicy, WatchFollowsOneTag) {
  const TagPolicy watch{"", TagOrder::semver, false, "latest"};
  EXPECT_EQ(selectTag(watch, candidates({"1.0.0", "latest", "2.0.0"})), "latest");
  EXPECT_EQ(selectTag(watch, candidates({"1.0.0"})), std::nullopt);
  EXPECT_EQ(rankTags(watch, candidates({"latest", "latest"})), (Tags{"latest"}));
  EXPECT_TRUE(policyAccepts(watch, "latest"));
  EXPECT_FALSE(policyAccepts(watch, "latest2"));
}

TEST(TagPolicy, NothingAcceptableSelectsNothing) {
  EXPECT_EQ(selectTag(policy("", TagOrder::semver), candidates({})), std::nullopt);
  EXPECT_EQ(selectTag(policy("", TagOrder::semver), candidates({"latest", "edge"})), std::nullopt);
}

TEST(TagPolicy, ValidationExplainsWhatIsWrong) {
  EXPECT_EQ(validateTagPolicy(policy("^main-[0-9a-f]{7,}$", TagOrder::pushed)), std::nullopt);
  EXPECT_EQ(validateTagPolicy(TagPolicy{"", TagOrder::semver, false, "latest"}), std::nullopt);

  const auto bad_regex = validateTagPolicy(policy("^(main", TagOrder::pushed));
  ASSERT_TRUE(bad_regex);
  EXPECT_TRUE(
      bad_regex->starts_with("tag policy: match '^(main' is not a valid regular expression: "))
      << *bad_regex;

  EXPECT_EQ(validateTagPolicy(TagPolicy{"^v", TagOrder::semver, false, "latest"}),
            "tag policy: 'watch' follows one tag and cannot be combined with 'match'");
  EXPECT_EQ(validateTagPolicy(TagPolicy{"", TagOrder::numeric, false, "latest"}),
            "tag policy: 'watch' follows one tag and cannot be combined with 'order'");
  EXPECT_EQ(validateTagPolicy(TagPolicy{"", TagOrder::semver, true, "latest"}),
            "tag policy: 'watch' follows one tag and cannot be combined with 'prerelease'");
  EXPECT_EQ(validateTagPolicy(TagPolicy{"", TagOrder::semver, false, "bad tag"}),
            "tag policy: watch: tag 'bad tag' may contain only letters, digits, '_', '.' and '-'");
  EXPECT_EQ(validateTagPolicy(policy("", TagOrder::numeric, true)),
            "tag policy: 'prerelease' applies only to order semver, not numeric");
}

TEST(TagPolicy, CompileRefusesWhatValidationRefuses) {
  auto compiled = CompiledTagPolicy::compile(policy("[", TagOrder::alphabetical));
  ASSERT_FALSE(compiled);
  EXPECT_TRUE(
      compiled.error().starts_with("tag policy: match '[' is not a valid regular expression"));
  EXPECT_THROW(policyAccepts(policy("[", TagOrder::alphabetical), "a"), std::invalid_argument);
  EXPECT_THROW(selectTag(policy("", TagOrder::pushed, true), {}), std::invalid_argument);
}

// A backtracking matcher needs 2^n steps for '(a+)+$' against n 'a's and a mismatch: one such
// tag in a registry would stall every poll of the stage.
TEST(TagPolicy, NestedQuantifiersTakeLinearTimeOnHostileTags) {
  const std::string hostile = std::string(40, 'a') + "-";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(policyAccepts(policy("(a+)+$", TagOrder::alphabetical), hostile));
  EXPECT_FALSE(policyAccepts(policy("^(a|aa)*$", TagOrder::alphabetical), hostile));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(TagPolicy, BackReferencesAreRefusedWithAReason) {
  const auto problem = validateTagPolicy(policy("^(a)\\1$", TagOrder::alphabetical));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("back-references"), std::string::npos) << *problem;
}

// The regex compiler recurses once per nesting level: 50,000 '(' overflowed the stack.
TEST(TagPolicy, OverlongPatternsAreRefusedBeforeCompiling) {
  const std::string deep = std::string(50000, '(') + "a" + std::string(50000, ')');
  const auto problem = validateTagPolicy(policy(deep, TagOrder::alphabetical));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("at most 1000 characters"), std::string::npos) << problem->substr(0, 200);
  EXPECT_EQ(problem->find(deep), std::string::npos);  // the message does not repeat it
  EXPECT_EQ(validateTagPolicy(policy(std::string(1000, 'a'), TagOrder::alphabetical)),
            std::nullopt);
}

TEST(TagPolicy, CompiledPolicyRanksThousandsOfTags) {
  std::vector<TagCandidate> tags;
  for (int i = 0; i < 5000; ++i) {
    tags.push_back({"main-" + std::to_string(1000000 + i * 7), std::nullopt});
    tags.push_back({"v1." + std::to_string(i) + ".0", std::nullopt});
  }
  auto semver = CompiledTagPolicy::compile(policy("^v", TagOrder::semver));
  ASSERT_TRUE(semver);
  const auto ranked = semver->rank(tags);
  ASSERT_EQ(ranked.size(), 5000u);
  EXPECT_EQ(ranked.front(), "v1.4999.0");
  EXPECT_EQ(ranked.back(), "v1.0.0");
  auto numeric = CompiledTagPolicy::compile(policy("^main-(\\d+)$", TagOrder::numeric));
  ASSERT_TRUE(numeric);
  EXPECT_EQ(numeric->select(tags), "main-" + std::to_string(1000000 + 4999 * 7));
}

}  // namespace
}  // namespace berth
