#include "log/logger.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace berth {
namespace {

Logger::Clock fixedClock() {
  return [] {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(1'764'786'000'123));
  };
}

TEST(Logger, WritesOneJsonObjectPerLineWithContext) {
  std::ostringstream out;
  Logger root(out, LogLevel::info, LogFormat::json, fixedClock());
  Logger deploy = root.with({{"project", "web"}, {"stage", "production"}, {"deploy_id", 42}});
  deploy.info("pulling \"web\"\n", {{"tag", "v2"}, {"healthy", true}});

  const auto line = nlohmann::json::parse(out.str());
  EXPECT_EQ(line["ts"], "2025-12-03T18:20:00.123Z");
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["msg"], "pulling \"web\"\n");
  EXPECT_EQ(line["project"], "web");
  EXPECT_EQ(line["stage"], "production");
  EXPECT_EQ(line["deploy_id"], 42);
  EXPECT_EQ(line["tag"], "v2");
  EXPECT_EQ(line["healthy"], true);
  EXPECT_EQ(out.str().back(), '\n');
}

TEST(Logger, AContextKeyGivenAgainReplacesTheInheritedOne) {
  std::ostringstream out;
  Logger root(out, LogLevel::info, LogFormat::json, fixedClock());
  root.with({{"component", "poller"}})
      .with({{"component", "poller"}, {"project", "web"}})
      .info("x");
  root.with({{"component", "a"}}).with({{"component", "b"}}).info("y");

  std::istringstream lines(out.str());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(first.find("\"component\""), first.rfind("\"component\"")) << first;
  EXPECT_EQ(nlohmann::json::parse(first)["project"], "web");
  EXPECT_EQ(second.find("\"component\""), second.rfind("\"component\"")) << second;
  EXPECT_EQ(nlohmann::json::parse(second)["component"], "b");
}

TEST(Logger, DropsLinesBelowTheMinimumLevel) {
  std::ostringstream out;
  Logger log(out, LogLevel::warn, LogFormat::json, fixedClock());
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  EXPECT_NE(out.str().find("\"msg\":\"w\""), std::string::npos);
  EXPECT_EQ(out.str().find("\"msg\":\"i\""), std::string::npos);
}

TEST(Logger, TextFormatIsReadableAndQuotesValuesWithSpaces) {
  std::ostringstream out;
  Logger log(out, LogLevel::debug, LogFormat::text, fixedClock());
  log.with({{"project", "web"}})
      .warn("health check failed", {{"reason", "HTTP 503 from /healthz"}});
  EXPECT_EQ(out.str(),
            "2025-12-03T18:20:00.123Z warn health check failed project=web "
            "reason=\"HTTP 503 from /healthz\"\n");
}

TEST(Logger, ControlCharactersAreEscaped) {
  EXPECT_EQ(jsonEscape(std::string("a\x01"
                                   "b\tc",
                                   5)),
            "a\\u0001b\\tc");
}

TEST(Logger, LinesFromManyThreadsNeverInterleave) {
  std::ostringstream out;
  Logger log(out, LogLevel::info, LogFormat::json, fixedClock());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        log.info("line", {{"thread", t}, {"i", i}});
    });
  for (auto& th : threads)
    th.join();
  std::istringstream in(out.str());
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines)
    EXPECT_TRUE(nlohmann::json::accept(line)) << line;
  EXPECT_EQ(lines, 800);
}

TEST(Logger, ParsesLevelAndFormatNames) {
  EXPECT_EQ(parseLogLevel("warn"), LogLevel::warn);
  EXPECT_EQ(parseLogLevel("verbose"), std::nullopt);
  EXPECT_EQ(parseLogFormat("text"), LogFormat::text);
  EXPECT_EQ(parseLogFormat("xml"), std::nullopt);
}

}  // namespace
}  // namespace berth
