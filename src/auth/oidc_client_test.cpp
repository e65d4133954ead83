#include "auth/oidc_client.h"

#include <gtest/gtest.h>

#include <map>

#include "auth/test_signer.h"
#include "registry/testing/scripted_http_client.h"

namespace berth::auth {
namespace {

using nlohmann::json;
using registry::testing::response;
using registry::testing::ScriptedHttpClient;
using testing::TestKey;

constexpr const char* kIssuer = "https://id.example/application/o/berth/";
constexpr const char* kDiscovery =
    "https://id.example/application/o/berth/.well-known/openid-configuration";
constexpr const char* kJwks = "https://id.example/jwks";
constexpr const char* kTokenUrl = "https://id.example/token";

std::map<std::string, std::string> queryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  std::string rest = url.substr(url.find('?') + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string pair = rest.substr(0, amp);
    out[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
    rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
  }
  return out;
}

class OidcClientTest : public ::testing::Test {
 protected:
  OidcClientTest() {
    discovery(json::array({"client_secret_basic", "client_secret_post"}));
    http_.route("GET", kJwks, response(200, testing::jwks({&rsa_, &ec_})));
    clock_.advance(std::chrono::hours(24 * 365 * 56));  // wall clock near 2026
  }
  void discovery(const json& auth_methods) {
    http_.route("GET", kDiscovery,
                response(200, json{{"issuer", kIssuer},
                                   {"authorization_endpoint", "https://id.example/authorize"},
                                   {"token_endpoint", kTokenUrl},
                                   {"jwks_uri", kJwks},
                                   {"token_endpoint_auth_methods_supported", auth_methods}}
                                  .dump()));
  }
  std::int64_t now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.wallNow().time_since_epoch())
        .count();
  }
  json claims(const std::string& nonce) const {
    return json{{"iss", kIssuer},
                {"aud", "berth"},
                {"sub", "u-123"},
                {"nonce", nonce},
                {"iat", now()},
                {"exp", now() + 300},
                {"preferred_username", "alice"},
                {"groups", json::array({"ops", "berth-admins"})}};
  }
  // Starts a login; returns its state and nonce as the provider would see them.
  std::pair<std::string, std::string> begin() {
    const auto url = client_.start("/deploys/7");
    const auto q = queryOf(url);
    return {q.at("state"), q.at("nonce")};
  }
  net::HttpRequest tokenRequest() const {
    for (const auto& r : http_.requests())
      if (r.method == "POST") return r;
    ADD_FAILURE() << "no token request";
    return {};
  }
  OidcIdentity finishWith(const std::string& id_token, const std::string& state) {
    http_.route("POST", kTokenUrl, response(200, json{{"id_token", id_token}}.dump()));
    return client_.finish("the-code", state);
  }
  std::string finishError(const std::string& id_token, const std::string& state) {
    try {
      finishWith(id_token, state);
    } catch (const OidcError& e) {
      return e.what();
    }
    return "accepted";
  }

  TestKey rsa_{"RSA", "r1"}, ec_{"EC", "e1"};
  ScriptedHttpClient http_;
  FakeClock clock_;
  OidcClient client_{
      http_, clock_,
      OidcClientSettings{.discovery_url = kDiscovery,
                         .client_id = "berth",
                         .client_secret = "s3cret",
                         .redirect_uri = "http://127.0.0.1:8080/api/auth/oidc/callback",
                         .scopes = {"openid", "profile", "groups"},
                         .admin_claim = "groups",
                         .admin_value = "berth-admins"}};
};

TEST_F(OidcClientTest, TheAuthorizationUrlCarriesPkceStateNonceAndTheRedirect) {
  const auto q = queryOf(client_.start("/"));
  EXPECT_EQ(q.at("response_type"), "code");
  EXPECT_EQ(q.at("client_id"), "berth");
  EXPECT_EQ(q.at("redirect_uri"), "http%3A%2F%2F127.0.0.1%3A8080%2Fapi%2Fauth%2Foidc%2Fcallback");
  EXPECT_EQ(q.at("scope"), "openid%20profile%20groups");
  EXPECT_EQ(q.at("code_challenge_method"), "S256");
  EXPECT_EQ(q.at("code_challenge").size(), 43u);
  EXPECT_EQ(q.at("state").size(), 64u);
  EXPECT_NE(q.at("state"), q.at("nonce"));
}

TEST_F(OidcClientTest, AValidRs256LoginGivesTheSubjectNameAndAdminRole) {
  const auto [state, nonce] = begin();
  const auto who = finishWith(rsa_.sign(claims(nonce)), state);
  EXPECT_EQ(who.subject, "u-123");
  EXPECT_EQ(who.username, "alice");
  EXPECT_EQ(who.admin, true);
  EXPECT_EQ(who.return_to, "/deploys/7");
  // The code went to the token endpoint with the PKCE verifier and basic client auth.
  const auto sent = tokenRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_NE(sent.body.find("grant_type=authorization_code"), std::string::npos);
  EXPECT_NE(sent.body.find("code=the-code"), std::string::npos);
  EXPECT_NE(sent.body.find("code_verifier="), std::string::npos);
  EXPECT_EQ(sent.body.find("client_secret"), std::string::npos);
  EXPECT_EQ(sent.headers.get("Authorization"), "Basic YmVydGg6czNjcmV0");
}

TEST_F(OidcClientTest, Es256AndHs256TokensAreAcceptedToo) {
  auto [state, nonce] = begin();
  EXPECT_EQ(finishWith(ec_.sign(claims(nonce)), state).subject, "u-123");
  std::tie(state, nonce) = begin();
  EXPECT_EQ(finishWith(testing::signHs256(claims(nonce), "s3cret"), state).subject, "u-123");
}

