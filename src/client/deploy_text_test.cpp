// The sentences an operator and a CI log see for a deploy, from the API's JSON.
#include "client/deploy_text.h"

#include <gtest/gtest.h>

namespace berth::client {
namespace {

const std::string kDigest =
    "sha256:4f9e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7";

Json deploy(const std::string& state, const std::string& reason = "") {
  return Json::parse(R"({"id":42,"project":"web","stage":"staging",
    "image":{"repository":"ghcr.io/acme/web","tag":"v1.2.3","digest":")" +
                     kDigest + R"("},"trigger":"manual","state":")" + state + R"(","reason":")" +
                     reason + R"("})");
}

TEST(DeployText, AcceptedNamesTheDeployStageImageAndTrigger) {
  EXPECT_EQ(describeAccepted(deploy("queued")),
            "deploy 42 queued: web/staging <- ghcr.io/acme/web:v1.2.3 (manual)");
}

TEST(DeployText, OutcomeShowsTheDigestThatRanOrTheReason) {
  EXPECT_EQ(describeOutcome(deploy("succeeded")),
            "deploy 42 succeeded: web/staging runs ghcr.io/acme/web:v1.2.3 (sha256:4f9e1a2b3c4d)");
  EXPECT_EQ(describeOutcome(deploy("rolled_back", "not healthy after 10.0 s (HTTP 404)")),
            "deploy 42 rolled back: not healthy after 10.0 s (HTTP 404)");
  EXPECT_EQ(describeOutcome(deploy("cancelled")), "deploy 42 cancelled");
  // The fallback record built from the stream's end event alone.
  EXPECT_EQ(describeOutcome(Json{{"id", 7}, {"state", "failed"}, {"reason", "pull failed"}}),
            "deploy 7 failed: pull failed");
}

TEST(DeployText, ShortDigestKeepsTwelveHexDigits) {
  EXPECT_EQ(shortDigest(Json(kDigest)), "sha256:4f9e1a2b3c4d");
  EXPECT_EQ(shortDigest(Json()), "");
  EXPECT_EQ(shortDigest(Json("abc")), "abc");
}

TEST(DeployText, LogLinesShowTheTimeOfDayAndAnAlignedLevel) {
  EXPECT_EQ(formatLogLine({.seq = 2,
                           .ts = "2026-01-01T12:00:00.130Z",
                           .level = "info",
                           .message = "pulling ghcr.io/acme/web:v1.2.3"}),
            "12:00:00.130 info  pulling ghcr.io/acme/web:v1.2.3");
  EXPECT_EQ(
      formatLogLine(
          {.seq = 3, .ts = "2026-01-01T12:00:01.000Z", .level = "error", .message = "exited"}),
      "12:00:01.000 error exited");
}

TEST(DeployText, JsonKeepsTheServersKeyOrderAndReplacesBadUtf8) {
  EXPECT_EQ(jsonText(logLineJson({.seq = 1, .ts = "t", .level = "info", .message = "m"})),
            R"({"seq":1,"ts":"t","level":"info","message":"m"})");
  EXPECT_EQ(jsonText(Json("a\xff")), "\"a\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace berth::client
