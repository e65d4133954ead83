// Store::loadConfig / replaceConfig: exact round trip, atomicity, ids kept by name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/store.h"
#include "store/test_support.h"

namespace berth {
namespace {

using ::testing::HasSubstr;
using testing::richConfig;
using testing::TempDir;

std::int64_t count(Store& store, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(store.handle(), sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  std::int64_t n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

std::string settingsJson(Store& store, const char* key) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(store.handle(), "SELECT value FROM settings WHERE key = ?1", -1, &stmt,
                     nullptr);
  sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
  std::string value;
  if (sqlite3_step(stmt) == SQLITE_ROW)
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return value;
}

class ConfigRepo : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<Store> store = Store::open(dir / "berth.db");
};

TEST_F(ConfigRepo, NothingImportedLoadsTheDefaults) {
  EXPECT_EQ(store->loadConfig(), Config{});
}

TEST_F(ConfigRepo, RichConfigRoundTripsExactly) {
  const Config config = richConfig();
  store->replaceConfig(config);
  EXPECT_EQ(store->loadConfig(), config);
}

TEST_F(ConfigRepo, RoundTripSurvivesReopening) {
  const Config config = richConfig();
  store->replaceConfig(config);
  store.reset();
  store = Store::open(dir / "berth.db");
  EXPECT_EQ(store->loadConfig(), config);
}

TEST_F(ConfigRepo, OrderOfEveryListIsPreservedWhenItChanges) {
  Config config = richConfig();
  store->replaceConfig(config);
  std::swap(config.projects[0], config.projects[1]);
  std::swap(config.registries[0], config.registries[1]);
  auto& web = config.projects[1];
  std::swap(web.stages[0], web.stages[2]);
  std::swap(web.volumes[0], web.volumes[2]);
  std::swap(web.stages[1].domains[0], web.stages[1].domains[1]);
  store->replaceConfig(config);
  EXPECT_EQ(store->loadConfig(), config);
}

TEST_F(ConfigRepo, NoTagPolicyAndADefaultTagPolicyStayDistinct) {
  const Config config = richConfig();
  store->replaceConfig(config);
  const auto loaded = store->loadConfig();
  EXPECT_FALSE(loaded.projects[0].findStage("production")->tags.has_value());
  EXPECT_EQ(loaded.projects[0].findStage("canary")->tags, TagPolicy{});
}

TEST_F(ConfigRepo, ProjectAndStageIdsAreKeptWhenNamesStay) {
  Config config = richConfig();
  store->replaceConfig(config);
  const auto web = store->projectId("web");
  const auto production = store->stageId("web", "production");
  ASSERT_TRUE(web && production);

  config.projects[0].port = 9999;
  config.projects[0].stages[1].replicas = 5;
  std::swap(config.projects[0], config.projects[1]);
  store->replaceConfig(config);

  EXPECT_EQ(store->projectId("web"), web);
  EXPECT_EQ(store->stageId("web", "production"), production);
  EXPECT_EQ(store->loadConfig(), config);
}

TEST_F(ConfigRepo, DeployHistoryStaysAttachedAcrossReimport) {
  Config config = richConfig();
  store->replaceConfig(config);
  const auto id = store->createDeploy({.project = "web",
                                       .stage = "production",
                                       .image_repository = "ghcr.io/acme/web",
                                       .image_tag = "v1",
                                       .trigger = DeployTrigger::manual});
  config.projects[0].image = "ghcr.io/acme/web2";
  store->replaceConfig(config);
  ASSERT_TRUE(store->getDeploy(id).has_value());
  EXPECT_EQ(store->getDeploy(id)->stage, "production");
}

TEST_F(ConfigRepo, RenamingLeavesNothingStale) {
  Config config = richConfig();
  store->replaceConfig(config);
  config.projects[0].name = "site";
  config.projects[0].stages[1].name = "prod";
  config.projects[1].stages.pop_back();
  store->replaceConfig(config);

  EXPECT_EQ(store->loadConfig(), config);
  EXPECT_FALSE(store->projectId("web"));
  EXPECT_FALSE(store->stageId("api", "edge"));
  EXPECT_EQ(count(*store, "SELECT count(*) FROM projects"), 2);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM stages"), 4);
  // Children follow their owners: every row belongs to a project or stage that still exists.
  EXPECT_EQ(count(*store, "SELECT count(*) FROM stage_domains"), 4);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM project_env"), 3);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM stage_env"), 1);
}

