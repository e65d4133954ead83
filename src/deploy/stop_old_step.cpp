#include "deploy/stop_old_step.h"

#include "deploy/run_with_timeout.h"

namespace berth::deploy {

void stopOldInstances(DeployContext& ctx) {
  auto& docker = ctx.services.docker;
  for (const auto& instance : ctx.old_instances) {
    if (!instance.running) continue;
    ctx.log("stopping old instance " + instance.name);
    ctx.stopped_old = true;
    const std::string id = instance.id;
    const auto grace = ctx.options.stop_grace;
    runWithTimeout<bool>(
        "stop of " + instance.name, ctx.options.timeouts.stop, ctx.cancel,
        [&docker, id, grace](const net::CancelFlag&) { return docker.stopContainer(id, grace); });
    ctx.services.journal.instance(ctx.ownerOf(instance), instance.id, instance.name, instance.color,
                                  "stopped");
  }
}

void removeOldInstances(DeployContext& ctx) {
  auto& docker = ctx.services.docker;
  for (const auto& instance : ctx.old_instances) {
    ctx.log("stopping and removing old instance " + instance.name);
    const std::string id = instance.id;
    const auto grace = ctx.options.stop_grace;
    // The deploy has succeeded by now; cancelling cannot undo it, so it is not passed on.
    static const std::atomic<bool> never{false};
    try {
      runWithTimeout<bool>("removal of " + instance.name, ctx.options.timeouts.stop, never,
                           [&docker, id, grace](const net::CancelFlag&) {
                             if (docker.stopContainer(id, grace)) {
                               // stopped now
                             }
                             docker.removeContainer(id, true);
                             return true;
                           });
      ctx.services.journal.instance(ctx.deploy, instance.id, instance.name, instance.color,
                                    "removed");
    } catch (const std::exception& e) {
      ctx.warn("could not remove old instance " + instance.name + ": " + e.what());
    }
  }
}

}  // namespace berth::deploy
