// Step 2: create and start the new instances (replicas of this deploy's color). Each one is
// recorded in the context before it is created, so undo removes it even when create or start
// fails half-way or hangs.
#pragma once

#include "deploy/deploy_context.h"

namespace berth::deploy {

void startInstances(DeployContext& ctx);

}  // namespace berth::deploy
