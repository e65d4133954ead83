// /metrics in the Prometheus text format, counting what the store holds.
#include <gmock/gmock.h>

#include <map>
#include <regex>
#include <sstream>

#include "api/api_test_support.h"

namespace berth::api::testing {
namespace {

using ::testing::HasSubstr;

// Every sample line of an exposition, "name{labels}" -> value; fails the test on a line that
// is neither a comment nor `name{labels} value`.
std::map<std::string, double> samples(const std::string& text) {
  static const std::regex kSample(
      R"re(([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})?) ([-+0-9.eE]+|\+Inf|NaN))re");
  std::map<std::string, double> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    std::smatch m;
    if (!std::regex_match(line, m, kSample)) {
      ADD_FAILURE() << "not a sample line: " << line;
      continue;
    }
    out[m[1]] = std::stod(m[3]);
  }
  return out;
}

TEST_F(ApiTest, MetricsAreValidExpositionTextWithBuildInfo) {
  const auto response = get("/metrics");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto values = samples(response.body);
  EXPECT_EQ(values.at(R"(berth_build_info{version="1.2.3-test"})"), 1);
  EXPECT_EQ(values.at("berth_http_connections"), 3);
  EXPECT_EQ(values.at("berth_sse_subscribers"), 0);
  EXPECT_EQ(values.at(R"(berth_deploys_total{result="succeeded"})"), 0);
  EXPECT_THAT(response.body, HasSubstr("# TYPE berth_deploy_duration_seconds histogram\n"));
  EXPECT_THAT(response.body, HasSubstr("# TYPE berth_poll_requests_total counter\n"));
}

TEST_F(ApiTest, MetricsCountFinishedDeploysByResultAndDuration) {
  samples(get("/metrics").body);  // a scrape before the deploys must not hide them later
  deployed("qa", "v1");
  deployed("qa", "bad");
  const auto failed = journal_->list({}).front();
  deployed("staging", "v1");

  const auto values = samples(get("/metrics").body);
  EXPECT_EQ(values.at(R"(berth_deploys_total{result="succeeded"})"), 2);
  EXPECT_EQ(values.at("berth_deploys_total{result=\"" + toString(failed.state) + "\"}"), 1);
  EXPECT_EQ(values.at("berth_deploy_duration_seconds_count"), 3);
  EXPECT_EQ(values.at(R"(berth_deploy_duration_seconds_bucket{le="+Inf"})"), 3);
  EXPECT_LE(values.at(R"(berth_deploy_duration_seconds_bucket{le="1"})"),
            values.at(R"(berth_deploy_duration_seconds_bucket{le="600"})"));

  // Counted once: a second scrape reports the same totals.
  EXPECT_EQ(samples(get("/metrics").body), values);
}

TEST_F(ApiTest, MetricsCountDeploysFromEarlierRuns) {
  deployed("qa", "v1");
  // A fresh route table over the same store, as after a restart.
  http::Router restarted;
  addRoutes(restarted, ApiDeps{.engine = *engine_,
                               .journal = *journal_,
                               .bus = bus_,
                               .poller = nullptr,
                               .webhook = {},
                               .open_connections = {},
                               .version = "x",
                               .clock = clock_});
  http::Request request{.method = "GET", .target = "/metrics", .path = "/metrics"};
  const auto response = restarted.dispatch(request);
  const auto values = samples(response.body);
  EXPECT_EQ(values.at(R"(berth_deploys_total{result="succeeded"})"), 1);
  EXPECT_EQ(values.count("berth_http_connections"), 0u) << "no connection count was given";
}

}  // namespace
}  // namespace berth::api::testing
