// Triggering deploys, promotions and rollbacks through the API; the deploy history, detail,
// log and cancel.
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include "api/api_test_support.h"

namespace berth::api::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json bodyOf(const http::Response& response) {
  return json::parse(response.body);
}

TEST_F(ApiTest, TriggeredDeployIsAcceptedAndAppearsInTheHistory) {
  const auto response = post("/api/projects/web/stages/qa/deploys", R"({"tag":"v1"})");
  ASSERT_EQ(response.status, 202) << response.body;
  const auto deploy = bodyOf(response).at("deploy");
  EXPECT_EQ(deploy["project"], "web");
  EXPECT_EQ(deploy["stage"], "qa");
  EXPECT_EQ(deploy["image"]["repository"], kRepo);
  EXPECT_EQ(deploy["image"]["tag"], "v1");
  EXPECT_EQ(deploy["trigger"], "manual");
  ASSERT_TRUE(engine_->waitIdle(std::chrono::seconds(10)));

  const auto history = bodyOf(get("/api/deploys?project=web&stage=qa"));
  ASSERT_EQ(history["deploys"].size(), 1u);
  const auto& listed = history["deploys"][0];
  EXPECT_EQ(listed["id"], deploy["id"]);
  EXPECT_EQ(listed["state"], "succeeded");
  EXPECT_EQ(listed["image"]["digest"], digestOf(1));  // the digest that actually ran
  EXPECT_THAT(listed["finished_at"].get<std::string>(), ::testing::EndsWith("Z"));
  EXPECT_TRUE(history["next_before"].is_null());

  const auto detail = get("/api/deploys/" + std::to_string(deploy["id"].get<std::int64_t>()));
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(bodyOf(detail)["deploy"], listed);
}

TEST_F(ApiTest, DeployPinnedToADigestRecordsIt) {
  const auto response = post("/api/projects/web/stages/qa/deploys",
                             json({{"tag", "v2"}, {"digest", digestOf(2)}}).dump());
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(bodyOf(response)["deploy"]["image"]["digest"], digestOf(2));
}

TEST_F(ApiTest, HistoryFiltersByStatusAndPagesWithNextBefore) {
  const auto ok1 = deployed("qa", "v1");
  const auto failed = deployed("qa", "bad");
  const auto ok2 = deployed("qa", "v2");
  ASSERT_NE(failed.state, DeployState::succeeded);

  auto page = bodyOf(get("/api/deploys?status=succeeded&limit=1"));
  ASSERT_EQ(page["deploys"].size(), 1u);
  EXPECT_EQ(page["deploys"][0]["id"], ok2.id);
  ASSERT_EQ(page["next_before"], ok2.id);

  page = bodyOf(get("/api/deploys?status=succeeded&limit=1&before=" + std::to_string(ok2.id)));
  ASSERT_EQ(page["deploys"].size(), 1u);
  EXPECT_EQ(page["deploys"][0]["id"], ok1.id);
  EXPECT_TRUE(page["next_before"].is_null());  // nothing older succeeded

  page = bodyOf(get("/api/deploys?status=" + toString(failed.state)));
  ASSERT_EQ(page["deploys"].size(), 1u);
  EXPECT_EQ(page["deploys"][0]["id"], failed.id);
  EXPECT_FALSE(page["deploys"][0]["reason"].get<std::string>().empty());
}

TEST_F(ApiTest, UnknownDeployIs404) {
  const auto response = get("/api/deploys/999");
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.body, HasSubstr("999"));
  EXPECT_EQ(post("/api/deploys/999/cancel").status, 404);
  EXPECT_EQ(get("/api/deploys/999/log").status, 404);
}

TEST_F(ApiTest, DeployToAnUnknownStageIs404NamingIt) {
  const auto response = post("/api/projects/web/stages/prod/deploys", R"({"tag":"v1"})");
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.body, HasSubstr("'prod'"));
}

TEST_F(ApiTest, PromotionRefusedByTheEngineIs409WithItsReason) {
  // Staging never ran anything, so there is nothing to promote.
  std::string reason;
  try {
    engine_->promote("web", "production");
    FAIL() << "the engine accepted the promotion";
  } catch (const deploy::EngineRefused& e) {
    reason = e.what();
  }
  const auto response = post("/api/projects/web/stages/production/promote");
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(bodyOf(response)["error"]["code"], "conflict");
  EXPECT_EQ(bodyOf(response)["error"]["message"], reason);
}

