#include "api/webhook/webhook_event.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace berth::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kDigest = "sha256:" + std::string(64, 'a');

std::string sample(const std::string& name) {
  std::ifstream in(std::string(BERTH_SOURCE_DIR) + "/tests/data/webhooks/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

WebhookEvent parsed(std::string_view body, WebhookHeaders headers = {}) {
  auto event = parseWebhookEvent(body, headers);
  EXPECT_TRUE(event.ok()) << event.error();
  return event.ok() ? *event : WebhookEvent{};
}

std::string refusal(std::string_view body, WebhookHeaders headers = {}) {
  auto event = parseWebhookEvent(body, headers);
  EXPECT_FALSE(event.ok()) << "accepted: " << body;
  return event.ok() ? "" : event.error();
}

TEST(WebhookEvent, GenericTagAndDigest) {
  const auto event = parsed(sample("generic_tag.json"));
  EXPECT_EQ(event.source, "generic");
  EXPECT_THAT(event.tags, ElementsAre("v1.2.3"));
  EXPECT_THAT(event.digest, HasSubstr("sha256:4f9e2a1c"));
  EXPECT_THAT(event.repository, IsEmpty());
  EXPECT_THAT(event.ignored, IsEmpty());
}

TEST(WebhookEvent, GenericTagListKeepsOrderAndDropsRepeats) {
  const auto event = parsed(R"({"tags": ["v2", "latest", "v2"], "tag": "v2"})");
  EXPECT_THAT(event.tags, ElementsAre("v2", "latest"));
}

TEST(WebhookEvent, GenericRefusalsNameTheField) {
  EXPECT_THAT(refusal(R"({"tag": 5})"), HasSubstr("tag: expected a string, got number"));
  EXPECT_THAT(refusal(R"({"tags": "v2"})"), HasSubstr("tags: expected an array, got string"));
  EXPECT_THAT(refusal(R"({"tags": ["v2", null]})"), HasSubstr("tags[1]: expected a string"));
  EXPECT_THAT(refusal(R"({"tag": "has space"})"), HasSubstr("tag: 'has space' is not a valid tag"));
  EXPECT_THAT(refusal(R"({"tag": "v2", "digest": "md5:00"})"), HasSubstr("digest: 'md5:00'"));
  EXPECT_THAT(refusal(R"({"version": "v2"})"), HasSubstr("tag: missing"));
}

TEST(WebhookEvent, GenericEmptyTagIsAcknowledgedNotRefused) {
  EXPECT_THAT(parsed(R"({"tag": ""})").ignored, HasSubstr("no tag"));
}

TEST(WebhookEvent, BodyThatIsNotAJsonObjectIsRefused) {
  EXPECT_THAT(refusal("{\"tag\": "), HasSubstr("body is not valid JSON"));
  EXPECT_THAT(refusal("[1, 2]"), HasSubstr("body: expected a JSON object, got array"));
  EXPECT_THAT(refusal(""), HasSubstr("not valid JSON"));
  EXPECT_THAT(refusal("{\"tag\": \"v\xff\"}"), HasSubstr("not valid JSON"));
}

TEST(WebhookEvent, DockerHubPush) {
  const auto event = parsed(sample("dockerhub_push.json"));
  EXPECT_EQ(event.source, "Docker Hub");
  EXPECT_THAT(event.tags, ElementsAre("v1.2.3"));
  EXPECT_EQ(event.repository, "docker.io/acme/web");
  EXPECT_THAT(event.digest, IsEmpty());
}

TEST(WebhookEvent, DockerHubOfficialImageNormalisedLikeDockerPull) {
  const auto event =
      parsed(R"({"push_data": {"tag": "1.27"}, "repository": {"repo_name": "nginx"}})");
  EXPECT_EQ(event.repository, "docker.io/library/nginx");
}

TEST(WebhookEvent, DockerHubRefusalsNameTheField) {
  EXPECT_THAT(refusal(R"({"push_data": {"tag": ["v2"]}, "repository": {"repo_name": "a/b"}})"),
              HasSubstr("push_data.tag: expected a string, got array"));
  EXPECT_THAT(refusal(R"({"push_data": 3, "repository": {"repo_name": "a/b"}})"),
              HasSubstr("push_data: expected an object, got number"));
  EXPECT_THAT(refusal(R"({"push_data": {"tag": "v2"}})"),
              HasSubstr("repository.repo_name: missing"));
  EXPECT_THAT(refusal(R"({"push_data": {"tag": "v2"}, "repository": {"repo_name": "A/B:x"}})"),
              HasSubstr("repository.repo_name: 'A/B:x' is not a Docker Hub repository"));
}

TEST(WebhookEvent, GitHubRegistryPackageWithOwnerInAnyCase) {
  const auto event = parsed(sample("github_registry_package_published.json"),
                            {.github_event = "registry_package"});
  EXPECT_EQ(event.source, "GitHub");
  EXPECT_THAT(event.tags, ElementsAre("v1.2.3"));
  EXPECT_EQ(event.repository, "ghcr.io/acme/web");
  EXPECT_THAT(event.digest, HasSubstr("sha256:4f9e2a1c"));
}

TEST(WebhookEvent, GitHubPackageEvent) {
  const auto event = parsed(sample("github_package_published.json"), {.github_event = "package"});
  EXPECT_THAT(event.tags, ElementsAre("latest"));
  EXPECT_EQ(event.repository, "ghcr.io/acme/web");
}

TEST(WebhookEvent, GitHubPackageFoundWithoutItsHeader) {
  EXPECT_THAT(parsed(sample("github_package_published.json")).tags, ElementsAre("latest"));
  EXPECT_THAT(parsed(sample("github_registry_package_published.json")).tags, ElementsAre("v1.2.3"));
}

TEST(WebhookEvent, GitHubPackageNameWithSlashIsANestedRepository) {
  const auto event = parsed(
      R"({"package": {"namespace": "acme", "name": "web/api", "package_type": "container",
          "package_version": {"container_metadata": {"tag": {"name": "v1"}}}}})",
      {.github_event = "package"});
  EXPECT_EQ(event.repository, "ghcr.io/acme/web/api");
}

