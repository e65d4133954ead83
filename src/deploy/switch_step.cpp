#include "deploy/switch_step.h"

#include "deploy/run_with_timeout.h"

namespace berth::deploy {
namespace {

std::string describe(const proxy::Route& route) {
  std::string out;
  for (const auto& upstream : route.upstreams) {
    out += (out.empty() ? "" : ", ") + proxy::toString(upstream);
  }
  return out;
}

}  // namespace

void switchStep(DeployContext& ctx, bool probe) {
  auto& proxy = ctx.services.proxy;
  const proxy::Route route = ctx.routeTo(ctx.created);
  const std::string domains =
      route.domains.empty() ? std::string("(no domains)") : route.domains.front();
  ctx.log("switching " + std::string(proxy.driver()) + " proxy for " + domains + " to " +
          describe(route));
  ctx.switched = true;
  runWithTimeout<bool>("proxy switch", ctx.options.timeouts.proxy_switch, ctx.cancel,
                       [&proxy, route](const net::CancelFlag&) {
                         proxy.apply(route);
                         return true;
                       });
  if (!probe) return;
  ctx.checkCancel();
  const std::string path = ctx.project.health.path.empty() ? "/" : ctx.project.health.path;
  const auto timeout = ctx.options.timeouts.probe;
  const auto result = runWithTimeout<proxy::ProbeResult>(
      "probe through the proxy", timeout + std::chrono::seconds(1), ctx.cancel,
      [&proxy, route, path, timeout](const net::CancelFlag&) {
        return proxy.probe(route, path, timeout);
      });
  // With a health path the answer must be 2xx; without one, any answer below 500 shows the
  // proxy reaches a live server.
  const bool ok = ctx.project.health.path.empty() ? result.status > 0 && result.status < 500
                                                  : result.status >= 200 && result.status < 300;
  const std::string what =
      "GET " + result.url + " via " + result.via + ": HTTP " + std::to_string(result.status);
  if (!ok) throw StepFailed("probe through the proxy failed: " + what);
  ctx.log("probe through the proxy: " + what);
}

}  // namespace berth::deploy