TEST_F(OidcClientTest, Hs256NeedsNoJwksAndIssuerAndSubjectAreReported) {
  const auto [state, nonce] = begin();
  const auto who = finishWith(testing::signHs256(claims(nonce), "s3cret"), state);
  EXPECT_EQ(who.issuer, kIssuer);
  for (const auto& line : http_.requestLines())
    EXPECT_EQ(line.find(kJwks), std::string::npos) << "fetched the JWKS for an HS256 token";
}

TEST_F(OidcClientTest, ClientSecretPostWhenTheProviderOffersOnlyThat) {
  discovery(json::array({"client_secret_post"}));
  const auto [state, nonce] = begin();
  finishWith(rsa_.sign(claims(nonce)), state);
  const auto sent = tokenRequest();
  EXPECT_NE(sent.body.find("client_secret=s3cret"), std::string::npos);
  EXPECT_FALSE(sent.headers.get("Authorization"));
}

TEST_F(OidcClientTest, AStateIsUsedOnceAndAnUnknownOneIsRefused) {
  const auto [state, nonce] = begin();
  EXPECT_NE(finishError(rsa_.sign(claims(nonce)), "not-" + state).find("state"), std::string::npos);
  finishWith(rsa_.sign(claims(nonce)), state);
  EXPECT_NE(finishError(rsa_.sign(claims(nonce)), state).find("already used"), std::string::npos);
}

TEST_F(OidcClientTest, APendingLoginExpiresAfterTenMinutes) {
  const auto [state, nonce] = begin();
  clock_.advance(std::chrono::minutes(11));
  EXPECT_NE(finishError(rsa_.sign(claims(nonce)), state).find("expired"), std::string::npos);
}

TEST_F(OidcClientTest, EveryBadIdTokenIsRefusedWithItsReason) {
  struct Case {
    const char* why;
    std::function<std::string(json&)> token;
  };
  const TestKey forger("RSA", "r1");
  const std::vector<Case> cases{
      {"signature", [&](json& c) { return forger.sign(c); }},
      {"issuer", [&](json& c) { return c["iss"] = "https://evil.example/", rsa_.sign(c); }},
      {"aud", [&](json& c) { return c["aud"] = "other-client", rsa_.sign(c); }},
      {"azp",
       [&](json& c) {
         return c["aud"] = {"berth", "other"}, rsa_.sign(c);
       }},
      {"expired", [&](json& c) { return c["exp"] = now() - 61, rsa_.sign(c); }},
      {"future", [&](json& c) { return c["iat"] = now() + 120, rsa_.sign(c); }},
      {"nbf", [&](json& c) { return c["nbf"] = now() + 120, rsa_.sign(c); }},
      {"nonce", [&](json& c) { return c["nonce"] = "replayed", rsa_.sign(c); }},
      {"sub", [&](json& c) { return c.erase("sub"), rsa_.sign(c); }},
      {"wrong type", [&](json& c) { return c["iss"] = 42, rsa_.sign(c); }},
      {"HS256 signature", [&](json& c) { return testing::signHs256(c, "guessed"); }},
  };
  for (const auto& test : cases) {
    const auto [state, nonce] = begin();
    json c = claims(nonce);
    const auto error = finishError(test.token(c), state);
    EXPECT_NE(error.find(test.why), std::string::npos) << test.why << ": " << error;
  }
}

TEST_F(OidcClientTest, ASmallClockSkewIsTolerated) {
  const auto [state, nonce] = begin();
  json c = claims(nonce);
  c["exp"] = now() - 30;
  c["iat"] = now() + 30;
  EXPECT_EQ(finishWith(rsa_.sign(c), state).subject, "u-123");
}

TEST_F(OidcClientTest, KeyRotationRefreshesTheJwksOnce) {
  // First login caches the old keys.
  auto [state, nonce] = begin();
  finishWith(rsa_.sign(claims(nonce)), state);
  // The provider rotates to a new key; the token names it; berth re-reads the JWKS.
  const TestKey rotated("RSA", "r2");
  http_.route("GET", kJwks, response(200, testing::jwks({&rotated})));
  std::tie(state, nonce) = begin();
  EXPECT_EQ(finishWith(rotated.sign(claims(nonce)), state).subject, "u-123");
  // A kid that is not there even after the refresh fails.
  const TestKey unknown("RSA", "r9");
  std::tie(state, nonce) = begin();
  EXPECT_NE(finishError(unknown.sign(claims(nonce)), state).find("r9"), std::string::npos);
}

TEST_F(OidcClientTest, ARefusedCodeNamesTheProvidersReason) {
  const auto [state, nonce] = begin();
  http_.route(
      "POST", kTokenUrl,
      response(400, R"({"error":"invalid_grant","error_description":"grant request is invalid"})"));
  try {
    client_.finish("used-code", state);
    FAIL();
  } catch (const OidcError& e) {
    EXPECT_NE(std::string(e.what()).find("invalid_grant"), std::string::npos) << e.what();
  }
}

TEST_F(OidcClientTest, WithoutAnAdminGroupOidcDecidesNoRole) {
  OidcClient plain(http_, clock_,
                   OidcClientSettings{.discovery_url = kDiscovery,
                                      .client_id = "berth",
                                      .client_secret = "s3cret",
                                      .redirect_uri = "http://x/cb"});
  const auto q = queryOf(plain.start("/"));
  http_.route("POST", kTokenUrl,
              response(200, json{{"id_token", rsa_.sign(claims(q.at("nonce")))}}.dump()));
  EXPECT_FALSE(plain.finish("c", q.at("state")).admin);
}

}  // namespace
}  // namespace berth::auth
