// Random secrets that berth hands out (session cookies, API tokens, generated passwords) and
// the one-way form it stores. Tokens are 256 random bits; storing only their SHA-256 means a
// copy of the database (a backup, an export) lets nobody in, while a lookup stays one indexed
// equality (no per-row salt is needed for a secret this random).
#pragma once

#include <string>
#include <string_view>

namespace berth::auth {

// `prefix` + 64 lowercase hex characters from OpenSSL's CSPRNG. Throws std::runtime_error if
// the generator fails (never silently weaker).
std::string randomToken(std::string_view prefix = "");

// A password a person can type: 24 characters from [A-Za-z0-9] (about 143 bits).
std::string randomPassword();

// Lowercase hex SHA-256 of `token`: what the store keeps.
std::string tokenHash(std::string_view token);

// True when a == b, taking the same time wherever they differ (lengths may leak).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace berth::auth
