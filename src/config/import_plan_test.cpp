// planImport: what `berth import --dry-run` shows.
#include "config/import_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "config/config.h"

namespace berth {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

Config parsed(std::string_view yaml) {
  ParseResult result = parseConfig(yaml, "test.yaml");
  for (const auto& e : result.errors)
    ADD_FAILURE() << e.str();
  return result.config.value_or(Config{});
}

// A global on purpose: it is parsed during static initialisation, which pins that the parser
// does not depend on its own files' globals being constructed first.
const Config kBase = parsed(R"(registries:
  - { host: ghcr.io, username: bot, password_env: GHCR_TOKEN }
projects:
  - name: web
    image: ghcr.io/acme/web
    port: 8080
    env: { DB_PASSWORD: hunter2, LOG_LEVEL: info }
    stages:
      - { name: staging, tags: { order: semver }, auto_deploy: true }
      - { name: production, promote_from: staging }
  - name: api
    image: ghcr.io/acme/api
    stages:
      - { name: production }
)");

TEST(ImportPlan, SameConfigMeansNoChanges) {
  const ImportPlan plan = planImport(kBase, kBase);
  EXPECT_TRUE(plan.empty());
  EXPECT_EQ(plan.describe(), "no changes\n");
}

TEST(ImportPlan, EverythingIsAddedToAnEmptyServer) {
  const ImportPlan plan = planImport(Config{}, kBase);
  EXPECT_THAT(plan.added,
              ElementsAre("registry ghcr.io", "project web (stages staging, production)",
                          "project api (stages production)"));
  EXPECT_THAT(plan.changed, IsEmpty());
  EXPECT_THAT(plan.removed, IsEmpty());
}

TEST(ImportPlan, EverythingIsRemovedByAnEmptyConfig) {
  const ImportPlan plan = planImport(kBase, Config{});
  EXPECT_THAT(plan.removed,
              ElementsAre("registry ghcr.io", "project web (stages staging, production)",
                          "project api (stages production)"));
  EXPECT_THAT(plan.added, IsEmpty());
}

TEST(ImportPlan, NamesTheChangedFieldsOfAStage) {
  Config next = kBase;
  Stage& production = next.projects[0].stages[1];
  production.replicas = 2;
  production.strategy = Strategy::blue_green;
  production.domains = {"example.com"};
  const ImportPlan plan = planImport(kBase, next);
  EXPECT_THAT(plan.changed, ElementsAre("stage web/production: strategy recreate -> blue-green, "
                                        "replicas 1 -> 2, domains [] -> [example.com]"));
  EXPECT_EQ(plan.describe(),
            "~ stage web/production: strategy recreate -> blue-green, replicas 1 "
            "-> 2, domains [] -> [example.com]\n");
}

TEST(ImportPlan, NamesAChangedDrain) {
  Config before = kBase;
  before.projects[0].stages[1].strategy = Strategy::blue_green;
  Config next = before;
  next.projects[0].stages[1].drain = 10s;
  EXPECT_THAT(planImport(before, next).changed,
              ElementsAre("stage web/production: drain 2s -> 10s"));
  next.projects[0].stages[1].drain = 1500ms;
  EXPECT_THAT(planImport(before, next).changed,
              ElementsAre("stage web/production: drain 2s -> 1500ms"));
  EXPECT_TRUE(planImport(next, next).empty());
}

TEST(ImportPlan, AddsAndRemovesStagesAndProjects) {
  Config next = kBase;
  next.projects[0].stages.pop_back();
  Stage canary;
  canary.name = "canary";
  next.projects[0].stages.push_back(canary);
  next.projects.pop_back();
  Project docs;
  docs.name = "docs";
  docs.image = "ghcr.io/acme/docs";
  docs.stages = {canary};
  next.projects.push_back(docs);
  const ImportPlan plan = planImport(kBase, next);
  EXPECT_THAT(plan.added, ElementsAre("stage web/canary", "project docs (stages canary)"));
  EXPECT_THAT(plan.removed, ElementsAre("stage web/production", "project api (stages production)"));
  EXPECT_THAT(plan.changed, IsEmpty());
  EXPECT_EQ(plan.describe(),
            "+ stage web/canary\n"
            "+ project docs (stages canary)\n"
            "- stage web/production\n"
            "- project api (stages production)\n");
}

TEST(ImportPlan, ShowsOnlyTheNamesOfChangedEnvironmentVariables) {
  Config next = kBase;
  next.projects[0].env = {{"DB_PASSWORD", "correct horse"}, {"NEW_SECRET", "s3cr3t"}};
  next.projects[0].stages[1].env = {{"API_KEY", "abc123"}};
  const ImportPlan plan = planImport(kBase, next);
  EXPECT_THAT(plan.changed, ElementsAre("project web: env ~DB_PASSWORD +NEW_SECRET -LOG_LEVEL",
                                        "stage web/production: env +API_KEY"));
  const std::string text = plan.describe();
  for (const char* value : {"hunter2", "correct horse", "s3cr3t", "abc123", "info"})
    EXPECT_THAT(text, Not(HasSubstr(value))) << value;
}

TEST(ImportPlan, SettingsSectionsAndRegistries) {
  Config next = kBase;
  next.server.listen = "0.0.0.0:8080";
  next.docker.network = "apps";
  next.proxy.driver = ProxyDriver::nginx;
  next.proxy.conf_dir = "/etc/nginx/conf.d";
  next.proxy.test_cmd = "nginx -t";
  next.auth.mode = AuthMode::oidc;
  next.auth.oidc.client_id = "berth";
  next.registries[0].password_env = "GHCR_PAT";
  next.registries.push_back({"quay.io", "", "", false});
  const ImportPlan plan = planImport(kBase, next);
  EXPECT_THAT(
      plan.changed,
      ElementsAre("server: listen 127.0.0.1:8080 -> 0.0.0.0:8080", "docker: network berth -> apps",
                  "proxy: driver none -> nginx, conf_dir \"\" -> /etc/nginx/conf.d, "
                  "test_cmd \"\" -> \"nginx -t\"",
                  "auth: mode local -> oidc, oidc.client_id \"\" -> berth",
                  "registry ghcr.io: password_env GHCR_TOKEN -> GHCR_PAT"));
  EXPECT_THAT(plan.added, ElementsAre("registry quay.io"));
}

// Every auth field is part of the plan: an import that only changes one must not be
// described as "no changes".
TEST(ImportPlan, EveryAuthFieldIsPlanned) {
  std::vector<std::function<void(AuthSettings&)>> edits{
      [](AuthSettings& a) { a.session_lifetime = std::chrono::hours(1); },
      [](AuthSettings& a) { a.protect_metrics = true; },
      [](AuthSettings& a) { a.local_login = false; },
      [](AuthSettings& a) { a.oidc.admin_claim = "roles"; },
      [](AuthSettings& a) { a.oidc.scopes = {"openid"}; },
      [](AuthSettings& a) { a.oidc.admin_group = "ops"; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    Config next = kBase;
    edits[i](next.auth);
    EXPECT_FALSE(planImport(kBase, next).empty()) << "edit " << i;
  }
}

TEST(ImportPlan, ProjectFieldsTagsAndOrder) {
  Config next = kBase;
  Project& web = next.projects[0];
  web.port = 9090;
  web.health.path = "/healthz";
  web.poll_interval = 5s;
  web.stages[0].tags = TagPolicy{"^v", TagOrder::semver, true, ""};
  web.stages[1].tags = TagPolicy{"", TagOrder::semver, false, "latest"};
  std::swap(next.projects[0], next.projects[1]);
  const ImportPlan plan = planImport(kBase, next);
  EXPECT_THAT(plan.changed,
              ElementsAre("project web: port 8080 -> 9090, health.path \"\" -> /healthz, "
                          "poll.interval 1m -> 5s",
                          "stage web/staging: tags {order: semver} -> {match: '^v', order: "
                          "semver, prerelease: true}",
                          "stage web/production: tags none -> {watch: latest}",
                          "projects: order web, api -> api, web"));
}

TEST(ImportPlan, IsEmptyExactlyWhenTheConfigsAreEqual) {
  // Every single-field change must show up, or a dry run could claim "no changes" wrongly.
  std::vector<Config> variants;
  auto vary = [&](auto change) {
    Config c = kBase;
    change(c);
    variants.push_back(c);
  };
  vary([](Config& c) { c.server.public_url = "https://x"; });
  vary([](Config& c) { c.docker.host = "tcp://h:2375"; });
  vary([](Config& c) { c.proxy.reach = ProxyReach::network; });
  vary([](Config& c) { c.auth.oidc.admin_group = "ops"; });
  vary([](Config& c) { c.registries[0].insecure = true; });
  vary([](Config& c) { c.registries.push_back({"a.io", "", "", false}); });
  vary([](Config& c) { c.projects[0].volumes = {"a:/b"}; });
  vary([](Config& c) { c.projects[0].webhook_secret_env = "HOOK"; });
  vary([](Config& c) { c.projects[0].health.timeout = 5s; });
  vary([](Config& c) { c.projects[0].stages[0].auto_deploy = false; });
  vary([](Config& c) { c.projects[0].stages[1].promote_from = ""; });
  vary([](Config& c) { c.projects[0].stages[1].volumes = {"a:/b"}; });
  vary([](Config& c) { std::swap(c.projects[0].stages[0], c.projects[0].stages[1]); });
  for (size_t i = 0; i < variants.size(); ++i) {
    ASSERT_FALSE(variants[i] == kBase) << i;
    EXPECT_FALSE(planImport(kBase, variants[i]).empty()) << i;
    EXPECT_FALSE(planImport(variants[i], kBase).empty()) << i;
  }
}

// A value with a line break used to start a line of its own, which could read as another entry
// of the plan ("+ project evil").
TEST(ImportPlan, ValuesWithLineBreaksStayOnTheirLine) {
  Config next = kBase;
  next.proxy.test_cmd = "nginx -t\n+ project evil";
  const std::string text = planImport(kBase, next).describe();
  EXPECT_THAT(text, HasSubstr("test_cmd \"\" -> \"nginx -t\\n+ project evil\"\n"));
  EXPECT_THAT(text, Not(HasSubstr("\n+ project evil")));
}

}  // namespace
}  // namespace berth
