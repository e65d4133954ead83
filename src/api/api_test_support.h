// Shared by the API's unit tests: a real engine over the fakes (deploy/engine_test_support.h's
// configuration: project "web" with stages staging, production (promote_from staging) and qa),
// the event bus as the journal's sink, and a Router with every API route. Requests go straight
// to Router::dispatch, no socket.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "api/api.h"
#include "deploy/engine_test_support.h"
#include "http/request_target.h"

namespace berth::api::testing {

using deploy::testing::digestOf;
using deploy::testing::kRepo;

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() {
    store_ = Store::open(dir_ / "berth.db");
    store_->replaceConfig(deploy::testing::engineTestConfig());
    docker_.addImage(kRepo, "v1", digestOf(1));
    docker_.addImage(kRepo, "v2", digestOf(2));
    docker_.addImage(kRepo, "bad", digestOf(4), fakes::Behaviour::never_healthy);
    journal_ = std::make_unique<deploy::Journal>(*store_, bus_, logger_);
    engine_ = std::make_unique<deploy::Engine>(
        deploy::Services{docker_, proxy_, docker_.http(), clock_, *journal_},
        deploy::EngineOptions{.workers = 2});
    addRoutes(router_, ApiDeps{.engine = *engine_,
                               .journal = *journal_,
                               .bus = bus_,
                               .poller = nullptr,
                               .webhook = {},
                               .open_connections = [] { return std::size_t{3}; },
                               .version = "1.2.3-test",
                               .clock = clock_});
  }
  ~ApiTest() override { engine_->shutdown(std::chrono::seconds(5)); }

 public:
  // Public so that free helper functions of a test file can send requests too.
  http::Response call(const std::string& method, const std::string& target,
                      const std::string& body = "",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request request;
    request.method = method;
    request.target = target;
    if (auto problem = http::parseRequestTarget(target, request))
      ADD_FAILURE() << "bad target in test: " << *problem;
    request.headers = std::move(headers);
    request.body = body;
    return router_.dispatch(request);
  }
  http::Response get(const std::string& target) { return call("GET", target); }
  http::Response post(const std::string& target, const std::string& body = "") {
    return call("POST", target, body);
  }

 protected:
  // Deploys `tag` to `stage` through the engine and waits until it is final.
  DeployRecord deployed(const std::string& stage, const std::string& tag) {
    const auto id = engine_->enqueue("web", stage, tag, DeployTrigger::manual);
    EXPECT_TRUE(engine_->waitIdle(std::chrono::seconds(10)));
    return *journal_->get(id);
  }

  berth::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  fakes::FakeDocker docker_;
  fakes::FakeProxy proxy_;
  fakes::LockedFakeClock clock_;
  events::EventBus bus_{events::BusOptions{.first_id = 1}};
  std::ostringstream log_out_;
  Logger logger_{log_out_, LogLevel::error, LogFormat::json};
  std::unique_ptr<deploy::Journal> journal_;
  std::unique_ptr<deploy::Engine> engine_;
  http::Router router_;
};

}  // namespace berth::api::testing
