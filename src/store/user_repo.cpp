// Store methods for the users, sessions and api_tokens tables (migrations 1 and 3).
#include <sqlite3.h>

#include "store/sqlite.h"
#include "store/store.h"

namespace berth {

using sqlite::Statement;

namespace {

constexpr const char* kUserColumns =
    "u.id, u.username, u.password_hash, u.oidc_subject, u.is_admin, u.created_at";

// Reads kUserColumns starting at `first`.
UserRecord readUser(const Statement& stmt, int first) {
  auto optionalText = [&](int column) -> std::optional<std::string> {
    if (stmt.isNull(column)) return std::nullopt;
    return stmt.text(column);
  };
  return UserRecord{.id = stmt.int64(first),
                    .username = stmt.text(first + 1),
                    .password_hash = optionalText(first + 2),
                    .oidc_subject = optionalText(first + 3),
                    .admin = stmt.boolean(first + 4),
                    .created_at = fromUnixMillis(stmt.int64(first + 5))};
}

std::optional<UserRecord> oneUser(sqlite3* db, const std::string& where, auto key) {
  Statement stmt(db, std::string("SELECT ") + kUserColumns + " FROM users u WHERE " + where);
  stmt.bind(key);
  if (!stmt.step()) return std::nullopt;
  return readUser(stmt, 0);
}

std::int64_t count(sqlite3* db, const char* sql) {
  Statement stmt(db, sql);
  stmt.step();
  return stmt.int64(0);
}

std::optional<Timestamp> optionalTime(const Statement& stmt, int column) {
  if (auto ms = stmt.optionalInt64(column)) return fromUnixMillis(*ms);
  return std::nullopt;
}

ApiTokenRecord readToken(const Statement& stmt) {
  return ApiTokenRecord{.id = stmt.int64(0),
                        .user_id = stmt.int64(1),
                        .username = stmt.text(2),
                        .name = stmt.text(3),
                        .created_at = fromUnixMillis(stmt.int64(4)),
                        .last_used_at = optionalTime(stmt, 5)};
}

constexpr const char* kTokenSelect =
    "SELECT t.id, t.user_id, u.username, t.name, t.created_at, t.last_used_at"
    " FROM api_tokens t JOIN users u ON u.id = t.user_id";

}  // namespace

std::int64_t Store::createUser(const NewUser& user) {
  if (findUser(user.username)) sqlite::failWith(db_, "user " + user.username + " already exists");
  Statement stmt(db_,
                 "INSERT INTO users (username, password_hash, oidc_subject, is_admin, created_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5)");
  stmt.bind(user.username, user.password_hash, user.oidc_subject, user.admin,
            toUnixMillis(clock_()));
  stmt.run();
  return sqlite3_last_insert_rowid(db_);
}

std::optional<UserRecord> Store::findUser(std::string_view username) const {
  return oneUser(db_, "u.username = ?1", username);
}

std::optional<UserRecord> Store::findUserById(std::int64_t id) const {
  return oneUser(db_, "u.id = ?1", id);
}

std::optional<UserRecord> Store::findUserBySubject(std::string_view oidc_subject) const {
  return oneUser(db_, "u.oidc_subject = ?1", oidc_subject);
}

std::vector<UserRecord> Store::listUsers() const {
  Statement stmt(db_, std::string("SELECT ") + kUserColumns +
                          " FROM users u ORDER BY u.username COLLATE NOCASE, u.id");
  std::vector<UserRecord> out;
  while (stmt.step())
    out.push_back(readUser(stmt, 0));
  return out;
}

std::int64_t Store::countUsers() const {
  return count(db_, "SELECT count(*) FROM users");
}

std::int64_t Store::countAdmins() const {
  return count(db_, "SELECT count(*) FROM users WHERE is_admin = 1");
}

void Store::setPasswordHash(std::int64_t user_id, std::string_view hash) {
  sqlite::WriteTransaction tx(db_);
  Statement update(db_, "UPDATE users SET password_hash = ?2 WHERE id = ?1");
  update.bind(user_id, hash);
  update.run();
  Statement revoke(db_, "DELETE FROM sessions WHERE user_id = ?1");
  revoke.bind(user_id);
  revoke.run();
  tx.commit();
}

void Store::setAdmin(std::int64_t user_id, bool admin) {
  Statement stmt(db_, "UPDATE users SET is_admin = ?2 WHERE id = ?1");
  stmt.bind(user_id, admin);
  stmt.run();
}

void Store::setOidcSubject(std::int64_t user_id, std::string_view oidc_subject) {
  Statement stmt(db_, "UPDATE users SET oidc_subject = ?2 WHERE id = ?1");
  stmt.bind(user_id, oidc_subject);
  stmt.run();
}

bool Store::removeUser(std::int64_t user_id) {
  // Sessions and tokens go with the user (ON DELETE CASCADE).
  Statement stmt(db_, "DELETE FROM users WHERE id = ?1");
  stmt.bind(user_id);
  stmt.run();
  return sqlite3_changes(db_) > 0;
}

std::int64_t Store::createSession(std::int64_t user_id, std::string_view token_hash,
                                  Timestamp expires_at) {
  const auto now = toUnixMillis(clock_());
  Statement stmt(db_,
                 "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?3)");
  stmt.bind(token_hash, user_id, now, toUnixMillis(expires_at));
  stmt.run();
  return sqlite3_last_insert_rowid(db_);
}

std::optional<std::pair<SessionRecord, UserRecord>> Store::findSession(std::string_view token_hash,
                                                                       Timestamp now) const {
  Statement stmt(db_, std::string("SELECT s.id, s.user_id, s.created_at, s.expires_at,"
                                  " s.last_seen_at, ") +
                          kUserColumns +
                          " FROM sessions s JOIN users u ON u.id = s.user_id"
                          " WHERE s.token_hash = ?1 AND s.expires_at > ?2");
  stmt.bind(token_hash, toUnixMillis(now));
  if (!stmt.step()) return std::nullopt;
  SessionRecord session{.id = stmt.int64(0),
                        .user_id = stmt.int64(1),
                        .created_at = fromUnixMillis(stmt.int64(2)),
                        .expires_at = fromUnixMillis(stmt.int64(3)),
                        .last_seen_at = fromUnixMillis(stmt.int64(4))};
  return std::pair{session, readUser(stmt, 5)};
}

void Store::touchSession(std::int64_t session_id, Timestamp now) {
  Statement stmt(db_, "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1");
  stmt.bind(session_id, toUnixMillis(now));
  stmt.run();
}

void Store::deleteSession(std::string_view token_hash) {
  Statement stmt(db_, "DELETE FROM sessions WHERE token_hash = ?1");
  stmt.bind(token_hash);
  stmt.run();
}

std::int64_t Store::deleteExpiredSessions(Timestamp now) {
  Statement stmt(db_, "DELETE FROM sessions WHERE expires_at <= ?1");
  stmt.bind(toUnixMillis(now));
  stmt.run();
  return sqlite3_changes(db_);
}

std::int64_t Store::createApiToken(std::int64_t user_id, std::string_view name,
                                   std::string_view token_hash) {
  Statement exists(db_, "SELECT 1 FROM api_tokens WHERE user_id = ?1 AND name = ?2");
  exists.bind(user_id, name);
  if (exists.step())
    sqlite::failWith(db_, "an API token named " + std::string(name) + " already exists");
  Statement stmt(db_,
                 "INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
                 " VALUES (?1, ?2, ?3, ?4)");
  stmt.bind(user_id, name, token_hash, toUnixMillis(clock_()));
  stmt.run();
  return sqlite3_last_insert_rowid(db_);
}

std::optional<std::pair<ApiTokenRecord, UserRecord>> Store::findApiToken(
    std::string_view token_hash) const {
  Statement stmt(db_, "SELECT t.id FROM api_tokens t WHERE t.token_hash = ?1");
  stmt.bind(token_hash);
  if (!stmt.step()) return std::nullopt;
  auto token = findApiTokenById(stmt.int64(0));
  if (!token) return std::nullopt;
  auto user = findUserById(token->user_id);
  if (!user) return std::nullopt;
  return std::pair{*token, *user};
}

void Store::touchApiToken(std::int64_t token_id, Timestamp now) {
  Statement stmt(db_, "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1");
  stmt.bind(token_id, toUnixMillis(now));
  stmt.run();
}

std::vector<ApiTokenRecord> Store::listApiTokens(std::optional<std::int64_t> user_id) const {
  Statement stmt(db_, std::string(kTokenSelect) +
                          " WHERE ?1 IS NULL OR t.user_id = ?1"
                          " ORDER BY u.username COLLATE NOCASE, t.name");
  stmt.bind(user_id);
  std::vector<ApiTokenRecord> out;
  while (stmt.step())
    out.push_back(readToken(stmt));
  return out;
}

std::optional<ApiTokenRecord> Store::findApiTokenById(std::int64_t token_id) const {
  Statement stmt(db_, std::string(kTokenSelect) + " WHERE t.id = ?1");
  stmt.bind(token_id);
  if (!stmt.step()) return std::nullopt;
  return readToken(stmt);
}

bool Store::deleteApiToken(std::int64_t token_id) {
  Statement stmt(db_, "DELETE FROM api_tokens WHERE id = ?1");
  stmt.bind(token_id);
  stmt.run();
  return sqlite3_changes(db_) > 0;
}

}  // namespace berth
