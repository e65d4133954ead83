#include "events/event_bus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "events/events_test_support.h"

namespace berth::events {
namespace {

using testing::logLine;
using testing::status;

constexpr std::uint64_t kFirst = 1000;

BusOptions options(std::size_t history = 100, std::size_t queue = 100) {
  return {.history = history, .subscriber_queue = queue, .first_id = kFirst};
}

std::vector<std::uint64_t> ids(const std::vector<std::shared_ptr<const Envelope>>& envelopes) {
  std::vector<std::uint64_t> out;
  for (const auto& e : envelopes)
    out.push_back(e->id);
  return out;
}

std::vector<std::uint64_t> range(std::uint64_t from, std::uint64_t to) {
  std::vector<std::uint64_t> out;
  for (auto id = from; id <= to; ++id)
    out.push_back(id);
  return out;
}

TEST(EventBus, IdsIncreaseByOneAcrossEventTypes) {
  EventBus bus(options());
  auto sub = bus.subscribe({}, std::nullopt, {});
  EXPECT_EQ(bus.lastId(), kFirst - 1);
  bus.publish(logLine(7, 1));
  bus.publish(status(7, DeployState::pulling));
  bus.publish(deploy::InstanceStatusEvent{
      .project = "web", .stage = "staging", .deploy_id = 7, .container = "c", .status = "started"});
  const auto got = sub->take();
  EXPECT_EQ(ids(got), range(kFirst, kFirst + 2));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0]->type, "deploy.log");
  EXPECT_EQ(got[1]->type, "deploy.status");
  EXPECT_EQ(got[2]->type, "instance.status");
  EXPECT_EQ(got[2]->deploy_id, 7);
  EXPECT_EQ(bus.lastId(), kFirst + 2);
  EXPECT_EQ(bus.publishedCount(), 3u);
}

// Ids grow across restarts because the first one comes from the wall clock.
TEST(EventBus, FirstIdComesFromTheWallClock) {
  const auto ms = [] {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  };
  const auto before = ms();
  EventBus bus;
  const auto after = ms();
  EXPECT_GE(bus.lastId() + 1, before * 1000);
  EXPECT_LE(bus.lastId() + 1, after * 1000);
}

TEST(EventBus, ReplaysExactlyTheEventsAfterLastEventIdThenLiveOnes) {
  EventBus bus(options());
  for (int seq = 1; seq <= 5; ++seq)
    bus.publish(logLine(7, seq));
  auto sub = bus.subscribe({}, kFirst + 1, {});
  EXPECT_EQ(ids(sub->take()), range(kFirst + 2, kFirst + 4));
  bus.publish(logLine(7, 6));
  EXPECT_EQ(ids(sub->take()), range(kFirst + 5, kFirst + 5));
}

TEST(EventBus, UpToDateLastEventIdReplaysNothingAndNoReset) {
  EventBus bus(options());
  bus.publish(logLine(7, 1));
  auto sub = bus.subscribe({}, bus.lastId(), {});
  EXPECT_TRUE(sub->take().empty());
}

// Subscribing with a Last-Event-ID while other threads publish: every matching event after it
// arrives exactly once, in id order.
TEST(EventBus, ReplayAndRegistrationLeaveNoGapAndNoDuplicateUnderConcurrentPublishing) {
  constexpr int kThreads = 4, kPerThread = 2000;
  EventBus bus(options(kThreads * kPerThread, kThreads * kPerThread));
  auto everything = bus.subscribe({}, std::nullopt, {});

  struct Late {
    std::uint64_t last_id;
    Filter filter;
    std::shared_ptr<Subscription> sub;
  };
  std::vector<Late> late;
  std::atomic<int> late_count = 0;
  std::atomic<int> running = kThreads;
  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t)
    publishers.emplace_back([&, t] {
      for (int i = 1; i <= kPerThread; ++i) {
        // Halfway, make sure at least one subscription lands while publishing goes on.
        if (i == kPerThread / 2)
          while (late_count == 0)
            std::this_thread::yield();
        bus.publish(logLine(t, i, "m", t % 2 == 0 ? "even" : "odd"));
      }
      --running;
    });
  while (running > 0 && late.size() < 60) {
    const auto newest = bus.lastId();
    if (newest == kFirst - 1) continue;
    Filter filter;
    if (late.size() % 2 == 1) filter.project = "odd";
    const std::uint64_t last_id = std::max(kFirst, newest - 50);
    late.push_back({last_id, filter, bus.subscribe(filter, last_id, {})});
    ++late_count;
  }
  for (auto& p : publishers)
    p.join();

  const auto all = everything->take();
  ASSERT_EQ(ids(all), range(kFirst, kFirst + kThreads * kPerThread - 1));
  ASSERT_FALSE(late.empty());
  for (const auto& l : late) {
    std::vector<std::uint64_t> expected;
    for (const auto& e : all)
      if (e->id > l.last_id && l.filter.matches(*e)) expected.push_back(e->id);
    EXPECT_EQ(ids(l.sub->take()), expected) << "subscribed after " << l.last_id;
  }
}

