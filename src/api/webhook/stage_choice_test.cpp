#include "api/webhook/stage_choice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace berth::api {
namespace {

using ::testing::HasSubstr;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::hours(24 * 365 * 56));

Stage autoStage(TagPolicy policy) {
  return Stage{.name = "staging", .tags = policy, .auto_deploy = true};
}

TEST(StageChoice, BestMatchingTagBySemver) {
  const auto choice =
      chooseTag(autoStage(TagPolicy{.match = "^v"}), {"latest", "v1.9.0", "v1.10.0"}, kNow);
  EXPECT_EQ(choice.tag, "v1.10.0");
  EXPECT_TRUE(choice.policy.has_value());
}

TEST(StageChoice, WatchFollowsOnlyItsTag) {
  const Stage stage = autoStage(TagPolicy{.watch = "latest"});
  EXPECT_EQ(chooseTag(stage, {"v2", "latest"}, kNow).tag, "latest");
  EXPECT_THAT(chooseTag(stage, {"v2"}, kNow).ignored, HasSubstr("watched tag latest"));
}

TEST(StageChoice, PushedOrderRanksTagsOfOnePushByName) {
  const Stage stage = autoStage(TagPolicy{.match = "^main-", .order = TagOrder::pushed});
  EXPECT_EQ(chooseTag(stage, {"main-aaa1111", "main-bbb2222"}, kNow).tag, "main-bbb2222");
}

TEST(StageChoice, StagesWebhooksMustNotDeploy) {
  Stage promoted = autoStage(TagPolicy{});
  promoted.promote_from = "staging";
  EXPECT_EQ(chooseTag(promoted, {"v2"}, kNow).ignored,
            "promoted from staging: not deployed by webhooks");

  Stage manual = autoStage(TagPolicy{});
  manual.auto_deploy = false;
  EXPECT_THAT(chooseTag(manual, {"v2"}, kNow).ignored, HasSubstr("auto_deploy is off"));

  Stage no_policy{.name = "qa", .auto_deploy = true};
  EXPECT_THAT(chooseTag(no_policy, {"v2"}, kNow).ignored, HasSubstr("no tag policy"));
}

TEST(StageChoice, NoMatchingTagSaysWhichWerePushed) {
  const auto choice = chooseTag(autoStage(TagPolicy{.match = "^v"}), {"latest", "main-abc"}, kNow);
  EXPECT_TRUE(choice.tag.empty());
  EXPECT_THAT(choice.ignored, HasSubstr("no pushed tag (latest, main-abc) matches the tag policy"));
}

TEST(StageChoice, InvalidPolicyIsAReasonNotACrash) {
  const auto choice = chooseTag(autoStage(TagPolicy{.match = "("}), {"v2"}, kNow);
  EXPECT_THAT(choice.ignored, HasSubstr("not a valid regular expression"));
}

}  // namespace
}  // namespace berth::api
