// Opening the database: file creation, connection settings, errors.
#include "store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "store/test_support.h"

namespace berth {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

std::string pragmaText(Store& store, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(store.handle(), sql, -1, &stmt, nullptr), SQLITE_OK);
  std::string value;
  if (sqlite3_step(stmt) == SQLITE_ROW)
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return value;
}

TEST(StoreOpen, CreatesTheFileAndMissingParentDirectories) {
  TempDir dir;
  const auto path = dir / "a/b/berth.db";
  auto store = Store::open(path);
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(StoreOpen, TurnsOnWriteAheadLogging) {
  TempDir dir;
  auto store = Store::open(dir / "berth.db");
  EXPECT_EQ(pragmaText(*store, "PRAGMA journal_mode"), "wal");
}

TEST(StoreOpen, SetsSynchronousNormalAndABusyTimeout) {
  TempDir dir;
  auto store = Store::open(dir / "berth.db");
  EXPECT_EQ(pragmaText(*store, "PRAGMA synchronous"), "1");  // NORMAL
  EXPECT_EQ(pragmaText(*store, "PRAGMA busy_timeout"), "5000");
}

TEST(StoreOpen, EnforcesForeignKeys) {
  TempDir dir;
  auto store = Store::open(dir / "berth.db");
  EXPECT_EQ(pragmaText(*store, "PRAGMA foreign_keys"), "1");
  const char* orphan =
      "INSERT INTO stages (project_id, name, position, auto_deploy, promote_from, strategy, "
      "replicas) VALUES (999, 'x', 0, 0, '', 'recreate', 1)";
  EXPECT_EQ(sqlite3_exec(store->handle(), orphan, nullptr, nullptr, nullptr),
            SQLITE_CONSTRAINT_FOREIGNKEY);  // extended result codes are on
}

TEST(StoreOpen, ErrorNamesTheFileWhenTheDirectoryCannotBeCreated) {
  TempDir dir;
  std::ofstream(dir / "file") << "not a directory";
  const auto path = dir / "file/berth.db";
  try {
    Store::open(path);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
  }
}

TEST(StoreOpen, ErrorNamesTheFileAndSqliteMessageForGarbage) {
  TempDir dir;
  const auto path = dir / "berth.db";
  std::ofstream(path) << std::string(4096, 'x');
  try {
    Store::open(path);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
    EXPECT_THAT(e.what(), HasSubstr("file is not a database"));
  }
}

// Switching a new file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once,
// without the busy handler, while another connection writes: two `berth import`s started
// together on a fresh data directory failed with "database is locked".
TEST(StoreOpen, WaitsForAnotherWriterWhileTurningOnWal) {
  TempDir dir;
  const auto path = dir / "berth.db";
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; CREATE TABLE t (x)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  std::thread writer([other] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  std::unique_ptr<Store> store;
  EXPECT_NO_THROW(store = Store::open(path));
  writer.join();
  sqlite3_close(other);
  ASSERT_TRUE(store);
  EXPECT_EQ(pragmaText(*store, "PRAGMA journal_mode"), "wal");
}

// SQLite says only "unable to open database file"; the system error says why.
TEST(StoreOpen, ErrorSaysWhyTheFileCannotBeOpened) {
  TempDir dir;
  std::filesystem::create_directories(dir / "berth.db");
  try {
    Store::open(dir / "berth.db");
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("Is a directory"));
  }
}

TEST(StoreOpen, TwoConnectionsShareCommittedState) {
  TempDir dir;
  auto writer = Store::open(dir / "berth.db");
  auto reader = Store::open(dir / "berth.db");
  const Config config = testing::richConfig();
  writer->replaceConfig(config);
  EXPECT_EQ(reader->loadConfig(), config);
}

TEST(Store, ConfigStampMovesWithEveryConfigurationWriteOfAnyConnection) {
  testing::TempDir dir;
  auto mine = Store::open(dir / "berth.db");
  auto other = Store::open(dir / "berth.db");
  const auto start = mine->configStamp();
  EXPECT_EQ(mine->configStamp(), start) << "reading changes nothing";
  mine->replaceConfig(testing::richConfig());
  const auto after_mine = mine->configStamp();
  EXPECT_NE(after_mine, start) << "this connection's own import";
  other->replaceConfig(Config{});
  EXPECT_NE(mine->configStamp(), after_mine) << "another connection's import";
}

}  // namespace
}  // namespace berth
