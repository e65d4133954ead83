#include "auth/auth_service.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "auth/password.h"
#include "auth/secret_token.h"

namespace berth::auth {
namespace {

using namespace std::chrono_literals;

// A bcrypt hash (cost 12) of a random password nobody knows: checked against when a login
// names no password account, so that answer takes as long as a wrong password.
constexpr std::string_view kDecoyHash =
    "$2b$12$N79HostTb3.9muI6FTnv2.PUA6mFGR6Eb1Og0Dhu/7Ih/b0p6BxcS";
// last_seen_at and last_used_at are for people reading a list, not an audit trail: writing
// them at most once a minute keeps every authenticated request from being a database write.
constexpr auto kTouchEvery = 60s;

void checkUsername(std::string_view name) {
  auto allowed = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
           c == '@';
  };
  if (name.empty() || name.size() > 64 || !std::isalnum(static_cast<unsigned char>(name[0])) ||
      !std::all_of(name.begin(), name.end(), allowed))
    throw AuthError(AuthError::Kind::invalid,
                    "a username has 1 to 64 characters: letters, digits and . _ - @, starting "
                    "with a letter or digit");
}

void checkNewPassword(std::string_view password) {
  if (auto problem = passwordProblem(password)) throw AuthError(AuthError::Kind::invalid, *problem);
}

void checkTokenName(std::string_view name) {
  const bool printable = std::all_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
  });
  if (name.empty() || name.size() > 64 || !printable)
    throw AuthError(AuthError::Kind::invalid,
                    "a token name has 1 to 64 characters and no control characters");
}

}  // namespace

// Held while one bcrypt computation runs.
class AuthService::HashSlot {
 public:
  explicit HashSlot(AuthService& service) : service_(&service) {}
  HashSlot(HashSlot&& other) noexcept : service_(std::exchange(other.service_, nullptr)) {}
  HashSlot& operator=(HashSlot&&) = delete;
  ~HashSlot() {
    if (service_ == nullptr) return;
    std::lock_guard lock(service_->hash_mutex_);
    --service_->hashing_;
    service_->hash_freed_.notify_one();
  }

 private:
  AuthService* service_;
};

AuthService::AuthService(std::unique_ptr<Store> store, Clock& clock, AuthOptions options,
                         Logger log)
    : store_(std::move(store)),
      clock_(clock),
      options_(options),
      log_(std::move(log)),
      throttle_(clock) {}

Timestamp AuthService::now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(clock_.wallNow());
}

std::optional<AuthService::HashSlot> AuthService::enterHashing() {
  std::unique_lock lock(hash_mutex_);
  if (hashing_ >= kHashSlots) {
    if (waiting_ >= kHashWaiters) return std::nullopt;
    ++waiting_;
    hash_freed_.wait(lock, [&] { return hashing_ < kHashSlots; });
    --waiting_;
  }
  ++hashing_;
  return HashSlot(*this);
}

bool AuthService::matches(const std::optional<UserRecord>& user, std::string_view password) {
  const bool has_password = user && user->password_hash;
  const bool ok = verifyPassword(password, has_password ? *user->password_hash : kDecoyHash);
  return ok && has_password;
}

LoginOutcome AuthService::login(std::string_view username, std::string_view password,
                                std::string_view address) {
  if (auto wait = throttle_.blocked(username, address)) {
    log_.warn("login throttled", {{"username", username}, {"remote", address}});
    return LoginOutcome{.result = LoginOutcome::Result::throttled, .retry_after = *wait};
  }
  auto slot = enterHashing();
  if (!slot) return LoginOutcome{.result = LoginOutcome::Result::busy, .retry_after = 1s};

  std::optional<UserRecord> user;
  {
    std::lock_guard lock(mutex_);
    user = store_->findUser(username);
  }
  if (!matches(user, password)) {
    throttle_.failed(username, address);
    log_.warn("login refused", {{"username", username},
                                {"remote", address},
                                {"reason", user ? "wrong password" : "no such user"}});
    return LoginOutcome{.result = LoginOutcome::Result::refused};
  }
  throttle_.succeeded(username, address);
  const auto session = openSession(user->id);
  log_.info("login", {{"username", user->username}, {"remote", address}});
  return LoginOutcome{.result = LoginOutcome::Result::ok,
                      .session_token = session.token,
                      .expires_at = session.expires_at,
                      .user = user};
}

AuthService::Session AuthService::openSession(std::int64_t user_id) {
  Session session{.token = randomToken(), .expires_at = now() + options_.session_lifetime};
  std::lock_guard lock(mutex_);
  store_->deleteExpiredSessions(now());
  store_->createSession(user_id, tokenHash(session.token), session.expires_at);
  return session;
}

