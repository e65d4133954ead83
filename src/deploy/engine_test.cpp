// The engine against in-process fakes: strategies, rollback on failure, journalling order.
// Queue semantics, promotion, rollback requests, reconcile and shutdown: engine_queue_test.cpp.
#include "deploy/engine.h"

#include <gmock/gmock.h>

#include "deploy/engine_test_support.h"
#include "deploy/run_with_timeout.h"

namespace berth::deploy::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(EngineTest, BlueGreenWithReplicasSwitchesColorsAndRemovesTheOld) {
  const auto first = deploy("production", "v1");
  ASSERT_EQ(first.state, DeployState::succeeded) << first.reason;
  EXPECT_EQ(first.image_digest, digestOf(1));
  EXPECT_THAT(events_.statesOf(first.id), ElementsAre("queued", "pulling", "starting", "checking",
                                                      "switching", "draining", "succeeded"));
  auto blue = stageContainers("production");
  ASSERT_EQ(blue.size(), 2u);
  for (const auto& c : blue) {
    EXPECT_TRUE(c.running);
    EXPECT_EQ(c.spec.labels.at("berth.color"), "blue");
    EXPECT_EQ(c.spec.image, kRepo + "@" + digestOf(1));
  }
  ASSERT_TRUE(proxy_.routeOf("web", "production"));
  EXPECT_EQ(proxy_.routeOf("web", "production")->upstreams.size(), 2u);

  const auto second = deploy("production", "v2");
  ASSERT_EQ(second.state, DeployState::succeeded) << second.reason;
  EXPECT_EQ(second.previous_deploy_id, first.id);
  auto green = stageContainers("production");
  ASSERT_EQ(green.size(), 2u);
  std::vector<proxy::Upstream> expected;
  for (const auto& c : green) {
    EXPECT_EQ(c.spec.labels.at("berth.color"), "green");
    EXPECT_EQ(c.spec.labels.at("berth.deploy"), std::to_string(second.id));
    expected.push_back({"127.0.0.1", c.host_port});
  }
  EXPECT_EQ(proxy_.routeOf("web", "production")->upstreams, expected);
  const auto rows = journal().instances("web", "production");
  ASSERT_EQ(rows.size(), 2u);  // the blue rows went with their containers
  EXPECT_EQ(rows[0].name, "web-production-green-1");
  EXPECT_EQ(rows[0].state, "healthy");
  EXPECT_EQ(rows[0].deploy_id, second.id);
  const std::string log = logText(second.id);
  EXPECT_THAT(log, HasSubstr("pulling " + kRepo + ":v2"));
  EXPECT_THAT(log, HasSubstr("instance web-production-green-1 healthy after"));
  EXPECT_THAT(log, HasSubstr("stopping and removing old instance web-production-blue-2"));
  // Only v2 drained (v1 had nothing to drain), for the stage's default drain time.
  EXPECT_EQ(clock_.slept(), Stage{}.drain);
}

TEST_F(EngineTest, DrainWaitsTheStagesConfiguredTime) {
  Config config = engineTestConfig();
  config.projects[0].stages[1].drain = std::chrono::seconds(10);  // production
  store_->replaceConfig(config);
  ASSERT_EQ(deploy("production", "v1").state, DeployState::succeeded);
  EXPECT_EQ(clock_.slept(), Duration(0));  // nothing to drain yet
  const auto second = deploy("production", "v2");
  ASSERT_EQ(second.state, DeployState::succeeded) << second.reason;
  EXPECT_EQ(clock_.slept(), std::chrono::seconds(10));
  EXPECT_THAT(logText(second.id), HasSubstr("draining 2 old instance(s) for 10.0 s"));
  // Another stage keeps its own (default) drain.
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  ASSERT_EQ(deploy("staging", "v2").state, DeployState::succeeded);
  EXPECT_EQ(clock_.slept(), std::chrono::seconds(12));
}

