// Step 5 (blue-green): after the switch the old instances keep running for the drain time,
// so requests they accepted before the switch can finish. Cancellation cuts it short.
#pragma once

#include "deploy/deploy_context.h"

namespace berth::deploy {

void drainStep(DeployContext& ctx);

}  // namespace berth::deploy
