#include "store/settings_json.h"

#include <gtest/gtest.h>

#include "store/test_support.h"

namespace berth {
namespace {

template <class Section>
Section roundTrip(const Section& section) {
  Section out;
  settings_json::decode(settings_json::encode(section), out);
  return out;
}

TEST(SettingsJson, EverySectionRoundTrips) {
  const Config c = testing::richConfig();
  EXPECT_EQ(roundTrip(c.server), c.server);
  EXPECT_EQ(roundTrip(c.docker), c.docker);
  EXPECT_EQ(roundTrip(c.proxy), c.proxy);
  EXPECT_EQ(roundTrip(c.auth), c.auth);
}

TEST(SettingsJson, MissingFieldsKeepTheirDefaultsAndUnknownOnesAreIgnored) {
  ProxySettings proxy;
  settings_json::decode(R"({"driver":"nginx","added_by_a_newer_berth":1})", proxy);
  EXPECT_EQ(proxy.driver, ProxyDriver::nginx);
  EXPECT_EQ(proxy.reach, ProxySettings{}.reach);
  AuthSettings auth;
  settings_json::decode(R"({"oidc":{"client_id":"c"}})", auth);
  EXPECT_EQ(auth.mode, AuthMode::local);
  EXPECT_EQ(auth.oidc.client_id, "c");
}

TEST(SettingsJson, BadInputThrows) {
  ProxySettings proxy;
  EXPECT_ANY_THROW(settings_json::decode(R"({"driver":"caddy"})", proxy));
  EXPECT_ANY_THROW(settings_json::decode("[1]", proxy));
  EXPECT_ANY_THROW(settings_json::decode("{", proxy));
  ServerSettings server;
  EXPECT_ANY_THROW(settings_json::decode(R"({"listen":5})", server));
}

}  // namespace
}  // namespace berth
