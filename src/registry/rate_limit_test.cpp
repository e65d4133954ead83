#include "registry/rate_limit.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

const system_clock::time_point kNow =
    std::chrono::sys_days{std::chrono::year{2026} / 10 / 21} + 7h + 28min;

net::Headers headers(std::vector<std::pair<std::string, std::string>> fields) {
  net::Headers h;
  for (auto& [n, v] : fields)
    h.add(n, v);
  return h;
}

TEST(RateLimit, DockerHubFormat) {
  const auto r = parseRateLimit(
      headers({{"RateLimit-Limit", "100;w=21600"}, {"RateLimit-Remaining", "76;w=21600"}}), kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->limit, 100);
  EXPECT_EQ(r->remaining, 76);
  EXPECT_EQ(r->window, std::chrono::seconds(21600));
  EXPECT_EQ(r->observed, kNow);
}

TEST(RateLimit, PlainNumbersAndPartialHeaders) {
  auto r = parseRateLimit(headers({{"ratelimit-remaining", "5"}}), kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->limit, std::nullopt);
  EXPECT_EQ(r->remaining, 5);
  EXPECT_EQ(r->window, std::nullopt);
  EXPECT_FALSE(parseRateLimit(headers({}), kNow));
  EXPECT_FALSE(parseRateLimit(headers({{"ratelimit-limit", "lots"}}), kNow));
  r = parseRateLimit(headers({{"ratelimit-limit", " 200 ; w=3600 "}}), kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->limit, 200);
  EXPECT_EQ(r->window, std::chrono::seconds(3600));
}

TEST(RetryAfter, SecondsAndHttpDates) {
  EXPECT_EQ(parseRetryAfter("120", kNow), Duration(120s));
  EXPECT_EQ(parseRetryAfter(" 0 ", kNow), Duration(0));
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2026 07:30:00 GMT", kNow), Duration(120s));
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2026 07:00:00 GMT", kNow), Duration(0));  // past
  EXPECT_EQ(parseRetryAfter("99999999999", kNow), Duration(24h));                  // capped
}

TEST(RetryAfter, RefusesAnythingElse) {
  EXPECT_EQ(parseRetryAfter("", kNow), std::nullopt);
  EXPECT_EQ(parseRetryAfter("-5", kNow), std::nullopt);
  EXPECT_EQ(parseRetryAfter("1.5", kNow), std::nullopt);
  EXPECT_EQ(parseRetryAfter("soon", kNow), std::nullopt);
  EXPECT_EQ(parseRetryAfter("Wed, 32 Oct 2026 07:30:00 GMT", kNow), std::nullopt);
  EXPECT_EQ(parseRetryAfter("Wed, 21 Foo 2026 07:30:00 GMT", kNow), std::nullopt);
  EXPECT_EQ(parseRetryAfter("Wednesday, 21-Oct-26 07:30:00 GMT", kNow), std::nullopt);
}

}  // namespace
}  // namespace berth::registry