TEST(EventBus, FiltersByProjectStageAndDeploy) {
  EventBus bus(options());
  auto web = bus.subscribe({.project = "web"}, std::nullopt, {});
  auto staging = bus.subscribe({.project = "web", .stage = "staging"}, std::nullopt, {});
  auto any_staging = bus.subscribe({.stage = "staging"}, std::nullopt, {});
  auto deploy8 = bus.subscribe({.deploy_id = 8}, std::nullopt, {});
  bus.publish(logLine(7, 1, "m", "web", "staging"));     // kFirst
  bus.publish(logLine(8, 1, "m", "web", "production"));  // kFirst + 1
  bus.publish(logLine(9, 1, "m", "api", "staging"));     // kFirst + 2
  EXPECT_EQ(ids(web->take()), (std::vector<std::uint64_t>{kFirst, kFirst + 1}));
  EXPECT_EQ(ids(staging->take()), (std::vector<std::uint64_t>{kFirst}));
  EXPECT_EQ(ids(any_staging->take()), (std::vector<std::uint64_t>{kFirst, kFirst + 2}));
  EXPECT_EQ(ids(deploy8->take()), (std::vector<std::uint64_t>{kFirst + 1}));
}

TEST(EventBus, ReplayIsFilteredToo) {
  EventBus bus(options());
  bus.publish(logLine(7, 1, "m", "web"));
  bus.publish(logLine(8, 1, "m", "api"));
  bus.publish(logLine(7, 2, "m", "web"));
  auto sub = bus.subscribe({.project = "web"}, kFirst, {});
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{kFirst + 2}));
}

TEST(EventBus, SlowSubscriberOverflowsWithoutHoldingUpOthersAndResumesFromHistory) {
  EventBus bus(options(100, 4));
  std::atomic<int> slow_wakes = 0;
  auto slow = bus.subscribe({}, std::nullopt, [&] { ++slow_wakes; });
  auto fast = bus.subscribe({}, std::nullopt, {});
  std::vector<std::uint64_t> fast_ids;
  for (int seq = 1; seq <= 10; ++seq) {
    bus.publish(logLine(7, seq));
    for (auto id : ids(fast->take()))
      fast_ids.push_back(id);
  }
  EXPECT_EQ(fast_ids, range(kFirst, kFirst + 9));
  EXPECT_FALSE(fast->overflowed());

  EXPECT_TRUE(slow->overflowed());
  EXPECT_EQ(slow_wakes, 2);  // first event queued, then the overflow
  EXPECT_EQ(bus.overflowCount(), 1u);
  EXPECT_EQ(bus.subscriberCount(), 1u);  // the slow one no longer costs publish() anything
  const auto kept = slow->take();
  EXPECT_EQ(ids(kept), range(kFirst, kFirst + 3));
  bus.publish(logLine(7, 11));
  EXPECT_TRUE(slow->take().empty());

  auto resumed = bus.subscribe({}, kept.back()->id, {});
  EXPECT_EQ(ids(resumed->take()), range(kFirst + 4, kFirst + 10));
}

TEST(EventBus, IdOlderThanHistoryGivesStreamResetFirstThenLiveEvents) {
  EventBus bus(options(3));
  for (int seq = 1; seq <= 10; ++seq)
    bus.publish(logLine(7, seq));
  auto sub = bus.subscribe({.project = "other"}, kFirst, {});
  auto got = sub->take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->type, "stream.reset");
  EXPECT_EQ(got[0]->id, bus.lastId());  // resuming from it later is valid
  bus.publish(logLine(7, 11, "m", "other"));
  EXPECT_EQ(ids(sub->take()), range(kFirst + 10, kFirst + 10));
}

