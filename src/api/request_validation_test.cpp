// Bad input gets 400 (or 404 for names that do not exist) with a message naming what is wrong
// and where; never a crash, never 500.
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include "api/api_test_support.h"

namespace berth::api::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class RequestValidationTest : public ApiTest {
 protected:
  // The response is `status` with error code `code` and a message containing `mentions`.
  void expectError(const http::Response& response, int status, const std::string& code,
                   const std::string& mentions) {
    EXPECT_EQ(response.status, status) << response.body;
    const auto body = json::parse(response.body);
    EXPECT_EQ(body["error"]["code"], code);
    EXPECT_THAT(body["error"]["message"].get<std::string>(), HasSubstr(mentions));
  }
  void expectBadRequest(const http::Response& response, const std::string& mentions) {
    expectError(response, 400, "bad_request", mentions);
  }
};

TEST_F(RequestValidationTest, DeployListQueryParametersAreChecked) {
  expectBadRequest(get("/api/deploys?limit=0"), "limit");
  expectBadRequest(get("/api/deploys?limit=501"), "limit");
  expectBadRequest(get("/api/deploys?limit=ten"), "'ten'");
  expectBadRequest(get("/api/deploys?before=-3"), "before");
  expectBadRequest(get("/api/deploys?before=1e3"), "before");
  expectBadRequest(get("/api/deploys?status=done"), "'done'");
  expectError(get("/api/deploys?project=nope"), 404, "not_found", "'nope'");
  expectError(get("/api/deploys?project=web&stage=prod"), 404, "not_found", "'prod'");
  EXPECT_EQ(get("/api/deploys?limit=500&status=succeeded&project=web&stage=qa").status, 200);
  EXPECT_EQ(get("/api/deploys?limit=&before=&status=&project=&stage=").status, 200);
}

TEST_F(RequestValidationTest, DeployIdsMustBePositiveIntegers) {
  expectBadRequest(get("/api/deploys/abc"), "'abc'");
  expectBadRequest(get("/api/deploys/0"), "deploy id");
  expectBadRequest(get("/api/deploys/99999999999999999999"), "deploy id");
  expectBadRequest(post("/api/deploys/-1/cancel"), "deploy id");
  expectBadRequest(get("/api/deploys/1x/log"), "deploy id");
}

TEST_F(RequestValidationTest, DeployBodyErrorsSayWhere) {
  const std::string target = "/api/projects/web/stages/qa/deploys";
  expectBadRequest(post(target, R"({"tag": "v1",})"), "line 1, column");
  expectBadRequest(post(target, ""), "empty");
  expectBadRequest(post(target, R"(["v1"])"), "JSON object");
  expectBadRequest(post(target, R"({"tag": 1})"), "'tag' must be a string");
  expectBadRequest(post(target, R"({})"), "'tag' is required");
  expectBadRequest(post(target, R"({"tag": "v1", "digets": "x"})"), "'digets'");
  expectBadRequest(post(target, R"({"tag": "v1 beta"})"), "field 'tag'");
  expectBadRequest(post(target, R"({"tag": "v1", "digest": "sha256:abc"})"), "field 'digest'");
  EXPECT_TRUE(journal_->list({}).empty()) << "a refused request must not create a deploy";
}

TEST_F(RequestValidationTest, PromoteAndRollbackBodiesAreChecked) {
  expectBadRequest(post("/api/projects/web/stages/production/promote", R"({"tag": true})"),
                   "'tag'");
  expectBadRequest(post("/api/projects/web/stages/qa/rollback", R"({"deploy_id": "7"})"),
                   "'deploy_id' must be a positive integer");
  expectBadRequest(post("/api/projects/web/stages/qa/rollback", R"({"deploy_id": 7.5})"),
                   "'deploy_id'");
  expectBadRequest(post("/api/projects/web/stages/qa/rollback", R"({"deploy_id": 0})"),
                   "'deploy_id'");
  expectBadRequest(post("/api/projects/web/stages/qa/rollback", R"({"to": 3})"), "'to'");
}

TEST_F(RequestValidationTest, ResumePointsAreChecked) {
  const auto d = deployed("qa", "v1");
  const std::string log = "/api/deploys/" + std::to_string(d.id) + "/log";
  expectBadRequest(get(log + "?after=-1"), "after");
  expectBadRequest(call("GET", log, "", {{"accept", "text/event-stream"}, {"last-event-id", "x"}}),
                   "Last-Event-ID");
  expectBadRequest(call("GET", "/api/events", "", {{"last-event-id", "-5"}}), "Last-Event-ID");
  expectError(get("/api/events?project=nope"), 404, "not_found", "'nope'");
}

TEST_F(RequestValidationTest, PollingDisabledIsAnEmptyListAndRefusesAPoll) {
  const auto status = get("/api/poller");
  ASSERT_EQ(status.status, 200);
  EXPECT_EQ(json::parse(status.body), json({{"enabled", false}, {"projects", json::array()}}));
  expectError(post("/api/projects/web/poll"), 409, "conflict", "disabled");
  expectError(post("/api/projects/nope/poll"), 404, "not_found", "'nope'");
}

}  // namespace
}  // namespace berth::api::testing