TEST(WebhookEvent, GhcrPlatformEventWithoutTagIsIgnored) {
  const auto event =
      parsed(sample("github_registry_package_untagged.json"), {.github_event = "registry_package"});
  EXPECT_THAT(event.tags, IsEmpty());
  EXPECT_THAT(event.ignored, HasSubstr("no tag name"));
}

TEST(WebhookEvent, GitHubNonContainerPackageAndOtherEventsAreIgnored) {
  EXPECT_THAT(
      parsed(R"({"package": {"package_type": "npm"}})", {.github_event = "package"}).ignored,
      HasSubstr("'npm', not a container image"));
  EXPECT_THAT(parsed("{}", {.github_event = "ping"}).ignored, HasSubstr("ping"));
  EXPECT_THAT(parsed("not even json", {.github_event = "push"}).ignored,
              HasSubstr("'push' events are not handled"));
}

TEST(WebhookEvent, GitHubRefusalsNameTheField) {
  const WebhookHeaders github{.github_event = "registry_package"};
  EXPECT_THAT(refusal(R"({"action": "published"})", github),
              HasSubstr("registry_package: missing"));
  EXPECT_THAT(refusal(R"({"registry_package": {"name": "web"}})", github),
              HasSubstr("registry_package.namespace: missing"));
  EXPECT_THAT(
      refusal(R"({"registry_package": {"name": "web", "namespace": "acme",
                 "package_version": {"container_metadata": {"tag": {"name": 7}}}}})",
              github),
      HasSubstr("registry_package.package_version.container_metadata.tag.name: expected a string"));
  EXPECT_THAT(refusal(R"({"registry_package": {"name": "we b", "namespace": "acme"}})", github),
              HasSubstr("'acme/we b' is not a container repository"));
}

TEST(WebhookEvent, GitLabTagPush) {
  const auto event = parsed(sample("gitlab_tag_push.json"), {.gitlab_event = "Tag Push Hook"});
  EXPECT_EQ(event.source, "GitLab");
  EXPECT_THAT(event.tags, ElementsAre("v1.2.3"));
  EXPECT_THAT(event.repository, IsEmpty());  // a source project, not an image
}

TEST(WebhookEvent, GitLabSuccessfulTagPipeline) {
  const auto event =
      parsed(sample("gitlab_pipeline_success.json"), {.gitlab_event = "Pipeline Hook"});
  EXPECT_THAT(event.tags, ElementsAre("v1.2.3"));
}

TEST(WebhookEvent, GitLabEventsThatAnnounceNoImageAreIgnored) {
  EXPECT_THAT(parsed(R"({"object_kind": "tag_push", "ref": "refs/tags/v1",
                        "after": "0000000000000000000000000000000000000000"})")
                  .ignored,
              HasSubstr("'v1' was deleted"));
  EXPECT_THAT(parsed(R"({"object_kind": "pipeline", "object_attributes":
                        {"ref": "v1", "tag": true, "status": "running"}})")
                  .ignored,
              HasSubstr("'running', not success"));
  EXPECT_THAT(parsed(R"({"object_kind": "pipeline", "object_attributes":
                        {"ref": "main", "tag": false, "status": "success"}})")
                  .ignored,
              HasSubstr("branch 'main'"));
  EXPECT_THAT(parsed(R"({"object_kind": "push"})", {.gitlab_event = "Push Hook"}).ignored,
              HasSubstr("'push' events are not handled"));
}

TEST(WebhookEvent, GitLabRefusalsNameTheField) {
  const WebhookHeaders gitlab{.gitlab_event = "Tag Push Hook"};
  EXPECT_THAT(refusal(R"({"ref": "refs/tags/v1"})", gitlab), HasSubstr("object_kind: missing"));
  EXPECT_THAT(refusal(R"({"object_kind": "tag_push", "ref": "refs/heads/main"})", gitlab),
              HasSubstr("ref: 'refs/heads/main' is not a tag"));
  EXPECT_THAT(refusal(R"({"object_kind": "pipeline", "object_attributes":
                         {"ref": "v1", "tag": "yes", "status": "success"}})"),
              HasSubstr("object_attributes.tag: expected a boolean, got string"));
}

TEST(WebhookEvent, LongValuesAreCutInMessages) {
  const std::string long_tag(5000, '!');
  const auto message = refusal(R"({"tag": ")" + long_tag + R"("})");
  EXPECT_LT(message.size(), 300u);
}

TEST(WebhookEvent, TooManyTagsAreRefused) {
  std::string body = R"({"tags": [)";
  for (int i = 0; i < 101; ++i)
    body += (i ? ",\"t" : "\"t") + std::to_string(i) + "\"";
  body += "]}";
  EXPECT_THAT(refusal(body), HasSubstr("tags: 101 tags, at most 100"));
}

TEST(WebhookEvent, DigestIsKeptOnlyWhenValid) {
  EXPECT_EQ(parsed(R"({"tag": "v1", "digest": ")" + kDigest + R"("})").digest, kDigest);
}

}  // namespace
}  // namespace berth::api
