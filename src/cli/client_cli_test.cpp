// The client commands as a CI script runs them (in-process, against a scripted berth server):
// what each command sends, what it prints where, and the exit code for every outcome.
#include "cli/cli.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_run_for_test.h"
#include "cli/exit_codes.h"
#include "client/client_test_support.h"

namespace berth {
namespace {

using namespace std::chrono_literals;
using namespace client::testing;
using net::testing::ScriptedReply;
using net::testing::TestServer;
namespace fs = std::filesystem;

constexpr const char* kToken = "berth_c0ffeec0ffeec0ffee";

using Result = berth::testing::CliRun;

Result run(std::vector<std::string> args) {
  Result r = berth::testing::runCliForTest(std::move(args));
  EXPECT_EQ(r.out.find(kToken), std::string::npos) << "the token is never printed";
  EXPECT_EQ(r.err.find(kToken), std::string::npos) << "the token is never printed";
  return r;
}

// The body of a recorded request.
std::string bodyOf(const std::string& request) {
  const auto end = request.find("\r\n\r\n");
  return end == std::string::npos ? "" : request.substr(end + 4);
}

class ClientCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("berth-client-cli-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // Never the developer's own token or server.
    ::setenv("XDG_CONFIG_HOME", (dir_ / "xdg").c_str(), 1);
    ::setenv("BERTH_TOKEN", kToken, 1);
    ::unsetenv("BERTH_SERVER");
  }
  void TearDown() override {
    ::unsetenv("BERTH_TOKEN");
    ::unsetenv("BERTH_SERVER");
    ::unsetenv("XDG_CONFIG_HOME");
    fs::remove_all(dir_);
  }
  fs::path dir_;
};

// A berth server for deploy 42 of web/staging that ends in `state` (with `reason`).
std::function<ScriptedReply(const std::string&)> deployServer(std::string state,
                                                              std::string reason = "") {
  return [state, reason](const std::string& request) {
    if (request.starts_with("POST /api/projects/"))
      return jsonReply(202, R"({"deploy":)" + deployJson(42, "queued") + "}");
    if (isRequest(request, "GET /api/deploys/42/log"))
      return sseReply({logEvent(1, "queued 127.0.0.1:5000/web:v1 (trigger manual)"),
                       logEvent(2, "pulling 127.0.0.1:5000/web:v1"), endEvent(state, reason)});
    if (isRequest(request, "GET /api/deploys/42"))
      return jsonReply(200, R"({"deploy":)" + deployJson(42, state, reason) + "}");
    return jsonReply(404, R"({"error":{"code":"not_found","message":"no such path"}})");
  };
}

TEST_F(ClientCliTest, DeployPostsTheTagWithTheTokenAndPrintsTheQueuedDeploy) {
  TestServer server(deployServer("succeeded"));
  const Result r = run({"deploy", "web", "staging", "v1", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "deploy 42 queued: web/staging <- 127.0.0.1:5000/web:v1 (manual)\n");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u) << "without --wait, one request";
  EXPECT_TRUE(isRequest(requests[0], "POST /api/projects/web/stages/staging/deploys"));
  EXPECT_NE(requests[0].find(std::string("Authorization: Bearer ") + kToken), std::string::npos);
  EXPECT_EQ(bodyOf(requests[0]), R"({"tag":"v1"})");
}

TEST_F(ClientCliTest, JsonOutputIsTheDeployTheServerAnswered) {
  TestServer server(deployServer("succeeded"));
  const Result r =
      run({"deploy", "web", "staging", "v1", "--output", "json", "--server", server.url("")});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["deploy"]["id"], 42);
  EXPECT_EQ(json["deploy"]["state"], "queued");
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line";
}

TEST_F(ClientCliTest, PromoteAndRollbackSendOnlyWhatTheyWereGiven) {
  TestServer server(deployServer("succeeded"));
  const std::string url = server.url("");
  EXPECT_EQ(run({"promote", "web", "production", "--server", url}).code, kExitOk);
  EXPECT_EQ(run({"promote", "web", "production", "v2", "--server", url}).code, kExitOk);
  EXPECT_EQ(run({"rollback", "web", "staging", "--server", url}).code, kExitOk);
  EXPECT_EQ(run({"rollback", "web", "staging", "7", "--server", url}).code, kExitOk);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_TRUE(isRequest(requests[0], "POST /api/projects/web/stages/production/promote"));
  EXPECT_EQ(bodyOf(requests[0]), "{}");
  EXPECT_EQ(bodyOf(requests[1]), R"({"tag":"v2"})");
  EXPECT_TRUE(isRequest(requests[2], "POST /api/projects/web/stages/staging/rollback"));
  EXPECT_EQ(bodyOf(requests[2]), "{}");
  EXPECT_EQ(bodyOf(requests[3]), R"({"deploy_id":7})");
}

