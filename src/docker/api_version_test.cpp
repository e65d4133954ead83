// Version negotiation: the newest version both sides speak, never newer than berth knows.
#include "docker/api_version.h"

#include <gtest/gtest.h>

namespace berth::docker {
namespace {

DaemonVersion daemon(std::string max, std::string min, std::string version = "x") {
  return DaemonVersion{version, std::move(max), std::move(min), "linux", "amd64"};
}

TEST(ApiVersion, Parse) {
  EXPECT_EQ(parseApiVersion("1.41"), (ApiVersion{1, 41}));
  EXPECT_EQ(parseApiVersion("1.9"), (ApiVersion{1, 9}));
  EXPECT_EQ(parseApiVersion("1"), std::nullopt);
  EXPECT_EQ(parseApiVersion("v1.41"), std::nullopt);
  EXPECT_EQ(parseApiVersion("1.41.0"), std::nullopt);
  EXPECT_EQ(parseApiVersion(""), std::nullopt);
  EXPECT_LT(*parseApiVersion("1.9"), *parseApiVersion("1.41")) << "numeric, not lexical";
}

TEST(ApiVersion, Debian20_10DaemonGets1_41) {
  EXPECT_EQ(negotiateApiVersion(daemon("1.41", "1.12")).value(), "1.41");
}

TEST(ApiVersion, NewerDaemonStillGets1_41) {
  EXPECT_EQ(negotiateApiVersion(daemon("1.47", "1.24")).value(), "1.41");
}

TEST(ApiVersion, OlderDaemonGetsItsOwnVersion) {
  EXPECT_EQ(negotiateApiVersion(daemon("1.40", "1.12")).value(), "1.40");
  EXPECT_EQ(negotiateApiVersion(daemon("1.29", "")).value(), "1.29");
}

TEST(ApiVersion, NoCommonVersionIsExplained) {
  EXPECT_EQ(negotiateApiVersion(daemon("1.52", "1.44", "29.0.0")).error(),
            "docker daemon 29.0.0 serves API 1.44 to 1.52; berth speaks 1.29 to 1.41");
  EXPECT_EQ(negotiateApiVersion(daemon("1.24", "1.12", "1.12.6")).error(),
            "docker daemon 1.12.6 serves API 1.12 to 1.24; berth speaks 1.29 to 1.41");
  EXPECT_EQ(negotiateApiVersion(daemon("", "")).error(),
            "docker daemon x reports API version ''; berth speaks 1.29 to 1.41");
  EXPECT_FALSE(negotiateApiVersion(daemon("1.41", "one")).ok());
}

}  // namespace
}  // namespace berth::docker
