// Schema versions and how a database gets from the one it has to the one this binary writes.
// Private to store/.
#pragma once

#include <cstdint>
#include <span>

struct sqlite3;

namespace berth::migrations {

struct Migration {
  int version;       // 1, 2, 3, ... without gaps
  const char* name;  // for error messages
  const char* sql;   // one or more statements, run in one transaction
};

// The SQL of each migration, one file each (migration_NNN_*.cpp).
extern const char* const kInitialSchema;
extern const char* const kStageDrain;
extern const char* const kUserRoles;

// Every migration in order. The last one's version is the schema this binary writes.
std::span<const Migration> all();
int latestVersion();

// Marks the file as berth's ("bert" in PRAGMA application_id), so that `file` recognises it and
// berth refuses to migrate some other program's SQLite database.
inline constexpr std::int32_t kApplicationId = 0x62657274;

// The version recorded in the file (PRAGMA user_version; 0 for a new file).
int currentVersion(sqlite3* db);

// Throws StoreError, without writing anything, if the file belongs to another application or
// was written by a newer berth. Call before anything that may write (even PRAGMA journal_mode).
void checkCompatible(sqlite3* db);

// Applies the pending migrations in order, each in its own transaction that also records its
// version, so a crash leaves the database at the last complete version. Safe to call again.
void migrate(sqlite3* db);

}  // namespace berth::migrations
