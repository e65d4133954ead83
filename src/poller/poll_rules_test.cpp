#include "poller/poll_rules.h"

#include <gtest/gtest.h>

namespace berth::poller {
namespace {

using registry::NewerTag;
using registry::RunningImage;
using registry::SameTagNewDigest;
using registry::Unknown;
using registry::UpToDate;

Stage stage(std::string name, bool auto_deploy, bool tags, std::string promote_from = "") {
  Stage s;
  s.name = std::move(name);
  s.auto_deploy = auto_deploy;
  if (tags) s.tags = TagPolicy{};
  s.promote_from = std::move(promote_from);
  return s;
}

TEST(PollRules, OnlyAutoDeployStagesWithTagsAndNoPromoteFromArePolled) {
  EXPECT_TRUE(isPolled(stage("staging", true, true)));
  EXPECT_FALSE(isPolled(stage("manual", false, true)));
  EXPECT_FALSE(isPolled(stage("no-policy", true, false)));
  EXPECT_FALSE(isPolled(stage("production", true, true, "staging")));
}

TEST(PollRules, PolledStagesKeepConfigOrder) {
  Project p;
  p.stages = {stage("a", true, true), stage("b", false, true), stage("c", true, true)};
  const auto polled = polledStages(p);
  ASSERT_EQ(polled.size(), 2u);
  EXPECT_EQ(polled[0]->name, "a");
  EXPECT_EQ(polled[1]->name, "c");
}

TEST(PollRules, RepositoryIsNormalisedLikeDockerPull) {
  Project p;
  p.image = "nginx";
  const auto hub = repositoryOf(p);
  ASSERT_TRUE(hub.ok());
  EXPECT_EQ(hub->str(), "docker.io/library/nginx");
  p.image = "127.0.0.1:5000/team/app";
  EXPECT_EQ(repositoryOf(p)->str(), "127.0.0.1:5000/team/app");
  p.image = "Not/Valid";
  EXPECT_FALSE(repositoryOf(p).ok());
}

TEST(PollRules, ImageToDeployForEachDecision) {
  const RunningImage running{"latest", "sha256:old"};
  EXPECT_EQ(imageToDeploy(NewerTag{"v2", "sha256:two"}, running),
            (ImageToDeploy{"v2", "sha256:two"}));
  EXPECT_EQ(imageToDeploy(NewerTag{"v1", "sha256:one"}, std::nullopt),
            (ImageToDeploy{"v1", "sha256:one"}));
  // Re-pushed content under the running tag: redeploy that tag, pinned to the new digest.
  EXPECT_EQ(imageToDeploy(SameTagNewDigest{"sha256:new"}, running),
            (ImageToDeploy{"latest", "sha256:new"}));
  EXPECT_EQ(imageToDeploy(UpToDate{}, running), std::nullopt);
  EXPECT_EQ(imageToDeploy(Unknown{"HTTP 503"}, running), std::nullopt);
}

TEST(PollRules, AStageHadAnImageBeforeUnlessItsDeployWasInterrupted) {
  const ImageToDeploy v2{"v2", "sha256:2"};
  EXPECT_TRUE(hadImageBefore(v2, "v2", "sha256:2", DeployState::succeeded));
  EXPECT_TRUE(hadImageBefore(v2, "v2", "sha256:2", DeployState::rolled_back));
  EXPECT_TRUE(hadImageBefore(v2, "v2", "sha256:2", DeployState::failed));
  EXPECT_TRUE(hadImageBefore(v2, "v2", "sha256:2", DeployState::queued));
  EXPECT_FALSE(hadImageBefore(v2, "v2", "sha256:2", DeployState::interrupted));
  EXPECT_FALSE(hadImageBefore(v2, "v2", "sha256:1", DeployState::succeeded)) << "re-pushed tag";
  EXPECT_FALSE(hadImageBefore(v2, "v2", "", DeployState::failed)) << "its pull never resolved";
  EXPECT_FALSE(hadImageBefore(v2, "v1", "sha256:2", DeployState::succeeded));
  EXPECT_FALSE(hadImageBefore({"v2", ""}, "v2", "", DeployState::succeeded));
}

}  // namespace
}  // namespace berth::poller
