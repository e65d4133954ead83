// Start-up recovery: make Docker, the proxy and the database agree after berth stopped
// (cleanly or not). For every stage in the configuration:
//   - deploys left in a non-final state become interrupted ("berth stopped during <state>");
//   - the stage serves what its latest succeeded deploy created: those containers are kept
//     (started again if stopped), every other berth container of the stage (half-made
//     instances of interrupted deploys, leftovers) is removed;
//   - the proxy is re-applied to the serving instances when its current route differs.
// Containers are identified by berth.* labels only. Containers of projects or stages not in
// the configuration are left alone (reported): berth never deletes what it cannot place.
#pragma once

#include "deploy/deploy_context.h"
#include "deploy/engine_options.h"

namespace berth::deploy {

struct ReconcileReport {
  int interrupted = 0;
  int removed = 0;
  int restarted = 0;
  int routes_applied = 0;
};

ReconcileReport reconcileAll(Services& services, const EngineOptions& options);

}  // namespace berth::deploy
