// Thin RAII helpers over the SQLite C API, private to store/. They exist so every query is a
// prepared statement with bound parameters and every failure becomes a StoreError that names
// the database file and SQLite's own message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace berth::sqlite {

// Throws StoreError "database FILE: WHAT: <sqlite3_errmsg>".
[[noreturn]] void fail(sqlite3* db, std::string_view what);

// Throws StoreError "database FILE: MESSAGE" (no SQLite message: the failure is ours).
[[noreturn]] void failWith(sqlite3* db, std::string_view message);

// The file name SQLite opened, for messages.
std::string fileName(sqlite3* db);

// The enum a text column spells (`value` is the parse result of `text`), or StoreError naming
// the column. CHECK constraints admit only known spellings, so this fails only for a file
// edited by hand.
template <class E>
E parseColumn(sqlite3* db, std::optional<E> value, const char* column, const std::string& text) {
  if (!value) failWith(db, "unknown value '" + text + "' in " + column);
  return *value;
}

// Runs SQL without parameters (schema, pragmas, BEGIN/COMMIT). Never pass values through it.
void exec(sqlite3* db, const char* sql);

// One prepared statement. Parameters are 1-based like SQLite's; bind() binds them in order.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds the arguments to ?1, ?2, ... in order, replacing earlier bindings.
  template <class... Args>
  Statement& bind(const Args&... args) {
    [[maybe_unused]] int index = 0;
    (bindAt(++index, args), ...);
    return *this;
  }

  void bindAt(int index, std::int64_t value);
  void bindAt(int index, int value) { bindAt(index, static_cast<std::int64_t>(value)); }
  void bindAt(int index, bool value) { bindAt(index, static_cast<std::int64_t>(value ? 1 : 0)); }
  void bindAt(int index, std::string_view value);
  void bindAt(int index, const std::string& value) { bindAt(index, std::string_view(value)); }
  void bindAt(int index, const char* value) { bindAt(index, std::string_view(value)); }
  void bindAt(int index, std::nullopt_t);
  template <class T>
  void bindAt(int index, const std::optional<T>& value) {
    if (value)
      bindAt(index, *value);
    else
      bindAt(index, std::nullopt);
  }

  // Advances to the next row: true if there is one, false when the statement is done.
  bool step();
  // Runs a statement that returns no rows (throws if it returns one).
  void run();
  // Makes the statement ready to run again with new bindings.
  void reset();

  std::int64_t int64(int column) const;
  int int32(int column) const { return static_cast<int>(int64(column)); }
  bool boolean(int column) const { return int64(column) != 0; }
  std::string text(int column) const;
  bool isNull(int column) const;
  std::optional<std::int64_t> optionalInt64(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A write transaction taken with BEGIN IMMEDIATE, so the write lock is acquired up front (a
// deferred transaction that later upgrades can fail with SQLITE_BUSY regardless of
// busy_timeout). Rolls back unless commit() was called, so an exception leaves no trace.
class WriteTransaction {
 public:
  explicit WriteTransaction(sqlite3* db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  sqlite3* db_;
  bool open_ = true;
};

// A read transaction: several SELECTs see one consistent snapshot even while another
// connection writes (WAL lets readers and one writer proceed together).
class ReadTransaction {
 public:
  explicit ReadTransaction(sqlite3* db);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  sqlite3* db_;
};

}  // namespace berth::sqlite
