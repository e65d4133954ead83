#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "events/event_bus.h"
#include "events/events_test_support.h"
#include "events/log_line_json.h"
#include "events/sse_frame.h"

namespace berth::events {
namespace {

using nlohmann::json;

TEST(EventData, DeployLogCarriesTheLineAndWhereItBelongs) {
  const auto data =
      json::parse(eventData(deploy::DeployLogEvent{.deploy_id = 7,
                                                   .project = "web",
                                                   .stage = "staging",
                                                   .seq = 3,
                                                   .level = "warn",
                                                   .message = "pulling \"web\"\nlayer 2"}));
  EXPECT_EQ(data, json({{"deploy_id", 7},
                        {"project", "web"},
                        {"stage", "staging"},
                        {"seq", 3},
                        {"level", "warn"},
                        {"message", "pulling \"web\"\nlayer 2"}}));
}

TEST(EventData, DeployStatusSpellsTheStateAsTheApiDoes) {
  const auto data =
      json::parse(eventData(deploy::DeployStatusEvent{.deploy_id = 7,
                                                      .project = "web",
                                                      .stage = "staging",
                                                      .state = DeployState::rolled_back,
                                                      .reason = "health check timed out"}));
  EXPECT_EQ(data, json({{"deploy_id", 7},
                        {"project", "web"},
                        {"stage", "staging"},
                        {"state", "rolled_back"},
                        {"reason", "health check timed out"}}));
}

TEST(EventData, InstanceStatusNamesTheContainer) {
  const auto data =
      json::parse(eventData(deploy::InstanceStatusEvent{.project = "web",
                                                        .stage = "production",
                                                        .deploy_id = 9,
                                                        .container = "web-production-blue",
                                                        .color = "blue",
                                                        .status = "healthy"}));
  EXPECT_EQ(data, json({{"deploy_id", 9},
                        {"project", "web"},
                        {"stage", "production"},
                        {"container", "web-production-blue"},
                        {"color", "blue"},
                        {"status", "healthy"}}));
}

TEST(EventData, DeployProgressHasLayersAndBytes) {
  const auto data = json::parse(eventData(deploy::DeployProgressEvent{.deploy_id = 3,
                                                                      .project = "web",
                                                                      .stage = "staging",
                                                                      .step = "pull",
                                                                      .layers_done = 1,
                                                                      .layers_total = 3,
                                                                      .bytes_done = 4096,
                                                                      .bytes_total = 8192,
                                                                      .done = false}));
  EXPECT_EQ(data, json({{"deploy_id", 3},
                        {"project", "web"},
                        {"stage", "staging"},
                        {"step", "pull"},
                        {"layers_done", 1},
                        {"layers_total", 3},
                        {"bytes_done", 4096},
                        {"bytes_total", 8192},
                        {"done", false}}));
  EXPECT_EQ(deploy::eventType(deploy::DeployProgressEvent{}), "deploy.progress");
}

TEST(EventData, IsOneLineEvenWhenTheMessageHasLineBreaks) {
  const auto data = eventData(testing::logLine(7, 1, "a\nb\r\nc"));
  EXPECT_EQ(data.find('\n'), std::string::npos);
  EXPECT_EQ(data.find('\r'), std::string::npos);
}

TEST(EventData, InvalidUtf8InAMessageIsReplacedNotThrown) {
  std::string data;
  ASSERT_NO_THROW(data = eventData(testing::logLine(7, 1, "bad \xff\xfe byte")));
  EXPECT_EQ(json::parse(data)["message"], "bad \xEF\xBF\xBD\xEF\xBF\xBD byte");
}

TEST(FormatSse, FramesIdTypeAndData) {
  const Envelope envelope{.id = 42, .type = "deploy.status", .data = R"({"a":1})"};
  EXPECT_EQ(formatSse(envelope), "id: 42\nevent: deploy.status\ndata: {\"a\":1}\n\n");
}

TEST(FormatSse, SplitsLineBreaksIntoSeveralDataLines) {
  const Envelope envelope{.id = 1, .type = "x", .data = "a\nb\r\nc\rd"};
  const auto text = formatSse(envelope);
  EXPECT_EQ(text, "id: 1\nevent: x\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  const auto parsed = testing::parseSse(text);
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].data, "a\nb\nc\nd");
}

TEST(SseFrame, WithoutIdLeavesTheClientsLastEventIdAlone) {
  EXPECT_EQ(sseFrame(std::nullopt, "end", "{}"), "event: end\ndata: {}\n\n");
}

TEST(LogLineJson, HasTheRestShapeWithAnIsoUtcTimestamp) {
  const DeployLogEntry line{.deploy_id = 7,
                            .seq = 12,
                            .ts = fromUnixMillis(1'700'000'000'123),
                            .level = "error",
                            .message = "exit \xff"};
  EXPECT_EQ(logLineJson(line),
            R"({"seq":12,"ts":"2023-11-14T22:13:20.123Z","level":"error","message":"exit )"
            "\xEF\xBF\xBD\"}");
}

TEST(IsoUtc, PadsEveryFieldAndHandlesTheEpoch) {
  EXPECT_EQ(isoUtc(fromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(isoUtc(fromUnixMillis(951'782'400'007)), "2000-02-29T00:00:00.007Z");
}

}  // namespace
}  // namespace berth::events
