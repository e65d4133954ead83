// The life of one deploy as a state machine. The engine journals every transition before its side
// effect, so the legal moves below are also what crash recovery may find in the database.
//
//   queued -> pulling -> starting -> checking -> succeeded                  (recreate)
//                                             -> switching -> draining -> succeeded  (blue-green)
//   any non-final state -> failed | cancelled | interrupted
//   any state after queued -> rolled_back
//
// The table does not know the stage's strategy: checking -> succeeded and checking -> switching
// are both legal, and the engine picks the one its strategy needs.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace berth {

enum class DeployState {
  queued,
  pulling,
  starting,
  checking,
  switching,
  draining,
  succeeded,    // the stage runs the new image
  failed,       // nothing changed that needed undoing (e.g. the pull failed, bad image reference)
  rolled_back,  // the new instance was removed and the old one keeps serving
  interrupted,  // berth stopped mid-deploy; found by reconciliation at start-up
  cancelled,    // an operator cancelled it; a running deploy is undone before it is marked so
};

// "queued", ..., "rolled_back": the spelling used in the API, the database and logs.
std::string toString(DeployState state);
std::optional<DeployState> parseDeployState(std::string_view text);

// Final states never change again.
bool isFinal(DeployState state);

bool canTransition(DeployState from, DeployState to);

// Thrown for a move the table does not allow: a bug in the engine, never an operator error.
class IllegalTransition : public std::logic_error {
 public:
  IllegalTransition(DeployState from, DeployState to);
  DeployState from() const { return from_; }
  DeployState to() const { return to_; }

 private:
  DeployState from_;
  DeployState to_;
};

// Returns `to` when canTransition(from, to); throws IllegalTransition otherwise.
DeployState transition(DeployState from, DeployState to);

}  // namespace berth
