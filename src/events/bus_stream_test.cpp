#include <gtest/gtest.h>

#include <atomic>

#include "events/events_test_support.h"
#include "events/streams.h"

namespace berth::events {
namespace {

using testing::logLine;
using testing::parseSse;

constexpr std::uint64_t kFirst = 500;

TEST(BusStream, SendsMatchingEventsAsSseWithTheirIds) {
  EventBus bus({.first_id = kFirst});
  auto stream = busStream(bus, {.project = "web"}, std::nullopt);
  std::atomic<int> wakes = 0;
  stream->open([&] { ++wakes; });
  EXPECT_EQ(stream->next().data, "");
  bus.publish(logLine(7, 1, "hello", "web"));
  bus.publish(logLine(8, 1, "other", "api"));
  EXPECT_EQ(wakes, 1);
  const auto chunk = stream->next();
  EXPECT_FALSE(chunk.end);
  const auto events = parseSse(chunk.data);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, std::to_string(kFirst));
  EXPECT_EQ(events[0].type, "deploy.log");
  EXPECT_NE(events[0].data.find("hello"), std::string::npos);
  stream->close();
  EXPECT_EQ(bus.subscriberCount(), 0u);
}

TEST(BusStream, ResumesAfterLastEventId) {
  EventBus bus({.first_id = kFirst});
  for (int seq = 1; seq <= 3; ++seq)
    bus.publish(logLine(7, seq));
  auto stream = busStream(bus, {}, kFirst);
  stream->open([] {});
  const auto events = parseSse(stream->next().data);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, std::to_string(kFirst + 1));
  EXPECT_EQ(events[1].id, std::to_string(kFirst + 2));
}

TEST(BusStream, EndsAfterWhatWasQueuedWhenTheClientFellBehind) {
  EventBus bus({.subscriber_queue = 2, .first_id = kFirst});
  auto stream = busStream(bus, {}, std::nullopt);
  stream->open([] {});
  for (int seq = 1; seq <= 5; ++seq)
    bus.publish(logLine(7, seq));
  const auto chunk = stream->next();
  EXPECT_TRUE(chunk.end);
  const auto events = parseSse(chunk.data);
  ASSERT_EQ(events.size(), 2u);  // the client resumes from the last of them
  EXPECT_EQ(events[1].id, std::to_string(kFirst + 1));
}

TEST(BusStream, EndsWhenTheBusCloses) {
  EventBus bus({.first_id = kFirst});
  auto stream = busStream(bus, {}, std::nullopt);
  std::atomic<int> wakes = 0;
  stream->open([&] { ++wakes; });
  bus.closeAll();
  EXPECT_EQ(wakes, 1);
  EXPECT_TRUE(stream->next().end);
}

}  // namespace
}  // namespace berth::events