TEST_F(EngineTest, ZeroDrainRemovesTheOldInstancesRightAfterTheSwitch) {
  Config config = engineTestConfig();
  config.projects[0].stages[0].drain = Duration(0);  // staging
  store_->replaceConfig(config);
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  const auto second = deploy("staging", "v2");
  ASSERT_EQ(second.state, DeployState::succeeded) << second.reason;
  EXPECT_EQ(clock_.slept(), Duration(0));
  EXPECT_THAT(logText(second.id), HasSubstr("draining 1 old instance(s) for 0 ms"));
  ASSERT_EQ(stageContainers("staging").size(), 1u);
}

TEST_F(EngineTest, EngineOptionsDrainOverridesEveryStage) {
  Config config = engineTestConfig();
  config.projects[0].stages[1].drain = std::chrono::seconds(10);
  store_->replaceConfig(config);
  options_.drain = std::chrono::milliseconds(500);
  ASSERT_EQ(deploy("production", "v1").state, DeployState::succeeded);
  ASSERT_EQ(deploy("production", "v2").state, DeployState::succeeded);
  EXPECT_EQ(clock_.slept(), std::chrono::milliseconds(500));
}

TEST_F(EngineTest, JournalsEachStateBeforeItsSideEffect) {
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  std::atomic<std::int64_t> watched{0};
  std::mutex mutex;
  std::vector<std::string> seen;
  auto note = [&](const std::string& call) {
    if (watched == 0) return;
    const auto record = journal_->get(watched);
    std::lock_guard lock(mutex);
    if (seen.empty() || seen.back() != call + "@" + toString(record->state)) {
      seen.push_back(call + "@" + toString(record->state));
    }
  };
  docker_.before_call = [&](const std::string& call, const std::string&) {
    if (call == "pull" || call == "create" || call == "http" || call == "remove") note(call);
  };
  proxy_.before_call = [&](const std::string& call, const proxy::Route&) { note(call); };
  // The id is known only after enqueue returns; hold the worker until it is set.
  Gate gate;
  auto held = docker_.before_call;
  docker_.before_call = [&](const std::string& call, const std::string& object) {
    if (call == "pull") gate.wait();
    held(call, object);
  };
  watched = engine().enqueue("web", "staging", "v2", DeployTrigger::manual);
  gate.open();
  ASSERT_EQ(finish(watched).state, DeployState::succeeded);
  EXPECT_THAT(seen, ElementsAre("pull@pulling", "create@starting", "http@checking",
                                "apply@switching", "probe@switching", "remove@draining"));
}

TEST_F(EngineTest, NeverHealthyRollsBackWithNoLeftoversAndTheProxyUntouched) {
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  const auto route = proxy_.routeOf("web", "staging");
  const int applies = proxy_.count("apply");
  const auto bad = deploy("staging", "bad");
  EXPECT_EQ(bad.state, DeployState::rolled_back);
  EXPECT_THAT(bad.reason, HasSubstr("not healthy after 30.0 s (HTTP 503)"));
  EXPECT_EQ(proxy_.count("apply"), applies);
  EXPECT_EQ(proxy_.routeOf("web", "staging"), route);
  const auto left = stageContainers("staging");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].spec.labels.at("berth.color"), "blue");
  EXPECT_TRUE(left[0].running);
}

TEST_F(EngineTest, ExitsAtOnceFailsFastWithItsLastLogLines) {
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  const auto before = clock_.slept();
  const auto crash = deploy("staging", "crash");
  EXPECT_EQ(crash.state, DeployState::rolled_back);
  EXPECT_THAT(crash.reason, HasSubstr("exited with code 3 during the health check"));
  EXPECT_EQ(clock_.slept(), before);  // no waiting for the health timeout
  const std::string log = logText(crash.id);
  EXPECT_THAT(log, HasSubstr("  fatal: DATABASE_URL is not set"));
  EXPECT_THAT(log, HasSubstr("  starting app"));
  EXPECT_EQ(stageContainers("staging").size(), 1u);
}

