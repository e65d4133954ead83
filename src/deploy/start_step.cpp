#include "deploy/start_step.h"

#include "deploy/container_spec.h"
#include "deploy/run_with_timeout.h"

namespace berth::deploy {
namespace {

// Containers of the new color left behind (a crash, a failed undo) would block the names.
// They are not serving (the serving color is the other one), so they go.
void removeLeftovers(DeployContext& ctx) {
  for (const auto& instance : ctx.old_instances) {
    if (instance.color != ctx.color) continue;
    ctx.warn("removing leftover instance " + instance.name + " of deploy " +
             std::to_string(instance.deploy_id));
    try {
      ctx.services.docker.removeContainer(instance.id, true);
    } catch (const docker::DockerError& e) {
      if (e.kind() != docker::DockerError::Kind::not_found) throw;
    }
  }
  std::erase_if(ctx.old_instances, [&](const Instance& i) { return i.color == ctx.color; });
}

}  // namespace

void startInstances(DeployContext& ctx) {
  removeLeftovers(ctx);
  auto& docker = ctx.services.docker;
  for (int index = 1; index <= std::max(1, ctx.stage.replicas); ++index) {
    ctx.checkCancel();
    const InstancePlan plan{
        .image = ctx.pinned_image, .deploy_id = ctx.deploy.id, .color = ctx.color, .index = index};
    const docker::ContainerSpec spec = buildContainerSpec(ctx.config, ctx.project, ctx.stage, plan);
    ctx.created.push_back(Instance{.id = spec.name,
                                   .name = spec.name,
                                   .color = ctx.color,
                                   .deploy_id = ctx.deploy.id,
                                   .running = false,
                                   .upstream = {}});
    ctx.log("creating instance " + spec.name + " from " + ctx.pinned_image);
    const auto info =
        runWithTimeout<docker::ContainerInfo>("start of " + spec.name, ctx.options.timeouts.start,
                                              ctx.cancel, [&docker, spec](const net::CancelFlag&) {
                                                const auto created = docker.createContainer(spec);
                                                docker.startContainer(created.id);
                                                return docker.inspectContainer(created.id);
                                              });
    Instance& instance = ctx.created.back();
    instance.id = info.id;
    instance.running = info.state.running;
    instance.upstream = upstreamOf(info, ctx.config, ctx.project);
    ctx.services.journal.instance(ctx.deploy, instance.id, instance.name, instance.color,
                                  "started");
    ctx.log("started instance " + instance.name + " at " + proxy::toString(instance.upstream));
  }
}

}  // namespace berth::deploy
