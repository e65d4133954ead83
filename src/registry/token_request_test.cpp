#include "registry/token_request.h"

#include <gtest/gtest.h>

#include "registry/registry_error.h"

namespace berth::registry {
namespace {

using namespace std::chrono_literals;

AuthChallenge dockerHub() {
  return parseWwwAuthenticate(
             R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull")")
      .at(0);
}

TEST(TokenRequest, AnonymousRequestNamesServiceAndScope) {
  const auto r =
      buildTokenRequest(dockerHub(), "repository:library/nginx:pull", std::nullopt, "ctx");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url,
            "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%"
            "2Fnginx%3Apull");
  EXPECT_EQ(r.headers.get("Authorization"), std::nullopt);
}

TEST(TokenRequest, CredentialsGoAsBasicAuthAndAccount) {
  const auto r = buildTokenRequest(dockerHub(), "repository:acme/web:pull",
                                   Credentials{"acme-bot", "s3cret"}, "ctx");
  EXPECT_EQ(r.url,
            "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Aacme%"
            "2Fweb%3Apull&account=acme-bot");
  EXPECT_EQ(r.headers.get("Authorization"), "Basic YWNtZS1ib3Q6czNjcmV0");
}

TEST(TokenRequest, RealmWithItsOwnQueryAndNoService) {
  const auto c = parseWwwAuthenticate(R"(Bearer realm="https://reg.io/auth?x=1")").at(0);
  EXPECT_EQ(buildTokenRequest(c, "repository:a:pull", std::nullopt, "ctx").url,
            "https://reg.io/auth?x=1&scope=repository%3Aa%3Apull");
}

TEST(TokenRequest, ChallengeWithoutUsableRealmIsAnError) {
  const auto c = parseWwwAuthenticate(R"(Bearer service="x")").at(0);
  try {
    (void)buildTokenRequest(c, "s", std::nullopt, "registry r, repository a");
    FAIL();
  } catch (const RegistryError& e) {
    EXPECT_EQ(e.kind(), RegistryError::Kind::bad_response);
    EXPECT_STREQ(e.what(),
                 "registry r, repository a: Bearer challenge has no usable realm URL ('')");
  }
}

TEST(TokenResponse, TokenOrAccessTokenWithExpiry) {
  auto g = parseTokenResponse(
      R"({"token":"abc","expires_in":300,"issued_at":"2026-01-01T00:00:00Z"})", "c");
  EXPECT_EQ(g.token, "abc");
  EXPECT_EQ(g.lifetime, Duration(300s));
  g = parseTokenResponse(R"({"access_token":"xyz"})", "c");
  EXPECT_EQ(g.token, "xyz");
  EXPECT_EQ(g.lifetime, Duration(60s));  // the specification's default
  g = parseTokenResponse(R"({"token":"","access_token":"second"})", "c");
  EXPECT_EQ(g.token, "second");
}

TEST(TokenResponse, MalformedAnswersNameTheField) {
  auto message = [](std::string_view body) {
    try {
      (void)parseTokenResponse(body, "registry r, repository a: tag list: token");
    } catch (const RegistryError& e) {
      EXPECT_EQ(e.kind(), RegistryError::Kind::bad_response);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("<html>"),
            "registry r, repository a: tag list: token: token response is not a JSON object");
  EXPECT_EQ(message(R"({"details":"x"})"),
            "registry r, repository a: tag list: token: token response has no field 'token' or "
            "'access_token'");
  EXPECT_EQ(message(R"({"token":"secret-value","expires_in":"soon"})"),
            "registry r, repository a: tag list: token: token response field 'expires_in' must "
            "be a positive number");
}

}  // namespace
}  // namespace berth::registry
