// The engine's queues and requests: dedupe, supersede, stages in parallel, promotion,
// rollback requests, start-up reconciliation and shutdown.
#include <gmock/gmock.h>

#include "deploy/container_spec.h"
#include "deploy/engine.h"
#include "deploy/engine_test_support.h"

namespace berth::deploy::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(EngineTest, SameImageIsAnsweredWithTheExistingDeployAndNewerSupersedesQueued) {
  Gate gate;
  docker_.before_call = [&](const std::string& call, const std::string& object) {
    if (call == "pull" && object.find(":v1") != std::string::npos) gate.wait();
  };
  const auto v1 = engine().enqueue("web", "staging", "v1", DeployTrigger::manual);
  ASSERT_TRUE(gate.waitForWaiters(1));
  EXPECT_EQ(engine().enqueue("web", "staging", "v1", DeployTrigger::poller), v1);  // running
  const auto v2 = engine().enqueue("web", "staging", "v2", DeployTrigger::manual);
  EXPECT_NE(v2, v1);
  EXPECT_EQ(engine().enqueue("web", "staging", "v2", DeployTrigger::webhook), v2);  // queued
  const auto v3 = engine().enqueue("web", "staging", "v3", DeployTrigger::manual);
  const auto superseded = journal().get(v2);
  EXPECT_EQ(superseded->state, DeployState::cancelled);
  EXPECT_EQ(superseded->reason, "superseded by deploy " + std::to_string(v3));
  gate.open();
  EXPECT_EQ(finish(v1).state, DeployState::succeeded);
  EXPECT_EQ(finish(v3).state, DeployState::succeeded);
  EXPECT_EQ(engine().enqueue("web", "staging", "v3", DeployTrigger::poller), v3);  // serving
  EXPECT_EQ(docker_.count("pull"), 2);
}

TEST_F(EngineTest, StagesDeployInParallelEachStageSerially) {
  Gate gate;
  docker_.before_call = [&](const std::string& call, const std::string&) {
    if (call == "pull") gate.wait();
  };
  const auto staging = engine().enqueue("web", "staging", "v1", DeployTrigger::manual);
  ASSERT_TRUE(gate.waitForWaiters(1));  // started (a queued one would be superseded below)
  const auto qa = engine().enqueue("web", "qa", "v1", DeployTrigger::manual);
  ASSERT_TRUE(gate.waitForWaiters(2));  // both stages are pulling at once
  const auto staging2 = engine().enqueue("web", "staging", "v2", DeployTrigger::manual);
  EXPECT_EQ(journal().get(staging2)->state, DeployState::queued);  // waits for staging's first
  gate.open();
  EXPECT_EQ(finish(staging).state, DeployState::succeeded);
  EXPECT_EQ(finish(qa).state, DeployState::succeeded);
  EXPECT_EQ(finish(staging2).state, DeployState::succeeded);
}

TEST_F(EngineTest, RefusesUnknownStagesAndBadTags) {
  EXPECT_THROW(engine().enqueue("web", "nope", "v1", DeployTrigger::manual), EngineRefused);
  EXPECT_THROW(engine().enqueue("nope", "staging", "v1", DeployTrigger::manual), EngineRefused);
  EXPECT_THROW(engine().enqueue("web", "staging", "bad tag!", DeployTrigger::manual),
               EngineRefused);
}

TEST_F(EngineTest, PromotionIsRefusedNamingWhatTheSourceRuns) {
  try {
    engine().promote("web", "production");
    FAIL() << "promoted while staging runs nothing";
  } catch (const EngineRefused& e) {
    EXPECT_THAT(e.what(), HasSubstr("staging"));
  }
  EXPECT_THROW(engine().promote("web", "staging"), EngineRefused);  // no promote_from
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  try {
    engine().promote("web", "production", "v2");
    FAIL() << "promoted a tag staging does not run";
  } catch (const EngineRefused& e) {
    EXPECT_THAT(e.what(), HasSubstr("v1"));
  }
}

