// Base64 (RFC 4648) encoding, padded: HTTP basic authentication uses the standard alphabet,
// Docker's X-Registry-Auth header the URL-safe one (with '=' padding, which the daemon needs).
#pragma once

#include <string>
#include <string_view>

namespace berth {

enum class Base64Alphabet { standard, url };

std::string base64Encode(std::string_view data, Base64Alphabet alphabet = Base64Alphabet::standard);

}  // namespace berth
