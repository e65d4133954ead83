// Password hashing with bcrypt ("$2b$", libxcrypt). A hash at cost 12 takes about 0.2 s on
// purpose: callers run it off the HTTP I/O threads (auth_service.h bounds how many run at once).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth::auth {

constexpr int kBcryptCost = 12;

// Why `password` cannot be a password, or nullopt if it can: at least 8 characters, at most
// 72 bytes (bcrypt ignores anything after the 72nd byte, so a longer one would only seem
// stronger), no NUL or other control characters.
std::optional<std::string> passwordProblem(std::string_view password);

// A new "$2b$<cost>$..." hash with a fresh random salt. Throws std::runtime_error if libxcrypt
// fails. `cost` other than kBcryptCost is for tests only.
std::string hashPassword(std::string_view password, int cost = kBcryptCost);

// Whether `password` matches `hash`; false for a malformed hash. Takes as long as hashing.
bool verifyPassword(std::string_view password, std::string_view hash);

}  // namespace berth::auth
