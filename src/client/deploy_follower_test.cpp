// Following a deploy's log through a stream that breaks: each line once, resumed with
// Last-Event-ID; an unreachable server retried until the deadline; refusals not retried.
#include "client/deploy_follower.h"

#include <gtest/gtest.h>

#include <atomic>

#include "cli/exit_codes.h"
#include "client/client_test_support.h"
#include "net/curl_http_client.h"

namespace berth::client {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using net::testing::TestServer;
using Clock = std::chrono::steady_clock;

struct Seen {
  std::vector<std::int64_t> seqs;
  std::vector<std::string> notices;
};

std::optional<DeployEnd> follow(const std::string& url, const FollowOptions& options, Seen& seen) {
  net::CurlHttpClient http;
  const ApiClient api(http, ServerSettings{.url = url, .token = std::nullopt});
  return followDeployLog(
      api, 42, 0, options, [&](const LogLine& line) { seen.seqs.push_back(line.seq); },
      [&](const std::string& notice) { seen.notices.push_back(notice); });
}

TEST(DeployFollower, ResumesABrokenStreamWithLastEventIdAndShowsEachLineOnce) {
  std::atomic<int> connections{0};
  TestServer server([&](const std::string&) {
    if (connections++ == 0) return sseReply({logEvent(1, "queued"), logEvent(2, "pulling")});
    // The resumed stream repeats line 2: the follower must not show it again.
    return sseReply(
        {logEvent(2, "pulling"), logEvent(3, "starting"), endEvent("rolled_back", "not healthy")});
  });
  Seen seen;
  const auto end = follow(server.url(""), FollowOptions{.deadline = Clock::now() + 10s}, seen);
  ASSERT_TRUE(end);
  EXPECT_EQ(end->state, "rolled_back");
  EXPECT_EQ(end->reason, "not healthy");
  EXPECT_EQ(seen.seqs, (std::vector<std::int64_t>{1, 2, 3}));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(isRequest(requests[0], "GET /api/deploys/42/log")) << requests[0];
  EXPECT_EQ(requests[0].find("Last-Event-ID"), std::string::npos);
  EXPECT_NE(requests[1].find("Last-Event-ID: 2\r\n"), std::string::npos) << requests[1];
}

TEST(DeployFollower, GivesUpAtTheDeadlineOnASilentStream) {
  TestServer server([](const std::string&) { return sseReply({logEvent(1, "queued")}, 3s); });
  Seen seen;
  const auto started = Clock::now();
  const auto end = follow(server.url(""), FollowOptions{.deadline = started + 300ms}, seen);
  EXPECT_FALSE(end);
  EXPECT_LT(Clock::now() - started, 2500ms) << "the watchdog cancels the stream";
  EXPECT_EQ(seen.seqs, (std::vector<std::int64_t>{1}));
}

TEST(DeployFollower, RetriesAnUnreachableServerUntilTheDeadlineAndSaysSoOnce) {
  Seen seen;
  const auto end = follow(
      "http://127.0.0.1:1",
      FollowOptions{.deadline = Clock::now() + 600ms, .idle_limit = 45s, .max_retry_pause = 160ms},
      seen);
  EXPECT_FALSE(end);
  ASSERT_EQ(seen.notices.size(), 1u);
  EXPECT_NE(seen.notices[0].find("cannot reach the berth server at http://127.0.0.1:1"),
            std::string::npos)
      << seen.notices[0];
}

TEST(DeployFollower, ARefusalIsNotRetried) {
  TestServer server([](const std::string&) {
    return jsonReply(401, R"({"error":{"code":"unauthorized","message":"no"}})");
  });
  Seen seen;
  try {
    follow(server.url(""), FollowOptions{.deadline = Clock::now() + 10s}, seen);
    ADD_FAILURE() << "no ClientError";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.exitCode(), kExitUnauthorized);
  }
  EXPECT_EQ(server.requests().size(), 1u);
}

}  // namespace
}  // namespace berth::client
