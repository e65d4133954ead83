#include "deploy/pull_reporter.h"

#include <gtest/gtest.h>

#include "deploy/engine_test_support.h"

namespace berth::deploy {
namespace {

using testing::EngineTest;

std::vector<DeployProgressEvent> progressEvents(const fakes::RecordingEventSink& sink) {
  std::vector<DeployProgressEvent> out;
  for (const auto& event : sink.events())
    if (const auto* p = std::get_if<DeployProgressEvent>(&event)) out.push_back(*p);
  return out;
}

docker::PullMessage downloading(const std::string& layer, std::int64_t current,
                                std::int64_t total) {
  return {.id = layer, .status = "Downloading", .current = current, .total = total};
}

class PullReporterTest : public ::testing::Test {
 protected:
  void apply(const docker::PullMessage& message) {
    progress_.apply(message);
    reporter_.onProgress(progress_);
  }
  DeployRecord deploy_{.id = 7, .project = "web", .stage = "staging"};
  fakes::RecordingEventSink sink_;
  berth::testing::TempDir dir_;
  std::unique_ptr<Store> store_ = Store::open(dir_ / "berth.db");
  std::ostringstream log_;
  Journal journal_{*store_, sink_, Logger(log_, LogLevel::error, LogFormat::json)};
  FakeClock clock_;
  PullReporter reporter_{journal_, clock_, deploy_};
  docker::PullProgress progress_;
};

TEST_F(PullReporterTest, PublishesAtMostOneUpdatePerIntervalWhileBytesArrive) {
  apply({.id = "aaaaaaaaaaaa", .status = "Pulling fs layer"});
  for (int i = 1; i <= 100; ++i) {
    apply(downloading("aaaaaaaaaaaa", i * 1000, 100'000));
    clock_.advance(std::chrono::milliseconds(10));  // 100 messages over 1 s
  }
  const auto events = progressEvents(sink_);
  // The first message, then one per 250 ms: 1 + 4, never one per message.
  ASSERT_GE(events.size(), 4u);
  EXPECT_LE(events.size(), 6u);
  EXPECT_EQ(events.back().bytes_total, 100'000);
  EXPECT_GT(events.back().bytes_done, events[1].bytes_done);
  EXPECT_FALSE(events.back().done);
  EXPECT_EQ(events.back().deploy_id, 7);
  EXPECT_EQ(events.back().project, "web");
  EXPECT_EQ(events.back().step, "pull");
}

TEST_F(PullReporterTest, ALayerFinishingIsPublishedAtOnce) {
  apply({.id = "aaaaaaaaaaaa", .status = "Pulling fs layer"});
  apply({.id = "bbbbbbbbbbbb", .status = "Pulling fs layer"});
  apply(downloading("aaaaaaaaaaaa", 10, 10));
  apply({.id = "aaaaaaaaaaaa", .status = "Pull complete"});  // same instant, still published
  const auto events = progressEvents(sink_);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().layers_done, 1);
  EXPECT_EQ(events.back().layers_total, 2);
}

TEST_F(PullReporterTest, FinishPublishesACompleteBar) {
  apply({.id = "aaaaaaaaaaaa", .status = "Pulling fs layer"});
  apply(downloading("aaaaaaaaaaaa", 10, 1000));
  reporter_.finish();
  const auto events = progressEvents(sink_);
  ASSERT_FALSE(events.empty());
  EXPECT_TRUE(events.back().done);
  EXPECT_EQ(events.back().layers_done, 1);
  EXPECT_EQ(events.back().bytes_done, 1000);
}

TEST_F(PullReporterTest, AnImageAlreadyPresentStillEndsWithADoneUpdate) {
  reporter_.finish();  // the daemon sent only "Status: Image is up to date"
  const auto events = progressEvents(sink_);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].done);
  EXPECT_EQ(events[0].layers_total, 0);
}

TEST_F(EngineTest, APullPublishesProgressEndingDoneBeforeTheContainerStarts) {
  const auto record = deploy("staging", "v1");
  ASSERT_EQ(record.state, DeployState::succeeded);
  std::vector<std::string> order;
  for (const auto& event : events_.events()) {
    if (const auto* p = std::get_if<DeployProgressEvent>(&event)) {
      if (p->deploy_id == record.id) order.push_back(p->done ? "progress done" : "progress");
    } else if (const auto* s = std::get_if<DeployStatusEvent>(&event)) {
      if (s->deploy_id == record.id) order.push_back(toString(s->state));
    }
  }
  // pulling → progress … → progress done → starting: the bar is full before the next step.
  const auto pulling = std::find(order.begin(), order.end(), "pulling");
  const auto done = std::find(order.begin(), order.end(), "progress done");
  const auto starting = std::find(order.begin(), order.end(), "starting");
  ASSERT_NE(done, order.end()) << ::testing::PrintToString(order);
  EXPECT_LT(pulling, done);
  EXPECT_LT(done, starting);
  EXPECT_NE(std::find(pulling, done, "progress"), done) << "no update before the final one";
}

}  // namespace
}  // namespace berth::deploy
