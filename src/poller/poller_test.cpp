// The poller against an in-memory registry (FakeRegistry), a clock the test moves
// (ManualClock), and recorders standing in for the engine and the journal.
#include "poller/poller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <sstream>

#include "poller/testing/manual_clock.h"
#include "registry/testing/fake_registry.h"

namespace berth::poller {
namespace {

using namespace std::chrono_literals;
using registry::RegistryError;
using registry::testing::FakeRegistry;
using Call = FakeRegistry::Call;

const std::string kWebRepo = "ghcr.io/acme/web";

std::string digest(char c) {
  return "sha256:" + std::string(64, c);
}

Stage stage(std::string name, TagPolicy policy, bool auto_deploy = true) {
  Stage s;
  s.name = std::move(name);
  s.tags = std::move(policy);
  s.auto_deploy = auto_deploy;
  return s;
}

TagPolicy semver() {
  TagPolicy p;
  p.match = "^v";
  return p;
}

TagPolicy watch(std::string tag) {
  TagPolicy p;
  p.watch = std::move(tag);
  return p;
}

Project project(std::string name, std::string image, std::vector<Stage> stages) {
  Project p;
  p.name = std::move(name);
  p.image = std::move(image);
  p.stages = std::move(stages);
  return p;
}

struct DeployCall {
  std::string project, stage, tag, digest;
  bool operator==(const DeployCall&) const = default;
};

// The engine and the journal: records deploys, and (like a deploy that succeeds at once) makes
// the deployed image the one the stage serves.
class Backend {
 public:
  PollerDeps deps() {
    PollerDeps d;
    d.config = [this] {
      std::lock_guard lock(mutex_);
      return config_;
    };
    d.serving = [this](const std::string& p,
                       const std::string& s) -> std::optional<std::pair<std::string, std::string>> {
      std::lock_guard lock(mutex_);
      serving_asked_.push_back(s);
      const auto it = serving_.find({p, s});
      if (it == serving_.end()) return std::nullopt;
      return it->second;
    };
    d.deploy = [this](const std::string& p, const std::string& s, const std::string& tag,
                      const std::string& dig) -> std::int64_t {
      std::lock_guard lock(mutex_);
      if (!refusal_.empty()) throw std::runtime_error(refusal_);
      deploys_.push_back({p, s, tag, dig});
      history_.push_back({p, s, tag, dig});
      serving_[{p, s}] = {tag, dig};
      changed_.notify_all();
      return static_cast<std::int64_t>(deploys_.size());
    };
    d.deployed_before = [this](const std::string& p, const std::string& s, const std::string& tag,
                               const std::string& dig) {
      std::lock_guard lock(mutex_);
      return std::find(history_.begin(), history_.end(), DeployCall{p, s, tag, dig}) !=
             history_.end();
    };
    return d;
  }

  void setConfig(Config c) {
    std::lock_guard lock(mutex_);
    config_ = std::move(c);
  }
  void serve(const std::string& p, const std::string& s, std::string tag, std::string dig) {
    std::lock_guard lock(mutex_);
    serving_[{p, s}] = {std::move(tag), std::move(dig)};
  }
  // A deploy of the image in the stage's history, from before this poller (another process,
  // or a manual deploy).
  void addHistory(DeployCall call) {
    std::lock_guard lock(mutex_);
    history_.push_back(std::move(call));
  }
  void refuseDeploys(std::string why) {
    std::lock_guard lock(mutex_);
    refusal_ = std::move(why);
  }
  std::vector<DeployCall> deploys() const {
    std::lock_guard lock(mutex_);
    return deploys_;
  }
  std::vector<std::string> servingAsked() const {
    std::lock_guard lock(mutex_);
    return serving_asked_;
  }
  // Waits (up to 5 s of real time) until `n` deploys were queued.
  bool awaitDeploys(size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return deploys_.size() >= n; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Config config_;
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> serving_;
  std::vector<std::string> serving_asked_;
  std::vector<DeployCall> deploys_;
  std::vector<DeployCall> history_;
  std::string refusal_;
};

class PollerTest : public ::testing::Test {
 protected:
  PollerTest() {
    Config c;
    c.projects.push_back(project("web", kWebRepo, {stage("staging", semver())}));
    backend.setConfig(c);
    options.jitter = 0;
  }

