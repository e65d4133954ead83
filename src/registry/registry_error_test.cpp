#include "registry/registry_error.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

using Kind = RegistryError::Kind;

TEST(RegistryError, DetailFromTheRegistrysErrorBody) {
  EXPECT_EQ(
      registryErrorDetail(
          R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"v9"}}]})"),
      "MANIFEST_UNKNOWN: manifest unknown");
  EXPECT_EQ(registryErrorDetail(R"({"errors":[{"code":"A"},{"message":"b"}]})"), "A; b");
  EXPECT_EQ(registryErrorDetail(""), "");
  EXPECT_EQ(registryErrorDetail("<html>Bad Gateway</html>"), "");
  EXPECT_LE(
      registryErrorDetail(R"({"errors":[{"message":")" + std::string(1000, 'x') + R"("}]})").size(),
      303u);
}

TEST(RegistryError, KindFromStatus) {
  EXPECT_EQ(errorForStatus(401, "", "c").kind(), Kind::auth);
  EXPECT_EQ(errorForStatus(403, "", "c").kind(), Kind::auth);
  EXPECT_EQ(errorForStatus(404, "", "c").kind(), Kind::not_found);
  EXPECT_EQ(errorForStatus(429, "", "c").kind(), Kind::rate_limited);
  EXPECT_EQ(errorForStatus(503, "", "c").kind(), Kind::unavailable);
  EXPECT_EQ(errorForStatus(400, "", "c").kind(), Kind::bad_response);
  EXPECT_STREQ(
      errorForStatus(
          404,
          R"({"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]})",
          "registry r, repository a: tag list")
          .what(),
      "registry r, repository a: tag list: HTTP 404 not found (NAME_UNKNOWN: repository "
      "name not known to registry)");
  EXPECT_EQ(toString(Kind::rate_limited), "rate_limited");
}

}  // namespace
}  // namespace berth::registry
