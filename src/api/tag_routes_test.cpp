#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/api_test_support.h"
#include "registry/registry_error.h"
#include "registry/testing/fake_registry.h"

namespace berth::api::testing {
namespace {

using nlohmann::json;

class TagRoutesTest : public ApiTest {
 protected:
  TagRoutesTest() {
    for (const char* tag : {"v1", "v10", "v2", "v2.1-rc1", "latest", "main-abc1234"})
      registry_.pushImage(kRepo, tag, digestOf(1));
    addRoutes(router_, ApiDeps{.engine = *engine_,
                               .journal = *journal_,
                               .bus = bus_,
                               .poller = nullptr,
                               .webhook = {},
                               .open_connections = {},
                               .version = "test",
                               .clock = clock_,
                               .registry = &registry_});
  }
  json tags(const std::string& stage) {
    http::Request request;
    request.method = "GET";
    request.target = "/api/projects/web/stages/" + stage + "/tags";
    http::parseRequestTarget(request.target, request);
    const auto r = router_.dispatch(request);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }
  registry::testing::FakeRegistry registry_;
  http::Router router_;
};

TEST_F(TagRoutesTest, TheStagesPolicyFiltersAndRanksTheRegistrysTags) {
  Config config = journal_->config();
  for (auto& stage : config.projects[0].stages)
    if (stage.name == "qa") stage.tags = TagPolicy{.match = "^v", .order = TagOrder::semver};
  journal_->replaceConfig(config);
  const json body = tags("qa");
  EXPECT_EQ(body["tags"], (json{"v10", "v2", "v1"})) << "semver, best first; no pre-release";
  EXPECT_TRUE(body["ranked_by_policy"]);
}

TEST_F(TagRoutesTest, WithoutAPolicyEveryTagIsOffered) {
  const json body = tags("staging");
  EXPECT_EQ(body["tags"].size(), 6u) << body;
  EXPECT_FALSE(body["ranked_by_policy"]);
  EXPECT_FALSE(body["truncated"]);
}

TEST_F(TagRoutesTest, ARegistryFailureIs503AndAnUnknownStage404) {
  registry_.before_call = [](registry::testing::FakeRegistry::Call, std::string_view) {
    throw registry::RegistryError(registry::RegistryError::Kind::unavailable, "down for the test");
  };
  http::Request request;
  request.method = "GET";
  request.target = "/api/projects/web/stages/staging/tags";
  http::parseRequestTarget(request.target, request);
  EXPECT_EQ(router_.dispatch(request).status, 503);
  request.target = "/api/projects/web/stages/nope/tags";
  http::parseRequestTarget(request.target, request);
  EXPECT_EQ(router_.dispatch(request).status, 404);
}

// The registry the tag list comes from also answers whether a manual deploy's tag exists.
TEST_F(TagRoutesTest, AManualDeployOfATagTheRegistryLacksIs404AndQueuesNothing) {
  const auto deployOf = [&](const std::string& tag) {
    http::Request request;
    request.method = "POST";
    request.target = "/api/projects/web/stages/staging/deploys";
    http::parseRequestTarget(request.target, request);
    request.body = R"({"tag":")" + tag + R"("})";
    return router_.dispatch(request);
  };
  const auto missing = deployOf("v3");
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(json::parse(missing.body)["error"]["message"],
            std::string("the registry has no tag v3 of ") + kRepo)
      << missing.body;
  EXPECT_TRUE(journal_->list(DeployQuery{}).empty()) << "nothing queued";

  EXPECT_EQ(deployOf("v1").status, 202);

  // A registry that cannot answer does not block deploys: the pull will say what is wrong.
  registry_.before_call = [](registry::testing::FakeRegistry::Call, std::string_view) {
    throw registry::RegistryError(registry::RegistryError::Kind::unavailable, "down for the test");
  };
  EXPECT_EQ(deployOf("v3").status, 202);
  ASSERT_TRUE(engine_->waitIdle(std::chrono::seconds(10)));
}

}  // namespace
}  // namespace berth::api::testing
