#include "auth/password.h"

#include <crypt.h>

#include <stdexcept>
#include <string>

#include "auth/secret_token.h"

namespace berth::auth {

std::optional<std::string> passwordProblem(std::string_view password) {
  if (password.size() < 8) return "a password needs at least 8 characters";
  if (password.size() > 72) return "a password may have at most 72 bytes (bcrypt's limit)";
  for (unsigned char c : password)
    if (c < 0x20 || c == 0x7f) return "a password may not contain control characters";
  return std::nullopt;
}

std::string hashPassword(std::string_view password, int cost) {
  if (password.find('\0') != std::string_view::npos)
    throw std::invalid_argument("password contains a NUL byte");
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  // A null random source makes libxcrypt read the kernel's (getrandom).
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, setting,
                       sizeof setting) == nullptr)
    throw std::runtime_error("crypt_gensalt_rn failed");
  crypt_data data{};
  const std::string text(password);
  const char* hash = crypt_rn(text.c_str(), setting, &data, sizeof data);
  if (hash == nullptr || hash[0] == '*') throw std::runtime_error("crypt_rn failed");
  return hash;
}

bool verifyPassword(std::string_view password, std::string_view hash) {
  if (password.find('\0') != std::string_view::npos || !hash.starts_with("$2")) return false;
  crypt_data data{};
  const std::string text(password), setting(hash);
  const char* computed = crypt_rn(text.c_str(), setting.c_str(), &data, sizeof data);
  if (computed == nullptr || computed[0] == '*') return false;
  return constantTimeEquals(computed, hash);
}

}  // namespace berth::auth
