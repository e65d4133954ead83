// berth's state in SQLite: configuration imported from berth.yaml, deploys and their logs,
// instances, users, sessions and settings. One Store per process; it is safe to call from one
// thread at a time (the engine and server serialize access through their own locks).
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/model.h"

struct sqlite3;

namespace berth {

// Any failure of the database: cannot open, migration refused, constraint broken. The message
// names the file and what went wrong.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Store {
 public:
  // Opens (creating if missing) the database at `path`, turns on WAL and foreign keys and
  // applies pending migrations. Throws StoreError if the file was written by a newer berth.
  static std::unique_ptr<Store> open(const std::filesystem::path& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The schema version this binary writes, and the one the open database has.
  static int latestSchemaVersion();
  int schemaVersion() const;

  // The configuration as last imported (defaults if nothing was imported yet).
  Config loadConfig() const;

  // Replaces the stored configuration with `config` in one transaction: projects and stages
  // keep their ids (and so their deploy history) when their names stay; removed ones are
  // deleted with their history. On any error nothing changes.
  void replaceConfig(const Config& config);

  sqlite3* handle() const { return db_; }

 private:
  explicit Store(sqlite3* db, std::filesystem::path path);
  sqlite3* db_;
  std::filesystem::path path_;
};

}  // namespace berth
