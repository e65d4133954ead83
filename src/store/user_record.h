// Users, login sessions and API tokens as the store keeps them. Session and API tokens are
// stored only as hashes (auth/secret_token.h makes them): a copy of the database grants no
// access.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/timestamp.h"

namespace berth {

struct UserRecord {
  std::int64_t id = 0;
  std::string username{};
  std::optional<std::string> password_hash{};  // bcrypt "$2b$..."; none for OIDC-only accounts
  std::optional<std::string> oidc_subject{};
  bool admin = false;
  Timestamp created_at{};
  bool operator==(const UserRecord&) const = default;
};

struct NewUser {
  std::string username{};
  std::optional<std::string> password_hash{};
  std::optional<std::string> oidc_subject{};
  bool admin = false;
};

struct SessionRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  Timestamp created_at{};
  Timestamp expires_at{};
  Timestamp last_seen_at{};
};

struct ApiTokenRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string username{};  // the owner's
  std::string name{};
  Timestamp created_at{};
  std::optional<Timestamp> last_used_at{};
};

}  // namespace berth
