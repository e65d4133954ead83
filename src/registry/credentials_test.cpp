#include "registry/credentials.h"

#include <gtest/gtest.h>

#include "registry/registry_error.h"

namespace berth::registry {
namespace {

EnvLookup fakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Credentials, BasicAuthorizationIsBase64OfUserColonPassword) {
  EXPECT_EQ(basicAuthorization({"berth-test", "pw"}), "Basic YmVydGgtdGVzdDpwdw==");
  EXPECT_EQ(basicAuthorization({"a", "bc"}), "Basic YTpiYw==");
  EXPECT_EQ(basicAuthorization({"ab", "c:d"}), "Basic YWI6Yzpk");
}

TEST(Credentials, DockerHubAliasesAreOneHost) {
  EXPECT_EQ(normalizeRegistryHost("index.docker.io"), "docker.io");
  EXPECT_EQ(normalizeRegistryHost("Registry-1.Docker.IO"), "docker.io");
  EXPECT_EQ(normalizeRegistryHost("GHCR.io"), "ghcr.io");
}

TEST(Credentials, ResolvesPasswordEnvWhenAsked) {
  std::vector<RegistryCredential> config = {
      {"ghcr.io", "acme-bot", "GHCR_TOKEN", false},
      {"index.docker.io", "hubuser", "HUB_TOKEN", false},
      {"reg.lan:5000", "", "", true},
  };
  const auto hosts = hostSettingsFromConfig(config, fakeEnv({{"GHCR_TOKEN", "ghp_x"}}));
  const HostSettings ghcr = hosts("GHCR.IO");
  ASSERT_TRUE(ghcr.credentials);
  EXPECT_EQ(ghcr.credentials->username, "acme-bot");
  EXPECT_EQ(ghcr.credentials->password, "ghp_x");
  EXPECT_FALSE(ghcr.insecure);

  const HostSettings lan = hosts("reg.lan:5000");
  EXPECT_FALSE(lan.credentials);
  EXPECT_TRUE(lan.insecure);

  const HostSettings other = hosts("quay.io");
  EXPECT_FALSE(other.credentials);
  EXPECT_FALSE(other.insecure);

  try {
    (void)hosts("docker.io");
    FAIL() << "expected an error for the unset HUB_TOKEN";
  } catch (const RegistryError& e) {
    EXPECT_EQ(e.kind(), RegistryError::Kind::auth);
    EXPECT_STREQ(e.what(),
                 "registry docker.io: password for hubuser: environment variable HUB_TOKEN is "
                 "not set");
  }
}

TEST(Credentials, ReadsTheEnvironmentOnEveryCallSoRotatedSecretsApply) {
  std::string value = "one";
  const auto hosts = hostSettingsFromConfig(
      {{"ghcr.io", "bot", "TOKEN", false}},
      [&value](const std::string&) -> std::optional<std::string> { return value; });
  EXPECT_EQ(hosts("ghcr.io").credentials->password, "one");
  value = "two";
  EXPECT_EQ(hosts("ghcr.io").credentials->password, "two");
}

}  // namespace
}  // namespace berth::registry
