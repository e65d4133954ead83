// Projects, stages and instances as the dashboard reads them; /healthz.
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include "api/api_test_support.h"

namespace berth::api::testing {
namespace {

using nlohmann::json;

TEST_F(ApiTest, HealthzAnswersOk) {
  const auto response = get("/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(json::parse(response.body), json({{"status", "ok"}}));
}

TEST_F(ApiTest, ProjectListShowsStagesWithTheirCurrentImageAndInstances) {
  const auto v1 = deployed("staging", "v1");
  ASSERT_EQ(v1.state, DeployState::succeeded) << v1.reason;

  const auto response = get("/api/projects");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  const auto projects = json::parse(response.body).at("projects");
  ASSERT_EQ(projects.size(), 1u);
  EXPECT_EQ(projects[0]["name"], "web");
  EXPECT_EQ(projects[0]["image"], kRepo);
  const auto& stages = projects[0]["stages"];
  ASSERT_EQ(stages.size(), 3u);

  const auto& staging = stages[0];
  EXPECT_EQ(staging["name"], "staging");
  EXPECT_EQ(staging["strategy"], "blue-green");
  EXPECT_EQ(staging["current"]["tag"], "v1");
  EXPECT_EQ(staging["current"]["digest"], digestOf(1));
  EXPECT_EQ(staging["current"]["deploy_id"], v1.id);
  EXPECT_EQ(staging["last_deploy"]["id"], v1.id);
  ASSERT_EQ(staging["instances"].size(), 1u);
  EXPECT_EQ(staging["instances"][0]["state"], "healthy");
  EXPECT_EQ(staging["instances"][0]["deploy_id"], v1.id);

  const auto& production = stages[1];
  EXPECT_EQ(production["promote_from"], "staging");
  EXPECT_TRUE(production["current"].is_null());
  EXPECT_TRUE(production["last_deploy"].is_null());
  EXPECT_TRUE(production["instances"].empty());
}

TEST_F(ApiTest, ProjectDetailHasTheSameShapeAsAListEntry) {
  deployed("qa", "v1");
  const auto list = json::parse(get("/api/projects").body);
  const auto detail = get("/api/projects/web");
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(json::parse(detail.body).at("project"), list["projects"][0]);
}

TEST_F(ApiTest, StageDetailListsRecentDeploysNewestFirst) {
  const auto v1 = deployed("qa", "v1");
  const auto v2 = deployed("qa", "v2");
  const auto response = get("/api/projects/web/stages/qa");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto stage = json::parse(response.body).at("stage");
  EXPECT_EQ(stage["name"], "qa");
  EXPECT_EQ(stage["current"]["tag"], "v2");
  ASSERT_EQ(stage["recent_deploys"].size(), 2u);
  EXPECT_EQ(stage["recent_deploys"][0]["id"], v2.id);
  EXPECT_EQ(stage["recent_deploys"][1]["id"], v1.id);
  EXPECT_EQ(stage["recent_deploys"][0]["previous_deploy_id"], v1.id);
}

TEST_F(ApiTest, StageInstancesAreTheStagesContainers) {
  deployed("production", "v1");  // two replicas
  const auto response = get("/api/projects/web/stages/production/instances");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto instances = json::parse(response.body).at("instances");
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances[0]["name"], "web-production-blue-1");
  EXPECT_EQ(instances[0]["color"], "blue");
  EXPECT_FALSE(instances[0]["container_id"].get<std::string>().empty());
}

TEST_F(ApiTest, UnknownProjectOrStageIs404NamingIt) {
  auto response = get("/api/projects/nope");
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.body, ::testing::HasSubstr("'nope'"));
  EXPECT_EQ(json::parse(response.body)["error"]["code"], "not_found");

  response = get("/api/projects/web/stages/prod");
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.body, ::testing::HasSubstr("'prod'"));

  response = get("/api/projects/nope/stages/qa/instances");
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.body, ::testing::HasSubstr("'nope'"));
}

}  // namespace
}  // namespace berth::api::testing
