// Step 4 (blue-green; recreate routes here too): point the proxy at the new instances, then
// confirm the new version answers *through the proxy* before anything old is stopped.
// `switched` is set before apply(), so undo re-applies the old route even if apply failed
// half-way (drivers restore on failure, but re-applying the old route is cheap and harmless).
#pragma once

#include "deploy/deploy_context.h"

namespace berth::deploy {

void switchStep(DeployContext& ctx, bool probe);

}  // namespace berth::deploy
