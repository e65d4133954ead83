#include "core/model_names.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

TEST(ModelNames, EveryValueRoundTrips) {
  for (auto v : {TagOrder::semver, TagOrder::numeric, TagOrder::alphabetical, TagOrder::pushed})
    EXPECT_EQ(parseTagOrder(toString(v)), v);
  for (auto v : {Strategy::recreate, Strategy::blue_green})
    EXPECT_EQ(parseStrategy(toString(v)), v);
  for (auto v : {ProxyDriver::none, ProxyDriver::nginx, ProxyDriver::npm})
    EXPECT_EQ(parseProxyDriver(toString(v)), v);
  for (auto v : {ProxyReach::network, ProxyReach::host})
    EXPECT_EQ(parseProxyReach(toString(v)), v);
  for (auto v : {AuthMode::local, AuthMode::oidc})
    EXPECT_EQ(parseAuthMode(toString(v)), v);
}

TEST(ModelNames, SpellingsMatchTheConfigFile) {
  EXPECT_EQ(toString(Strategy::blue_green), "blue-green");
  EXPECT_EQ(toString(TagOrder::alphabetical), "alphabetical");
  EXPECT_EQ(toString(ProxyDriver::npm), "npm");
  EXPECT_EQ(toString(ProxyReach::network), "network");
  EXPECT_EQ(toString(AuthMode::oidc), "oidc");
}

TEST(ModelNames, ParsingIsExactSoExportsStayCanonical) {
  EXPECT_EQ(parseStrategy("blue_green"), std::nullopt);
  EXPECT_EQ(parseStrategy("Recreate"), std::nullopt);
  EXPECT_EQ(parseTagOrder(" semver"), std::nullopt);
  EXPECT_EQ(parseTagOrder(""), std::nullopt);
  EXPECT_EQ(parseProxyDriver("traefik"), std::nullopt);
  EXPECT_EQ(parseProxyReach("bridge"), std::nullopt);
  EXPECT_EQ(parseAuthMode("ldap"), std::nullopt);
}

}  // namespace
}  // namespace berth
