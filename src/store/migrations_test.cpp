// Schema versions: applied once, recorded, and a newer or foreign file left alone.
#include "store/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/store.h"
#include "store/test_support.h"

namespace berth {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

// Creates a plain SQLite file (rollback journal, as another tool would leave it) with a table
// and the given header values.
void makeRawDatabase(const std::filesystem::path& path, int user_version, int application_id) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string sql =
      "CREATE TABLE future (x); PRAGMA user_version = " + std::to_string(user_version) +
      "; PRAGMA application_id = " + std::to_string(application_id) + ";";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

std::string schemaDump(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT type, name, sql FROM sqlite_master ORDER BY name", -1, &stmt,
                     nullptr);
  std::string dump;
  while (sqlite3_step(stmt) == SQLITE_ROW)
    for (int i = 0; i < 3; ++i) {
      const auto* text = sqlite3_column_text(stmt, i);
      dump += text ? reinterpret_cast<const char*>(text) : "";
      dump += '\n';
    }
  sqlite3_finalize(stmt);
  return dump;
}

TEST(Migrations, VersionsStartAtOneWithoutGaps) {
  int expected = 1;
  for (const auto& m : migrations::all())
    EXPECT_EQ(m.version, expected++);
  EXPECT_EQ(migrations::latestVersion(), expected - 1);
  EXPECT_EQ(Store::latestSchemaVersion(), migrations::latestVersion());
}

TEST(Migrations, NewDatabaseIsAtTheLatestVersion) {
  TempDir dir;
  auto store = Store::open(dir / "berth.db");
  EXPECT_EQ(store->schemaVersion(), Store::latestSchemaVersion());
}

TEST(Migrations, ReopeningChangesNeitherSchemaNorData) {
  TempDir dir;
  const Config config = testing::richConfig();
  std::string schema;
  {
    auto store = Store::open(dir / "berth.db");
    store->replaceConfig(config);
    schema = schemaDump(store->handle());
  }
  auto store = Store::open(dir / "berth.db");
  EXPECT_EQ(store->schemaVersion(), Store::latestSchemaVersion());
  EXPECT_EQ(schemaDump(store->handle()), schema);
  EXPECT_EQ(store->loadConfig(), config);
}

