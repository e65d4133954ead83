// Undo: what every failed or cancelled deploy runs once it has created anything. Puts the
// proxy back on the old instances (if it was switched), removes this deploy's instances, and
// for recreate starts the old ones again. Never throws: each failure is logged and undo goes
// on, so as much as possible is restored; reconciliation at the next start-up fixes the rest.
#pragma once

#include "deploy/deploy_context.h"

namespace berth::deploy {

void undoDeploy(DeployContext& ctx);

}  // namespace berth::deploy
