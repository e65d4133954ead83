// Who may use berth: local users with bcrypt passwords, login sessions and API tokens, all
// kept in SQLite (store/user_record.h) so that they survive a restart.
//
// The service owns its own Store connection (a second connection to the same database file:
// WAL lets it read while the engine writes), guarded by its own lock, so logins never wait
// for deploys and deploys never wait for bcrypt.
//
// Password checks are deliberately slow (bcrypt, ~0.2 s): at most kHashSlots run at once and
// at most kHashWaiters wait for a slot; any further login is answered "busy" at once, so a
// flood of logins occupies a bounded number of the server's worker threads and the rest of
// the API keeps answering. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "auth/login_throttle.h"
#include "core/clock.h"
#include "log/logger.h"
#include "store/store.h"

namespace berth::auth {

// A request berth refuses, with a message for the caller. kind decides the HTTP status.
class AuthError : public std::runtime_error {
 public:
  enum class Kind { invalid, not_found, conflict, busy };
  AuthError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// An authenticated caller.
struct Principal {
  enum class Via { session, token };
  std::int64_t user_id = 0;
  std::string username{};
  bool admin = false;
  Via via = Via::session;
  std::int64_t credential_id = 0;  // the session's or the API token's row id
};

struct LoginOutcome {
  enum class Result { ok, refused, throttled, busy };
  Result result = Result::refused;
  // ok only:
  std::string session_token{};
  Timestamp expires_at{};
  std::optional<UserRecord> user{};
  // throttled and busy: when to try again
  std::chrono::milliseconds retry_after{0};
};

struct NewApiToken {
  ApiTokenRecord record;
  std::string secret;  // shown once; the store keeps only its hash
};

struct AuthOptions {
  Duration session_lifetime = std::chrono::hours(7 * 24);
  int bcrypt_cost = 12;  // lower only in tests
};

class AuthService {
 public:
  static constexpr int kHashSlots = 2;
  static constexpr int kHashWaiters = 2;
  static constexpr std::string_view kApiTokenPrefix = "berth_";

  AuthService(std::unique_ptr<Store> store, Clock& clock, AuthOptions options, Logger log);

  // --- login and credentials ---

  // Checks the password (an unknown user and an OIDC-only account cost the same time as a
  // wrong password and get the same answer) and, on success, opens a session.
  LoginOutcome login(std::string_view username, std::string_view password,
                     std::string_view address);
  std::optional<Principal> bySessionToken(std::string_view token);
  std::optional<Principal> byApiToken(std::string_view token);
  void logout(std::string_view session_token);
  // A new session for a user who just proved who they are (login, a password change).
  struct Session {
    std::string token;
    Timestamp expires_at;
  };
  Session openSession(std::int64_t user_id);
  Duration sessionLifetime() const { return options_.session_lifetime; }
  // The anti-CSRF token of a session: derived from the session token, so it needs no storage
  // and a cross-site page, which cannot read the cookie, cannot compute it.
  static std::string csrfToken(std::string_view session_token);

  // The local account of someone the OIDC provider vouched for: found by `subject` (never by
  // name or email), else created with `username` (made unique with a suffix when a local
  // account has it). `admin`, when given, sets the role at every login, so removing someone
  // from the provider's admin group takes effect at their next login.
  UserRecord oidcUser(const std::string& subject, const std::string& username,
                      std::optional<bool> admin);

  // --- users (AuthError for bad names, weak passwords, unknown users, the last admin) ---

  UserRecord addUser(std::string_view username, std::string_view password, bool admin);
  // Sets a new password and ends every session of the user.
  void setPassword(std::int64_t user_id, std::string_view password);
  // Whether `password` is the user's current one (slow, like login; not throttled: callers
  // hold a session already).
  bool checkPassword(std::int64_t user_id, std::string_view password);
  void setAdmin(std::int64_t user_id, bool admin);
  // Both at once, or neither: every check (password rules, the last admin, a free hashing
  // slot) passes before anything is stored.
  void updateUser(std::int64_t user_id, std::optional<std::string> password,
                  std::optional<bool> admin);
  void removeUser(std::int64_t user_id);
  std::vector<UserRecord> users();
  std::optional<UserRecord> user(std::int64_t user_id);
  std::optional<UserRecord> user(std::string_view username);

  // First start: with no user at all, creates "admin" (an admin) with `password`, or with a
  // generated one when none is given. Returns the generated password (the caller shows it
  // once); nullopt when nothing was generated.
  std::optional<std::string> ensureFirstAdmin(std::optional<std::string> password);

  // --- API tokens ---

  NewApiToken createToken(std::int64_t user_id, std::string_view name);
  std::vector<ApiTokenRecord> tokens(std::optional<std::int64_t> user_id = {});
  std::optional<ApiTokenRecord> token(std::int64_t token_id);
  bool revokeToken(std::int64_t token_id);

 private:
  class HashSlot;
  std::optional<HashSlot> enterHashing();
  UserRecord requireUser(std::int64_t user_id);  // under mutex_
  bool matches(const std::optional<UserRecord>& user, std::string_view password);
  Timestamp now() const;

  std::unique_ptr<Store> store_;
  Clock& clock_;
  AuthOptions options_;
  Logger log_;
  LoginThrottle throttle_;
  std::mutex mutex_;  // store_
  std::mutex hash_mutex_;
  std::condition_variable hash_freed_;
  int hashing_ = 0, waiting_ = 0;
};

}  // namespace berth::auth
