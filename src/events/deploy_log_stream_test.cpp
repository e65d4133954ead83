#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "events/events_test_support.h"
#include "events/streams.h"

namespace berth::events {
namespace {

using nlohmann::json;
using testing::parseSse;
using testing::SseEvent;

constexpr std::int64_t kDeploy = 7;

// A deploy as the engine runs it: each line is stored (getting its seq), then published.
// Tests split the two steps to stage the races the stream must survive.
struct FakeDeploy {
  EventBus& bus;
  std::vector<DeployLogEntry> stored{};
  DeployState state = DeployState::pulling;
  std::string reason{};
  bool exists = true;

  deploy::Event store(const std::string& message) {
    const auto seq = static_cast<std::int64_t>(stored.size()) + 1;
    stored.push_back({.deploy_id = kDeploy,
                      .seq = seq,
                      .ts = fromUnixMillis(1'700'000'000'000 + seq),
                      .level = "info",
                      .message = message});
    return testing::logLine(kDeploy, seq, message);
  }
  void log(const std::string& message) { bus.publish(store(message)); }
  void end(DeployState final_state, std::string why = "") {
    state = final_state;
    reason = why;
    bus.publish(testing::status(kDeploy, final_state, why));
  }
  DeployLogHistory history() {
    return {.lines =
                [this](std::int64_t after) {
                  std::vector<DeployLogEntry> out;
                  for (const auto& line : stored)
                    if (line.seq > after) out.push_back(line);
                  return out;
                },
            .state = [this]() -> std::optional<DeployState> {
              if (!exists) return std::nullopt;
              return state;
            },
            .reason = [this] { return reason; }};
  }
};

std::vector<std::string> ids(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    out.push_back(e.id.value_or("-"));
  return out;
}

// Everything the stream has to say now.
std::vector<SseEvent> drain(http::StreamSource& stream, bool* ended = nullptr) {
  const auto chunk = stream.next();
  if (ended) *ended = chunk.end;
  return parseSse(chunk.data);
}

struct DeployLogStreamTest : ::testing::Test {
  EventBus bus{{.first_id = 1}};
  FakeDeploy deploy{bus};

