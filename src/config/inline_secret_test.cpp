#include "config/inline_secret.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

TEST(InlineSecret, RecognisesSecretKeys) {
  for (const char* key : {"password", "Password", "secret", "token", "webhook_secret",
                          "client_secret", "npm_password", "api_key", "private_key", "passwd"})
    EXPECT_TRUE(looksLikeInlineSecret(key)) << key;
  for (const char* key : {"password_env", "username", "secrets_dir", "tokens_env", "identity"})
    EXPECT_FALSE(looksLikeInlineSecret(key)) << key;
}

TEST(InlineSecret, NamesTheReferenceKeyOfTheSameMap) {
  EXPECT_EQ(inlineSecretMessage("password", {"host", "username", "password_env"}),
            "inline secrets are not stored; put the value in an environment variable and use "
            "password_env");
  EXPECT_EQ(inlineSecretMessage("webhook_secret", {"name", "webhook_secret_env"}),
            "inline secrets are not stored; put the value in an environment variable and use "
            "webhook_secret_env");
  // `token` in a registry entry: the map's only reference key.
  EXPECT_NE(inlineSecretMessage("token", {"host", "password_env"}).find("use password_env"),
            std::string::npos);
  EXPECT_NE(inlineSecretMessage("token", {"name"}).find("*_env"), std::string::npos);
}

}  // namespace
}  // namespace berth