TEST_F(ConfigRepo, RemovingAStageDeletesItsDeploysLogsAndInstances) {
  store->replaceConfig(richConfig());
  const auto stage_id = *store->stageId("web", "staging");
  const auto deploy = store->createDeploy({.project = "web",
                                           .stage = "staging",
                                           .image_repository = "r",
                                           .trigger = DeployTrigger::poller});
  store->appendDeployLog(deploy, "info", "pulling");
  const std::string instance =
      "INSERT INTO instances (stage_id, deploy_id, container_id, name, color, state, updated_at) "
      "VALUES (" +
      std::to_string(stage_id) + ", " + std::to_string(deploy) + ", 'c1', 'web-staging', '', " +
      "'running', 0)";
  ASSERT_EQ(sqlite3_exec(store->handle(), instance.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);

  Config config = richConfig();
  config.projects[0].stages.erase(config.projects[0].stages.begin());
  store->replaceConfig(config);

  EXPECT_FALSE(store->getDeploy(deploy));
  EXPECT_TRUE(store->deployLog(deploy).empty());
  EXPECT_EQ(count(*store, "SELECT count(*) FROM deploy_logs"), 0);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM instances"), 0);
}

TEST_F(ConfigRepo, RemovingAProjectDeletesItsStagesAndHistory) {
  store->replaceConfig(richConfig());
  const auto deploy = store->createDeploy({.project = "api",
                                           .stage = "live",
                                           .image_repository = "r",
                                           .trigger = DeployTrigger::manual});
  Config config = richConfig();
  config.projects.pop_back();
  store->replaceConfig(config);
  EXPECT_FALSE(store->projectId("api"));
  EXPECT_FALSE(store->getDeploy(deploy));
  EXPECT_EQ(store->loadConfig(), config);
}

TEST_F(ConfigRepo, DuplicateStageNameFailsAndKeepsThePreviousConfig) {
  const Config before = richConfig();
  store->replaceConfig(before);
  const auto ids = std::pair(store->projectId("web"), store->stageId("api", "live"));

  Config bad = richConfig();
  bad.projects[0].port = 1;  // written before the failure, must be rolled back
  Project added;
  added.name = "new";
  added.image = "x";
  bad.projects.push_back(added);
  bad.projects[1].stages.push_back(bad.projects[1].stages[0]);
  try {
    store->replaceConfig(bad);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("stage api/live"));
    EXPECT_THAT(e.what(), HasSubstr("twice"));
  }
  EXPECT_EQ(store->loadConfig(), before);
  EXPECT_EQ(std::pair(store->projectId("web"), store->stageId("api", "live")), ids);
  EXPECT_FALSE(store->projectId("new"));
}

TEST_F(ConfigRepo, DuplicateProjectNameFails) {
  store->replaceConfig(richConfig());
  Config bad = richConfig();
  bad.projects.push_back(bad.projects[0]);
  EXPECT_THROW(store->replaceConfig(bad), StoreError);
  EXPECT_EQ(store->loadConfig(), richConfig());
}

TEST_F(ConfigRepo, ConstraintViolationLateInTheImportRollsBackEverything) {
  const Config before = richConfig();
  store->replaceConfig(before);
  Config bad = richConfig();
  bad.server.listen = "changed";
  bad.registries.clear();
  bad.projects[0].stages.clear();
  bad.projects[1].stages[1].domains = {"dup.example.com"};
  bad.projects[1].stages[0].domains = {"DUP.example.com"};  // domains are case-insensitive
  try {
    store->replaceConfig(bad);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("UNIQUE constraint failed: stage_domains.domain"));
    EXPECT_THAT(e.what(), HasSubstr("api/edge"));
  }
  EXPECT_EQ(store->loadConfig(), before);
}

TEST_F(ConfigRepo, CheckConstraintsRejectImpossibleValues) {
  Config bad = richConfig();
  bad.projects[1].stages[0].replicas = 0;
  EXPECT_THROW(store->replaceConfig(bad), StoreError);
  bad = richConfig();
  bad.projects[0].port = 70000;
  EXPECT_THROW(store->replaceConfig(bad), StoreError);
  bad = richConfig();
  bad.projects[0].stages[1].drain = Duration(-1);
  EXPECT_THROW(store->replaceConfig(bad), StoreError);
  EXPECT_EQ(store->loadConfig(), Config{});
}

TEST_F(ConfigRepo, ADomainCanMoveToAnotherStage) {
  Config config = richConfig();
  store->replaceConfig(config);
  auto& stages = config.projects[0].stages;
  stages[2].domains = stages[0].domains;  // canary takes staging's domains...
  stages[0].domains.clear();              // ...which staging gives up in the same import
  store->replaceConfig(config);
  EXPECT_EQ(store->loadConfig(), config);
}

TEST_F(ConfigRepo, SettingsAreStoredAsOneJsonObjectPerSection) {
  store->replaceConfig(richConfig());
  EXPECT_THAT(settingsJson(*store, "proxy"), HasSubstr(R"("driver":"npm")"));
  EXPECT_THAT(settingsJson(*store, "auth"), HasSubstr(R"("admin_group":"ops")"));
  EXPECT_EQ(count(*store, "SELECT count(*) FROM settings"), 4);
}

TEST_F(ConfigRepo, ASettingsSectionMissingFieldsLoadsTheirDefaults) {
  ASSERT_EQ(sqlite3_exec(store->handle(),
                         R"(INSERT INTO settings VALUES ('server', '{"listen":"1.2.3.4:80"}'))",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  const auto server = store->loadConfig().server;
  EXPECT_EQ(server.listen, "1.2.3.4:80");
  EXPECT_EQ(server.data_dir, ServerSettings{}.data_dir);
}

TEST_F(ConfigRepo, ReplacingWithTheDefaultsEmptiesTheConfig) {
  store->replaceConfig(richConfig());
  store->replaceConfig(Config{});
  EXPECT_EQ(store->loadConfig(), Config{});
  EXPECT_EQ(count(*store, "SELECT count(*) FROM stages"), 0);
}

}  // namespace
}  // namespace berth
