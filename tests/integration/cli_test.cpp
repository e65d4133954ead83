// The command-line client end to end, as a CI job uses it: the real berth binary as both the
// server (`berth serve` on the sandbox dockerd and registry) and the client, and
// examples/ci/deploy.sh driving a tag through staging to production with nothing but the CLI.
//
//  - a healthy tag: the script exits 0 and production runs the very digest staging runs;
//  - a tag whose health check never passes: the script exits 7, its stderr names the outcome
//    (rolled back) and the cause, and production keeps serving the earlier image;
//  - `berth logs DEPLOY --follow` started while a deploy runs prints every line of its log once
//    and exits with its outcome; `berth status --output json` is the API's shape;
//  - a token file, healthcheck and export --server; wrong project, stage or token against the
//    real server: the documented exit codes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/berth_process.h"
#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kAdminPassword = "cli e2e admin password";
// The exit codes of docs/cli.md that a CI job relies on.
constexpr int kExitRefused = 6;
constexpr int kExitUnauthorized = 5;
constexpr int kExitDeployFailed = 7;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

// The messages of `berth logs` text output: each line without its "12:00:00.130 info  ".
std::vector<std::string> messages(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& line : lines(text))
    out.push_back(line.size() > 19 ? line.substr(19) : line);
  return out;
}

