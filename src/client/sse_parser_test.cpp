// The SSE reader against berth's own framing (events/sse_frame.h) cut at every byte, and the
// parts of the format berth does not send but a proxy in between might (CRLF, bare CR).
#include "client/sse_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace berth::client {
namespace {

std::vector<SseEvent> parseInPieces(const std::string& stream, size_t piece) {
  std::vector<SseEvent> events;
  SseParser parser([&](const SseEvent& e) { events.push_back(e); });
  for (size_t i = 0; i < stream.size(); i += piece)
    parser.feed(std::string_view(stream).substr(i, piece));
  return events;
}

const std::string kLogStream =
    ": heartbeat\n\n"
    "id: 1\nevent: log\ndata: {\"seq\":1,\"message\":\"queued\"}\n\n"
    "id: 2\nevent: log\ndata: first\ndata: second\n\n"
    "event: end\ndata: {\"state\":\"succeeded\",\"reason\":\"\"}\n\n";

TEST(SseParser, ReadsIdsTypesAndMultiLineDataWhereverTheChunksAreCut) {
  for (size_t piece : {1u, 2u, 7u, 1000u}) {
    SCOPED_TRACE(piece);
    const auto events = parseInPieces(kLogStream, piece);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].id, "1");
    EXPECT_EQ(events[0].type, "log");
    EXPECT_EQ(events[0].data, R"({"seq":1,"message":"queued"})");
    EXPECT_EQ(events[1].data, "first\nsecond");
    EXPECT_EQ(events[2].type, "end");
    EXPECT_EQ(events[2].id, std::nullopt) << "end carries no id";
  }
}

TEST(SseParser, AcceptsCrLfAndBareCrLineEnds) {
  for (const std::string eol : {"\r\n", "\r"}) {
    const std::string stream = "id: 5" + eol + "event: log" + eol + "data: x" + eol + eol;
    for (size_t piece : {1u, 100u}) {
      const auto events = parseInPieces(stream, piece);
      ASSERT_EQ(events.size(), 1u);
      EXPECT_EQ(events[0].id, "5");
      EXPECT_EQ(events[0].data, "x");
    }
  }
}

TEST(SseParser, SkipsCommentsEventsWithoutDataAndAnUnfinishedEvent) {
  const auto events = parseInPieces(
      ": heartbeat\n\nevent: lonely\n\ndata:no space\n\nevent: log\ndata: cut off", 3);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "message");
  EXPECT_EQ(events[0].data, "no space");
}

}  // namespace
}  // namespace berth::client
