// Opening the database: file, connection settings, migrations.
#include "store/store.h"

#include <sqlite3.h>

#include <chrono>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>

#include "store/migrations.h"
#include "store/sqlite.h"

namespace berth {
namespace {

// Closes the connection unless open() succeeds and hands it to a Store.
struct ConnectionGuard {
  sqlite3* db = nullptr;
  ~ConnectionGuard() { sqlite3_close_v2(db); }
  sqlite3* release() { return std::exchange(db, nullptr); }
};

void createParentDirectory(const std::filesystem::path& path) {
  const auto parent = path.parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec)
    throw StoreError("database " + path.string() + ": cannot create directory " + parent.string() +
                     ": " + ec.message());
}

// How long a connection waits for another one's lock (a second berth command such as
// `berth import` against a running server) before failing.
constexpr std::chrono::milliseconds kBusyTimeout{5000};

// Switches the file to WAL and returns the journal mode it is in afterwards. Switching needs an
// exclusive lock, and while another connection writes SQLite answers SQLITE_BUSY at once
// instead of calling the busy handler (two berth commands opening a new database together), so
// this retries for as long as the busy handler would have waited.
std::string turnOnWal(sqlite3* db) {
  const auto deadline = std::chrono::steady_clock::now() + kBusyTimeout;
  while (true) {
    try {
      sqlite::Statement wal(db, "PRAGMA journal_mode = WAL");
      return wal.step() && !wal.isNull(0) ? wal.text(0) : std::string();
    } catch (const StoreError&) {
      const bool busy = (sqlite3_errcode(db) & 0xff) == SQLITE_BUSY;
      if (!busy || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Connection settings, applied on every open (they are per connection, except journal_mode).
void configure(sqlite3* db) {
  // WAL: readers (dashboard, API) never block the writer (a deploy journalling its steps), and
  // a crash loses at most the transactions after the last sync, never consistency.
  if (const std::string mode = turnOnWal(db); mode != "wal")
    sqlite::failWith(db, "cannot turn on write-ahead logging (journal_mode is '" + mode + "')");
  // NORMAL is durable enough in WAL mode: a power loss may drop the last commits but cannot
  // corrupt the file, and it spares an fsync per deploy log line.
  sqlite::exec(db, "PRAGMA synchronous = NORMAL");
  // SQLite ships with foreign keys off; the schema relies on them for cascades.
  sqlite::exec(db, "PRAGMA foreign_keys = ON");
}

}  // namespace

std::unique_ptr<Store> Store::open(const std::filesystem::path& path, StoreClock clock) {
  createParentDirectory(path);
  ConnectionGuard guard;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE;
  if (sqlite3_open_v2(path.c_str(), &guard.db, flags, nullptr) != SQLITE_OK) {
    // guard.db may be null (out of memory); sqlite3_errmsg handles that. SQLite's message is
    // only "unable to open database file"; the system error says why (permission, directory).
    std::string reason = sqlite3_errmsg(guard.db);
    if (const int os_error = guard.db ? sqlite3_system_errno(guard.db) : 0; os_error != 0)
      reason += std::string(" (") + std::strerror(os_error) + ")";
    throw StoreError("database " + path.string() + ": cannot open: " + reason);
  }
  // Wait for another connection's write lock instead of failing at once.
  sqlite3_busy_timeout(guard.db, static_cast<int>(kBusyTimeout.count()));
  // Before anything that could write, even journal_mode: a newer file must stay untouched.
  migrations::checkCompatible(guard.db);
  configure(guard.db);
  migrations::migrate(guard.db);
  if (!clock) clock = systemNow;
  return std::unique_ptr<Store>(new Store(guard.release(), path, std::move(clock)));
}

Store::Store(sqlite3* db, std::filesystem::path path, StoreClock clock)
    : db_(db), path_(std::move(path)), clock_(std::move(clock)) {}

// sqlite3_close_v2 finalises lazily if a statement were still open; every Statement is scoped,
// so this closes at once and checkpoints the WAL into the main file.
Store::~Store() {
  sqlite3_close_v2(db_);
}

int Store::latestSchemaVersion() {
  return migrations::latestVersion();
}

int Store::schemaVersion() const {
  return migrations::currentVersion(db_);
}

std::pair<std::int64_t, std::int64_t> Store::configStamp() const {
  sqlite::Statement stmt(db_, "PRAGMA data_version");
  stmt.step();
  return {config_writes_, stmt.int64(0)};
}

}  // namespace berth
