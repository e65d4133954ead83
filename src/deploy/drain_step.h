// Step 5 (blue-green): after the switch the old instances keep running for the stage's `drain`
// time (or EngineOptions::drain when set), so requests they accepted before the switch can
// finish. Cancellation cuts it short.
#pragma once

#include "deploy/deploy_context.h"

namespace berth::deploy {

void drainStep(DeployContext& ctx);

}  // namespace berth::deploy
