#include "core/deploy_trigger.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

TEST(DeployTrigger, EveryTriggerRoundTrips) {
  for (auto t : {DeployTrigger::poller, DeployTrigger::webhook, DeployTrigger::manual,
                 DeployTrigger::promote, DeployTrigger::rollback})
    EXPECT_EQ(parseDeployTrigger(toString(t)), t);
  EXPECT_EQ(toString(DeployTrigger::promote), "promote");
}

TEST(DeployTrigger, RejectsUnknownSpellings) {
  for (const char* bad : {"", "Poller", "cron", "promotion", "webhook "})
    EXPECT_EQ(parseDeployTrigger(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace berth