// A succeeded deploy proves its instances were healthy once; promotion asks Docker whether they
// still run.
TEST_F(EngineTest, PromotionIsRefusedWhenTheSourceInstancesNoLongerRun) {
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  for (const auto& c : stageContainers("staging"))
    docker_.stopContainer(c.id, std::chrono::seconds(0));
  try {
    engine().promote("web", "production", "v1");
    FAIL() << "promoted from a staging whose instance has exited";
  } catch (const EngineRefused& e) {
    EXPECT_THAT(e.what(), HasSubstr("not healthy"));
    EXPECT_THAT(e.what(), HasSubstr("is exited"));
  }
  EXPECT_TRUE(stageContainers("production").empty());
}

TEST_F(EngineTest, PromotionDeploysTheSourceDigestEvenAfterTheTagMoved) {
  const auto staging = deploy("staging", "v1");
  ASSERT_EQ(staging.state, DeployState::succeeded);
  docker_.addImage(kRepo, "v1", digestOf(9));  // v1 re-pushed with other content
  const auto promoted = finish(engine().promote("web", "production", "v1"));
  ASSERT_EQ(promoted.state, DeployState::succeeded) << promoted.reason;
  EXPECT_EQ(promoted.trigger, DeployTrigger::promote);
  EXPECT_EQ(promoted.image_digest, digestOf(1));
  for (const auto& c : stageContainers("production")) {
    EXPECT_EQ(c.spec.image, kRepo + "@" + digestOf(1));
  }
  EXPECT_THAT(logText(promoted.id), HasSubstr("promoting " + kRepo + ":v1@" + digestOf(1)));
}

TEST_F(EngineTest, RollbackDeploysAnEarlierSucceededDigest) {
  const auto v1 = deploy("staging", "v1");
  ASSERT_EQ(deploy("staging", "v2").state, DeployState::succeeded);
  const auto failed = deploy("staging", "bad");
  ASSERT_EQ(failed.state, DeployState::rolled_back);
  EXPECT_THROW(engine().rollback("web", "staging", failed.id), EngineRefused);
  const auto back = finish(engine().rollback("web", "staging"));
  ASSERT_EQ(back.state, DeployState::succeeded) << back.reason;
  EXPECT_EQ(back.trigger, DeployTrigger::rollback);
  EXPECT_EQ(back.image_digest, digestOf(1));
  EXPECT_THAT(logText(back.id), HasSubstr("rollback to deploy " + std::to_string(v1.id)));
  const auto left = stageContainers("staging");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].spec.image, kRepo + "@" + digestOf(1));
}

TEST_F(EngineTest, RollbackWithoutHistoryIsRefused) {
  EXPECT_THROW(engine().rollback("web", "staging"), EngineRefused);
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  EXPECT_THROW(engine().rollback("web", "staging"), EngineRefused);
}

