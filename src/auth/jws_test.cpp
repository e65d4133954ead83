#include "auth/jws.h"

#include <gtest/gtest.h>

#include "auth/test_signer.h"

namespace berth::auth {
namespace {

using nlohmann::json;
using testing::TestKey;

const json kClaims{{"sub", "alice"}, {"iss", "https://id.example"}};

std::string tamper(std::string token) {
  // Change one character of the payload: the signature no longer covers it.
  const auto dot = token.find('.');
  token[dot + 5] = token[dot + 5] == 'A' ? 'B' : 'A';
  return token;
}

TEST(Jws, VerifiesRs256AndEs256ByKid) {
  const TestKey rsa("RSA", "r1"), ec("EC", "e1");
  const auto keys = parseJwks(testing::jwks({&rsa, &ec}));
  ASSERT_EQ(keys.size(), 2u);
  for (const TestKey* key : {&rsa, &ec}) {
    const auto jwt = decodeJwt(key->sign(kClaims));
    EXPECT_NO_THROW(verifySignature(jwt, keys, "")) << key->kid();
    EXPECT_EQ(jwt.claims["sub"], "alice");
  }
}

TEST(Jws, ATamperedPayloadOrAnotherKeysSignatureFails) {
  const TestKey rsa("RSA", "r1"), ec("EC", "e1"), forger("RSA", "r1");
  const auto keys = parseJwks(testing::jwks({&rsa, &ec}));
  EXPECT_THROW(verifySignature(decodeJwt(tamper(rsa.sign(kClaims))), keys, ""), JwtError);
  EXPECT_THROW(verifySignature(decodeJwt(tamper(ec.sign(kClaims))), keys, ""), JwtError);
  // Same kid, different private key: a forgery.
  EXPECT_THROW(verifySignature(decodeJwt(forger.sign(kClaims)), keys, ""), JwtError);
}

TEST(Jws, AnUnknownKidIsReportedSoTheCallerCanRefreshTheKeys) {
  const TestKey old_key("RSA", "old"), new_key("RSA", "new");
  const auto keys = parseJwks(testing::jwks({&old_key}));
  EXPECT_THROW(verifySignature(decodeJwt(new_key.sign(kClaims)), keys, ""), UnknownKeyId);
}

TEST(Jws, WithoutKidTheOnlyKeyOfTheTypeIsUsed) {
  const TestKey rsa("RSA", "r1"), ec("EC", "e1");
  const auto keys = parseJwks(testing::jwks({&rsa, &ec}));
  EXPECT_NO_THROW(verifySignature(decodeJwt(rsa.sign(kClaims, false)), keys, ""));
  const TestKey rsa2("RSA", "r2");
  const auto two = parseJwks(testing::jwks({&rsa, &rsa2}));
  EXPECT_THROW(verifySignature(decodeJwt(rsa.sign(kClaims, false)), two, ""), JwtError);
}

TEST(Jws, Hs256UsesTheClientSecret) {
  const auto token = testing::signHs256(kClaims, "client secret");
  EXPECT_NO_THROW(verifySignature(decodeJwt(token), {}, "client secret"));
  EXPECT_THROW(verifySignature(decodeJwt(token), {}, "other secret"), JwtError);
  EXPECT_THROW(verifySignature(decodeJwt(token), {}, ""), JwtError);
}

TEST(Jws, AlgNoneAndOtherAlgorithmsAreRefused) {
  const std::string none =
      base64UrlEncode(R"({"alg":"none"})") + "." + base64UrlEncode(kClaims.dump()) + ".";
  EXPECT_THROW(verifySignature(decodeJwt(none), {}, "secret"), JwtError);
  const std::string hs512 =
      base64UrlEncode(R"({"alg":"HS512"})") + "." + base64UrlEncode(kClaims.dump()) + ".c2ln";
  EXPECT_THROW(verifySignature(decodeJwt(hs512), {}, "secret"), JwtError);
  // An RS256 public key used as an HMAC secret (algorithm confusion) cannot pass: HS256 is
  // checked with the client secret only.
  const TestKey rsa("RSA", "r1");
  const auto forged = testing::signHs256(kClaims, rsa.jwk().dump());
  EXPECT_THROW(verifySignature(decodeJwt(forged), parseJwks(testing::jwks({&rsa})), "client"),
               JwtError);
}

TEST(Jws, MalformedTokensAndKeySetsAreErrors) {
  for (const char* bad : {"", "a.b", "a.b.c.d", "!!.e30.e30", "e30.e30"})
    EXPECT_THROW(decodeJwt(bad), JwtError) << bad;
  EXPECT_THROW(decodeJwt(base64UrlEncode("[]") + "." + base64UrlEncode("{}") + ".e30"), JwtError);
  EXPECT_THROW(parseJwks("not json"), JwtError);
  EXPECT_THROW(parseJwks(R"({"nokeys":[]})"), JwtError);
  // Unusable keys are skipped, not fatal.
  EXPECT_TRUE(parseJwks(R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"},{"kty":"oct","k":"x"},
                                    {"kty":"EC","crv":"P-521","x":"AA","y":"AA"}]})")
                  .empty());
}

}  // namespace
}  // namespace berth::auth
