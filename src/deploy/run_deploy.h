// One deploy as a sequence of named steps (pull_step.h ... stop_old_step.h), each state
// journalled before the step's side effect:
//   recreate:    pulling: pull | starting: stop old, start new | checking: health, route,
//                remove old | succeeded
//   blue-green:  pulling: pull | starting: start N of the other color | checking: health of
//                all N | switching: proxy apply + probe | draining: drain, remove old | succeeded
// Any failure after the pull undoes (rollback_step.h) and ends rolled_back with the reason; a
// failed pull ends failed (nothing changed); a cancellation undoes and ends cancelled.
#pragma once

#include "deploy/deploy_context.h"

namespace berth::deploy {

// Runs the deploy to a final state and returns it. Never throws for step failures.
DeployState runDeploy(DeployContext& ctx);

}  // namespace berth::deploy