TEST_F(EngineTest, ReconcileAfterACrashInterruptsRemovesOrphansKeepsWhatServes) {
  const auto v1 = deploy("staging", "v1");
  ASSERT_EQ(v1.state, DeployState::succeeded);
  // A berth that died during `checking` of v2: the record and a half-made green container.
  const auto v2 = journal().create(NewDeploy{.project = "web",
                                             .stage = "staging",
                                             .image_repository = kRepo,
                                             .image_tag = "v2",
                                             .image_digest = digestOf(2),
                                             .trigger = DeployTrigger::manual,
                                             .previous_deploy_id = v1.id});
  auto record = *journal().get(v2);
  for (auto s : {DeployState::pulling, DeployState::starting, DeployState::checking}) {
    journal().state(record, s);
  }
  Config config = engineTestConfig();
  const auto orphan = docker_.addContainer(
      buildContainerSpec(
          config, config.projects[0], config.projects[0].stages[0],
          {.image = kRepo + "@" + digestOf(2), .deploy_id = v2, .color = "green", .index = 1}),
      true);
  docker::ContainerSpec foreign;
  foreign.name = "not-berths";
  foreign.labels = {{"berth.project", "other"}, {"berth.stage", "x"}};
  docker_.addContainer(foreign, true);
  proxy_.remove({"web", "staging", {"staging.example.com"}});  // the proxy disagrees

  engine().reconcile();

  const auto interrupted = journal().get(v2);
  EXPECT_EQ(interrupted->state, DeployState::interrupted);
  EXPECT_EQ(interrupted->reason, "berth stopped during checking");
  const auto left = stageContainers("staging");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].id, orphan);
  EXPECT_EQ(left[0].spec.labels.at("berth.deploy"), std::to_string(v1.id));
  EXPECT_TRUE(left[0].running);
  EXPECT_EQ(stageContainers("x").size(), 1u);  // unknown stage: left alone
  const auto rows = journal().instances("web", "staging");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].container_id, left[0].id);
  ASSERT_TRUE(proxy_.routeOf("web", "staging"));
  EXPECT_EQ(proxy_.routeOf("web", "staging")->upstreams,
            (std::vector<proxy::Upstream>{{"127.0.0.1", left[0].host_port}}));
  // And the next deploy succeeds.
  EXPECT_EQ(deploy("staging", "v2").state, DeployState::succeeded);
}

TEST_F(EngineTest, ShutdownWaitsForTheRunningDeployAndCancelsQueuedOnes) {
  Gate gate;
  docker_.before_call = [&](const std::string& call, const std::string& object) {
    if (call == "pull" && object.find(":v1") != std::string::npos) gate.wait();
  };
  const auto running = engine().enqueue("web", "staging", "v1", DeployTrigger::manual);
  ASSERT_TRUE(gate.waitForWaiters(1));
  const auto queued = engine().enqueue("web", "staging", "v2", DeployTrigger::manual);
  std::atomic<bool> returned{false};
  bool in_time = false;
  std::thread stopper([&] {
    in_time = engine_->shutdown(std::chrono::seconds(10));
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(returned);
  gate.open();
  stopper.join();
  EXPECT_TRUE(in_time);
  EXPECT_EQ(journal().get(running)->state, DeployState::succeeded);
  EXPECT_EQ(journal().get(queued)->state, DeployState::cancelled);
  EXPECT_EQ(journal().get(queued)->reason, "berth is shutting down");
  EXPECT_THROW(engine().enqueue("web", "staging", "v3", DeployTrigger::manual), EngineRefused);
}

TEST_F(EngineTest, ShutdownTimeoutCancelsTheRunningDeploy) {
  Gate gate;
  std::atomic<std::int64_t> id{0};
  docker_.before_call = [&](const std::string& call, const std::string&) {
    if (call == "pull") gate.wait();
  };
  proxy_.probe_status = 200;
  id = engine().enqueue("web", "staging", "bad", DeployTrigger::manual);
  ASSERT_TRUE(gate.waitForWaiters(1));
  gate.open();
  EXPECT_FALSE(engine_->shutdown(std::chrono::milliseconds(0)));
  const auto record = *journal().get(id);
  EXPECT_TRUE(record.state == DeployState::cancelled) << toString(record.state);
  EXPECT_TRUE(stageContainers("staging").empty());
}

TEST_F(EngineTest, CancellingAQueuedDeploy) {
  Gate gate;
  docker_.before_call = [&](const std::string& call, const std::string&) {
    if (call == "pull") gate.wait();
  };
  const auto first = engine().enqueue("web", "staging", "v1", DeployTrigger::manual);
  ASSERT_TRUE(gate.waitForWaiters(1));
  const auto second = engine().enqueue("web", "staging", "v2", DeployTrigger::manual);
  EXPECT_TRUE(engine().cancel(second));
  EXPECT_FALSE(engine().cancel(second));
  EXPECT_EQ(journal().get(second)->state, DeployState::cancelled);
  gate.open();
  EXPECT_EQ(finish(first).state, DeployState::succeeded);
}

}  // namespace
}  // namespace berth::deploy::testing
