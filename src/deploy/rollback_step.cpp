#include "deploy/rollback_step.h"

#include "deploy/health_check.h"
#include "deploy/run_with_timeout.h"

namespace berth::deploy {
namespace {

const std::atomic<bool> kNever{false};  // undo is not cancellable

std::vector<Instance> runningOld(const DeployContext& ctx) {
  std::vector<Instance> out;
  for (const auto& instance : ctx.old_instances)
    if (instance.running) out.push_back(instance);
  return out;
}

void restoreRoute(DeployContext& ctx, const std::vector<Instance>& old) {
  auto& proxy = ctx.services.proxy;
  try {
    if (old.empty()) {
      ctx.log("removing the route to this deploy's instances (nothing served before)");
      const auto key = ctx.routeKey();
      runWithTimeout<bool>("proxy removal", ctx.options.timeouts.proxy_switch, kNever,
                           [&proxy, key](const net::CancelFlag&) {
                             proxy.remove(key);
                             return true;
                           });
    } else {
      const auto route = ctx.routeTo(old);
      ctx.log("switching the proxy back to the old instances");
      runWithTimeout<bool>("proxy switch back", ctx.options.timeouts.proxy_switch, kNever,
                           [&proxy, route](const net::CancelFlag&) {
                             proxy.apply(route);
                             return true;
                           });
    }
  } catch (const std::exception& e) {
    ctx.services.journal.error(ctx.deploy, std::string("could not restore the route: ") + e.what());
  }
}

// Recreate stopped the old instances; they are started again and checked like new ones
// (their rows then say healthy or unhealthy, not just started), before the proxy goes back to
// them. The check runs even when the deploy was cancelled: undo is not cancellable.
void restartOld(DeployContext& ctx) {
  auto& docker = ctx.services.docker;
  DeployContext undo{.services = ctx.services,
                     .options = ctx.options,
                     .config = ctx.config,
                     .project = ctx.project,
                     .stage = ctx.stage,
                     .deploy = ctx.deploy,
                     .image = ctx.image,
                     .pinned_image = ctx.pinned_image,
                     .cancel = kNever};
  for (auto& instance : ctx.old_instances) {
    if (!instance.running) continue;
    ctx.log("starting old instance " + instance.name + " again");
    try {
      docker.startContainer(instance.id);
      instance.upstream = upstreamOf(docker.inspectContainer(instance.id), ctx.config, ctx.project);
      ctx.services.journal.instance(ctx.ownerOf(instance), instance.id, instance.name,
                                    instance.color, "started");
    } catch (const std::exception& e) {
      ctx.services.journal.error(ctx.deploy,
                                 "could not start " + instance.name + " again: " + e.what());
      continue;
    }
    try {
      waitHealthy(undo, instance);
    } catch (const std::exception& e) {
      ctx.services.journal.error(
          ctx.deploy, "old instance " + instance.name + " is not healthy again: " + e.what());
    }
  }
}

}  // namespace

void undoDeploy(DeployContext& ctx) {
  if (ctx.stopped_old) restartOld(ctx);
  // The proxy goes back before the new instances go away, so no request meets a removed one.
  // Recreate restarted the old instances (new host ports), so its route is re-applied too.
  if (ctx.switched || (ctx.stopped_old && !ctx.stage.domains.empty())) {
    restoreRoute(ctx, runningOld(ctx));
  }
  auto& docker = ctx.services.docker;
  for (const auto& instance : ctx.created) {
    ctx.log("removing instance " + instance.name);
    const std::string id = instance.id;
    try {
      runWithTimeout<bool>("removal of " + instance.name, ctx.options.timeouts.stop, kNever,
                           [&docker, id](const net::CancelFlag&) {
                             docker.removeContainer(id, true);
                             return true;
                           });
      ctx.services.journal.instance(ctx.deploy, instance.id, instance.name, instance.color,
                                    "removed");
    } catch (const docker::DockerError& e) {
      if (e.kind() != docker::DockerError::Kind::not_found) {
        ctx.services.journal.error(ctx.deploy,
                                   "could not remove " + instance.name + ": " + e.what());
      }
    } catch (const std::exception& e) {
      ctx.services.journal.error(ctx.deploy, "could not remove " + instance.name + ": " + e.what());
    }
  }
}

}  // namespace berth::deploy
