#include "registry/content_digest.h"

#include <openssl/evp.h>

#include <memory>

namespace berth::registry {
namespace {

std::optional<std::string> hexDigest(const char* algorithm, std::string_view bytes) {
  const EVP_MD* md = EVP_get_digestbyname(algorithm);
  if (md == nullptr) return std::nullopt;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 0xF];
  }
  return hex;
}

}  // namespace

std::string sha256Digest(std::string_view bytes) {
  return "sha256:" + hexDigest("SHA256", bytes).value_or("");
}

std::optional<bool> matchesDigest(std::string_view digest, std::string_view bytes) {
  const size_t colon = digest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view algorithm = digest.substr(0, colon);
  const char* name = algorithm == "sha256"   ? "SHA256"
                     : algorithm == "sha384" ? "SHA384"
                     : algorithm == "sha512" ? "SHA512"
                                             : nullptr;
  if (name == nullptr) return std::nullopt;
  const auto hex = hexDigest(name, bytes);
  if (!hex) return std::nullopt;
  return *hex == digest.substr(colon + 1);
}

}  // namespace berth::registry
