// Step 6: stop (and remove) the instances that served before this deploy. Blue-green calls it
// only after the new instances serve through the proxy; recreate stops first (downtime) and
// removes after the new instance is healthy. Volumes are never removed.
#pragma once

#include "deploy/deploy_context.h"

namespace berth::deploy {

// Stops every old instance; each is stopped within the stop timeout or the deploy fails.
void stopOldInstances(DeployContext& ctx);

// Removes every old instance (force). A failure is logged as a warning, not a deploy failure:
// by then the new instances serve. Reconciliation removes what is left.
void removeOldInstances(DeployContext& ctx);

}  // namespace berth::deploy
