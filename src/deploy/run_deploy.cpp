#include "deploy/run_deploy.h"

#include "deploy/container_spec.h"
#include "deploy/drain_step.h"
#include "deploy/health_check.h"
#include "deploy/pull_step.h"
#include "deploy/rollback_step.h"
#include "deploy/start_step.h"
#include "deploy/step_errors.h"
#include "deploy/stop_old_step.h"
#include "deploy/switch_step.h"

namespace berth::deploy {
namespace {

void enter(DeployContext& ctx, DeployState& current, DeployState next) {
  ctx.services.journal.state(ctx.deploy, next);
  current = next;
}

void recreate(DeployContext& ctx, DeployState& state) {
  enter(ctx, state, DeployState::starting);
  ctx.log(
      "recreate: the stage is down from stopping the old instance until the new one is "
      "healthy");
  stopOldInstances(ctx);
  startInstances(ctx);
  enter(ctx, state, DeployState::checking);
  for (const auto& instance : ctx.created)
    waitHealthy(ctx, instance);
  if (!ctx.stage.domains.empty()) switchStep(ctx, false);
  removeOldInstances(ctx);
}

void blueGreen(DeployContext& ctx, DeployState& state) {
  enter(ctx, state, DeployState::starting);
  startInstances(ctx);
  enter(ctx, state, DeployState::checking);
  for (const auto& instance : ctx.created)
    waitHealthy(ctx, instance);
  ctx.checkCancel();
  enter(ctx, state, DeployState::switching);
  switchStep(ctx, true);
  enter(ctx, state, DeployState::draining);
  drainStep(ctx);
  ctx.checkCancel();
  removeOldInstances(ctx);
}

}  // namespace

DeployState runDeploy(DeployContext& ctx) {
  auto& journal = ctx.services.journal;
  DeployState state = DeployState::queued;
  DeployState final_state = DeployState::succeeded;
  std::string reason;
  try {
    ctx.checkCancel();
    enter(ctx, state, DeployState::pulling);
    pullStep(ctx);
    ctx.checkCancel();
    ctx.old_instances = findStageInstances(ctx.services.docker, ctx.config, ctx.project, ctx.stage);
    // The serving deploy's color decides; a stray running container of the other color
    // (a crash before reconcile) must not flip the choice onto the serving instances.
    const auto serving = ctx.services.journal.serving(ctx.project.name, ctx.stage.name);
    std::string serving_color;
    for (const auto& instance : ctx.old_instances) {
      if (instance.running && serving && instance.deploy_id == serving->id) {
        serving_color = instance.color;
      }
    }
    for (const auto& instance : ctx.old_instances)
      if (instance.running && serving_color.empty()) serving_color = instance.color;
    ctx.color = serving_color.empty() ? "blue" : otherColor(serving_color);
    if (ctx.stage.strategy == Strategy::blue_green) {
      blueGreen(ctx, state);
    } else {
      recreate(ctx, state);
    }
  } catch (const DeployCancelled& e) {
    final_state = DeployState::cancelled;
    reason = std::string(e.what()) + " during " + toString(state);
  } catch (const std::exception& e) {
    final_state = state == DeployState::pulling && ctx.created.empty() && !ctx.stopped_old
                      ? DeployState::failed
                      : DeployState::rolled_back;
    reason = e.what();
  }
  if (final_state == DeployState::succeeded) {
    // The line before the state: a live follower stops at the final state and would miss it.
    ctx.log("deploy succeeded: " + ctx.stage.name + " runs " + ctx.image.str());
    journal.state(ctx.deploy, DeployState::succeeded);
    return final_state;
  }
  journal.error(ctx.deploy, reason);
  if (state != DeployState::queued && state != DeployState::pulling) {
    undoDeploy(ctx);
  } else if (!ctx.created.empty() || ctx.stopped_old) {
    undoDeploy(ctx);
  }
  if (final_state == DeployState::rolled_back) {
    ctx.log("rolled back: the old instances keep serving");
  }
  journal.state(ctx.deploy, final_state, reason);
  return final_state;
}

}  // namespace berth::deploy