TEST_F(ApiTest, PromotionDeploysTheSourceStagesDigest) {
  deployed("staging", "v2");
  const auto response = post("/api/projects/web/stages/production/promote", R"({"tag":"v2"})");
  ASSERT_EQ(response.status, 202) << response.body;
  const auto deploy = bodyOf(response)["deploy"];
  EXPECT_EQ(deploy["trigger"], "promote");
  EXPECT_EQ(deploy["image"]["digest"], digestOf(2));
}

TEST_F(ApiTest, RollbackGoesBackToTheEarlierImageOrIsRefused) {
  EXPECT_EQ(post("/api/projects/web/stages/qa/rollback").status, 409);  // never deployed
  const auto v1 = deployed("qa", "v1");
  deployed("qa", "v2");
  const auto response =
      post("/api/projects/web/stages/qa/rollback", json({{"deploy_id", v1.id}}).dump());
  ASSERT_EQ(response.status, 202) << response.body;
  const auto deploy = bodyOf(response)["deploy"];
  EXPECT_EQ(deploy["trigger"], "rollback");
  EXPECT_EQ(deploy["image"]["tag"], "v1");
  EXPECT_EQ(deploy["image"]["digest"], digestOf(1));
}

TEST_F(ApiTest, CancelStopsAQueuedDeployAndRefusesAFinishedOne) {
  deploy::testing::Gate pull;
  docker_.before_call = [&](const std::string& call, const std::string&) {
    if (call == "pull") pull.wait();
  };
  const auto running = bodyOf(post("/api/projects/web/stages/qa/deploys", R"({"tag":"v1"})"));
  ASSERT_TRUE(pull.waitForWaiters(1));  // the first deploy holds the stage
  const auto queued = bodyOf(post("/api/projects/web/stages/qa/deploys", R"({"tag":"v2"})"));
  const auto queued_id = std::to_string(queued["deploy"]["id"].get<std::int64_t>());

  const auto cancelled = post("/api/deploys/" + queued_id + "/cancel");
  ASSERT_EQ(cancelled.status, 202) << cancelled.body;
  EXPECT_EQ(bodyOf(cancelled)["deploy"]["state"], "cancelled");
  pull.open();
  ASSERT_TRUE(engine_->waitIdle(std::chrono::seconds(10)));

  const auto again = post("/api/deploys/" + queued_id + "/cancel");
  EXPECT_EQ(again.status, 409);
  EXPECT_THAT(bodyOf(again)["error"]["message"].get<std::string>(), HasSubstr("is cancelled"));
  const auto finished = std::to_string(running["deploy"]["id"].get<std::int64_t>());
  EXPECT_EQ(post("/api/deploys/" + finished + "/cancel").status, 409);
}

TEST_F(ApiTest, RequestsWhileShuttingDownAre503) {
  engine_->shutdown(std::chrono::seconds(1));
  const auto response = post("/api/projects/web/stages/qa/deploys", R"({"tag":"v1"})");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(bodyOf(response)["error"]["code"], "unavailable");
}

TEST_F(ApiTest, LogOfAFinishedDeployIsItsLinesInOrder) {
  const auto d = deployed("qa", "v1");
  const auto response = get("/api/deploys/" + std::to_string(d.id) + "/log");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto lines = bodyOf(response).at("lines");
  const auto stored = journal_->logOf(d.id);
  ASSERT_EQ(lines.size(), stored.size());
  ASSERT_GE(lines.size(), 3u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i]["seq"], i + 1);
    EXPECT_EQ(lines[i]["message"], stored[i].message);
    EXPECT_EQ(lines[i]["level"], stored[i].level);
  }
  EXPECT_THAT(lines[0]["message"].get<std::string>(), HasSubstr("queued"));

  const auto rest = bodyOf(get("/api/deploys/" + std::to_string(d.id) + "/log?after=2"));
  ASSERT_EQ(rest["lines"].size(), lines.size() - 2);
  EXPECT_EQ(rest["lines"][0]["seq"], 3);
}

}  // namespace
}  // namespace berth::api::testing