std::optional<Principal> AuthService::bySessionToken(std::string_view token) {
  if (token.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto t = now();
  auto found = store_->findSession(tokenHash(token), t);
  if (!found) return std::nullopt;
  const auto& [session, user] = *found;
  if (t - session.last_seen_at >= kTouchEvery) store_->touchSession(session.id, t);
  return Principal{.user_id = user.id,
                   .username = user.username,
                   .admin = user.admin,
                   .via = Principal::Via::session,
                   .credential_id = session.id};
}

std::optional<Principal> AuthService::byApiToken(std::string_view token) {
  if (!token.starts_with(kApiTokenPrefix)) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto found = store_->findApiToken(tokenHash(token));
  if (!found) return std::nullopt;
  const auto& [record, user] = *found;
  const auto t = now();
  if (!record.last_used_at || t - *record.last_used_at >= kTouchEvery)
    store_->touchApiToken(record.id, t);
  return Principal{.user_id = user.id,
                   .username = user.username,
                   .admin = user.admin,
                   .via = Principal::Via::token,
                   .credential_id = record.id};
}

void AuthService::logout(std::string_view session_token) {
  std::lock_guard lock(mutex_);
  store_->deleteSession(tokenHash(session_token));
}

std::string AuthService::csrfToken(std::string_view session_token) {
  return tokenHash(std::string("berth-csrf:") + std::string(session_token));
}

UserRecord AuthService::addUser(std::string_view username, std::string_view password, bool admin) {
  checkUsername(username);
  checkNewPassword(password);
  std::string hash;
  {
    auto slot = enterHashing();
    if (!slot) throw AuthError(AuthError::Kind::busy, "busy hashing passwords; try again");
    hash = hashPassword(password, options_.bcrypt_cost);
  }
  std::lock_guard lock(mutex_);
  if (auto existing = store_->findUser(username))
    throw AuthError(AuthError::Kind::conflict, "user " + existing->username + " already exists");
  const auto id = store_->createUser(NewUser{.username = std::string(username),
                                             .password_hash = hash,
                                             .oidc_subject = std::nullopt,
                                             .admin = admin});
  log_.info("user added", {{"username", username}, {"admin", admin}});
  return *store_->findUserById(id);
}

UserRecord AuthService::requireUser(std::int64_t user_id) {
  auto user = store_->findUserById(user_id);
  if (!user) throw AuthError(AuthError::Kind::not_found, "no user " + std::to_string(user_id));
  return *user;
}

void AuthService::setPassword(std::int64_t user_id, std::string_view password) {
  checkNewPassword(password);
  {
    std::lock_guard lock(mutex_);
    requireUser(user_id);
  }
  std::string hash;
  {
    auto slot = enterHashing();
    if (!slot) throw AuthError(AuthError::Kind::busy, "busy hashing passwords; try again");
    hash = hashPassword(password, options_.bcrypt_cost);
  }
  std::lock_guard lock(mutex_);
  const auto user = requireUser(user_id);
  store_->setPasswordHash(user_id, hash);
  log_.info("password changed; the user's sessions were ended", {{"username", user.username}});
}

bool AuthService::checkPassword(std::int64_t user_id, std::string_view password) {
  std::optional<UserRecord> user;
  {
    std::lock_guard lock(mutex_);
    user = store_->findUserById(user_id);
  }
  auto slot = enterHashing();
  if (!slot) throw AuthError(AuthError::Kind::busy, "busy hashing passwords; try again");
  return matches(user, password);
}

void AuthService::setAdmin(std::int64_t user_id, bool admin) {
  std::lock_guard lock(mutex_);
  const auto user = requireUser(user_id);
  if (user.admin && !admin && store_->countAdmins() <= 1)
    throw AuthError(AuthError::Kind::conflict,
                    user.username + " is the only admin; make another user admin first");
  store_->setAdmin(user_id, admin);
  log_.info("user role changed", {{"username", user.username}, {"admin", admin}});
}

void AuthService::updateUser(std::int64_t user_id, std::optional<std::string> password,
                             std::optional<bool> admin) {
  if (password) checkNewPassword(*password);
  {
    std::lock_guard lock(mutex_);
    const auto user = requireUser(user_id);
    if (admin && !*admin && user.admin && store_->countAdmins() <= 1)
      throw AuthError(AuthError::Kind::conflict,
                      user.username + " is the only admin; make another user admin first");
  }
  std::optional<std::string> hash;
  if (password) {
    auto slot = enterHashing();
    if (!slot) throw AuthError(AuthError::Kind::busy, "busy hashing passwords; try again");
    hash = hashPassword(*password, options_.bcrypt_cost);
  }
  std::lock_guard lock(mutex_);
  const auto user = requireUser(user_id);
  if (admin && !*admin && user.admin && store_->countAdmins() <= 1)
    throw AuthError(AuthError::Kind::conflict,
                    user.username + " is the only admin; make another user admin first");
  if (admin && *admin != user.admin) {
    store_->setAdmin(user_id, *admin);
    log_.info("user role changed", {{"username", user.username}, {"admin", *admin}});
  }
  if (hash) {
    store_->setPasswordHash(user_id, *hash);
    log_.info("password changed; the user's sessions were ended", {{"username", user.username}});
  }
}

void AuthService::removeUser(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  const auto user = requireUser(user_id);
  if (user.admin && store_->countAdmins() <= 1)
    throw AuthError(AuthError::Kind::conflict,
                    user.username + " is the only admin; make another user admin first");
  store_->removeUser(user_id);
  log_.info("user removed", {{"username", user.username}});
}

UserRecord AuthService::oidcUser(const std::string& subject, const std::string& username,
                                 std::optional<bool> admin) {
  std::lock_guard lock(mutex_);
  auto user = store_->findUserBySubject(subject);
  if (!user) {
    // Only characters a username may have; an empty or odd name becomes "user".
    std::string base;
    for (char c : username)
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')
        base.push_back(c);
    if (base.empty() || !std::isalnum(static_cast<unsigned char>(base[0]))) base = "user";
    base = base.substr(0, 56);
    std::string name = base;
    for (int n = 2; store_->findUser(name); ++n)
      name = base + "-" + std::to_string(n);
    const auto id = store_->createUser(NewUser{.username = name,
                                               .password_hash = std::nullopt,
                                               .oidc_subject = subject,
                                               .admin = admin.value_or(false)});
    log_.info("user added from OIDC", {{"username", name}, {"admin", admin.value_or(false)}});
    return *store_->findUserById(id);
  }
  if (admin && !*admin && user->admin && store_->countAdmins() <= 1) {
    // A provider that stops sending the group must not leave berth without an admin.
    log_.warn("the OIDC provider no longer names the only admin as one; keeping the role",
              {{"username", user->username}});
  } else if (admin && *admin != user->admin) {
    store_->setAdmin(user->id, *admin);
    user->admin = *admin;
    log_.info("user role changed by the OIDC provider",
              {{"username", user->username}, {"admin", *admin}});
  }
  return *user;
}

std::vector<UserRecord> AuthService::users() {
  std::lock_guard lock(mutex_);
  return store_->listUsers();
}

std::optional<UserRecord> AuthService::user(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  return store_->findUserById(user_id);
}

std::optional<UserRecord> AuthService::user(std::string_view username) {
  std::lock_guard lock(mutex_);
  return store_->findUser(username);
}

std::optional<std::string> AuthService::ensureFirstAdmin(std::optional<std::string> password) {
  {
    std::lock_guard lock(mutex_);
    if (store_->countUsers() > 0) return std::nullopt;
  }
  const bool generated = !password || password->empty();
  const std::string chosen = generated ? randomPassword() : *password;
  addUser("admin", chosen, true);
  if (generated) return chosen;
  return std::nullopt;
}

NewApiToken AuthService::createToken(std::int64_t user_id, std::string_view name) {
  checkTokenName(name);
  const std::string secret = randomToken(kApiTokenPrefix);
  std::lock_guard lock(mutex_);
  const auto user = requireUser(user_id);
  for (const auto& existing : store_->listApiTokens(user_id))
    if (existing.name == name)
      throw AuthError(AuthError::Kind::conflict,
                      user.username + " already has a token named " + std::string(name));
  const auto id = store_->createApiToken(user_id, name, tokenHash(secret));
  log_.info("API token created", {{"username", user.username}, {"token", name}});
  return NewApiToken{.record = *store_->findApiTokenById(id), .secret = secret};
}

std::vector<ApiTokenRecord> AuthService::tokens(std::optional<std::int64_t> user_id) {
  std::lock_guard lock(mutex_);
  return store_->listApiTokens(user_id);
}

std::optional<ApiTokenRecord> AuthService::token(std::int64_t token_id) {
  std::lock_guard lock(mutex_);
  return store_->findApiTokenById(token_id);
}

bool AuthService::revokeToken(std::int64_t token_id) {
  std::lock_guard lock(mutex_);
  const auto record = store_->findApiTokenById(token_id);
  if (!record) return false;
  store_->deleteApiToken(token_id);
  log_.info("API token revoked", {{"username", record->username}, {"token", record->name}});
  return true;
}

}  // namespace berth::auth