  Poller& poller() {
    if (!poller_)
      poller_ = std::make_unique<Poller>(registry, clock, backend.deps(),
                                         Logger(logs, LogLevel::debug, LogFormat::json), options);
    return *poller_;
  }
  // How long after a round the next one is scheduled.
  static Duration gap(const ProjectPollStatus& s) {
    return std::chrono::duration_cast<Duration>(*s.next_check - *s.last_check);
  }

  FakeRegistry registry;
  testing::ManualClock clock;
  Backend backend;
  std::ostringstream logs;
  PollerOptions options;
  std::unique_ptr<Poller> poller_;
};

TEST_F(PollerTest, NewerTagTriggersExactlyOneDeployOfThatTagAndDigest) {
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  registry.pushImage(kWebRepo, "v1.1.0", digest('2'));
  backend.serve("web", "staging", "v1.0.0", digest('1'));

  const ProjectPollStatus status = poller().pollNow("web");

  EXPECT_EQ(backend.deploys(),
            (std::vector<DeployCall>{{"web", "staging", "v1.1.0", digest('2')}}));
  ASSERT_EQ(status.stages.size(), 1u);
  EXPECT_EQ(status.stages[0].stage, "staging");
  EXPECT_EQ(status.stages[0].result, "newer tag v1.1.0 (" + digest('2') + ")");
  EXPECT_EQ(status.stages[0].deploy_id, 1);
  EXPECT_EQ(status.last_result, "ok");
  EXPECT_EQ(status.requests, 1u);
  EXPECT_NE(logs.str().find("poller queued a deploy"), std::string::npos);
  EXPECT_NE(logs.str().find("\"stage\":\"staging\""), std::string::npos);
}

TEST_F(PollerTest, AnImageIsQueuedOnceEvenIfTheStageNeverServesIt) {
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  registry.pushImage(kWebRepo, "v2.0.0", digest('2'));
  backend.serve("web", "staging", "v1.0.0", digest('1'));
  poller().pollNow("web");
  // The deploy failed (or was rolled back): the stage still serves v1.
  backend.serve("web", "staging", "v1.0.0", digest('1'));

  const ProjectPollStatus again = poller().pollNow("web");
  EXPECT_EQ(backend.deploys().size(), 1u);
  EXPECT_EQ(again.stages.at(0).deploy_id, 1);

  registry.pushImage(kWebRepo, "v2.0.1", digest('3'));
  poller().pollNow("web");
  EXPECT_EQ(backend.deploys().back(), (DeployCall{"web", "staging", "v2.0.1", digest('3')}));
}

TEST_F(PollerTest, AnImageTheStageHadBeforeIsNotDeployedAgainAfterARollback) {
  // v2 was deployed, then the stage was rolled back to v1 (by hand, or in an earlier process):
  // the poller leaves that choice alone until a new image appears.
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  registry.pushImage(kWebRepo, "v2.0.0", digest('2'));
  backend.addHistory({"web", "staging", "v2.0.0", digest('2')});
  backend.serve("web", "staging", "v1.0.0", digest('1'));

  const ProjectPollStatus status = poller().pollNow("web");
  EXPECT_TRUE(backend.deploys().empty());
  EXPECT_EQ(status.stages.at(0).result,
            "newer tag v2.0.0 (" + digest('2') + "); deployed to this stage before, so not again");
  EXPECT_FALSE(status.stages.at(0).deploy_id);

  // The same tag pushed again is a new image; so is a new tag.
  registry.pushImage(kWebRepo, "v2.0.0", digest('3'));
  poller().pollNow("web");
  EXPECT_EQ(backend.deploys(),
            (std::vector<DeployCall>{{"web", "staging", "v2.0.0", digest('3')}}));
}

TEST_F(PollerTest, NewDigestUnderTheRunningTagDeploysThatTagPinnedToTheDigest) {
  Config c;
  c.projects.push_back(project("web", kWebRepo, {stage("staging", watch("latest"))}));
  backend.setConfig(c);
  registry.pushImage(kWebRepo, "latest", digest('1'));
  backend.serve("web", "staging", "latest", digest('1'));
  poller().pollNow("web");
  EXPECT_TRUE(backend.deploys().empty());

  registry.pushImage(kWebRepo, "latest", digest('2'));
  poller().pollNow("web");
  EXPECT_EQ(backend.deploys(),
            (std::vector<DeployCall>{{"web", "staging", "latest", digest('2')}}));
}

TEST_F(PollerTest, UpToDateDeploysNothing) {
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  backend.serve("web", "staging", "v1.0.0", digest('1'));

  const ProjectPollStatus status = poller().pollNow("web");

  EXPECT_TRUE(backend.deploys().empty());
  EXPECT_EQ(status.stages.at(0).result, "up to date");
  EXPECT_EQ(status.stages.at(0).deploy_id, std::nullopt);
  EXPECT_EQ(status.last_result, "ok");
}

TEST_F(PollerTest, PromotionTargetsAndManualStagesAreNeverChecked) {
  Stage production = stage("production", semver());
  production.promote_from = "staging";
  Config c;
  c.projects.push_back(project(
      "web", kWebRepo, {stage("staging", semver()), production, stage("qa", semver(), false)}));
  c.projects.push_back(project("site", "ghcr.io/acme/site", {production}));
  backend.setConfig(c);
  registry.pushImage(kWebRepo, "v9.0.0", digest('9'));

  const ProjectPollStatus web = poller().pollNow("web");
  EXPECT_EQ(backend.servingAsked(), std::vector<std::string>{"staging"});
  EXPECT_EQ(registry.calls(Call::list_tags), 1);
  ASSERT_EQ(web.stages.size(), 1u);
  EXPECT_EQ(web.stages[0].stage, "staging");
  EXPECT_EQ(backend.deploys(),
            (std::vector<DeployCall>{{"web", "staging", "v9.0.0", digest('9')}}));

  const ProjectPollStatus site = poller().pollNow("site");
  EXPECT_TRUE(site.stages.empty());
  EXPECT_NE(site.last_result.find("nothing to poll"), std::string::npos);
  EXPECT_EQ(registry.calls(Call::list_tags), 1);
  const auto all = poller().status();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].project, "web");
}

TEST_F(PollerTest, UnknownProjectIsRefusedByName) {
  try {
    poller().pollNow("nope");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'nope'"), std::string::npos);
  }
}

TEST_F(PollerTest, ErrorsBackOffDoublingUpToTheCapAndSuccessResets) {
  options.max_backoff = 5min;
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  backend.serve("web", "staging", "v1.0.0", digest('1'));
  bool failing = true;
  registry.before_call = [&](Call, std::string_view) {
    if (failing)
      throw RegistryError(RegistryError::Kind::unavailable,
                          "registry ghcr.io, repository acme/web: HTTP 503");
  };

  std::vector<Duration> gaps;
  ProjectPollStatus status;
  for (int i = 0; i < 4; ++i) {
    status = poller().pollNow("web");
    gaps.push_back(gap(status));
  }
  EXPECT_EQ(gaps, (std::vector<Duration>{2min, 4min, 5min, 5min}));
  EXPECT_EQ(status.consecutive_errors, 4);
  EXPECT_EQ(status.errors, 4u);
  EXPECT_NE(status.last_result.find("staging: unknown: "), std::string::npos);
  EXPECT_NE(status.last_result.find("HTTP 503"), std::string::npos);
  EXPECT_NE(logs.str().find("registry check failed"), std::string::npos);

  failing = false;
  status = poller().pollNow("web");
  EXPECT_EQ(gap(status), 60s);
  EXPECT_EQ(status.consecutive_errors, 0);
  EXPECT_EQ(status.errors, 4u);
  EXPECT_EQ(status.requests, 5u);
  EXPECT_EQ(status.last_result, "ok");
}

TEST_F(PollerTest, AnExhaustedRateLimitWaitsUntilItsWindowResets) {
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  registry::RateLimit limit;
  limit.remaining = 0;
  limit.window = 6h;
  limit.observed = clock.wallNow() - 1h;
  registry.rate_limit = limit;

  EXPECT_EQ(gap(poller().pollNow("web")), 5h);

  limit.remaining = 10;
  registry.rate_limit = limit;
  EXPECT_EQ(gap(poller().pollNow("web")), 60s);
}

TEST_F(PollerTest, ARefusedDeployIsReportedAndTriedAgainNextRound) {
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  backend.refuseDeploys("stage web/staging: the engine is shutting down");

  const ProjectPollStatus status = poller().pollNow("web");
  EXPECT_EQ(status.stages.at(0).result,
            "deploy refused: stage web/staging: the engine is shutting down");
  EXPECT_EQ(status.stages.at(0).deploy_id, std::nullopt);
  EXPECT_NE(status.last_result.find("deploy refused"), std::string::npos);
  EXPECT_EQ(status.consecutive_errors, 0);  // the registry answered: no back-off
  EXPECT_EQ(gap(status), 60s);

  backend.refuseDeploys("");
  poller().pollNow("web");
  EXPECT_EQ(backend.deploys(),
            (std::vector<DeployCall>{{"web", "staging", "v1.0.0", digest('1')}}));
}

TEST_F(PollerTest, IntervalAndJitterComeFromConfigAndOptions) {
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  options.jitter = 0.1;
  options.random = [] { return 0.0; };
  EXPECT_EQ(gap(poller().pollNow("web")), 54s);

  Config c;
  c.projects.push_back(project("web", kWebRepo, {stage("staging", semver())}));
  c.projects[0].poll_interval = 10min;
  backend.setConfig(c);
  EXPECT_EQ(gap(poller().pollNow("web")), 9min);
}

TEST_F(PollerTest, TheThreadChecksAtOnceAndAgainAfterTheInterval) {
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  poller().start();
  ASSERT_TRUE(backend.awaitDeploys(1));
  EXPECT_EQ(clock.awaitSleeper(), Duration(60s));

  registry.pushImage(kWebRepo, "v1.1.0", digest('2'));
  clock.advance(59s);
  ASSERT_EQ(clock.awaitSleeper(), Duration(1s));  // not due yet: still asleep
  EXPECT_EQ(backend.deploys().size(), 1u);
  clock.advance(1s);
  ASSERT_TRUE(backend.awaitDeploys(2));
  EXPECT_EQ(backend.deploys().back(), (DeployCall{"web", "staging", "v1.1.0", digest('2')}));
  poller().stop();
}

TEST_F(PollerTest, TheThreadPicksUpAddedAndRemovedProjects) {
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  registry.pushImage("ghcr.io/acme/api", "v3.0.0", digest('3'));
  poller().start();
  ASSERT_TRUE(backend.awaitDeploys(1));
  ASSERT_TRUE(clock.awaitSleeper());

  Config c;
  c.projects.push_back(project("api", "ghcr.io/acme/api", {stage("live", semver())}));
  backend.setConfig(c);
  clock.advance(60s);
  ASSERT_TRUE(backend.awaitDeploys(2));
  EXPECT_EQ(backend.deploys().back(), (DeployCall{"api", "live", "v3.0.0", digest('3')}));
  ASSERT_TRUE(clock.awaitSleeper());
  poller().stop();

  const auto all = poller().status();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].project, "api");
}

