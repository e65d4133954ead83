#include "store/migrations.h"

#include <sqlite3.h>

#include <array>
#include <string>

#include "store/sqlite.h"
#include "store/store.h"

namespace berth::migrations {
namespace {

// A function-local static: initialised on first use, whatever the order of static initialisation.
std::span<const Migration> migrationList() {
  static const std::array list{
      Migration{1, "initial schema", kInitialSchema},
      Migration{2, "stage drain time", kStageDrain},
      Migration{3, "user roles", kUserRoles},
  };
  return list;
}

std::int64_t pragmaInt(sqlite3* db, const char* sql) {
  sqlite::Statement stmt(db, sql);
  return stmt.step() ? stmt.int64(0) : 0;
}

// Foreign-key enforcement cannot change inside a transaction, and must be off while a migration
// rebuilds a table (the SQLite-documented way to change a constraint: create, copy, drop,
// rename), or dropping the old table would cascade-delete the rows that reference it. Integrity
// is checked before each commit instead.
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(sqlite3* db) : db_(db) { sqlite::exec(db, "PRAGMA foreign_keys = OFF"); }
  ~ForeignKeysOff() { sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr); }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  sqlite3* db_;
};

void apply(sqlite3* db, const Migration& migration) {
  sqlite::WriteTransaction tx(db);
  // Re-read under the write lock: another berth process may have migrated in the meantime.
  if (currentVersion(db) >= migration.version) return;
  try {
    sqlite::exec(db, migration.sql);
  } catch (const StoreError& e) {
    throw StoreError(std::string(e.what()) + " (in migration " + std::to_string(migration.version) +
                     ", " + migration.name + ")");
  }
  sqlite::Statement check(db, "PRAGMA foreign_key_check");
  if (check.step())
    sqlite::failWith(db, "migration " + std::to_string(migration.version) +
                             " left a broken reference in table " + check.text(0));
  // PRAGMA takes no bound parameters; these are our own integer constants, not input.
  sqlite::exec(db, ("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
  sqlite::exec(db, ("PRAGMA user_version = " + std::to_string(migration.version)).c_str());
  tx.commit();
}

}  // namespace

std::span<const Migration> all() {
  return migrationList();
}

int latestVersion() {
  return migrationList().back().version;
}

int currentVersion(sqlite3* db) {
  return static_cast<int>(pragmaInt(db, "PRAGMA user_version"));
}

void checkCompatible(sqlite3* db) {
  const std::int64_t application = pragmaInt(db, "PRAGMA application_id");
  if (application != 0 && application != kApplicationId)
    sqlite::failWith(db, "not a berth database (application_id " + std::to_string(application) +
                             "); refusing to change it");
  const int version = currentVersion(db);
  if (version > latestVersion())
    throw StoreError("database " + sqlite::fileName(db) + " has schema version " +
                     std::to_string(version) + " but this berth supports up to " +
                     std::to_string(latestVersion()) + "; upgrade berth or restore a backup");
}

void migrate(sqlite3* db) {
  checkCompatible(db);
  ForeignKeysOff fk_off(db);
  for (const Migration& migration : migrationList())
    if (migration.version > currentVersion(db)) apply(db, migration);
}

}  // namespace berth::migrations