TEST_F(EngineTest, ProxyApplyFailureRollsBackAndTheOldStaysRouted) {
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  const auto old_route = proxy_.routeOf("web", "staging");
  bool failed_once = false;
  proxy_.before_call = [&](const std::string& call, const proxy::Route&) {
    if (call == "apply" && !failed_once) {
      failed_once = true;
      throw proxy::ProxyError(proxy::ProxyError::Kind::config_rejected, "fake", "web/staging",
                              "nginx -t failed");
    }
  };
  const auto v2 = deploy("staging", "v2");
  EXPECT_EQ(v2.state, DeployState::rolled_back);
  EXPECT_THAT(v2.reason, HasSubstr("nginx -t failed"));
  EXPECT_EQ(proxy_.routeOf("web", "staging"), old_route);  // re-applied
  const auto left = stageContainers("staging");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].spec.labels.at("berth.color"), "blue");
  EXPECT_TRUE(left[0].running);
}

TEST_F(EngineTest, ProbeThroughTheProxyFailingRollsBack) {
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  const auto old_route = proxy_.routeOf("web", "staging");
  proxy_.probe_status = 502;
  const auto v2 = deploy("staging", "v2");
  EXPECT_EQ(v2.state, DeployState::rolled_back);
  EXPECT_THAT(v2.reason, HasSubstr("HTTP 502"));
  EXPECT_EQ(proxy_.routeOf("web", "staging"), old_route);
  EXPECT_EQ(stageContainers("staging").size(), 1u);
}

TEST_F(EngineTest, FirstDeployThatFailsAfterSwitchRemovesTheRoute) {
  proxy_.probe_status = 500;
  const auto v1 = deploy("staging", "v1");
  EXPECT_EQ(v1.state, DeployState::rolled_back);
  EXPECT_FALSE(proxy_.routeOf("web", "staging"));
  EXPECT_TRUE(stageContainers("staging").empty());
}

