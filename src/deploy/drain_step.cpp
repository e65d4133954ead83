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
  ctx.log("draining " + std::to_string(running) + " old instance(s) for " +
          seconds(ctx.options.drain));
  if (!ctx.services.clock.sleepFor(ctx.options.drain, &ctx.cancel)) ctx.checkCancel();
}

}  // namespace berth::deploy