TEST_F(ClientCliTest, WrongArgumentsAreUsageErrorsAndSendNothing) {
  TestServer server(deployServer("succeeded"));
  const std::string url = server.url("");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"deploy", "web", "staging"},
           {"rollback", "web", "staging", "abc"},
           {"logs", "0"},
           {"status", "--output", "yaml"},
           {"deploy", "web", "staging", "v1", "--wait", "--wait-timeout", "soon"},
           {"deploy", "web", "staging", "v1", "--server", "ftp://x"}}) {
    std::vector<std::string> with_server = args;
    if (args.back() != "ftp://x") with_server.insert(with_server.end(), {"--server", url});
    const Result r = run(with_server);
    EXPECT_EQ(r.code, kExitUsage) << args[0] << " " << args.back() << "\n" << r.err;
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(ClientCliTest, AnIdThatIsNotADeployIdSaysWhatAnIdIs) {
  for (const std::string bad : {"abc", "0", "1.5", "-3"}) {
    const Result r = run({"logs", bad, "--server", "http://127.0.0.1:1"});
    EXPECT_EQ(r.code, kExitUsage) << bad;
    EXPECT_NE(r.err.find("a deploy id is a whole number from 1, got '" + bad + "'"),
              std::string::npos)
        << r.err;
    EXPECT_LT(r.err.size(), 200u) << r.err;
  }
}

TEST_F(ClientCliTest, WaitShowsTheLogOnStderrAndExitsZeroWhenTheDeploySucceeded) {
  TestServer server(deployServer("succeeded"));
  const Result r = run({"deploy", "web", "staging", "v1", "--wait", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "deploy 42 succeeded: web/staging runs 127.0.0.1:5000/web:v1 (sha256:0123456789ab)\n");
  EXPECT_EQ(r.err,
            "deploy 42 queued: web/staging <- 127.0.0.1:5000/web:v1 (manual)\n"
            "  12:00:01.000 info  queued 127.0.0.1:5000/web:v1 (trigger manual)\n"
            "  12:00:02.000 info  pulling 127.0.0.1:5000/web:v1\n");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_NE(requests[1].find("Accept: text/event-stream"), std::string::npos);
  EXPECT_NE(requests[1].find(std::string("Authorization: Bearer ") + kToken), std::string::npos);
}

TEST_F(ClientCliTest, WaitExitsSevenWithTheReasonWhenTheDeployDidNotSucceed) {
  for (const std::string state : {"rolled_back", "failed", "cancelled", "interrupted"}) {
    TestServer server(deployServer(state, "not healthy after 10.0 s (HTTP 404)"));
    const Result r = run({"deploy", "web", "staging", "v1", "--wait", "--server", server.url("")});
    EXPECT_EQ(r.code, kExitDeployFailed) << state;
    EXPECT_EQ(r.out, "");
    std::string words = state;
    std::replace(words.begin(), words.end(), '_', ' ');
    EXPECT_TRUE(r.err.ends_with("\ndeploy 42 " + words + ": not healthy after 10.0 s (HTTP 404)\n"))
        << r.err;
  }
}

TEST_F(ClientCliTest, WaitWithJsonOutputPrintsTheFinalDeploy) {
  TestServer server(deployServer("rolled_back", "never healthy"));
  const Result r =
      run({"promote", "web", "staging", "--wait", "--output", "json", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitDeployFailed);
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["deploy"]["state"], "rolled_back");
  EXPECT_EQ(json["deploy"]["reason"], "never healthy");
  EXPECT_NE(r.err.find("deploy 42 rolled back: never healthy"), std::string::npos) << r.err;
}

TEST_F(ClientCliTest, WaitGivesUpAtTheTimeoutWithExitEight) {
  TestServer server([](const std::string& request) {
    if (request.starts_with("POST "))
      return jsonReply(202, R"({"deploy":)" + deployJson(42, "queued") + "}");
    if (isRequest(request, "GET /api/deploys/42/log"))
      return sseReply({logEvent(1, "queued")}, 1500ms);
    return jsonReply(200, R"({"deploy":)" + deployJson(42, "checking") + "}");
  });
  const Result r = run({"deploy", "web", "staging", "v1", "--wait", "--wait-timeout", "300ms",
                        "--server", server.url("")});
  EXPECT_EQ(r.code, kExitWaitTimeout) << r.err;
  EXPECT_NE(r.err.find("gave up waiting (--wait-timeout): deploy 42 is still checking on the "
                       "server; follow it with: berth logs 42 --follow"),
            std::string::npos)
      << r.err;
}

TEST_F(ClientCliTest, TheServersRefusalIsShownWithItsExitCode) {
  TestServer server([](const std::string& request) {
    if (request.find("/stages/production/") != std::string::npos)
      return jsonReply(
          409, R"({"error":{"code":"conflict","message":"staging runs nothing to promote"}})");
    return jsonReply(404, R"({"error":{"code":"not_found","message":"no project named 'shop'"}})");
  });
  Result r = run({"promote", "web", "production", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitRefused);
  EXPECT_EQ(r.err, "staging runs nothing to promote\n");
  r = run({"status", "shop", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitRefused);
  EXPECT_EQ(r.err, "no project named 'shop'\n");
}

TEST_F(ClientCliTest, AnUnknownStageIsOneLineNamingItAndNothingIsAwaited) {
  TestServer server([](const std::string&) {
    return jsonReply(
        404, R"({"error":{"code":"not_found","message":"project web has no stage named 'prod'"}})");
  });
  const Result r = run({"deploy", "web", "prod", "v1", "--wait", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitRefused);
  EXPECT_EQ(r.err, "project web has no stage named 'prod'\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(server.requests().size(), 1u) << "no log stream for a deploy that never was";
}

// --server pointing at some other web server: a page where berth's JSON or event stream
// should be. Said in one line, at once: a follow must not retry a page forever.
TEST_F(ClientCliTest, AnAnswerThatIsNotBerthsIsOneLineWithExitOne) {
  TestServer page([](const std::string&) {
    const std::string html = "<html><body>It works!</body></html>";
    return ScriptedReply{{"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: "
                          "close\r\nContent-Length: " +
                          std::to_string(html.size()) + "\r\n\r\n" + html},
                         0ms,
                         0ms};
  });
  const std::string url = page.url("");
  Result r = run({"status", "--server", url});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_EQ(r.err, "the answer of " + url +
                       "/api/projects is not JSON: is --server the address "
                       "of berth?\n");
  const auto started = std::chrono::steady_clock::now();
  r = run({"logs", "42", "--follow", "--server", url});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_EQ(r.err, "the answer of " + url +
                       "/api/deploys/42/log is not an event stream: is "
                       "--server the address of berth?\n");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);

  // JSON, but not the shape of berth's answers.
  TestServer other([](const std::string&) { return jsonReply(200, R"({"unexpected":true})"); });
  r = run({"status", "--server", other.url("")});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_EQ(r.err, "the answer of " + other.url("") +
                       "/api/projects has no \"projects\" list: is --server the address of "
                       "berth?\n");
  r = run({"deploy", "web", "staging", "v1", "--server", other.url("")});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_NE(r.err.find("/api/projects/web/stages/staging/deploys has no \"deploy\" object"),
            std::string::npos)
      << r.err;
  r = run({"logs", "42", "--server", other.url("")});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_NE(r.err.find("/api/deploys/42/log has no \"lines\" list"), std::string::npos) << r.err;
}

// A wrong --server that answers (another site, or a proxy whose berth is down): its status
// decides the exit code, and the message asks whether --server is right.
TEST_F(ClientCliTest, AnErrorPageThatIsNotBerthsAsksWhetherTheServerIsRight) {
  std::atomic<int> status{404};
  TestServer server([&](const std::string&) {
    return ScriptedReply{{"HTTP/1.1 " + std::to_string(status.load()) +
                          " X\r\nContent-Type: text/html\r\nContent-Length: 7\r\nConnection: "
                          "close\r\n\r\n<html/>"},
                         0ms,
                         0ms};
  });
  const std::string hint =
      " without berth's error message: is --server the address of berth, "
      "and is it running?\n";
  Result r = run({"deploy", "web", "staging", "v1", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitRefused);
  EXPECT_EQ(r.err, "the server at " + server.url("") + " answered HTTP 404" + hint);
  status = 502;
  r = run({"status", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_EQ(r.err, "the server at " + server.url("") + " answered HTTP 502" + hint);
}

TEST_F(ClientCliTest, UnauthorizedAndUnreachableHaveTheirOwnExitCodes) {
  TestServer server([](const std::string&) {
    return jsonReply(401,
                     R"({"error":{"code":"unauthorized","message":"authentication required"}})");
  });
  Result r = run({"status", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitUnauthorized);
  EXPECT_NE(r.err.find("refused the API token from BERTH_TOKEN"), std::string::npos) << r.err;
  ::unsetenv("BERTH_TOKEN");
  r = run({"status", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitUnauthorized);
  EXPECT_NE(r.err.find("needs an API token"), std::string::npos) << r.err;

  r = run({"deploy", "web", "staging", "v1", "--server", "http://127.0.0.1:1"});
  EXPECT_EQ(r.code, kExitUnreachable);
  EXPECT_TRUE(r.err.starts_with("cannot reach the berth server at http://127.0.0.1:1: ")) << r.err;
}

TEST_F(ClientCliTest, ATokenFileOthersCanReadIsRefusedBeforeAnythingIsSent) {
  TestServer server(deployServer("succeeded"));
  const fs::path file = dir_ / "token";
  std::ofstream(file) << kToken << "\n";
  ::chmod(file.c_str(), 0644);
  Result r = run({"status", "--token-file", file.string(), "--server", server.url("")});
  EXPECT_EQ(r.code, kExitUnauthorized);
  EXPECT_NE(r.err.find("chmod 600 " + file.string()), std::string::npos) << r.err;
  EXPECT_TRUE(server.requests().empty());

  ::chmod(file.c_str(), 0600);
  ::unsetenv("BERTH_TOKEN");
  fs::create_directories(dir_ / "xdg/berth");
  fs::copy_file(file, dir_ / "xdg/berth/token");  // the default place works as well
  r = run({"deploy", "web", "staging", "v1", "--server", server.url("")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(server.requests().at(0).find(std::string("Bearer ") + kToken), std::string::npos);
}

TEST_F(ClientCliTest, BerthServerNamesTheServerWhenNoFlagDoes) {
  TestServer server([](const std::string&) { return jsonReply(200, R"({"projects":[]})"); });
  ::setenv("BERTH_SERVER", server.url("/").c_str(), 1);
  const Result r = run({"status"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "no projects\n");
  EXPECT_TRUE(isRequest(server.requests().at(0), "GET /api/projects"));
}

TEST_F(ClientCliTest, StatusShowsOneProjectOrAllAsATableOrJson) {
  const std::string project =
      R"({"name":"web","image":"127.0.0.1:5000/web","port":8080,"stages":[{"name":"staging",
      "current":null,"instances":[],"last_deploy":null}]})";
  TestServer server([&](const std::string& request) {
    if (isRequest(request, "GET /api/projects/web"))
      return jsonReply(200, R"({"project":)" + project + "}");
    return jsonReply(200, R"({"projects":[)" + project + "]}");
  });
  Result all = run({"status", "--server", server.url("")});
  ASSERT_EQ(all.code, kExitOk) << all.err;
  EXPECT_EQ(all.out,
            "STAGE        TAG  DIGEST  INSTANCES  LAST DEPLOY\n"
            "web/staging  -    -       none       -\n");
  Result one = run({"status", "web", "--output", "json", "--server", server.url("")});
  ASSERT_EQ(one.code, kExitOk) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out)["projects"][0]["name"], "web");
  EXPECT_TRUE(isRequest(server.requests().at(1), "GET /api/projects/web"));
}

TEST_F(ClientCliTest, LogsPrintsTheLinesAndFollowingExitsWithTheDeploysOutcome) {
  TestServer server([](const std::string& request) {
    if (request.find("Accept: text/event-stream") != std::string::npos)
      return sseReply({logEvent(1, "queued"), endEvent("failed", "pull failed")});
    if (isRequest(request, "GET /api/deploys/42/log"))
      return jsonReply(
          200,
          R"({"lines":[{"seq":1,"ts":"2026-01-01T12:00:00.001Z","level":"info","message":"queued"},{"seq":2,"ts":"2026-01-01T12:00:00.130Z","level":"warn","message":"slow"}]})");
    return jsonReply(200, R"({"deploy":)" + deployJson(42, "failed", "pull failed") + "}");
  });
  const std::string url = server.url("");
  Result text = run({"logs", "42", "--server", url});
  EXPECT_EQ(text.code, kExitOk) << text.err;
  EXPECT_EQ(text.out, "12:00:00.001 info  queued\n12:00:00.130 warn  slow\n");
  Result json = run({"logs", "42", "--output", "json", "--server", url});
  EXPECT_EQ(json.out,
            R"({"seq":1,"ts":"2026-01-01T12:00:00.001Z","level":"info","message":"queued"})"
            "\n"
            R"({"seq":2,"ts":"2026-01-01T12:00:00.130Z","level":"warn","message":"slow"})"
            "\n");
  Result follow = run({"logs", "42", "-f", "--server", url});
  EXPECT_EQ(follow.code, kExitDeployFailed);
  EXPECT_EQ(follow.out, "12:00:01.000 info  queued\n");
  EXPECT_EQ(follow.err, "deploy 42 failed: pull failed\n");
}

TEST_F(ClientCliTest, ExportAsksTheServerOnlyWhenGivenServer) {
  TestServer server([](const std::string& request) {
    if (isRequest(request, "GET /api/config/export"))
      return ScriptedReply{{"HTTP/1.1 200 OK\r\nContent-Type: application/yaml\r\nContent-Length: "
                            "13\r\nConnection: close\r\n\r\nprojects: []\n"},
                           0ms,
                           0ms};
    return jsonReply(404, "{}");
  });
  Result remote = run({"export", "--server", server.url("")});
  EXPECT_EQ(remote.code, kExitOk) << remote.err;
  EXPECT_EQ(remote.out, "projects: []\n");
  const fs::path file = dir_ / "exported.yaml";
  EXPECT_EQ(run({"export", "--server", server.url(""), "-o", file.string()}).code, kExitOk);
  std::ifstream in(file);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "projects: []\n");

  ::setenv("BERTH_SERVER", server.url("").c_str(), 1);  // not enough: export stays local
  Result local = run({"export", "--data-dir", (dir_ / "data").string()});
  EXPECT_EQ(local.code, kExitFailure);
  EXPECT_NE(local.err.find("no database at"), std::string::npos) << local.err;
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(ClientCliTest, HealthcheckIsZeroOnlyForA200AndSendsNoToken) {
  std::atomic<int> status{200};
  TestServer server([&](const std::string&) { return jsonReply(status, R"({"status":"ok"})"); });
  Result ok = run({"healthcheck", "--server", server.url("")});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_TRUE(isRequest(server.requests().at(0), "GET /healthz"));
  EXPECT_EQ(server.requests().at(0).find("Authorization"), std::string::npos);
  status = 503;
  Result down = run({"healthcheck", "--server", server.url("")});
  EXPECT_EQ(down.code, 1);
  EXPECT_NE(down.err.find("HTTP 503"), std::string::npos) << down.err;
  EXPECT_EQ(run({"healthcheck", "--server", "http://127.0.0.1:1"}).code, 1);
  EXPECT_EQ(run({"healthcheck", "--server", "ftp://x"}).code, 1) << "Docker knows only 0 and 1";
}

TEST_F(ClientCliTest, HelpNamesTheClientCommandsAndTheirOptions) {
  const Result help = run({"--help"});
  for (const char* word : {"deploy", "promote", "rollback", "status", "logs", "healthcheck",
                           "BERTH_TOKEN", "7 the deploy did not succeed"})
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  const Result deploy = run({"deploy", "--help"});
  EXPECT_EQ(deploy.code, kExitOk);
  for (const char* word : {"--wait", "--wait-timeout", "--output", "--server", "--token-file"})
    EXPECT_NE(deploy.out.find(word), std::string::npos) << word;
  EXPECT_NE(run({"export", "--help"}).out.find("--server"), std::string::npos);
}

}  // namespace
}  // namespace berth