class CliEndToEnd : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    project_ = "cli" + std::to_string(::getpid()) + "x" + std::to_string(counter_++);
    repository_ = sandbox().registry + "/berth-e2e/" + project_;
    network_ = project_ + "-net";
    dir_ = fs::temp_directory_path() / uniqueName("berth-cli-it");
    fs::create_directories(dir_);
    startBerth();
  }

  void TearDown() override {
    if (!haveSandbox()) return;
    if (berth_) berth_->stop(SIGTERM, 60s);
    if (HasFailure() && berth_) std::cerr << "---- berth log ----\n" << berth_->log() << "\n";
    berth_.reset();
    removeProjectContainers(sandbox(), project_);
    docker(sandbox(), {"network", "rm", network_});
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Staging is deployed by hand (the CI job), production only by promotion from staging.
  // A short health timeout: the never-healthy tag is rolled back within seconds.
  void startBerth() {
    config_ = dir_ / "berth.yaml";
    std::ofstream(config_)
        << "server: { data_dir: " << (dir_ / "data").string() << " }\n"
        << "docker: { host: \"" << sandbox().docker_host << "\", network: " << network_ << " }\n"
        << "projects:\n"
        << "  - name: " << project_ << "\n"
        << "    image: " << repository_ << "\n"
        << "    port: " << sandbox().image_port << "\n"
        << "    health: { path: /healthz, interval: 200ms, timeout: 4s }\n"
        << "    stages:\n"
        << "      - { name: staging }\n"
        << "      - { name: production, promote_from: staging, strategy: blue-green, drain: 1s }\n";
    berth_ = std::make_unique<BerthProcess>(
        BERTH_BINARY, config_, dir_ / "berth.log", std::vector<std::string>{"--no-poll"},
        std::map<std::string, std::string>{{"ADMIN_PASSWORD", kAdminPassword}});
    const auto url = berth_->waitStarted(30s);
    ASSERT_TRUE(url) << "berth did not start:\n" << berth_->log();
    server_ = *url;
    // As an operator gives a CI job its token: created on the server's host, for the admin
    // that ADMIN_PASSWORD made at the first start.
    const auto created = runCommand(
        {BERTH_BINARY, "token", "create", "admin", "ci", "--data-dir", (dir_ / "data").string()},
        {}, 30s);
    ASSERT_EQ(created.exit_code, 0) << created.describe();
    token_ = trim(created.out);
    ASSERT_FALSE(token_.empty());
  }

  // Pushes the sandbox's test image `from` as <repository_>:<tag>.
  void push(const std::string& from, const std::string& tag) {
    const std::string target = repository_ + ":" + tag;
    auto r = docker(sandbox(), {"tag", sandbox().imageRef(sandbox().registry, from), target});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    r = docker(sandbox(), {"push", target});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }

  // What a CI job's environment holds: the server, the token, and nothing of this machine's
  // own berth settings (no token file in a home directory).
  std::map<std::string, std::string> ciEnvironment() const {
    return {{"BERTH_SERVER", server_},
            {"BERTH_TOKEN", token_},
            {"HOME", dir_.string()},
            {"XDG_CONFIG_HOME", (dir_ / "xdg").string()}};
  }

  CommandResult berth(std::vector<std::string> args,
                      std::map<std::string, std::string> env_overrides = {}) const {
    args.insert(args.begin(), BERTH_BINARY);
    auto env = ciEnvironment();
    for (auto& [name, value] : env_overrides)
      env[name] = value;
    return runCommand(args, env, 120s);
  }

  CommandResult ciScript(const std::string& tag) const {
    auto env = ciEnvironment();
    env["BERTH"] = BERTH_BINARY;
    env["BERTH_WAIT_TIMEOUT"] = "2m";
    return runCommand(
        {"sh", (fs::path(BERTH_SOURCE_DIR) / "examples/ci/deploy.sh").string(), project_, tag}, env,
        300s);
  }

  // The project's stages by name, from `berth status PROJECT --output json`.
  std::map<std::string, json> stages() const {
    const auto r = berth({"status", project_, "--output", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    const json status = json::parse(r.out, nullptr, false);
    std::map<std::string, json> by_name;
    if (!status.is_object() || !status["projects"].is_array() || status["projects"].size() != 1) {
      ADD_FAILURE() << "status --output json: " << r.out;
      return by_name;
    }
    for (const auto& stage : status["projects"][0]["stages"])
      by_name[stage.value("name", "")] = stage;
    return by_name;
  }

  static inline int counter_ = 0;
  std::string project_, repository_, network_, server_, token_;
  fs::path dir_, config_;
  std::unique_ptr<BerthProcess> berth_;
};

TEST_F(CliEndToEnd, TheCiScriptPromotesTheStagingDigestAndStopsWithTheReasonOfAFailedDeploy) {
  push("v1", "v1");
  push("unhealthy", "broken");

  const auto good = ciScript("v1");
  ASSERT_EQ(good.exit_code, 0) << good.describe() << "\n" << good.out;
  EXPECT_NE(good.err.find(": " + project_ + "/staging <- " + repository_ + ":v1 (manual)"),
            std::string::npos)
      << "--wait shows the accepted deploy: " << good.err;
  EXPECT_NE(good.err.find(": " + project_ + "/production <- "), std::string::npos)
      << "promote --wait shows the promotion's deploy: " << good.err;
  EXPECT_NE(good.out.find("succeeded: " + project_ + "/staging runs " + repository_ + ":v1"),
            std::string::npos)
      << good.out;

  auto by_name = stages();
  const json staging = by_name["staging"];
  const json production = by_name["production"];
  ASSERT_TRUE(staging["current"].is_object()) << staging;
  ASSERT_TRUE(production["current"].is_object()) << production;
  const std::string digest = staging["current"].value("digest", "");
  EXPECT_TRUE(digest.starts_with("sha256:")) << staging;
  EXPECT_EQ(production["current"].value("digest", ""), digest) << "the same digest, not a tag";
  EXPECT_EQ(production["current"].value("tag", ""), "v1");
  EXPECT_EQ(production["last_deploy"].value("trigger", ""), "promote");
  ASSERT_FALSE(production["instances"].empty());
  for (const auto& instance : production["instances"])
    EXPECT_EQ(instance.value("state", ""), "healthy") << instance;
  const auto production_deploy = production["current"]["deploy_id"];

  const auto bad = ciScript("broken");
  EXPECT_EQ(bad.exit_code, kExitDeployFailed) << bad.describe() << "\n" << bad.out;
  // The outcome and its cause in one line a CI log shows, then the script's own summary.
  EXPECT_TRUE(std::regex_search(bad.err, std::regex("\ndeploy [0-9]+ rolled back: .*not healthy")))
      << bad.err;
  EXPECT_NE(
      bad.err.find("==> the deploy of broken to " + project_ + "/staging did not succeed (exit 7)"),
      std::string::npos)
      << bad.err;
  EXPECT_EQ(bad.out.find("promoting"), std::string::npos) << "stopped before production";

  by_name = stages();
  EXPECT_EQ(by_name["staging"]["current"].value("digest", ""), digest) << "staging kept v1";
  EXPECT_EQ(by_name["staging"]["last_deploy"].value("state", ""), "rolled_back");
  // Staging is a recreate stage: its v1 instance was stopped for the new one, started again
  // and checked, so it is healthy and still v1's.
  ASSERT_EQ(by_name["staging"]["instances"].size(), 1u) << by_name["staging"];
  EXPECT_EQ(by_name["staging"]["instances"][0].value("state", ""), "healthy") << by_name["staging"];
  EXPECT_EQ(by_name["staging"]["instances"][0]["deploy_id"], staging["current"]["deploy_id"])
      << by_name["staging"];
  EXPECT_EQ(by_name["production"]["current"]["deploy_id"], production_deploy)
      << "production untouched";
}

TEST_F(CliEndToEnd, LogsFollowSeesADeployToItsEndAndStatusJsonIsTheApisShape) {
  push("v2", "v2");
  push("unhealthy", "broken");

  // Queued without --wait; followed from the outside while it runs.
  const auto queued = berth({"deploy", project_, "staging", "v2", "--output", "json"});
  ASSERT_EQ(queued.exit_code, 0) << queued.describe();
  const json accepted = json::parse(queued.out, nullptr, false);
  ASSERT_TRUE(accepted.contains("deploy")) << queued.out;
  const std::string id = std::to_string(accepted["deploy"]["id"].get<std::int64_t>());
  const auto followed = berth({"logs", id, "--follow"});
  EXPECT_EQ(followed.exit_code, 0) << followed.describe();
  EXPECT_TRUE(std::regex_search(followed.err,
                                std::regex("^deploy " + id + " succeeded: " + project_ +
                                           "/staging runs .*:v2 \\(sha256:[0-9a-f]{12}\\)\n$")))
      << followed.err;
  // Every line of the stored log, once and in order: nothing lost or repeated while following.
  const auto stored = berth({"logs", id, "--output", "json"});
  ASSERT_EQ(stored.exit_code, 0) << stored.describe();
  std::vector<std::string> stored_messages;
  for (const auto& text : lines(stored.out)) {
    const json line = json::parse(text);
    EXPECT_EQ(line["seq"], static_cast<int>(stored_messages.size() + 1));
    stored_messages.push_back(line["message"]);
  }
  ASSERT_FALSE(stored_messages.empty());
  ASSERT_EQ(stored_messages.back(), "deploy succeeded: staging runs " + repository_ + ":v2");
  // (Messages only: the live stream's timestamps can differ from the stored ones by 1 ms.)
  EXPECT_EQ(messages(followed.out), stored_messages) << followed.out;

  // Following a deploy that has ended already: its whole log, and its outcome, at once.
  const auto again = berth({"logs", id, "--follow"});
  EXPECT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_EQ(messages(again.out), stored_messages);
  EXPECT_EQ(again.err, followed.err);

  // A deploy that fails: following it ends with its outcome's exit code and reason.
  const auto failing = berth({"deploy", project_, "staging", "broken", "--output", "json"});
  ASSERT_EQ(failing.exit_code, 0) << failing.describe();
  const std::string failing_id =
      std::to_string(json::parse(failing.out, nullptr, false)["deploy"]["id"].get<std::int64_t>());
  const auto followed_failure = berth({"logs", failing_id, "-f"});
  EXPECT_EQ(followed_failure.exit_code, kExitDeployFailed) << followed_failure.describe();
  EXPECT_TRUE(std::regex_search(
      followed_failure.err, std::regex("^deploy " + failing_id + " rolled back: .*not healthy")))
      << followed_failure.err;

  // status --output json: one line, {"projects":[project]} with the API's project shape.
  const auto status = berth({"status", "--output", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.describe();
  EXPECT_EQ(status.out.find('\n'), status.out.size() - 1) << "one line";
  const json all = json::parse(status.out, nullptr, false);
  ASSERT_TRUE(all["projects"].is_array()) << status.out;
  ASSERT_EQ(all["projects"].size(), 1u);
  const json& project = all["projects"][0];
  EXPECT_EQ(project["name"], project_);
  EXPECT_EQ(project["image"], repository_);
  ASSERT_EQ(project["stages"].size(), 2u);
  const json& staging =
      project["stages"][0]["name"] == "staging" ? project["stages"][0] : project["stages"][1];
  EXPECT_EQ(staging["current"]["tag"], "v2");
  EXPECT_EQ(staging["current"]["deploy_id"].get<std::int64_t>(), std::stoll(id));
  EXPECT_EQ(staging["last_deploy"]["state"], "rolled_back");
  // The table for a person names the stage, its tag and why the last deploy failed.
  const auto table = berth({"status", project_});
  ASSERT_EQ(table.exit_code, 0) << table.describe();
  EXPECT_NE(table.out.find(project_ + "/staging"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("not healthy"), std::string::npos) << table.out;
}

TEST_F(CliEndToEnd, ATokenFileWorksAndWrongNamesOrTokensGetTheirExitCodes) {
  const fs::path token_file = dir_ / "token";
  std::ofstream(token_file) << token_ << "\n";
  ::chmod(token_file.c_str(), 0600);
  const auto with_file =
      berth({"status", "--token-file", token_file.string()}, {{"BERTH_TOKEN", ""}});
  EXPECT_EQ(with_file.exit_code, 0) << with_file.describe();
  EXPECT_NE(with_file.out.find(project_ + "/staging"), std::string::npos) << with_file.out;

  const auto health = berth({"healthcheck"}, {{"BERTH_TOKEN", ""}});
  EXPECT_EQ(health.exit_code, 0) << health.describe();
  const auto exported = berth({"export", "--server", server_});
  EXPECT_EQ(exported.exit_code, 0) << exported.describe();
  EXPECT_NE(exported.out.find("name: " + project_), std::string::npos) << exported.out;

  const auto no_project = berth({"status", "nosuchproject"});
  EXPECT_EQ(no_project.exit_code, kExitRefused) << no_project.describe();
  EXPECT_EQ(no_project.err, "no project named 'nosuchproject'\n");

  const auto no_stage = berth({"deploy", project_, "nosuchstage", "v1", "--wait"});
  EXPECT_EQ(no_stage.exit_code, kExitRefused) << no_stage.describe();
  EXPECT_NE(no_stage.err.find("nosuchstage"), std::string::npos) << no_stage.err;
  EXPECT_EQ(lines(no_stage.err).size(), 1u) << no_stage.err;

  // A tag the sandbox registry does not have: refused at once, nothing queued.
  const auto no_tag = berth({"deploy", project_, "staging", "nosuchtag", "--wait"});
  EXPECT_EQ(no_tag.exit_code, kExitRefused) << no_tag.describe();
  EXPECT_EQ(no_tag.err, "the registry has no tag nosuchtag of " + repository_ + "\n");

  const auto wrong_token = berth({"status"}, {{"BERTH_TOKEN", "berth_wrong"}});
  EXPECT_EQ(wrong_token.exit_code, kExitUnauthorized) << wrong_token.describe();
  EXPECT_NE(wrong_token.err.find("refused the API token from BERTH_TOKEN"), std::string::npos)
      << wrong_token.err;

  const auto no_token = berth({"status"}, {{"BERTH_TOKEN", ""}});
  EXPECT_EQ(no_token.exit_code, kExitUnauthorized) << no_token.describe();
  EXPECT_NE(no_token.err.find("needs an API token"), std::string::npos) << no_token.err;
}

}  // namespace
}  // namespace berth::testing
