// The events stream: recorded start/die events, split anywhere, stopped by the callback.
#include "docker/event_stream.h"

#include <gtest/gtest.h>

#include "docker/docker_error.h"
#include "docker/fake_http_client.h"
#include "docker/recorded_responses.h"

namespace berth::docker {
namespace {

using testing::kEventStream;
using testing::pieces;

TEST(EventStream, RecordedEventsSplitAnywhere) {
  for (const size_t size : {1, 7, 64, 100000}) {
    std::vector<std::string> actions;
    EventStreamDecoder decoder([&](const DockerEvent& e) {
      actions.push_back(e.action + ":" + e.attribute("name"));
      return true;
    });
    for (const auto& piece : pieces(kEventStream, size))
      EXPECT_TRUE(decoder.feed(piece));
    EXPECT_EQ(actions, (std::vector<std::string>{"start:rec-c2", "die:rec-c2", "start:rec-c2",
                                                 "die:rec-c2"}))
        << size;
  }
}

TEST(EventStream, DieCarriesTheExitCode) {
  std::string exit_code;
  EventStreamDecoder decoder([&](const DockerEvent& e) {
    if (e.action == "die") exit_code = e.attribute("exitCode");
    return true;
  });
  decoder.feed(kEventStream);
  EXPECT_EQ(exit_code, "0");
}

TEST(EventStream, CallbackStopsTheStream) {
  int seen = 0;
  EventStreamDecoder decoder([&](const DockerEvent&) { return ++seen < 2; });
  EXPECT_FALSE(decoder.feed(kEventStream));
  EXPECT_TRUE(decoder.stopped());
  EXPECT_EQ(seen, 2);
  EXPECT_FALSE(decoder.feed(kEventStream));
  EXPECT_EQ(seen, 2);
}

TEST(EventStream, MalformedLineIsAProtocolError) {
  EventStreamDecoder decoder([](const DockerEvent&) { return true; });
  try {
    decoder.feed("{\"Type\":\n");
    FAIL();
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), DockerError::Kind::protocol);
    EXPECT_EQ(e.operation(), "events");
  }
}

}  // namespace
}  // namespace berth::docker
