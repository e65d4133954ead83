// GET /metrics: deploys by result and duration (from the store, deploy_tally.h), registry
// poll requests and errors per project, SSE subscribers, open HTTP connections and build info.
#include <memory>

#include "api/deploy_tally.h"
#include "api/prometheus_text.h"
#include "api/route_groups.h"

namespace berth::api {
namespace {

constexpr DeployState kResults[] = {DeployState::succeeded, DeployState::failed,
                                    DeployState::rolled_back, DeployState::cancelled,
                                    DeployState::interrupted};

void writeDeploys(PrometheusText& out, const DeployTally::Totals& totals) {
  out.family("berth_deploys_total", "counter", "Deploys that reached a final state, by result.");
  for (DeployState result : kResults) {
    auto it = totals.by_result.find(result);
    out.sample("berth_deploys_total", {{"result", toString(result)}},
               static_cast<double>(it == totals.by_result.end() ? 0 : it->second));
  }
  out.family("berth_deploy_duration_seconds", "histogram",
             "Time from a deploy's first step to its final state (deploys cancelled while "
             "queued are not observed).");
  for (std::size_t i = 0; i < DeployTally::kBuckets.size(); ++i) {
    out.sample("berth_deploy_duration_seconds_bucket",
               {{"le", std::to_string(DeployTally::kBuckets[i])}},
               static_cast<double>(totals.le_bucket[i]));
  }
  out.sample("berth_deploy_duration_seconds_bucket", {{"le", "+Inf"}},
             static_cast<double>(totals.duration_count));
  out.sample("berth_deploy_duration_seconds_sum", totals.duration_sum_seconds);
  out.sample("berth_deploy_duration_seconds_count", static_cast<double>(totals.duration_count));
}

void writePoller(PrometheusText& out, const poller::Poller* poller) {
  out.family("berth_poll_requests_total", "counter", "Registry checks made by the poller.");
  const auto status = poller ? poller->status() : std::vector<poller::ProjectPollStatus>{};
  for (const auto& p : status)
    out.sample("berth_poll_requests_total", {{"project", p.project}},
               static_cast<double>(p.requests));
  out.family("berth_poll_errors_total", "counter",
             "Registry checks that failed (unreachable, error status, rate limited).");
  for (const auto& p : status)
    out.sample("berth_poll_errors_total", {{"project", p.project}}, static_cast<double>(p.errors));
}

}  // namespace

void addMetricsRoute(http::Router& router, const SharedDeps& deps) {
  auto tally = std::make_shared<DeployTally>(deps->journal);
  router.get("/metrics", [deps, tally](const http::Request&) {
    PrometheusText out;
    writeDeploys(out, tally->refresh());
    writePoller(out, deps->poller);
    out.family("berth_sse_subscribers", "gauge", "Open event-stream subscriptions.");
    out.sample("berth_sse_subscribers", static_cast<double>(deps->bus.subscriberCount()));
    if (deps->open_connections) {
      out.family("berth_http_connections", "gauge", "Open HTTP connections.");
      out.sample("berth_http_connections", static_cast<double>(deps->open_connections()));
    }
    out.family("berth_build_info", "gauge", "Always 1; the labels describe this build.");
    out.sample("berth_build_info", {{"version", deps->version}}, 1);
    return http::Response::text(200, out.str(), std::string(kPrometheusContentType));
  });
}

}  // namespace berth::api