TEST(EventBus, IdFromAnotherProcessGivesStreamReset) {
  EventBus bus(options());
  bus.publish(logLine(7, 1));
  for (std::uint64_t foreign : {kFirst - 5, kFirst + 500}) {
    auto sub = bus.subscribe({}, foreign, {});
    const auto got = sub->take();
    ASSERT_EQ(got.size(), 1u) << foreign;
    EXPECT_EQ(got[0]->type, "stream.reset");
  }
}

TEST(EventBus, WakesOncePerBatchAndAgainAfterTake) {
  EventBus bus(options());
  std::atomic<int> wakes = 0;
  auto sub = bus.subscribe({}, std::nullopt, [&] { ++wakes; });
  bus.publish(logLine(7, 1));
  bus.publish(logLine(7, 2));
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(sub->take().size(), 2u);
  bus.publish(logLine(7, 3));
  EXPECT_EQ(wakes, 2);
}

TEST(EventBus, AWakeMayUseTheSubscriptionWithoutDeadlock) {
  EventBus bus(options());
  std::shared_ptr<Subscription> sub;
  std::size_t taken = 0;
  sub = bus.subscribe({}, std::nullopt, [&] { taken += sub->take().size(); });
  bus.publish(logLine(7, 1));
  bus.publish(logLine(7, 2));
  EXPECT_EQ(taken, 2u);
}

TEST(EventBus, TenThousandSubscribersEachReceiveAPublishedEvent) {
  constexpr int kSubscribers = 10'000;
  EventBus bus(options());
  std::atomic<int> wakes = 0;
  std::vector<std::shared_ptr<Subscription>> subs;
  subs.reserve(kSubscribers);
  for (int i = 0; i < kSubscribers; ++i)
    subs.push_back(bus.subscribe({}, std::nullopt, [&] { ++wakes; }));
  EXPECT_EQ(bus.subscriberCount(), static_cast<std::size_t>(kSubscribers));
  bus.publish(logLine(7, 1));
  EXPECT_EQ(wakes, kSubscribers);
  for (const auto& sub : subs) {
    const auto got = sub->take();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0]->id, kFirst);
  }
  subs.clear();
  EXPECT_EQ(bus.subscriberCount(), 0u);
}

TEST(EventBus, CloseAllEndsAndWakesEverySubscription) {
  EventBus bus(options());
  std::atomic<int> wakes = 0;
  auto a = bus.subscribe({}, std::nullopt, [&] { ++wakes; });
  auto b = bus.subscribe({.project = "x"}, std::nullopt, [&] { ++wakes; });
  bus.closeAll();
  EXPECT_EQ(wakes, 2);
  EXPECT_TRUE(a->closed());
  EXPECT_TRUE(b->closed());
  EXPECT_EQ(bus.subscriberCount(), 0u);
  EXPECT_TRUE(bus.subscribe({}, std::nullopt, {})->closed());  // shutting down: no newcomers
}

TEST(EventBus, SubscriptionOutlivingTheBusIsClosedAndKeepsWhatWasQueued) {
  std::shared_ptr<Subscription> sub;
  {
    EventBus bus(options());
    sub = bus.subscribe({}, std::nullopt, {});
    bus.publish(logLine(7, 1));
  }
  EXPECT_TRUE(sub->closed());
  EXPECT_EQ(sub->take().size(), 1u);
}

TEST(EventBus, DroppingASubscriptionUnsubscribes) {
  EventBus bus(options());
  auto a = bus.subscribe({}, std::nullopt, {});
  auto b = bus.subscribe({}, std::nullopt, {});
  auto c = bus.subscribe({}, std::nullopt, {});
  a.reset();
  EXPECT_EQ(bus.subscriberCount(), 2u);
  bus.publish(logLine(7, 1));  // the moved slots still deliver
  EXPECT_EQ(b->take().size(), 1u);
  EXPECT_EQ(c->take().size(), 1u);
}

}  // namespace
}  // namespace berth::events
