// Shared by the engine's unit tests: a store in a temp dir with a small configuration, the
// fakes wired into an Engine, and a gate to hold a step until the test lets it go.
#pragma once

#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <sstream>

#include "deploy/engine.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_docker.h"
#include "fakes/fake_proxy.h"
#include "store/test_support.h"

namespace berth {
// Readable states in test failures.
inline void PrintTo(DeployState state, std::ostream* out) {
  *out << toString(state);
}
}  // namespace berth

namespace berth::deploy::testing {

inline const std::string kRepo = "127.0.0.1:5000/acme/web";

// "sha256:000...0<n>" (valid: 64 hex digits).
inline std::string digestOf(int n) {
  std::string hex = std::to_string(n);
  return "sha256:" + std::string(64 - hex.size(), '0') + hex;
}

// Blocks callers of wait() until open(); counts who is waiting. Bounded: never waits > 10 s.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  bool waitForWaiters(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

inline Config engineTestConfig() {
  Config config;
  config.docker.network = "berth";
  config.proxy.reach = ProxyReach::host;
  Project web;
  web.name = "web";
  web.image = kRepo;
  web.port = 8080;
  web.health = {
      .path = "/healthz", .interval = std::chrono::seconds(1), .timeout = std::chrono::seconds(30)};
  Stage staging;
  staging.name = "staging";
  staging.strategy = Strategy::blue_green;
  staging.domains = {"staging.example.com"};
  Stage production;
  production.name = "production";
  production.promote_from = "staging";
  production.strategy = Strategy::blue_green;
  production.replicas = 2;
  production.domains = {"example.com"};
  Stage qa;
  qa.name = "qa";
  qa.strategy = Strategy::recreate;
  qa.domains = {"qa.example.com"};
  web.stages = {staging, production, qa};
  config.projects = {web};
  return config;
}

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() {
    store_ = Store::open(dir_ / "berth.db");
    store_->replaceConfig(engineTestConfig());
    docker_.addImage(kRepo, "v1", digestOf(1));
    docker_.addImage(kRepo, "v2", digestOf(2));
    docker_.addImage(kRepo, "v3", digestOf(3));
    docker_.addImage(kRepo, "bad", digestOf(4), fakes::Behaviour::never_healthy);
    docker_.addImage(kRepo, "crash", digestOf(5), fakes::Behaviour::exits_at_once);
    options_.workers = 2;
  }
  ~EngineTest() override {
    if (engine_) engine_->shutdown(std::chrono::seconds(5));
  }

  Engine& engine() {
    if (!engine_) {
      journal_ = std::make_unique<Journal>(*store_, events_, logger_);
      engine_ = std::make_unique<Engine>(
          Services{docker_, proxy_, docker_.http(), clock_, *journal_}, options_);
    }
    return *engine_;
  }
  Journal& journal() {
    engine();
    return *journal_;
  }

  // Waits for the queue to empty and returns the deploy's record.
  DeployRecord finish(std::int64_t id) {
    EXPECT_TRUE(engine().waitIdle(std::chrono::seconds(10)));
    return *journal().get(id);
  }
  DeployRecord deploy(const std::string& stage, const std::string& tag) {
    return finish(engine().enqueue("web", stage, tag, DeployTrigger::manual));
  }
  std::string logText(std::int64_t id) {
    std::string out;
    for (const auto& line : journal().logOf(id))
      out += line.message + "\n";
    return out;
  }
  // Containers of a stage, by label.
  std::vector<fakes::FakeDocker::Container> stageContainers(const std::string& stage) {
    std::vector<fakes::FakeDocker::Container> out;
    for (const auto& c : docker_.containers()) {
      if (c.spec.labels.count("berth.stage") && c.spec.labels.at("berth.stage") == stage) {
        out.push_back(c);
      }
    }
    return out;
  }

  berth::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  fakes::FakeDocker docker_;
  fakes::FakeProxy proxy_;
  fakes::LockedFakeClock clock_;
  fakes::RecordingEventSink events_;
  std::ostringstream log_out_;
  Logger logger_{log_out_, LogLevel::error, LogFormat::json};
  EngineOptions options_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace berth::deploy::testing