TEST_F(PollerTest, StopEndsALongWaitPromptly) {
  Config c;
  c.projects.push_back(project("web", kWebRepo, {stage("staging", semver())}));
  c.projects[0].poll_interval = 24h;
  backend.setConfig(c);
  registry.pushImage(kWebRepo, "v1.0.0", digest('1'));
  poller().start();
  ASSERT_EQ(clock.awaitSleeper(), Duration(24h));

  const auto before = std::chrono::steady_clock::now();
  poller().stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
}

// A registry whose tag listing hangs until the caller cancels it, like a stalled connection.
class StalledRegistry : public registry::RegistryWrapper {
 public:
  using RegistryWrapper::RegistryWrapper;
  std::vector<std::string> listTags(const registry::RepositoryRef& repo,
                                    const net::CancelFlag* cancel) override {
    {
      std::lock_guard lock(mutex_);
      entered_ = true;
      changed_.notify_all();
    }
    while (cancel == nullptr || !cancel->load())
      std::this_thread::sleep_for(1ms);
    throw RegistryError(RegistryError::Kind::cancelled, repo.context() + ": cancelled");
  }
  bool awaitEntered() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return entered_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;
};

TEST_F(PollerTest, StopCancelsAnInFlightCheckWithoutCountingAnError) {
  StalledRegistry stalled(registry);
  Poller poller(stalled, clock, backend.deps(), Logger(logs, LogLevel::debug, LogFormat::json),
                options);
  poller.start();
  ASSERT_TRUE(stalled.awaitEntered());

  poller.stop();

  const auto all = poller.status();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].errors, 0u);
  EXPECT_EQ(all[0].last_check, std::nullopt);
  EXPECT_EQ(logs.str().find("registry check failed"), std::string::npos);
}

}  // namespace
}  // namespace berth::poller
