#include "api/webhook/webhook_handler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/webhook/webhook_auth.h"
#include "registry/testing/fake_registry.h"

namespace berth::api {
namespace {

using registry::RegistryError;
using registry::testing::FakeRegistry;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

const std::string kSecret = "hook-secret-4711";
const std::string kRepo = "ghcr.io/acme/web";
const std::string kD1 = "sha256:" + std::string(64, '1');
const std::string kD2 = "sha256:" + std::string(64, '2');
const std::string kD9 = "sha256:" + std::string(64, '9');

std::string sample(const std::string& name) {
  std::ifstream in(std::string(BERTH_SOURCE_DIR) + "/tests/data/webhooks/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Config testConfig() {
  Project web{.name = "web", .image = kRepo, .webhook_secret_env = "WEB_HOOK"};
  web.stages = {
      Stage{.name = "staging", .tags = TagPolicy{.match = "^v"}, .auto_deploy = true},
      Stage{.name = "production",
            .tags = TagPolicy{.match = "^v"},
            .auto_deploy = true,
            .promote_from = "staging"},
      Stage{.name = "preview", .tags = TagPolicy{.watch = "latest"}, .auto_deploy = true},
  };
  Project hub{.name = "hub", .image = "acme/web", .webhook_secret_env = "HUB_HOOK"};
  hub.stages = {Stage{.name = "live", .tags = TagPolicy{.watch = "v1.2.3"}, .auto_deploy = true}};
  Project unset{.name = "unset", .image = kRepo, .webhook_secret_env = "NOT_SET"};
  Project none{.name = "none", .image = kRepo};
  return Config{.projects = {web, hub, unset, none}};
}

class WebhookHandlerTest : public ::testing::Test {
 protected:
  WebhookHandlerTest() {
    registry_.pushImage(kRepo, "v1.2.3", kD1);
    registry_.pushImage(kRepo, "latest", kD1);
    registry_.pushImage(kRepo, "v1.0.0", kD2);
    registry_.pushImage("docker.io/acme/web", "v1.2.3", kD1);
  }

  http::Request signedPost(const std::string& project, const std::string& body) {
    http::Request request{.method = "POST", .path = "/api/webhook/" + project, .body = body};
    request.params["project"] = project;
    request.headers.emplace_back("x-hub-signature-256", webhookSignature(kSecret, body));
    return request;
  }
  http::Response post(const std::string& body) { return handler_.handle(signedPost("web", body)); }

  static nlohmann::json answer(const http::Response& response) {
    return nlohmann::json::parse(response.body);
  }

  Config config_ = testConfig();
  FakeRegistry registry_;
  FakeClock clock_;
  std::ostringstream log_;
  std::vector<deploy::DeployRequest> enqueued_;
  std::function<std::int64_t(const deploy::DeployRequest&)> engine_ =
      [this](const deploy::DeployRequest& request) {
        enqueued_.push_back(request);
        return static_cast<std::int64_t>(100 + enqueued_.size());
      };
  WebhookHandler handler_{WebhookDeps{
      .config = [this] { return config_; },
      .registry = registry_,
      .enqueue = [this](const deploy::DeployRequest& r) { return engine_(r); },
      .env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "WEB_HOOK" || name == "HUB_HOOK") return kSecret;
        return std::nullopt;
      },
      .clock = clock_,
      .log = Logger(log_, LogLevel::debug, LogFormat::json),
  }};
};

TEST_F(WebhookHandlerTest, SignedGenericPushDeploysEveryStageFollowingTheTag) {
  const auto response = post(R"({"tag": "v1.2.3"})");
  ASSERT_EQ(response.status, 202) << response.body;
  const auto body = answer(response);
  ASSERT_THAT(body["deploys"], SizeIs(1));
  EXPECT_EQ(
      body["deploys"][0],
      (nlohmann::json{{"id", 101}, {"stage", "staging"}, {"tag", "v1.2.3"}, {"digest", kD1}}));
  ASSERT_THAT(enqueued_, SizeIs(1));
  EXPECT_EQ(enqueued_[0].project, "web");
  EXPECT_EQ(enqueued_[0].stage, "staging");
  EXPECT_EQ(enqueued_[0].digest, kD1);
  EXPECT_EQ(enqueued_[0].trigger, DeployTrigger::webhook);
  EXPECT_EQ(body["ignored"][0]["stage"], "production");
  EXPECT_EQ(body["ignored"][0]["reason"], "promoted from staging: not deployed by webhooks");
  EXPECT_EQ(body["ignored"][1]["stage"], "preview");
  EXPECT_THAT(body["ignored"][1]["reason"].get<std::string>(), HasSubstr("watched tag latest"));
}

TEST_F(WebhookHandlerTest, WhileBerthShutsDownThePushIsRefusedForARetryNotIgnored) {
  engine_ = [](const deploy::DeployRequest&) -> std::int64_t {
    throw deploy::EngineShuttingDown("berth is shutting down; no new deploys are accepted");
  };
  const auto response = post(R"({"tag": "v1.2.3"})");
  EXPECT_EQ(response.status, 503) << response.body;
  EXPECT_THAT(response.body, HasSubstr("retry later"));
}

TEST_F(WebhookHandlerTest, SeveralTagsReachTheStagesThatFollowEach) {
  const auto body = answer(post(R"({"tags": ["v1.2.3", "latest"]})"));
  ASSERT_THAT(body["deploys"], SizeIs(2));
  EXPECT_EQ(body["deploys"][0]["stage"], "staging");
  EXPECT_EQ(body["deploys"][1]["stage"], "preview");
  EXPECT_EQ(body["deploys"][1]["tag"], "latest");
  EXPECT_EQ(registry_.calls(FakeRegistry::Call::manifest_digest), 2);
}

TEST_F(WebhookHandlerTest, GitHubRegistryPackageEvent) {
  auto request = signedPost("web", sample("github_registry_package_published.json"));
  request.headers.emplace_back("x-github-event", "registry_package");
  const auto body = answer(handler_.handle(request));
  ASSERT_THAT(body["deploys"], SizeIs(1));
  EXPECT_EQ(body["deploys"][0]["stage"], "staging");
  EXPECT_EQ(body["deploys"][0]["digest"], kD1);  // the registry's, not the payload's
}

TEST_F(WebhookHandlerTest, GitLabTagPushWithGitLabToken) {
  http::Request request{.body = sample("gitlab_tag_push.json")};
  request.params["project"] = "web";
  request.headers = {{"x-gitlab-event", "Tag Push Hook"}, {"x-gitlab-token", kSecret}};
  const auto response = handler_.handle(request);
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(answer(response)["deploys"][0]["tag"], "v1.2.3");
}

TEST_F(WebhookHandlerTest, DockerHubWithQueryToken) {
  http::Request request{.body = sample("dockerhub_push.json")};
  request.params["project"] = "hub";
  request.query["token"] = kSecret;
  const auto response = handler_.handle(request);
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(answer(response)["deploys"][0]["stage"], "live");
  EXPECT_EQ(enqueued_.at(0).project, "hub");
}

TEST_F(WebhookHandlerTest, BearerAndBerthTokenHeadersAuthenticate) {
  for (const auto& header : std::vector<std::pair<std::string, std::string>>{
           {"authorization", "Bearer " + kSecret}, {"x-berth-token", kSecret}}) {
    http::Request request{.body = R"({"tag": "v1.2.3"})"};
    request.params["project"] = "web";
    request.headers = {header};
    EXPECT_EQ(handler_.handle(request).status, 202) << header.first;
  }
}

TEST_F(WebhookHandlerTest, EveryAuthFailureLooksTheSameToTheCaller) {
  auto wrong_signature = signedPost("web", R"({"tag": "v1.2.3"})");
  wrong_signature.headers[0].second = webhookSignature("guess", wrong_signature.body);
  auto no_credential = signedPost("web", R"({"tag": "v1.2.3"})");
  no_credential.headers.clear();
  auto wrong_token = no_credential;
  wrong_token.query["token"] = "guess";
  const std::vector<http::Request> refused = {signedPost("nosuchproject", R"({"tag": "v1.2.3"})"),
                                              wrong_signature,
                                              no_credential,
                                              wrong_token,
                                              signedPost("unset", R"({"tag": "v1.2.3"})"),
                                              signedPost("none", R"({"tag": "v1.2.3"})")};

  const auto first = handler_.handle(refused[0]);
  EXPECT_EQ(first.status, 401);
  for (const auto& request : refused) {
    const auto response = handler_.handle(request);
    EXPECT_EQ(response.status, first.status);
    EXPECT_EQ(response.body, first.body);
    EXPECT_EQ(response.headers, first.headers);
  }
  EXPECT_THAT(enqueued_, IsEmpty());
  EXPECT_EQ(registry_.calls(FakeRegistry::Call::manifest_digest), 0);
  // The operator learns why; nobody learns the secret.
  EXPECT_THAT(log_.str(), HasSubstr("no such project"));
  EXPECT_THAT(log_.str(), HasSubstr("does not match the body"));
  EXPECT_THAT(log_.str(), HasSubstr("NOT_SET is not set"));
  EXPECT_THAT(log_.str(), HasSubstr("has no webhook_secret_env"));
  EXPECT_THAT(log_.str(), Not(HasSubstr(kSecret)));
}

TEST_F(WebhookHandlerTest, BadBodyIsCheckedOnlyAfterAuthentication) {
  auto unsigned_request = signedPost("web", "{not json");
  unsigned_request.headers.clear();
  EXPECT_EQ(handler_.handle(unsigned_request).status, 401);

  const auto response = post(R"({"tag": 12})");
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(response.body, HasSubstr("tag: expected a string, got number"));
}

TEST_F(WebhookHandlerTest, PayloadAboutAnotherRepositoryIsRefusedNamingBoth) {
  auto request = signedPost(
      "web", R"({"package": {"namespace": "acme", "name": "other", "package_type": "container",
                 "package_version": {"container_metadata": {"tag": {"name": "v1.2.3"}}}}})");
  request.headers.emplace_back("x-github-event", "package");
  const auto response = handler_.handle(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(response.body, HasSubstr("ghcr.io/acme/other"));
  EXPECT_THAT(response.body, HasSubstr("deploys ghcr.io/acme/web"));
  EXPECT_THAT(enqueued_, IsEmpty());
}

