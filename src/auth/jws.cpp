#include "auth/jws.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>

#include <array>

#include "auth/secret_token.h"
#include "core/base64.h"

namespace berth::auth {
namespace {

using nlohmann::json;

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

std::string field(const json& object, const char* name, const std::string& where) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty())
    throw JwtError(where + ": missing \"" + name + "\"");
  return it->get<std::string>();
}

std::string decodedField(const json& object, const char* name, const std::string& where) {
  auto bytes = base64UrlDecode(field(object, name, where));
  if (!bytes) throw JwtError(where + ": \"" + name + "\" is not base64url");
  return *bytes;
}

BnPtr bignum(const std::string& bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
}

std::shared_ptr<EVP_PKEY> keyFromParams(const char* type, OSSL_PARAM_BLD* builder,
                                        const std::string& where) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(builder));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    throw JwtError(where + ": not a valid " + type + " public key");
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

std::shared_ptr<EVP_PKEY> rsaKey(const json& jwk, const std::string& where) {
  const auto n = bignum(decodedField(jwk, "n", where));
  const auto e = bignum(decodedField(jwk, "e", where));
  if (BN_num_bits(n.get()) < 2048) throw JwtError(where + ": RSA key shorter than 2048 bits");
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
  return keyFromParams("RSA", builder.get(), where);
}

std::shared_ptr<EVP_PKEY> ecKey(const json& jwk, const std::string& where) {
  if (field(jwk, "crv", where) != "P-256")
    throw JwtError(where + ": only the P-256 curve is supported");
  const auto x = decodedField(jwk, "x", where);
  const auto y = decodedField(jwk, "y", where);
  if (x.size() != 32 || y.size() != 32) throw JwtError(where + ": P-256 coordinates are 32 bytes");
  const std::string point = std::string(1, '\x04') + x + y;  // uncompressed
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                   point.size());
  return keyFromParams("EC", builder.get(), where);
}

json parseJson(std::string_view text, const std::string& what) {
  try {
    return json::parse(text);
  } catch (const json::exception&) {
    throw JwtError(what + " is not JSON");
  }
}

bool verifyWithKey(EVP_PKEY* key, std::string_view data, const std::string& signature) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size()) == 1;
}

// JWS carries an ECDSA signature as r || s (32 bytes each); OpenSSL wants DER.
std::optional<std::string> ecdsaDer(const std::string& raw) {
  if (raw.size() != 64) return std::nullopt;
  EcSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = bignum(raw.substr(0, 32)).release();
  BIGNUM* s = bignum(raw.substr(32)).release();
  if (!sig || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

const PublicKey& chooseKey(const DecodedJwt& jwt, const std::vector<PublicKey>& keys,
                           const std::string& kty) {
  const auto kid = jwt.header.value("kid", std::string());
  const PublicKey* only = nullptr;
  int of_type = 0;
  for (const auto& key : keys) {
    if (key.kty != kty) continue;
    if (!kid.empty() && key.kid == kid) return key;
    ++of_type;
    only = &key;
  }
  if (kid.empty() && of_type == 1) return *only;
  if (kid.empty() && of_type == 0)
    throw JwtError("the provider's JWKS has no " + kty + " key for this token");
  if (kid.empty()) throw JwtError("the token names no key (kid) and the provider has several");
  throw UnknownKeyId("the token is signed with key \"" + kid +
                     "\", which the provider's JWKS lacks");
}

}  // namespace

std::vector<PublicKey> parseJwks(std::string_view text) {
  const json doc = parseJson(text, "the JWKS document");
  if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array())
    throw JwtError("the JWKS document has no \"keys\" list");
  std::vector<PublicKey> out;
  for (std::size_t i = 0; i < doc["keys"].size(); ++i) {
    const json& jwk = doc["keys"][i];
    if (!jwk.is_object()) continue;
    const std::string kty = jwk.value("kty", std::string());
    const std::string use = jwk.value("use", std::string("sig"));
    if (use != "sig" || (kty != "RSA" && kty != "EC")) continue;
    const std::string kid = jwk.value("kid", std::string());
    const std::string where = "JWKS key " + (kid.empty() ? "#" + std::to_string(i) : kid);
    try {
      out.push_back(PublicKey{kid, kty, kty == "RSA" ? rsaKey(jwk, where) : ecKey(jwk, where)});
    } catch (const JwtError&) {
      // One unusable key (an unsupported curve, say) must not take the others down with it;
      // a token signed with it fails with "unknown key" instead.
    }
  }
  return out;
}

DecodedJwt decodeJwt(std::string_view token) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    throw JwtError("not a signed JWT (expected three dot-separated parts)");
  const auto header = base64UrlDecode(token.substr(0, first));
  const auto payload = base64UrlDecode(token.substr(first + 1, second - first - 1));
  const auto signature = base64UrlDecode(token.substr(second + 1));
  if (!header || !payload || !signature) throw JwtError("a JWT part is not base64url");
  DecodedJwt out{parseJson(*header, "the JWT header"), parseJson(*payload, "the JWT payload"),
                 std::string(token.substr(0, second)), *signature};
  if (!out.header.is_object() || !out.claims.is_object())
    throw JwtError("the JWT header or payload is not a JSON object");
  return out;
}

void verifySignature(const DecodedJwt& jwt, const std::vector<PublicKey>& keys,
                     std::string_view hmac_secret) {
  const auto alg = jwt.header.value("alg", std::string());
  if (alg == "RS256") {
    if (!verifyWithKey(chooseKey(jwt, keys, "RSA").key.get(), jwt.signing_input, jwt.signature))
      throw JwtError("the RS256 signature does not verify");
  } else if (alg == "ES256") {
    const auto der = ecdsaDer(jwt.signature);
    if (!der || !verifyWithKey(chooseKey(jwt, keys, "EC").key.get(), jwt.signing_input, *der))
      throw JwtError("the ES256 signature does not verify");
  } else if (alg == "HS256") {
    if (hmac_secret.empty()) throw JwtError("an HS256 token needs the client secret");
    std::array<unsigned char, 32> mac{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), hmac_secret.data(), static_cast<int>(hmac_secret.size()),
         reinterpret_cast<const unsigned char*>(jwt.signing_input.data()), jwt.signing_input.size(),
         mac.data(), &size);
    if (!constantTimeEquals(std::string_view(reinterpret_cast<char*>(mac.data()), size),
                            jwt.signature))
      throw JwtError("the HS256 signature does not verify");
  } else {
    throw JwtError("signature algorithm \"" + alg + "\" is not accepted (RS256, ES256, HS256)");
  }
}

}  // namespace berth::auth
