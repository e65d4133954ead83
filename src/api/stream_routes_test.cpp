// The SSE routes: a deploy's log as a stream (history, then end) and the event stream.
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include "api/api_test_support.h"
#include "events/events_test_support.h"

namespace berth::api::testing {
namespace {

using events::testing::parseSse;
using events::testing::SseEvent;
using nlohmann::json;

// Drives a stream as the server would, until it ends; a stream that never ends fails the test.
std::vector<SseEvent> readToEnd(http::StreamSource& stream) {
  stream.open([] {});
  std::string text;
  bool ended = false;
  for (int i = 0; i < 100 && !ended; ++i) {
    auto chunk = stream.next();
    text += chunk.data;
    ended = chunk.end;
  }
  stream.close();
  EXPECT_TRUE(ended) << "the stream did not end; so far:\n" << text;
  return parseSse(text);
}

// What a stream has ready now, without waiting for more.
std::vector<SseEvent> readReady(http::StreamSource& stream) {
  stream.open([] {});
  auto events = parseSse(stream.next().data);
  stream.close();
  return events;
}

http::Response getEvents(ApiTest& test, const std::string& target,
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
  headers.emplace_back("accept", "text/event-stream");
  return test.call("GET", target, "", std::move(headers));
}

TEST_F(ApiTest, LogStreamOfAFinishedDeploySendsItsHistoryThenEnds) {
  const auto d = deployed("qa", "v1");
  const auto response = getEvents(*this, "/api/deploys/" + std::to_string(d.id) + "/log");
  ASSERT_TRUE(response.stream) << response.status << " " << response.body;

  const auto events = readToEnd(*response.stream);
  const auto stored = journal_->logOf(d.id);
  ASSERT_EQ(events.size(), stored.size() + 1);
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(events[i].id, std::to_string(stored[i].seq));
    EXPECT_EQ(json::parse(events[i].data)["message"], stored[i].message);
  }
  EXPECT_EQ(events.back().type, "end");
  EXPECT_EQ(json::parse(events.back().data)["state"], "succeeded");
}

TEST_F(ApiTest, LogStreamResumesAfterLastEventId) {
  const auto d = deployed("qa", "v1");
  const auto response =
      getEvents(*this, "/api/deploys/" + std::to_string(d.id) + "/log", {{"last-event-id", "2"}});
  ASSERT_TRUE(response.stream);
  const auto events = readToEnd(*response.stream);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.front().id, "3");
  EXPECT_EQ(events.size(), journal_->logOf(d.id).size() - 2 + 1);
}

TEST_F(ApiTest, EventStreamReplaysOnlyTheRequestedStage) {
  deployed("staging", "v1");
  const auto qa = deployed("qa", "v1");
  const auto response =
      getEvents(*this, "/api/events?project=web&stage=qa", {{"last-event-id", std::to_string(1)}});
  ASSERT_TRUE(response.stream) << response.status << " " << response.body;
  const auto events = readReady(*response.stream);
  ASSERT_FALSE(events.empty());
  bool saw_success = false;
  for (const auto& e : events) {
    const auto data = json::parse(e.data);
    EXPECT_EQ(data["stage"], "qa") << e.type << " " << e.data;
    if (e.type == "deploy.status" && data["state"] == "succeeded") {
      EXPECT_EQ(data["deploy_id"], qa.id);
      saw_success = true;
    }
  }
  EXPECT_TRUE(saw_success);
  EXPECT_EQ(bus_.subscriberCount(), 0u) << "a closed stream unsubscribes";
}

TEST_F(ApiTest, EventStreamResumesFromTheQueryParameterToo) {
  deployed("qa", "v1");
  // A new EventSource cannot send Last-Event-ID; ?last_event_id= says the same.
  const auto from_header = getEvents(*this, "/api/events", {{"last-event-id", "3"}});
  const auto from_query = getEvents(*this, "/api/events?last_event_id=3");
  ASSERT_TRUE(from_header.stream && from_query.stream);
  const auto by_header = readReady(*from_header.stream);
  const auto by_query = readReady(*from_query.stream);
  ASSERT_FALSE(by_query.empty());
  EXPECT_EQ(by_query.front().id, "4");
  EXPECT_EQ(by_query.size(), by_header.size());
  EXPECT_EQ(getEvents(*this, "/api/events?last_event_id=x").status, 400);
}

}  // namespace
}  // namespace berth::api::testing
