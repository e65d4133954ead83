#include "deploy/drain_step.h"

#include "deploy/run_with_timeout.h"

namespace berth::deploy {

void drainStep(DeployContext& ctx) {
  size_t running = 0;
  for (const auto& instance : ctx.old_instances)
    running += instance.running ? 1 : 0;
  if (running == 0) {
    ctx.log("nothing to drain: no old instance was serving");
    return;
  }
  const Duration drain = ctx.options.drain.value_or(ctx.stage.drain);
  ctx.log("draining " + std::to_string(running) + " old instance(s) for " + seconds(drain));
  if (!ctx.services.clock.sleepFor(drain, &ctx.cancel)) ctx.checkCancel();
}

}  // namespace berth::deploy