TEST_F(WebhookHandlerTest, RegistryDigestWinsOverThePayloads) {
  const auto body = answer(post(R"({"tag": "v1.2.3", "digest": ")" + kD9 + R"("})"));
  EXPECT_EQ(body["deploys"][0]["digest"], kD1);
  EXPECT_EQ(enqueued_.at(0).digest, kD1);
  EXPECT_THAT(log_.str(), HasSubstr("digest differs"));
}

TEST_F(WebhookHandlerTest, SameContentUnderAnotherTagDeploysOnce) {
  config_.projects[0].stages = {
      Stage{.name = "edge", .tags = TagPolicy{.order = TagOrder::pushed}, .auto_deploy = true}};
  const auto first = answer(post(R"({"tag": "v1.2.3"})"));
  const auto second = answer(post(R"({"tag": "latest"})"));
  EXPECT_THAT(enqueued_, SizeIs(1));
  EXPECT_EQ(first["deploys"][0]["id"], 101);
  EXPECT_EQ(second["deploys"][0]["id"], 101);
  EXPECT_EQ(second["deploys"][0]["tag"], "latest");

  clock_.advance(std::chrono::minutes(11));  // long after: a new deploy is the operator's intent
  post(R"({"tag": "latest"})");
  EXPECT_THAT(enqueued_, SizeIs(2));
}

