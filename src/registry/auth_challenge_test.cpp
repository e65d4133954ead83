// WWW-Authenticate parsing against headers as real registries send them.
#include "registry/auth_challenge.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

using Params = std::map<std::string, std::string>;

TEST(AuthChallenge, DockerHub) {
  const auto c = parseWwwAuthenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params, (Params{{"realm", "https://auth.docker.io/token"},
                                 {"service", "registry.docker.io"},
                                 {"scope", "repository:library/nginx:pull"}}));
}

TEST(AuthChallenge, Ghcr) {
  const auto c = parseWwwAuthenticate(
      R"(Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/web:pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("realm"), "https://ghcr.io/token");
  EXPECT_EQ(c[0].param("service"), "ghcr.io");
  EXPECT_EQ(c[0].param("scope"), "repository:acme/web:pull");
}

TEST(AuthChallenge, GitLabWithPushAndPullScopeHoldingAComma) {
  const auto c = parseWwwAuthenticate(
      R"(Bearer realm="https://gitlab.com/jwt/auth",service="container_registry",scope="repository:group/project:push,pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("service"), "container_registry");
  EXPECT_EQ(c[0].param("scope"), "repository:group/project:push,pull");
}

TEST(AuthChallenge, HarborWithSpacesAfterCommas) {
  const auto c = parseWwwAuthenticate(
      R"(Bearer realm="https://harbor.example.com/service/token", service="harbor-registry", scope="repository:library/app:pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("realm"), "https://harbor.example.com/service/token");
  EXPECT_EQ(c[0].param("service"), "harbor-registry");
  EXPECT_EQ(c[0].param("scope"), "repository:library/app:pull");
}

TEST(AuthChallenge, InsufficientScopeError) {
  const auto c = parseWwwAuthenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:acme/private:pull",error="insufficient_scope")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("error"), "insufficient_scope");
}

TEST(AuthChallenge, BasicFromDistributionHtpasswdAndEcr) {
  auto c = parseWwwAuthenticate(R"(Basic realm="berth-sandbox")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].param("realm"), "berth-sandbox");
  c = parseWwwAuthenticate(
      R"(Basic realm="https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/",service="ecr.amazonaws.com")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("service"), "ecr.amazonaws.com");
}

TEST(AuthChallenge, SchemesAndParameterNamesAreCaseInsensitive) {
  const auto c = parseWwwAuthenticate(R"(BEARER Realm="https://r/token", SERVICE=reg)");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].param("realm"), "https://r/token");
  EXPECT_EQ(c[0].param("service"), "reg");  // unquoted token value
}

TEST(AuthChallenge, EscapesInQuotedStrings) {
  const auto c = parseWwwAuthenticate(R"(Bearer realm="https://r/t",scope="a\"b\\c,d")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("scope"), R"(a"b\c,d)");
}

TEST(AuthChallenge, SeveralChallengesInOneHeaderAndAcrossHeaders) {
  auto c = parseWwwAuthenticate(
      R"(Basic realm="x", Bearer realm="https://auth/token",service="svc", Negotiate)");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].params, (Params{{"realm", "x"}}));
  EXPECT_EQ(c[1].scheme, "bearer");
  EXPECT_EQ(c[1].params, (Params{{"realm", "https://auth/token"}, {"service", "svc"}}));
  EXPECT_EQ(c[2].scheme, "negotiate");

  c = parseWwwAuthenticate(std::vector<std::string>{R"(Basic realm="a")", R"(Bearer realm="b")"});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(findChallenge(c, "bearer")->param("realm"), "b");
  EXPECT_FALSE(findChallenge(c, "digest"));
}

TEST(AuthChallenge, Token68Form) {
  const auto c = parseWwwAuthenticate("Negotiate abc+/def==, Basic realm=r");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].token68, "abc+/def==");
  EXPECT_EQ(c[1].param("realm"), "r");
}

TEST(AuthChallenge, MalformedInputNeverThrowsAndKeepsWhatIsUsable) {
  EXPECT_TRUE(parseWwwAuthenticate("").empty());
  EXPECT_TRUE(parseWwwAuthenticate(" , ,").empty());
  // Unterminated quote: the value runs to the end.
  auto c = parseWwwAuthenticate(R"(Bearer realm="https://r/token)");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("realm"), "https://r/token");
  // Junk between parameters is skipped up to the next comma.
  c = parseWwwAuthenticate(R"(Bearer realm="a" junk here, service="s")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("service"), "s");
  // A repeated parameter does not override the first.
  c = parseWwwAuthenticate(R"(Bearer realm="first", realm="second")");
  EXPECT_EQ(c.at(0).param("realm"), "first");
  // Scheme alone.
  c = parseWwwAuthenticate("Bearer");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(c[0].params.empty());
}

}  // namespace
}  // namespace berth::registry
