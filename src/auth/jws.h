// Verifying signed JSON Web Tokens (RFC 7515/7519 compact form) the way an OIDC relying party
// must: the algorithm comes from berth's allow-list, never from the token alone ("none" and
// algorithm confusion are refused), and the key is chosen by `kid` from the provider's JWKS.
// Supported: RS256 and ES256 with JWKS keys, HS256 with the client secret (Authentik signs
// that way when no signing key is set). Pure: no I/O; oidc_client.h fetches the keys.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

typedef struct evp_pkey_st EVP_PKEY;

namespace berth::auth {

// What is wrong with a token or a key set, in words for the operator's log.
class JwtError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PublicKey {
  std::string kid{};
  std::string kty{};  // "RSA" or "EC"
  std::shared_ptr<EVP_PKEY> key{};
};

// The usable signing keys of a JWKS document: RSA and EC P-256 keys whose `use` is absent or
// "sig"; others are skipped. Throws JwtError for a document that is not a JWKS.
std::vector<PublicKey> parseJwks(std::string_view json);

struct DecodedJwt {
  nlohmann::json header;
  nlohmann::json claims;
  std::string signing_input;  // "<header>.<payload>" as sent
  std::string signature;      // raw bytes
};

// Splits and decodes without checking the signature. Throws JwtError.
DecodedJwt decodeJwt(std::string_view token);

// Checks the signature of `jwt` with its header's alg, which must be RS256 or ES256 (with a key
// from `keys`: the one with the token's kid, or the only key of the right type when the token
// names none) or HS256 (with `hmac_secret`, which must then be non-empty). Throws JwtError; a
// token whose kid is not in `keys` throws UnknownKeyId so the caller can refresh the JWKS.
class UnknownKeyId : public JwtError {
 public:
  using JwtError::JwtError;
};
void verifySignature(const DecodedJwt& jwt, const std::vector<PublicKey>& keys,
                     std::string_view hmac_secret);

}  // namespace berth::auth
