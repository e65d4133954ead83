// Base64 (RFC 4648) encoding, padded: HTTP basic authentication uses the standard alphabet,
// Docker's X-Registry-Auth header the URL-safe one (with '=' padding, which the daemon needs).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth {

enum class Base64Alphabet { standard, url };

std::string base64Encode(std::string_view data, Base64Alphabet alphabet = Base64Alphabet::standard);

// URL-safe base64 without padding (JWTs, JWKs, PKCE; RFC 7515 appendix C), padding tolerated.
std::string base64UrlEncode(std::string_view data);
// nullopt for any character outside the URL-safe alphabet or an impossible length.
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace berth
