// How a step stops a deploy: StepFailed carries the reason recorded with the deploy;
// DeployCancelled says an operator (or shutdown) cancelled it. Both unwind to the runner,
// which undoes what the deploy created and records the final state.
#pragma once

#include <stdexcept>
#include <string>

namespace berth::deploy {

class StepFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DeployCancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace berth::deploy
