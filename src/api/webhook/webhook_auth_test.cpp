#include "api/webhook/webhook_auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace berth::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kSecret = "s3cret-value";
const std::string kBody = R"({"tag":"v2"})";

http::Request withHeader(std::string name, std::string value, std::string body = kBody) {
  http::Request request;
  request.body = std::move(body);
  request.headers.emplace_back(std::move(name), std::move(value));
  return request;
}

TEST(WebhookAuth, SignatureMatchesGitHubsPublishedExample) {
  // The example in GitHub's "Validating webhook deliveries" documentation.
  EXPECT_EQ(webhookSignature("It's a Secret to Everybody", "Hello, World!"),
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

TEST(WebhookAuth, ValidSignatureIsAccepted) {
  EXPECT_EQ(checkWebhookCredential(
                withHeader("x-hub-signature-256", webhookSignature(kSecret, kBody)), kSecret),
            std::nullopt);
}

TEST(WebhookAuth, SignatureOfAnotherBodyOrSecretIsRefused) {
  auto other_body = withHeader("x-hub-signature-256", webhookSignature(kSecret, "{}"));
  EXPECT_THAT(checkWebhookCredential(other_body, kSecret).value_or(""),
              HasSubstr("does not match the body"));
  auto other_secret = withHeader("x-hub-signature-256", webhookSignature("guess", kBody));
  EXPECT_TRUE(checkWebhookCredential(other_secret, kSecret).has_value());
}

TEST(WebhookAuth, MalformedSignatureIsRefusedWithoutEchoingIt) {
  for (const std::string bad : {"sha1=abc", "sha256=", "sha256=zz", "sha256=ab"}) {
    const auto why = checkWebhookCredential(withHeader("x-hub-signature-256", bad), kSecret);
    ASSERT_TRUE(why.has_value()) << bad;
    EXPECT_THAT(*why, HasSubstr("sha256=<"));
  }
}

TEST(WebhookAuth, SignatureInUppercaseHexIsAccepted) {
  std::string signature = webhookSignature(kSecret, kBody);
  for (size_t i = 7; i < signature.size(); ++i)
    signature[i] = static_cast<char>(std::toupper(signature[i]));
  EXPECT_EQ(checkWebhookCredential(withHeader("x-hub-signature-256", signature), kSecret),
            std::nullopt);
}

TEST(WebhookAuth, WrongSignatureIsNotRescuedByACorrectToken) {
  auto request = withHeader("x-hub-signature-256", webhookSignature("guess", kBody));
  request.headers.emplace_back("x-berth-token", std::string(kSecret));
  EXPECT_TRUE(checkWebhookCredential(request, kSecret).has_value());
}

TEST(WebhookAuth, TokenInEachAcceptedPlace) {
  EXPECT_EQ(checkWebhookCredential(withHeader("x-berth-token", "s3cret-value"), kSecret),
            std::nullopt);
  EXPECT_EQ(checkWebhookCredential(withHeader("x-gitlab-token", "s3cret-value"), kSecret),
            std::nullopt);
  EXPECT_EQ(checkWebhookCredential(withHeader("authorization", "Bearer s3cret-value"), kSecret),
            std::nullopt);
  http::Request query;
  query.query["token"] = "s3cret-value";
  EXPECT_EQ(checkWebhookCredential(query, kSecret), std::nullopt);
}

TEST(WebhookAuth, WrongTokensAreRefusedAndNeverQuoted) {
  for (const std::string token : {"s3cret-valu", "s3cret-value ", "", "S3CRET-VALUE"}) {
    const auto why = checkWebhookCredential(withHeader("x-gitlab-token", token), kSecret);
    ASSERT_TRUE(why.has_value()) << token;
    EXPECT_EQ(*why, "X-Gitlab-Token is wrong");
  }
  const auto basic = checkWebhookCredential(withHeader("authorization", "Basic czNjcmV0"), kSecret);
  EXPECT_THAT(basic.value_or(""), HasSubstr("not a Bearer token"));
}

TEST(WebhookAuth, MissingCredentialIsRefused) {
  EXPECT_THAT(checkWebhookCredential(http::Request{}, kSecret).value_or(""),
              HasSubstr("no signature or token"));
}

TEST(WebhookAuth, EmptySecretAcceptsNothing) {
  EXPECT_TRUE(checkWebhookCredential(withHeader("x-berth-token", ""), "").has_value());
  EXPECT_TRUE(
      checkWebhookCredential(withHeader("x-hub-signature-256", webhookSignature("", kBody)), "")
          .has_value());
}

TEST(WebhookAuth, RefusalsNeverContainTheSecret) {
  for (const auto& request :
       {withHeader("x-berth-token", "nope"), withHeader("x-hub-signature-256", "sha256=00"),
        withHeader("authorization", "Token s3cret-value"), http::Request{}}) {
    EXPECT_THAT(checkWebhookCredential(request, kSecret).value_or(""), Not(HasSubstr(kSecret)));
  }
}

}  // namespace
}  // namespace berth::api
