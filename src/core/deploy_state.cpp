#include "core/deploy_state.h"

#include <array>

#include "core/enum_table.h"

namespace berth {
namespace {

using S = DeployState;

constexpr std::array<detail::EnumName<S>, 11> kNames{{
    {S::queued, "queued"},
    {S::pulling, "pulling"},
    {S::starting, "starting"},
    {S::checking, "checking"},
    {S::switching, "switching"},
    {S::draining, "draining"},
    {S::succeeded, "succeeded"},
    {S::failed, "failed"},
    {S::rolled_back, "rolled_back"},
    {S::interrupted, "interrupted"},
    {S::cancelled, "cancelled"},
}};

struct Move {
  S from;
  S to;
};

// Every legal move, in one place. Ways out of a running deploy (failed, rolled_back, cancelled,
// interrupted) are listed per state so the table reads as the whole truth.
constexpr Move kLegalMoves[] = {
    // Forward steps.
    {S::queued, S::pulling},
    {S::pulling, S::starting},
    {S::starting, S::checking},
    {S::checking, S::succeeded},  // recreate: nothing to switch or drain
    {S::checking, S::switching},  // blue-green
    {S::switching, S::draining},
    {S::draining, S::succeeded},
    // A queued deploy has started nothing, so there is nothing to roll back.
    {S::queued, S::failed},
    {S::queued, S::cancelled},
    {S::queued, S::interrupted},
    // Running states: each may fail, be undone, be cancelled (which undoes it) or be cut short.
    {S::pulling, S::failed},
    {S::pulling, S::rolled_back},
    {S::pulling, S::cancelled},
    {S::pulling, S::interrupted},
    {S::starting, S::failed},
    {S::starting, S::rolled_back},
    {S::starting, S::cancelled},
    {S::starting, S::interrupted},
    {S::checking, S::failed},
    {S::checking, S::rolled_back},
    {S::checking, S::cancelled},
    {S::checking, S::interrupted},
    {S::switching, S::failed},
    {S::switching, S::rolled_back},
    {S::switching, S::cancelled},
    {S::switching, S::interrupted},
    {S::draining, S::failed},
    {S::draining, S::rolled_back},
    {S::draining, S::cancelled},
    {S::draining, S::interrupted},
};

}  // namespace

std::string toString(DeployState state) {
  return detail::nameOf(kNames, state);
}

std::optional<DeployState> parseDeployState(std::string_view text) {
  return detail::valueOf(kNames, text);
}

bool isFinal(DeployState state) {
  switch (state) {
    case S::succeeded:
    case S::failed:
    case S::rolled_back:
    case S::interrupted:
    case S::cancelled:
      return true;
    default:
      return false;
  }
}

bool canTransition(DeployState from, DeployState to) {
  for (const auto& move : kLegalMoves)
    if (move.from == from && move.to == to) return true;
  return false;
}

IllegalTransition::IllegalTransition(DeployState from, DeployState to)
    : std::logic_error("illegal deploy transition from '" + toString(from) + "' to '" +
                       toString(to) + "'"),
      from_(from),
      to_(to) {}

DeployState transition(DeployState from, DeployState to) {
  if (!canTransition(from, to)) throw IllegalTransition(from, to);
  return to;
}

}  // namespace berth
