#include "core/deploy_state.h"

#include <gtest/gtest.h>

#include <vector>

namespace berth {
namespace {

using S = DeployState;

const std::vector<S> kAll = {S::queued,      S::pulling,     S::starting,  S::checking,
                             S::switching,   S::draining,    S::succeeded, S::failed,
                             S::rolled_back, S::interrupted, S::cancelled};
const std::vector<S> kRunning = {S::pulling, S::starting, S::checking, S::switching, S::draining};

TEST(DeployState, NamesRoundTrip) {
  for (S s : kAll)
    EXPECT_EQ(parseDeployState(toString(s)), s) << toString(s);
  EXPECT_EQ(toString(S::rolled_back), "rolled_back");
  EXPECT_EQ(parseDeployState("rolled-back"), std::nullopt);
  EXPECT_EQ(parseDeployState("Queued"), std::nullopt);
  EXPECT_EQ(parseDeployState(""), std::nullopt);
}

TEST(DeployState, FinalStatesAreExactlyTheOutcomes) {
  for (S s : {S::succeeded, S::failed, S::rolled_back, S::interrupted, S::cancelled})
    EXPECT_TRUE(isFinal(s)) << toString(s);
  for (S s : {S::queued, S::pulling, S::starting, S::checking, S::switching, S::draining})
    EXPECT_FALSE(isFinal(s)) << toString(s);
}

TEST(DeployState, RecreatePathSkipsSwitchingAndDraining) {
  S s = S::queued;
  for (S next : {S::pulling, S::starting, S::checking, S::succeeded})
    s = transition(s, next);
  EXPECT_EQ(s, S::succeeded);
}

TEST(DeployState, BlueGreenPathSwitchesThenDrains) {
  S s = S::queued;
  for (S next : {S::pulling, S::starting, S::checking, S::switching, S::draining, S::succeeded})
    s = transition(s, next);
  EXPECT_EQ(s, S::succeeded);
}

TEST(DeployState, StepsCannotBeSkippedOrReversed) {
  EXPECT_FALSE(canTransition(S::queued, S::starting));
  EXPECT_FALSE(canTransition(S::pulling, S::checking));
  EXPECT_FALSE(canTransition(S::starting, S::succeeded));   // never succeed unchecked
  EXPECT_FALSE(canTransition(S::switching, S::succeeded));  // old instance must be drained
  EXPECT_FALSE(canTransition(S::checking, S::draining));
  EXPECT_FALSE(canTransition(S::checking, S::starting));
  EXPECT_FALSE(canTransition(S::draining, S::switching));
  for (S s : kAll)
    EXPECT_FALSE(canTransition(s, s)) << toString(s);
  for (S s : kAll)
    EXPECT_FALSE(canTransition(s, S::queued)) << toString(s);
}

TEST(DeployState, EveryRunningStateCanEndBadly) {
  for (S s : kRunning)
    for (S end : {S::failed, S::rolled_back, S::cancelled, S::interrupted})
      EXPECT_TRUE(canTransition(s, end)) << toString(s) << " -> " << toString(end);
}

TEST(DeployState, QueuedDeployHasNothingToRollBack) {
  EXPECT_TRUE(canTransition(S::queued, S::cancelled));
  EXPECT_TRUE(canTransition(S::queued, S::interrupted));
  EXPECT_TRUE(canTransition(S::queued, S::failed));
  EXPECT_FALSE(canTransition(S::queued, S::rolled_back));
}

TEST(DeployState, FinalStatesNeverMove) {
  for (S from : kAll) {
    if (!isFinal(from)) continue;
    for (S to : kAll)
      EXPECT_FALSE(canTransition(from, to)) << toString(from) << toString(to);
  }
}

TEST(DeployState, IllegalTransitionNamesBothStates) {
  try {
    transition(S::succeeded, S::pulling);
    FAIL() << "expected IllegalTransition";
  } catch (const IllegalTransition& e) {
    EXPECT_STREQ(e.what(), "illegal deploy transition from 'succeeded' to 'pulling'");
    EXPECT_EQ(e.from(), S::succeeded);
    EXPECT_EQ(e.to(), S::pulling);
  }
  EXPECT_THROW(transition(S::queued, S::rolled_back), IllegalTransition);
}

}  // namespace
}  // namespace berth
