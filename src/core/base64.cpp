#include "core/base64.h"

#include <cstdint>

namespace berth {

std::string base64Encode(std::string_view data, Base64Alphabet alphabet) {
  const char* const table =
      alphabet == Base64Alphabet::url
          ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto byte = [&](size_t i) { return std::uint32_t{static_cast<unsigned char>(data[i])}; };
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (size_t i = 0; i < data.size(); i += 3) {
    const size_t left = data.size() - i;
    const std::uint32_t n =
        byte(i) << 16 | (left > 1 ? byte(i + 1) << 8 : 0) | (left > 2 ? byte(i + 2) : 0);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += left > 1 ? table[(n >> 6) & 63] : '=';
    out += left > 2 ? table[n & 63] : '=';
  }
  return out;
}

}  // namespace berth
