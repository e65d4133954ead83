// The dashboard end to end: the real berth binary serving its embedded dashboard, on the
// sandbox's dockerd and registry, driven in Debian's chromium by web/e2e/dashboard.e2e.mjs
// (playwright-core): log in (a wrong password first), see the project, deploy a tag and watch
// the live log reach "succeeded", promote it to production, create and revoke an API token,
// the phone layout, berth killed and started again while the page stays open (it reconnects by
// itself and shows a later deploy without a reload), log out. Screenshots of each page go to
// build/dashboard-screenshots/.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "support/berth_process.h"
#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kAdminPassword = "dashboard e2e password";

class DashboardEndToEnd : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    const fs::path chromium = "/usr/bin/chromium";
    const fs::path playwright = fs::path(BERTH_SOURCE_DIR) / "web/node_modules/playwright-core";
    if (!fs::exists(chromium) || !fs::exists(playwright)) {
      const std::string why =
          "needs Debian's chromium and web/node_modules (make deps; make build)";
      if (ciMode()) FAIL() << why << " (CI=true)";
      GTEST_SKIP() << why;
    }
    ready_ = true;
    project_ = "dash" + std::to_string(::getpid());
    network_ = project_ + "-net";
    dir_ = fs::temp_directory_path() / uniqueName("berth-dashboard-it");
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!ready_) return;
    if (berth_) berth_->stop(SIGTERM, 60s);
    if (HasFailure() && berth_) std::cerr << "---- berth log ----\n" << berth_->log() << "\n";
    berth_.reset();
    removeProjectContainers(sandbox(), project_);
    docker(sandbox(), {"network", "rm", network_});
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  bool ready_ = false;
  std::string project_, network_;
  fs::path dir_;
  std::unique_ptr<BerthProcess> berth_;
};

TEST_F(DashboardEndToEnd, LogInDeployWatchTheLogPromoteAndManageTokens) {
  const std::string repository = sandbox().registry + "/berth-e2e/" + project_;
  for (const char* tag : {"v1", "v2"}) {
    auto r = docker(sandbox(),
                    {"tag", sandbox().imageRef(sandbox().registry, tag), repository + ":" + tag});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    r = docker(sandbox(), {"push", repository + ":" + tag});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }
  std::ofstream(dir_ / "berth.yaml")
      << "server: { data_dir: " << (dir_ / "data").string() << " }\n"
      << "docker: { host: \"" << sandbox().docker_host << "\", network: " << network_ << " }\n"
      << "projects:\n"
      << "  - name: " << project_ << "\n"
      << "    image: " << repository << "\n"
      << "    port: " << sandbox().image_port << "\n"
      << "    health: { path: /healthz, interval: 200ms, timeout: 30s }\n"
      << "    stages:\n"
      << "      - { name: staging }\n"
      << "      - { name: production, promote_from: staging, strategy: blue-green, drain: 1s }\n";
  const auto start = [&](std::vector<std::string> args, const std::string& log_name) {
    args.insert(args.begin(), "--no-poll");
    berth_ = std::make_unique<BerthProcess>(
        BERTH_BINARY, dir_ / "berth.yaml", dir_ / log_name, args,
        std::map<std::string, std::string>{{"ADMIN_PASSWORD", kAdminPassword}});
    return berth_->waitStarted(30s);
  };
  const auto url = start({}, "berth.log");
  ASSERT_TRUE(url) << berth_->log();

  const fs::path shots = fs::path(BERTH_BINARY_DIR) / "dashboard-screenshots";
  const fs::path restart_dir = dir_ / "restart";
  fs::create_directories(restart_dir);
  auto e2e_run = std::async(std::launch::async, [&] {
    return runCommand({"node", (fs::path(BERTH_SOURCE_DIR) / "web/e2e/dashboard.e2e.mjs").string()},
                      {{"BASE_URL", *url},
                       {"ADMIN_PASSWORD", kAdminPassword},
                       {"SCREENSHOT_DIR", shots.string()},
                       {"DEPLOY_TAG", "v2"},
                       {"RESTART_DIR", restart_dir.string()}},
                      240s);
  });
  // When the page asks for it: SIGKILL (no goodbye to the browser), a few seconds down so the
  // page has to back off, then the same address and data directory again.
  bool restarted = false;
  while (e2e_run.wait_for(200ms) != std::future_status::ready) {
    if (restarted || !fs::exists(restart_dir / "kill-now")) continue;
    restarted = true;
    EXPECT_EQ(berth_->stop(SIGKILL, 10s), 128 + SIGKILL);
    std::this_thread::sleep_for(3s);
    const auto again =
        start({"--listen", url->substr(std::string("http://").size())}, "berth-restarted.log");
    EXPECT_EQ(again, url) << berth_->log();
    std::ofstream(restart_dir / "restarted") << "";
  }
  const auto e2e = e2e_run.get();
  EXPECT_TRUE(restarted) << "the e2e script never asked for the restart";
  EXPECT_FALSE(e2e.timed_out);
  EXPECT_EQ(e2e.exit_code, 0) << e2e.describe();
  std::cout << e2e.out;
  EXPECT_TRUE(fs::exists(shots) && !fs::is_empty(shots));
}

}  // namespace
}  // namespace berth::testing
