// The RAII helpers: binding, transactions, error messages.
#include "store/sqlite.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/store.h"
#include "store/test_support.h"

namespace berth {
namespace {

using ::testing::HasSubstr;

class Sqlite : public ::testing::Test {
 protected:
  Sqlite() {
    EXPECT_EQ(sqlite3_open((dir / "t.db").c_str(), &db), SQLITE_OK);
    sqlite::exec(db, "CREATE TABLE t (i INTEGER, s TEXT, n INTEGER NOT NULL DEFAULT 0)");
  }
  ~Sqlite() override { sqlite3_close(db); }

  std::int64_t rows() {
    sqlite::Statement stmt(db, "SELECT count(*) FROM t");
    stmt.step();
    return stmt.int64(0);
  }

  testing::TempDir dir;
  sqlite3* db = nullptr;
};

TEST_F(Sqlite, BindsEveryKindOfValueInOrder) {
  const std::string text("a\0b", 3);  // embedded NUL: lengths, not C strings
  sqlite::Statement insert(db, "INSERT INTO t (i, s) VALUES (?1, ?2)");
  insert.bind(std::int64_t{1} << 40, text).run();
  insert.reset();
  insert.bind(true, std::optional<std::string>()).run();

  sqlite::Statement select(db, "SELECT i, s FROM t ORDER BY i");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.int64(0), 1);
  EXPECT_TRUE(select.isNull(1));
  EXPECT_EQ(select.text(1), "");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.int64(0), std::int64_t{1} << 40);
  EXPECT_EQ(select.text(1), text);
  EXPECT_FALSE(select.step());
}

TEST_F(Sqlite, AnEmptyStringViewIsAnEmptyStringNotNull) {
  sqlite::Statement insert(db, "INSERT INTO t (s) VALUES (?1)");
  insert.bind(std::string_view()).run();
  sqlite::Statement select(db, "SELECT s IS NOT NULL FROM t");
  ASSERT_TRUE(select.step());
  EXPECT_TRUE(select.boolean(0));
}

TEST_F(Sqlite, ValuesAreNeverInterpretedAsSql) {
  sqlite::Statement insert(db, "INSERT INTO t (s) VALUES (?1)");
  insert.bind("x'); DROP TABLE t; --").run();
  EXPECT_EQ(rows(), 1);
}

TEST_F(Sqlite, WriteTransactionRollsBackUnlessCommitted) {
  {
    sqlite::WriteTransaction tx(db);
    sqlite::exec(db, "INSERT INTO t (i) VALUES (1)");
  }
  EXPECT_EQ(rows(), 0);
  {
    sqlite::WriteTransaction tx(db);
    sqlite::exec(db, "INSERT INTO t (i) VALUES (1)");
    tx.commit();
  }
  EXPECT_EQ(rows(), 1);
}

TEST_F(Sqlite, ErrorsNameTheFileAndSqlitesMessage) {
  sqlite::Statement insert(db, "INSERT INTO t (n) VALUES (NULL)");
  try {
    insert.run();
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr((dir / "t.db").string()));
    EXPECT_THAT(e.what(), HasSubstr("NOT NULL constraint failed: t.n"));
  }
  try {
    sqlite::Statement bad(db, "SELECT nope FROM t");
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("no such column: nope"));
  }
}

}  // namespace
}  // namespace berth
