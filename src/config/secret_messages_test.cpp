// No message about berth.yaml repeats a value that may be a secret: what was written into a
// *_env key (by mistake, usually the secret itself) or the password part of a URL. Messages end
// up in terminals, CI logs and the JSON log of `berth serve`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace berth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kSecret = "hunter2";

std::vector<ConfigError> errorsOf(const std::string& yaml) {
  return parseConfig(yaml, "berth.yaml").errors;
}

// Exactly one error, at `key`, containing `phrase` and not the secret.
void expectOneErrorWithoutTheSecret(const std::string& yaml, const std::string& key,
                                    const std::string& phrase) {
  SCOPED_TRACE(yaml);
  const auto errors = errorsOf(yaml);
  ASSERT_EQ(errors.size(), 1u) << errors.front().str();
  EXPECT_EQ(errors[0].key, key);
  EXPECT_THAT(errors[0].str(), HasSubstr(phrase));
  EXPECT_THAT(errors[0].str(), Not(HasSubstr(kSecret)));
}

const std::string kProject =
    "projects:\n  - name: web\n    image: ghcr.io/acme/web\n    stages: [ { name: s } ]\n";

TEST(SecretsInMessages, AValueThatIsNotAVariableNameIsNotRepeated) {
  const std::string phrase = "expected the name of an environment variable";
  expectOneErrorWithoutTheSecret(
      kProject + "registries: [ { host: ghcr.io, password_env: 'hunter2!' } ]\n",
      "registries[0].password_env", phrase);
  expectOneErrorWithoutTheSecret(kProject +
                                     "proxy: { driver: npm, url: 'http://npm:81', identity: a, "
                                     "secret_env: 'hunter2 x' }\n",
                                 "proxy.secret_env", phrase);
  expectOneErrorWithoutTheSecret(kProject + "auth: { oidc: { client_secret_env: 'hunter2-x' } }\n",
                                 "auth.oidc.client_secret_env", phrase);
  expectOneErrorWithoutTheSecret(
      "projects:\n  - name: web\n    image: ghcr.io/acme/web\n    webhook_secret_env: "
      "'hunter2#'\n    stages: [ { name: s } ]\n",
      "projects[0].webhook_secret_env", phrase);
}

TEST(SecretsInMessages, UrlsWithAPasswordAreRefusedWithoutRepeatingIt) {
  const std::string phrase = "must not contain a user name or password";
  expectOneErrorWithoutTheSecret(
      kProject + "server: { public_url: 'https://admin:hunter2@deploy.example.com' }\n",
      "server.public_url", phrase);
  expectOneErrorWithoutTheSecret(
      kProject +
          "proxy: { driver: npm, url: 'http://admin:hunter2@npm:81', identity: a, "
          "secret_env: NPM }\n",
      "proxy.url", phrase);
  expectOneErrorWithoutTheSecret(
      kProject + "auth: { oidc: { discovery_url: 'https://u:hunter2@id.example.com/x' } }\n",
      "auth.oidc.discovery_url", phrase);
  // Docker ignores credentials in its host URL; berth must not store them either.
  expectOneErrorWithoutTheSecret(kProject + "docker: { host: 'tcp://admin:hunter2@docker:2376' }\n",
                                 "docker.host", phrase);
  expectOneErrorWithoutTheSecret(kProject + "registries: [ { host: 'bot:hunter2@ghcr.io' } ]\n",
                                 "registries[0].host", phrase);
}

// docker-compose writes `- NAME=value`; as a map key the value would be repeated.
TEST(SecretsInMessages, EnvEntriesWrittenAsNameEqualsValueAreNotRepeated) {
  expectOneErrorWithoutTheSecret(
      "projects:\n  - name: web\n    image: ghcr.io/acme/web\n    env: { "
      "'DB_PASSWORD=hunter2': x }\n    stages: [ { name: s } ]\n",
      "projects[0].env.DB_PASSWORD", "write 'DB_PASSWORD: value'");
}

}  // namespace
}  // namespace berth
