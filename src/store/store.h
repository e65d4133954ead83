// berth's state in SQLite: configuration imported from berth.yaml, deploys and their logs,
// instances, users, sessions and settings. One Store per process; it is safe to call from one
// thread at a time (the engine and server serialize access through their own locks).
// Every method is one transaction: it happens completely or, if it throws, not at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "store/deploy_record.h"
#include "store/instance_record.h"
#include "store/timestamp.h"
#include "store/user_record.h"

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
  // Opens (creating it and its directory if missing) the database at `path`, turns on WAL and
  // foreign keys and applies pending migrations. Throws StoreError if the file was written by a
  // newer berth or another program; such a file is left untouched. `clock` stamps deploys and
  // log lines (default: the system clock).
  static std::unique_ptr<Store> open(const std::filesystem::path& path, StoreClock clock = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The schema version this binary writes, and the one the open database has.
  static int latestSchemaVersion();
  int schemaVersion() const;

  // Changes whenever the stored configuration may have changed: this Store's own
  // replaceConfig() calls, and SQLite's data_version, which moves when another connection
  // (another berth command, another Store on the same file) commits. Cheap: no disk access.
  // For caches of loadConfig().
  std::pair<std::int64_t, std::int64_t> configStamp() const;

  // --- configuration (config_repo.cpp) ---

  // The configuration as last imported (defaults if nothing was imported yet).
  Config loadConfig() const;

  // Replaces the stored configuration with `config` in one transaction: projects and stages
  // keep their ids (and so their deploy history) when their names stay; removed ones are
  // deleted with their history. On any error nothing changes.
  void replaceConfig(const Config& config);

  // The row ids of a project and of a stage, if they exist. Ids survive re-imports that keep
  // the name.
  std::optional<std::int64_t> projectId(std::string_view project) const;
  std::optional<std::int64_t> stageId(std::string_view project, std::string_view stage) const;

  // --- deploys and their logs (deploy_repo.cpp) ---

  // Records a new deploy in state queued and returns its id. Throws StoreError if the stage
  // does not exist.
  std::int64_t createDeploy(const NewDeploy& deploy);

  // Moves a deploy to `state`, with the reason (empty for normal progress), in one transaction
  // that checks the move against core's state machine: throws IllegalTransition (core) for a
  // move it forbids, which includes any move out of a final state, and StoreError for an
  // unknown deploy. The first state after queued stamps started_at; a final state stamps
  // finished_at.
  void setDeployState(std::int64_t id, DeployState state, std::string_view reason = {});

  // Records the digest actually pulled (berth always records what it ran).
  void setDeployDigest(std::int64_t id, std::string_view digest);

  // Appends a line to the deploy's log and returns its sequence number (1, 2, 3, ...).
  std::int64_t appendDeployLog(std::int64_t id, std::string_view level, std::string_view message);

  // The deploy's log lines with seq > after_seq, in order, at most `limit` (all if unset).
  // Empty for an unknown deploy.
  std::vector<DeployLogEntry> deployLog(std::int64_t id, std::int64_t after_seq = 0,
                                        std::optional<int> limit = std::nullopt) const;

  std::optional<DeployRecord> getDeploy(std::int64_t id) const;

  // Deploy history matching `query`, newest (highest id) first.
  std::vector<DeployRecord> listDeploys(const DeployQuery& query = {}) const;

  // --- instances (instance_repo.cpp) ---

  // Inserts or updates the instance with `record.container_id` (id and updated_at are set by
  // the store). Throws StoreError if the stage does not exist.
  void upsertInstance(const InstanceRecord& record);
  // Forgets a container (removed by berth or found gone). Unknown ids are not an error.
  void removeInstance(std::string_view container_id);
  // The stage's instances, by name.
  std::vector<InstanceRecord> listInstances(std::string_view project, std::string_view stage) const;

  // --- users, sessions and API tokens (user_repo.cpp) ---

  // Creates a user; throws StoreError if the name is taken (names are case-insensitive).
  std::int64_t createUser(const NewUser& user);
  std::optional<UserRecord> findUser(std::string_view username) const;
  std::optional<UserRecord> findUserById(std::int64_t id) const;
  std::optional<UserRecord> findUserBySubject(std::string_view oidc_subject) const;
  std::vector<UserRecord> listUsers() const;  // by name
  std::int64_t countUsers() const;
  std::int64_t countAdmins() const;
  // Sets the password hash and ends every session of the user, in one transaction: whoever
  // held a session must log in with the new password.
  void setPasswordHash(std::int64_t user_id, std::string_view hash);
  void setAdmin(std::int64_t user_id, bool admin);
  void setOidcSubject(std::int64_t user_id, std::string_view oidc_subject);
  // Removes the user with their sessions and API tokens; false if there was no such user.
  bool removeUser(std::int64_t user_id);

  std::int64_t createSession(std::int64_t user_id, std::string_view token_hash,
                             Timestamp expires_at);
  // The session with this token hash and its user, if it has not expired at `now`.
  std::optional<std::pair<SessionRecord, UserRecord>> findSession(std::string_view token_hash,
                                                                  Timestamp now) const;
  void touchSession(std::int64_t session_id, Timestamp now);
  void deleteSession(std::string_view token_hash);
  // Deletes sessions that expired before `now`; returns how many.
  std::int64_t deleteExpiredSessions(Timestamp now);

  // Throws StoreError if the user already has a token of that name.
  std::int64_t createApiToken(std::int64_t user_id, std::string_view name,
                              std::string_view token_hash);
  std::optional<std::pair<ApiTokenRecord, UserRecord>> findApiToken(
      std::string_view token_hash) const;
  void touchApiToken(std::int64_t token_id, Timestamp now);
  // Every token (no user given) or one user's, by owner and name.
  std::vector<ApiTokenRecord> listApiTokens(std::optional<std::int64_t> user_id = {}) const;
  std::optional<ApiTokenRecord> findApiTokenById(std::int64_t token_id) const;
  bool deleteApiToken(std::int64_t token_id);

  // The database file (another connection to it: Store::open(store.path())).
  const std::filesystem::path& path() const { return path_; }

  // For tests and diagnostics only; everything else goes through the methods above.
  sqlite3* handle() const { return db_; }

 private:
  Store(sqlite3* db, std::filesystem::path path, StoreClock clock);
  sqlite3* db_;
  std::filesystem::path path_;
  StoreClock clock_;
  std::int64_t config_writes_ = 0;  // replaceConfig() calls on this connection
};

}  // namespace berth
