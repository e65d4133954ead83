#include "api/webhook/webhook_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <optional>

namespace berth::api {
namespace {

using Sha256 = std::array<unsigned char, 32>;

constexpr std::string_view kSignaturePrefix = "sha256=";

Sha256 hmacSha256(std::string_view key, std::string_view data) {
  Sha256 out{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &length);
  return out;
}

Sha256 sha256(std::string_view data) {
  Sha256 out{};
  EVP_Digest(data.data(), data.size(), out.data(), nullptr, EVP_sha256(), nullptr);
  return out;
}

bool sameBytes(const Sha256& a, const Sha256& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<Sha256> decodeHex(std::string_view hex) {
  Sha256 out{};
  if (hex.size() != out.size() * 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    const int high = nibble(hex[2 * i]);
    const int low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return out;
}

std::optional<std::string> checkSignature(std::string_view header, std::string_view secret,
                                          std::string_view body) {
  // Computed even for a malformed header, so its shape does not change the time taken.
  const Sha256 expected = hmacSha256(secret, body);
  if (!header.starts_with(kSignaturePrefix)) {
    return "X-Hub-Signature-256 is not of the form sha256=<hex>";
  }
  const auto sent = decodeHex(header.substr(kSignaturePrefix.size()));
  if (!sent) return "X-Hub-Signature-256 is not of the form sha256=<64 hex digits>";
  if (!sameBytes(*sent, expected)) return "X-Hub-Signature-256 does not match the body";
  return std::nullopt;
}

// Tokens of any length are compared through their SHA-256, so the comparison is over equal
// lengths and its time says nothing about the secret's length or prefix.
std::optional<std::string> checkToken(std::string_view where, std::string_view token,
                                      std::string_view secret) {
  if (!sameBytes(sha256(token), sha256(secret))) return std::string(where) + " is wrong";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> checkWebhookCredential(const http::Request& request,
                                                  std::string_view secret) {
  // An empty secret would accept an empty token: never a valid configuration.
  if (secret.empty()) return "no secret to check against";
  if (auto signature = request.header("X-Hub-Signature-256")) {
    return checkSignature(*signature, secret, request.body);
  }
  for (const char* header : {"X-Berth-Token", "X-Gitlab-Token"}) {
    if (auto token = request.header(header)) return checkToken(header, *token, secret);
  }
  if (auto authorization = request.header("Authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization->starts_with(kBearer)) return "Authorization is not a Bearer token";
    return checkToken("the Bearer token", authorization->substr(kBearer.size()), secret);
  }
  if (auto token = request.queryParam("token")) return checkToken("?token=", *token, secret);
  return "no signature or token (X-Hub-Signature-256, X-Berth-Token, X-Gitlab-Token, "
         "Authorization: Bearer or ?token=)";
}

std::string webhookSignature(std::string_view secret, std::string_view body) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kSignaturePrefix);
  for (unsigned char byte : hmacSha256(secret, body)) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
  }
  return out;
}

}  // namespace berth::api
