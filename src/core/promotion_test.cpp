#include "core/promotion.h"

#include <gtest/gtest.h>

#include <string>

namespace berth {
namespace {

const std::string kDigest = "sha256:abcd1234ef56" + std::string(52, '0');

Project webProject() {
  Project p;
  p.name = "web";
  p.image = "ghcr.io/acme/web";
  Stage staging;
  staging.name = "staging";
  Stage production;
  production.name = "production";
  production.promote_from = "staging";
  p.stages = {staging, production};
  return p;
}

std::string refusal(const Result<ImageRef>& r) {
  return r ? "ok: " + r->str() : r.error();
}

TEST(Promotion, PromotesTheExactDigestTheSourceRuns) {
  const Project p = webProject();
  const auto result =
      checkPromotion(p, p.stages[1], RunningImage{"v2", kDigest, true}, std::nullopt);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->str(), "ghcr.io/acme/web:v2@" + kDigest);
  EXPECT_EQ(result->digest, kDigest);
}

TEST(Promotion, RequestedTagMustBeWhatTheSourceRuns) {
  const Project p = webProject();
  EXPECT_TRUE(checkPromotion(p, p.stages[1], RunningImage{"v2", kDigest, true}, "v2"));
  EXPECT_EQ(refusal(checkPromotion(p, p.stages[1], RunningImage{"v2", kDigest, true}, "v3")),
            "production promotes from staging, which runs ghcr.io/acme/web:v2 "
            "(sha256:abcd1234ef56…), not v3");
}

TEST(Promotion, SourceMustRunSomethingHealthyWithADigest) {
  const Project p = webProject();
  EXPECT_EQ(refusal(checkPromotion(p, p.stages[1], std::nullopt, std::nullopt)),
            "production promotes from staging, which runs nothing");
  EXPECT_EQ(refusal(checkPromotion(p, p.stages[1], RunningImage{"v2", kDigest, false}, "v2")),
            "production promotes from staging, which runs ghcr.io/acme/web:v2 "
            "(sha256:abcd1234ef56…), not healthy");
  EXPECT_EQ(refusal(checkPromotion(p, p.stages[1], RunningImage{"v2", "", true}, std::nullopt)),
            "production promotes from staging, which runs ghcr.io/acme/web:v2 with no recorded "
            "digest");
}

TEST(Promotion, TargetMustHaveAValidPromoteFrom) {
  Project p = webProject();
  EXPECT_EQ(refusal(checkPromotion(p, p.stages[0], RunningImage{"v2", kDigest, true}, "v2")),
            "web/staging has no promote_from stage, so it cannot be promoted");
  p.stages[1].promote_from = "qa";
  EXPECT_EQ(refusal(checkPromotion(p, p.stages[1], RunningImage{"v2", kDigest, true}, "v2")),
            "production promotes from qa, which is not a stage of project web");
  p.stages[1].promote_from = "production";
  EXPECT_EQ(refusal(checkPromotion(p, p.stages[1], RunningImage{"v2", kDigest, true}, "v2")),
            "production cannot promote from itself");
}

TEST(Promotion, RefusesWhatCannotBeDeployed) {
  Project p = webProject();
  EXPECT_EQ(refusal(checkPromotion(p, p.stages[1], RunningImage{"v2", "sha256:zz", true}, "v2")),
            "production promotes from staging, which runs ghcr.io/acme/web:v2 (sha256:zz), which "
            "cannot be deployed: image reference 'ghcr.io/acme/web': sha256 digest must be 64 "
            "lowercase hex digits, got 'zz'");
  p.image = "Acme/Web";
  EXPECT_EQ(refusal(checkPromotion(p, p.stages[1], RunningImage{"v2", kDigest, true}, "v2")),
            "project web: image reference 'Acme/Web': repository must be lowercase");
}

}  // namespace
}  // namespace berth
