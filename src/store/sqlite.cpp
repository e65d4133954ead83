#include "store/sqlite.h"

#include <sqlite3.h>

#include "store/store.h"

namespace berth::sqlite {

std::string fileName(sqlite3* db) {
  const char* name = db ? sqlite3_db_filename(db, "main") : nullptr;
  return name && *name ? name : "(unnamed)";
}

void failWith(sqlite3* db, std::string_view message) {
  throw StoreError("database " + fileName(db) + ": " + std::string(message));
}

void fail(sqlite3* db, std::string_view what) {
  failWith(db, std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    failWith(db, text);
  }
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK)
    fail(db, "preparing \"" + std::string(sql) + "\"");
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

void Statement::bindAt(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "binding a parameter");
}

void Statement::bindAt(int index, std::string_view value) {
  // An empty string_view may have a null data(), which SQLite would bind as NULL, not ''.
  // SQLITE_TRANSIENT: SQLite copies the bytes, so callers may pass temporaries.
  const char* bytes = value.data() ? value.data() : "";
  if (sqlite3_bind_text(stmt_, index, bytes, static_cast<int>(value.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    fail(db_, "binding a parameter");
}

void Statement::bindAt(int index, std::nullopt_t) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "binding a parameter");
}

bool Statement::step() {
  switch (sqlite3_step(stmt_)) {
    case SQLITE_ROW:
      return true;
    case SQLITE_DONE:
      return false;
    default:
      // SQLite's message alone ("UNIQUE constraint failed: stages.project_id, stages.name")
      // says what is wrong; callers add what they were doing.
      failWith(db_, sqlite3_errmsg(db_));
  }
}

void Statement::run() {
  if (step()) failWith(db_, "\"" + std::string(sqlite3_sql(stmt_)) + "\" returned a row");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text(int column) const {
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return bytes ? std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
               : std::string();
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::optionalInt64(int column) const {
  if (isNull(column)) return std::nullopt;
  return int64(column);
}

WriteTransaction::WriteTransaction(sqlite3* db) : db_(db) {
  exec(db, "BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
  // Best effort: a failed rollback must not throw from a destructor, and SQLite has already
  // rolled back on its own after the errors that make ROLLBACK fail.
  if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void WriteTransaction::commit() {
  exec(db_, "COMMIT");
  open_ = false;
}

ReadTransaction::ReadTransaction(sqlite3* db) : db_(db) {
  exec(db, "BEGIN DEFERRED");
}

// Nothing was written, so ending the snapshot with COMMIT or ROLLBACK is the same.
ReadTransaction::~ReadTransaction() {
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
}

}  // namespace berth::sqlite