TEST_F(EngineTest, AHangingPullFailsTheDeployAndTheQueueMovesOn) {
  options_.timeouts.pull = std::chrono::milliseconds(100);
  std::atomic<bool> release{false};
  docker_.before_call = [&](const std::string& call, const std::string& object) {
    if (call != "pull" || object.find(":v1") == std::string::npos) return;
    for (int i = 0; i < 500 && !release; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  const auto hung = engine().enqueue("web", "staging", "v1", DeployTrigger::manual);
  // Started, not queued: a queued one would be superseded by the next request.
  for (int i = 0; i < 500 && docker_.count("pull") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const auto next = engine().enqueue("web", "staging", "v2", DeployTrigger::manual);
  const auto record = finish(hung);
  EXPECT_EQ(record.state, DeployState::failed);
  EXPECT_THAT(record.reason, HasSubstr("pull of " + kRepo + ":v1 timed out after 100 ms"));
  EXPECT_EQ(finish(next).state, DeployState::succeeded);
  release = true;
  for (int i = 0; i < 200 && abandonedSteps() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(abandonedSteps(), 0);
}

TEST_F(EngineTest, ACreateThatHangsIsRemovedByUndo) {
  options_.timeouts.start = std::chrono::milliseconds(100);
  std::atomic<bool> release{false};
  docker_.before_call = [&](const std::string& call, const std::string&) {
    if (call != "start") return;
    for (int i = 0; i < 500 && !release; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  const auto v1 = deploy("staging", "v1");
  EXPECT_EQ(v1.state, DeployState::rolled_back);
  EXPECT_THAT(v1.reason, HasSubstr("start of web-staging-blue-1 timed out"));
  release = true;
  for (int i = 0; i < 200 && abandonedSteps() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(stageContainers("staging").empty());
}

TEST_F(EngineTest, CancelDuringTheHealthCheckUndoes) {
  ASSERT_EQ(deploy("staging", "v1").state, DeployState::succeeded);
  std::atomic<std::int64_t> id{0};
  std::atomic<int> probes{0};
  Gate gate;
  docker_.before_call = [&](const std::string& call, const std::string&) {
    if (call == "pull") gate.wait();
    if (call == "http" && ++probes == 3) engine_->cancel(id);
  };
  id = engine().enqueue("web", "staging", "bad", DeployTrigger::manual);
  gate.open();
  const auto record = finish(id);
  EXPECT_EQ(record.state, DeployState::cancelled);
  EXPECT_THAT(record.reason, HasSubstr("during checking"));
  EXPECT_EQ(probes, 3);
  const auto left = stageContainers("staging");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].spec.labels.at("berth.color"), "blue");
}

TEST_F(EngineTest, RecreateReplacesTheInstanceAndReroutes) {
  ASSERT_EQ(deploy("qa", "v1").state, DeployState::succeeded);
  const auto v2 = deploy("qa", "v2");
  ASSERT_EQ(v2.state, DeployState::succeeded) << v2.reason;
  EXPECT_THAT(events_.statesOf(v2.id),
              ElementsAre("queued", "pulling", "starting", "checking", "succeeded"));
  const auto left = stageContainers("qa");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].spec.labels.at("berth.deploy"), std::to_string(v2.id));
  EXPECT_EQ(proxy_.routeOf("web", "qa")->upstreams,
            (std::vector<proxy::Upstream>{{"127.0.0.1", left[0].host_port}}));
}

TEST_F(EngineTest, RecreateFailureStartsThePreviousInstanceAgain) {
  const auto v1 = deploy("qa", "v1");
  ASSERT_EQ(v1.state, DeployState::succeeded);
  const auto bad = deploy("qa", "bad");
  EXPECT_EQ(bad.state, DeployState::rolled_back);
  const auto left = stageContainers("qa");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_TRUE(left[0].running);
  EXPECT_EQ(left[0].spec.image, kRepo + "@" + digestOf(1));
  EXPECT_EQ(proxy_.routeOf("web", "qa")->upstreams,
            (std::vector<proxy::Upstream>{{"127.0.0.1", left[0].host_port}}));
  EXPECT_THAT(logText(bad.id), HasSubstr("starting old instance web-qa-blue-1 again"));
  // Checked again before the proxy goes back to it; its row says so, and still names the
  // deploy it runs (v1's), not the rolled-back one.
  EXPECT_THAT(logText(bad.id), HasSubstr("instance web-qa-blue-1 healthy after"));
  const auto rows = journal().instances("web", "qa");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].deploy_id, v1.id);
  EXPECT_EQ(rows[0].state, "healthy");
}

TEST_F(EngineTest, AFailedPullIsFailedNotRolledBack) {
  const auto missing = deploy("staging", "nope");
  EXPECT_EQ(missing.state, DeployState::failed);
  EXPECT_THAT(missing.reason, HasSubstr("manifest unknown"));
}

class EngineWithoutHealthPathTest : public EngineTest {
 protected:
  EngineWithoutHealthPathTest() {
    Config config = engineTestConfig();
    config.projects[0].health.path = "";
    store_->replaceConfig(config);
    docker_.addImage(kRepo, "dh", digestOf(6), fakes::Behaviour::docker_healthy);
  }
};

TEST_F(EngineWithoutHealthPathTest, UsesTheImageHealthcheck) {
  const auto record = deploy("staging", "dh");
  ASSERT_EQ(record.state, DeployState::succeeded) << record.reason;
  EXPECT_THAT(logText(record.id), HasSubstr("the image's HEALTHCHECK"));
  EXPECT_EQ(docker_.count("http"), 0);
}

TEST_F(EngineWithoutHealthPathTest, FallsBackToStayingRunning) {
  const auto record = deploy("staging", "v1");
  ASSERT_EQ(record.state, DeployState::succeeded) << record.reason;
  EXPECT_THAT(logText(record.id), HasSubstr("must keep running for 2.0 s"));
  EXPECT_GE(clock_.slept(), options_.running_check);
  EXPECT_EQ(docker_.count("http"), 0);
}

}  // namespace
}  // namespace berth::deploy::testing