TEST_F(WebhookHandlerTest, GhcrEventWithoutTagIsAcknowledgedAndIgnored) {
  auto request = signedPost("web", sample("github_registry_package_untagged.json"));
  request.headers.emplace_back("x-github-event", "registry_package");
  const auto response = handler_.handle(request);
  EXPECT_EQ(response.status, 202);
  const auto body = answer(response);
  EXPECT_THAT(body["deploys"], IsEmpty());
  EXPECT_THAT(body["ignored"][0]["reason"].get<std::string>(), HasSubstr("no tag name"));
  EXPECT_THAT(enqueued_, IsEmpty());
  EXPECT_EQ(registry_.calls(FakeRegistry::Call::manifest_digest), 0);
}

TEST_F(WebhookHandlerTest, NonMatchingTagIsIgnoredWithReason) {
  const auto body = answer(post(R"({"tag": "main-abc1234"})"));
  EXPECT_THAT(body["deploys"], IsEmpty());
  EXPECT_EQ(body["ignored"][0]["stage"], "staging");
  EXPECT_THAT(body["ignored"][0]["reason"].get<std::string>(),
              HasSubstr("no pushed tag (main-abc1234) matches the tag policy"));
  EXPECT_THAT(enqueued_, IsEmpty());
}

TEST_F(WebhookHandlerTest, TagMissingFromTheRegistryIsNotDeployed) {
  const auto response = post(R"({"tag": "v9.9.9"})");
  EXPECT_EQ(response.status, 202);
  EXPECT_THAT(answer(response)["ignored"][0]["reason"].get<std::string>(),
              HasSubstr("v9.9.9 is not in the registry"));
  EXPECT_THAT(enqueued_, IsEmpty());
}

TEST_F(WebhookHandlerTest, OlderTagThanTheRegistrysBestIsNotDeployed) {
  registry_.pushImage(kRepo, "v2.0.0", kD9);
  const auto body = answer(post(R"({"tag": "v1.2.3"})"));
  EXPECT_THAT(body["deploys"], IsEmpty());
  EXPECT_THAT(body["ignored"][0]["reason"].get<std::string>(),
              HasSubstr("the registry has v2.0.0, which the tag policy ranks above v1.2.3"));
}

TEST_F(WebhookHandlerTest, RegistryDownAnswers503AndDeploysNothing) {
  registry_.before_call = [](FakeRegistry::Call, std::string_view) {
    throw RegistryError(RegistryError::Kind::unavailable, "registry ghcr.io: HTTP 502");
  };
  const auto response = post(R"({"tags": ["v1.2.3", "latest"]})");
  EXPECT_EQ(response.status, 503);
  EXPECT_THAT(response.body, HasSubstr("registry ghcr.io: HTTP 502"));
  EXPECT_THAT(enqueued_, IsEmpty());
}

TEST_F(WebhookHandlerTest, EngineRefusalIsAReasonAndOtherFailuresAre503) {
  engine_ = [](const deploy::DeployRequest&) -> std::int64_t {
    throw deploy::EngineRefused("berth is shutting down");
  };
  const auto refused = post(R"({"tag": "v1.2.3"})");
  EXPECT_EQ(refused.status, 202);
  EXPECT_THAT(refused.body, HasSubstr("refused: berth is shutting down"));

  engine_ = [](const deploy::DeployRequest&) -> std::int64_t {
    throw std::runtime_error("database is locked");
  };
  const auto failed = post(R"({"tag": "v1.2.3"})");
  EXPECT_EQ(failed.status, 503);
  EXPECT_THAT(failed.body, Not(HasSubstr("database")));
}

}  // namespace
}  // namespace berth::api
