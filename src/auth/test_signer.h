// Test-only: an OIDC provider's signing side in a few functions, so the verifier is tested
// against tokens made with real keys (RSA-2048 and EC P-256 from OpenSSL), including forged
// and tampered ones.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "core/base64.h"

namespace berth::auth::testing {

class TestKey {
 public:
  // "RSA" or "EC".
  TestKey(std::string kty, std::string kid) : kty_(std::move(kty)), kid_(std::move(kid)) {
    EVP_PKEY* key = kty_ == "RSA" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                                  : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (key == nullptr) throw std::runtime_error("keygen failed");
    key_.reset(key, EVP_PKEY_free);
  }
  const std::string& kid() const { return kid_; }

  // The public half as a JWK.
  nlohmann::json jwk() const {
    nlohmann::json out{{"kty", kty_}, {"kid", kid_}, {"use", "sig"}};
    if (kty_ == "RSA") {
      out["n"] = base64UrlEncode(bnParam(OSSL_PKEY_PARAM_RSA_N));
      out["e"] = base64UrlEncode(bnParam(OSSL_PKEY_PARAM_RSA_E));
      out["alg"] = "RS256";
    } else {
      out["crv"] = "P-256";
      out["x"] = base64UrlEncode(pad32(bnParam(OSSL_PKEY_PARAM_EC_PUB_X)));
      out["y"] = base64UrlEncode(pad32(bnParam(OSSL_PKEY_PARAM_EC_PUB_Y)));
      out["alg"] = "ES256";
    }
    return out;
  }

  std::string sign(const nlohmann::json& claims, bool with_kid = true) const {
    nlohmann::json header{{"alg", kty_ == "RSA" ? "RS256" : "ES256"}, {"typ", "JWT"}};
    if (with_kid) header["kid"] = kid_;
    const std::string input = base64UrlEncode(header.dump()) + "." + base64UrlEncode(claims.dump());
    return input + "." + base64UrlEncode(signature(input));
  }

 private:
  std::string bnParam(const char* name) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), name, &bn);
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }
  static std::string pad32(std::string bytes) {
    return std::string(32 - bytes.size(), '\0') + bytes;
  }

  std::string signature(const std::string& input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t size = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_.get());
    EVP_DigestSign(ctx, nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(size, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &size,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(size);
    if (kty_ == "RSA") return sig;
    // DER -> r || s, as JWS wants it.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* ec = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string out(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(ec), reinterpret_cast<unsigned char*>(out.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(ec), reinterpret_cast<unsigned char*>(out.data()) + 32, 32);
    ECDSA_SIG_free(ec);
    return out;
  }

  std::string kty_, kid_;
  std::shared_ptr<EVP_PKEY> key_;
};

inline std::string signHs256(const nlohmann::json& claims, const std::string& secret) {
  const nlohmann::json header{{"alg", "HS256"}, {"typ", "JWT"}};
  const std::string input = base64UrlEncode(header.dump()) + "." + base64UrlEncode(claims.dump());
  std::array<unsigned char, 32> mac{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(), &size);
  return input + "." + base64UrlEncode(std::string(reinterpret_cast<char*>(mac.data()), size));
}

inline std::string jwks(std::initializer_list<const TestKey*> keys) {
  nlohmann::json out{{"keys", nlohmann::json::array()}};
  for (const auto* key : keys)
    out["keys"].push_back(key->jwk());
  return out.dump();
}

}  // namespace berth::auth::testing
