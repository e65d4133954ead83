#include "proxy/command_runner.h"

#include <gtest/gtest.h>

namespace berth::proxy {
namespace {

using namespace std::chrono_literals;

TEST(ProcessRunner, CapturesStdoutAndStderrAndExitCode) {
  ProcessRunner runner;
  const auto r = runner.run({"sh", "-c", "echo out; echo err >&2; exit 3"}, 10s);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.timed_out);
  EXPECT_NE(r.output.find("out"), std::string::npos);
  EXPECT_NE(r.output.find("err"), std::string::npos);
  EXPECT_FALSE(r.ok());
}

TEST(ProcessRunner, RunsWithoutAShell) {
  ProcessRunner runner;
  const auto r = runner.run({"echo", "$HOME", ";", "|"}, 10s);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.output, "$HOME ; |\n");
}

TEST(ProcessRunner, KillsAProgramThatOverrunsItsTimeout) {
  ProcessRunner runner;
  const auto start = std::chrono::steady_clock::now();
  const auto r = runner.run({"sleep", "10"}, 200ms);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(ProcessRunner, ReportsAMissingProgram) {
  ProcessRunner runner;
  const auto r = runner.run({"/nonexistent/berth-no-such-program"}, 5s);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_NE(r.error.find("cannot run"), std::string::npos);
}

}  // namespace
}  // namespace berth::proxy