// A database as berth wrote it at schema version 1 (before stages had drain_ms), with one
// project, one stage and one deploy.
void makeVersion1Database(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(migrations::all()[0].version, 1);
  const std::string sql =
      std::string(migrations::all()[0].sql) +
      "INSERT INTO projects (id, name, position, image, port, health_path, health_interval_ms, "
      "  health_timeout_ms, webhook_secret_env, poll_interval_ms) "
      "  VALUES (7, 'web', 0, 'nginx', 8080, '/healthz', 1000, 60000, '', 60000);"
      "INSERT INTO stages (id, project_id, name, position, tag_order, auto_deploy, promote_from, "
      "  strategy, replicas) VALUES (9, 7, 'production', 0, NULL, 0, '', 'blue-green', 2);"
      "INSERT INTO stage_domains (stage_id, position, domain) VALUES (9, 0, 'example.com');"
      "INSERT INTO deploys (stage_id, image_repository, image_tag, image_digest, trigger, state, "
      "  created_at) VALUES (9, 'docker.io/library/nginx', '1.25', '', 'manual', 'succeeded', 1);"
      "PRAGMA application_id = " +
      std::to_string(migrations::kApplicationId) + "; PRAGMA user_version = 1;";
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

std::int64_t countRows(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  const std::int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  return n;
}

TEST(Migrations, Version1DatabaseIsMigratedKeepingItsRowsAndStagesGetTheDefaultDrain) {
  TempDir dir;
  const auto path = dir / "berth.db";
  makeVersion1Database(path);
  auto store = Store::open(path);
  EXPECT_EQ(store->schemaVersion(), Store::latestSchemaVersion());
  EXPECT_GE(Store::latestSchemaVersion(), 2);

  Project web;
  web.name = "web";
  web.image = "nginx";
  web.port = 8080;
  web.health.path = "/healthz";
  Stage production;
  production.name = "production";
  production.strategy = Strategy::blue_green;
  production.replicas = 2;
  production.domains = {"example.com"};
  web.stages = {production};
  Config expected;
  expected.projects = {web};
  const Config loaded = store->loadConfig();
  EXPECT_EQ(loaded, expected);
  ASSERT_EQ(loaded.projects.size(), 1u);
  ASSERT_EQ(loaded.projects[0].stages.size(), 1u);
  EXPECT_EQ(loaded.projects[0].stages[0].drain, Duration(2000));
  // Row ids and history survive: the deploy still belongs to stage 9.
  EXPECT_EQ(store->stageId("web", "production"), 9);
  EXPECT_EQ(countRows(store->handle(), "SELECT count(*) FROM deploys WHERE stage_id = 9"), 1);

  // The new column is written and read back.
  Config changed = expected;
  changed.projects[0].stages[0].drain = std::chrono::seconds(10);
  store->replaceConfig(changed);
  EXPECT_EQ(store->loadConfig(), changed);
  EXPECT_EQ(countRows(store->handle(), "SELECT drain_ms FROM stages WHERE id = 9"), 10000);
}

TEST(Migrations, MigratingAVersion1DatabaseGivesTheSameSchemaAsANewOne) {
  TempDir dir;
  makeVersion1Database(dir / "old.db");
  const std::string migrated = schemaDump(Store::open(dir / "old.db")->handle());
  const std::string fresh = schemaDump(Store::open(dir / "new.db")->handle());
  EXPECT_EQ(migrated, fresh);
}

TEST(Migrations, NewerDatabaseIsRefusedWithAClearMessage) {
  TempDir dir;
  const auto path = dir / "berth.db";
  const int newer = Store::latestSchemaVersion() + 6;
  makeRawDatabase(path, newer, migrations::kApplicationId);
  try {
    Store::open(path);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(std::string(e.what()), "database " + path.string() + " has schema version " +
                                         std::to_string(newer) + " but this berth supports up to " +
                                         std::to_string(Store::latestSchemaVersion()) +
                                         "; upgrade berth or restore a backup");
  }
}

TEST(Migrations, NewerDatabaseIsLeftByteForByteUntouched) {
  TempDir dir;
  const auto path = dir / "berth.db";
  makeRawDatabase(path, Store::latestSchemaVersion() + 1, migrations::kApplicationId);
  const std::string before = testing::readBytes(path);
  EXPECT_THROW(Store::open(path), StoreError);
  EXPECT_EQ(testing::readBytes(path), before);  // journal mode not switched to WAL either
  EXPECT_FALSE(std::filesystem::exists(dir / "berth.db-wal"));
}

TEST(Migrations, NewerDatabaseWrittenByBerthIsRefusedToo) {
  TempDir dir;
  const auto path = dir / "berth.db";
  Store::open(path).reset();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string bump =
        "PRAGMA user_version = " + std::to_string(Store::latestSchemaVersion() + 1);
    ASSERT_EQ(sqlite3_exec(db, bump.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  const std::string before = testing::readBytes(path);
  EXPECT_THROW(Store::open(path), StoreError);
  EXPECT_EQ(testing::readBytes(path), before);
}

TEST(Migrations, AnotherApplicationsDatabaseIsRefusedAndUntouched) {
  TempDir dir;
  const auto path = dir / "other.db";
  makeRawDatabase(path, 0, 42);
  const std::string before = testing::readBytes(path);
  try {
    Store::open(path);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("not a berth database"));
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
  }
  EXPECT_EQ(testing::readBytes(path), before);
}

TEST(Migrations, RecordsTheApplicationId) {
  TempDir dir;
  auto store = Store::open(dir / "berth.db");
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(store->handle(), "PRAGMA application_id", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), migrations::kApplicationId);
  sqlite3_finalize(stmt);
}

}  // namespace
}  // namespace berth