  std::shared_ptr<http::StreamSource> open(std::int64_t after_seq = 0) {
    auto stream = deployLogStream(bus, kDeploy, after_seq, deploy.history());
    stream->open([] {});
    return stream;
  }
};

TEST_F(DeployLogStreamTest, SendsStoredLinesThenLiveLinesThenEnd) {
  deploy.log("pulling");
  deploy.log("pulled");
  auto stream = open();
  bool ended = true;
  auto events = drain(*stream, &ended);
  EXPECT_FALSE(ended);
  ASSERT_EQ(ids(events), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(events[0].type, "log");
  EXPECT_EQ(json::parse(events[1].data), json({{"seq", 2},
                                               {"ts", "2023-11-14T22:13:20.002Z"},
                                               {"level", "info"},
                                               {"message", "pulled"}}));

  deploy.log("starting");
  events = drain(*stream, &ended);
  ASSERT_EQ(ids(events), (std::vector<std::string>{"3"}));
  const auto live = json::parse(events[0].data);
  EXPECT_EQ(live["message"], "starting");
  EXPECT_EQ(live["ts"].get<std::string>().back(), 'Z');

  deploy.end(DeployState::succeeded);
  events = drain(*stream, &ended);
  EXPECT_TRUE(ended);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "end");
  EXPECT_FALSE(events[0].id);  // the client's Last-Event-ID stays at the last line
  EXPECT_EQ(json::parse(events[0].data), json({{"state", "succeeded"}, {"reason", ""}}));
}

TEST_F(DeployLogStreamTest, PullProgressIsForwardedWithoutAnIdBetweenLines) {
  deploy.log("pulling");
  auto stream = open();
  drain(*stream);
  bus.publish(deploy::DeployProgressEvent{.deploy_id = kDeploy,
                                          .project = "web",
                                          .stage = "staging",
                                          .step = "pull",
                                          .layers_done = 1,
                                          .layers_total = 2,
                                          .bytes_done = 300,
                                          .bytes_total = 1000});
  deploy.log("pulled");
  const auto events = drain(*stream);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "progress");
  EXPECT_FALSE(events[0].id);  // a reconnect resumes after the last line, not after progress
  const auto progress = json::parse(events[0].data);
  EXPECT_EQ(progress["layers_done"], 1);
  EXPECT_EQ(progress["bytes_total"], 1000);
  EXPECT_EQ(progress["done"], false);
  EXPECT_EQ(events[1].type, "log");
}

TEST_F(DeployLogStreamTest, ALineBothStoredAndPublishedIsSentOnce) {
  deploy.log("one");
  const auto stored_before_connect = deploy.store("two");
  auto stream = open();
  bus.publish(stored_before_connect);  // its publish reaches the bus after the store read
  deploy.log("three");
  std::vector<std::string> sent;
  for (auto& id : ids(drain(*stream)))
    sent.push_back(id);
  for (auto& id : ids(drain(*stream)))
    sent.push_back(id);
  EXPECT_EQ(sent, (std::vector<std::string>{"1", "2", "3"}));
}

TEST_F(DeployLogStreamTest, ResumesAfterTheGivenSeq) {
  for (auto m : {"a", "b", "c", "d"})
    deploy.log(m);
  auto stream = open(2);
  EXPECT_EQ(ids(drain(*stream)), (std::vector<std::string>{"3", "4"}));
}

TEST_F(DeployLogStreamTest, LinesStoredJustBeforeTheFinalStateAreNotLost) {
  auto stream = open();
  deploy.log("one");
  deploy.store("two");  // stored, its publish not yet through when the final state arrives
  deploy.end(DeployState::rolled_back, "unhealthy");
  bool ended = false;
  const auto events = drain(*stream, &ended);
  EXPECT_TRUE(ended);
  EXPECT_EQ(ids(events), (std::vector<std::string>{"1", "2", "-"}));
  EXPECT_EQ(json::parse(events.back().data),
            json({{"state", "rolled_back"}, {"reason", "unhealthy"}}));
}

TEST_F(DeployLogStreamTest, LinesPublishedOutOfOrderAreSentInSeqOrder) {
  deploy.log("one");
  auto stream = open();
  const auto two = deploy.store("two");
  const auto three = deploy.store("three");
  bus.publish(three);
  bus.publish(two);
  EXPECT_EQ(ids(drain(*stream)), (std::vector<std::string>{"1", "2", "3"}));
}

TEST_F(DeployLogStreamTest, AFinishedDeploySendsItsHistoryAndEndsAtOnce) {
  deploy.log("pull failed");
  deploy.end(DeployState::failed, "manifest unknown");
  auto stream = open();
  bool ended = false;
  const auto events = drain(*stream, &ended);
  EXPECT_TRUE(ended);
  ASSERT_EQ(ids(events), (std::vector<std::string>{"1", "-"}));
  EXPECT_EQ(json::parse(events[1].data),
            json({{"state", "failed"}, {"reason", "manifest unknown"}}));
}

TEST_F(DeployLogStreamTest, AnUnknownDeployEndsAtOnce) {
  deploy.exists = false;
  auto stream = open();
  bool ended = false;
  const auto events = drain(*stream, &ended);
  EXPECT_TRUE(ended);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "end");
  EXPECT_TRUE(json::parse(events[0].data)["state"].is_null());
}

TEST_F(DeployLogStreamTest, IgnoresOtherDeploys) {
  auto stream = open();
  bus.publish(testing::logLine(kDeploy + 1, 1));
  bus.publish(testing::status(kDeploy + 1, DeployState::succeeded));
  bool ended = true;
  EXPECT_TRUE(drain(*stream, &ended).empty());
  EXPECT_FALSE(ended);
}

TEST_F(DeployLogStreamTest, ClientThatFellBehindIsCutOffAndResumesFromItsLastLine) {
  EventBus small_bus({.subscriber_queue = 2, .first_id = 1});
  FakeDeploy slow{small_bus};
  auto stream = deployLogStream(small_bus, kDeploy, 0, slow.history());
  stream->open([] {});
  for (auto m : {"a", "b", "c", "d", "e"})
    slow.log(m);
  bool ended = false;
  const auto events = drain(*stream, &ended);
  EXPECT_TRUE(ended);
  ASSERT_EQ(ids(events), (std::vector<std::string>{"1", "2"}));  // no end event: reconnect

  auto resumed = deployLogStream(small_bus, kDeploy, 2, slow.history());
  resumed->open([] {});
  EXPECT_EQ(ids(drain(*resumed)), (std::vector<std::string>{"3", "4", "5"}));
}

TEST_F(DeployLogStreamTest, AStoreFailureEndsTheStreamInsteadOfThrowing) {
  auto history = deploy.history();
  history.lines = [](std::int64_t) -> std::vector<DeployLogEntry> {
    throw std::runtime_error("database is locked");
  };
  auto stream = deployLogStream(bus, kDeploy, 0, history);
  ASSERT_NO_THROW(stream->open([] {}));
  http::StreamSource::Chunk chunk;
  ASSERT_NO_THROW(chunk = stream->next());
  EXPECT_TRUE(chunk.end);
}

TEST_F(DeployLogStreamTest, EndsWhenTheBusCloses) {
  auto stream = open();
  bus.closeAll();
  bool ended = false;
  drain(*stream, &ended);
  EXPECT_TRUE(ended);
}

}  // namespace
}  // namespace berth::events
