// The deploy engine for real: the sandbox dockerd, registry and nginx (driver nginx, reach
// host). Each test deploys the sandbox's test images to a project of its own and checks what
// answers *through nginx* with the stage's Host header.
// EngineNpmIntegration runs the same blue-green deploys with driver npm against the NPM double
// (tests/fakes/npm_double.h), which renders real server blocks into the same sandbox nginx.
#include "deploy/engine.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "docker/docker_client.h"
#include "docker/endpoint.h"
#include "fakes/npm_double.h"
#include "net/curl_http_client.h"
#include "proxy/command_line.h"
#include "proxy/command_runner.h"
#include "proxy/make_proxy.h"
#include "proxy/nginx_config.h"
#include "store/store.h"
#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class EngineIntegration : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    project_ = "eng" + std::to_string(::getpid()) + "x" + std::to_string(counter_++);
    domain_ = project_ + ".berth.test";
    network_ = project_ + "-net";
    auto r = docker(sandbox(), {"network", "create", network_});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    dir_ = fs::temp_directory_path() / uniqueName("berth-engine-it");
    fs::create_directories(dir_);

    Config config;
    config.docker.network = network_;
    config.proxy.reach = ProxyReach::host;
    configureProxy(config.proxy);
    Project project;
    project.name = project_;
    project.image = sandbox().registry + "/" + sandbox().image_repo;
    project.port = sandbox().image_port;
    project.health = {.path = "/healthz", .interval = 250ms, .timeout = 8s};
    Stage staging;
    staging.name = "staging";
    staging.strategy = Strategy::recreate;
    staging.domains = {"staging-" + domain_};
    Stage production;
    production.name = "production";
    production.promote_from = "staging";
    production.strategy = Strategy::blue_green;
    production.replicas = replicas_;
    production.domains = {domain_};
    project.stages = {staging, production};
    config.projects = {project};

    store_ = Store::open(dir_ / "berth.db");
    store_->replaceConfig(config);
    auto endpoint = docker::parseDockerEndpoint(sandbox().docker_host);
    ASSERT_TRUE(endpoint.ok()) << endpoint.error();
    docker_ = std::make_unique<docker::DockerClient>(http_, *endpoint);
    proxy_ = proxy::makeProxy(
        config.proxy, proxy::ProxyDeps{http_, commands_, systemClock(), proxyEnv()}, proxyTuning());
    journal_ = std::make_unique<deploy::Journal>(*store_, events_, logger_);
    startEngine();
  }

  // The proxy section of berth.yaml for this fixture: the nginx driver on the sandbox nginx.
  virtual void configureProxy(ProxySettings& proxy) {
    proxy.driver = ProxyDriver::nginx;
    proxy.conf_dir = sandbox().nginx_conf_dir;
    proxy.listen = sandbox().nginx;
    proxy.test_cmd = sandbox().nginx_test_cmd;
    proxy.reload_cmd = sandbox().nginx_reload_cmd;
  }
  virtual proxy::EnvLookup proxyEnv() { return proxy::processEnv(); }
  virtual proxy::ProxyTuning proxyTuning() { return {}; }

  void startEngine() {
    deploy::EngineOptions options;
    options.drain = 500ms;
    engine_ = std::make_unique<deploy::Engine>(
        deploy::Services{*docker_, *proxy_, http_, systemClock(), *journal_}, options);
  }

  void TearDown() override {
    if (!haveSandbox()) return;
    if (engine_) engine_->shutdown(30s);
    removeProjectContainers(sandbox(), project_);
    bool removed = false;
    for (const char* stage : {"staging", "production"}) {
      removed |=
          fs::remove(fs::path(sandbox().nginx_conf_dir) / proxy::nginxFileName(project_, stage));
    }
    if (removed) {
      reloadNginx(sandbox());
    }
    docker(sandbox(), {"network", "rm", network_});
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  DeployRecord deploy(const std::string& tag, const std::string& stage = "production") {
    return finish(engine_->enqueue(project_, stage, tag, DeployTrigger::manual));
  }
  DeployRecord finish(std::int64_t id) {
    EXPECT_TRUE(engine_->waitIdle(120s));
    return *journal_->get(id);
  }
  // Pushes the content of test image `from` under `tag` to the sandbox registry.
  void push(const std::string& from, const std::string& tag) {
    const std::string target = sandbox().imageRef(sandbox().registry, tag);
    auto r = docker(sandbox(), {"tag", sandbox().imageRef(sandbox().registry, from), target});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    r = docker(sandbox(), {"push", target});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }
  std::string logOf(std::int64_t id) {
    std::string out;
    for (const auto& line : journal_->logOf(id))
      out += line.message + "\n";
    return out;
  }
  HttpResponse throughNginx() const {
    return httpRequest(
        HttpRequest("http://" + sandbox().nginx + "/").withHeader("Host: " + domain_));
  }
  std::vector<std::string> containersOfProject(const std::string& stage = "production") {
    auto r = docker(sandbox(),
                    {"ps", "-a", "--format", "{{.Names}}", "--filter",
                     "label=berth.project=" + project_, "--filter", "label=berth.stage=" + stage});
    std::vector<std::string> names;
    std::istringstream in(r.out);
    for (std::string n; std::getline(in, n);)
      if (!trim(n).empty()) names.push_back(trim(n));
    std::sort(names.begin(), names.end());
    return names;
  }

  // While `tags` deploy one after the other to production, a client opening a new connection
  // per request asks nginx the whole time: not one request may fail, and the answers move
  // through the tags in order. Production must already serve `previous`.
  void blueGreenUnderLoad(const std::string& previous, const std::vector<std::string>& tags) {
    ASSERT_EQ(throughNginx().body, previous);
    std::atomic<bool> stop{false};
    std::atomic<int> requests{0};
    std::vector<std::string> failures;
    std::vector<std::string> seen;  // distinct bodies in order
    std::thread load([&] {
      for (int i = 0; i < 20000 && !stop; ++i) {  // bounded
        const auto r = throughNginx();
        ++requests;
        if (r.status != 200) {
          failures.push_back(std::to_string(r.status) + " " + r.error);
        } else if (seen.empty() || seen.back() != r.body) {
          seen.push_back(r.body);
        }
      }
    });
    for (const std::string& tag : tags) {
      const auto record = deploy(tag);
      EXPECT_EQ(record.state, DeployState::succeeded) << tag << ": " << record.reason << "\n"
                                                      << logOf(record.id);
      EXPECT_EQ(containersOfProject().size(), static_cast<std::size_t>(replicas_));
      // Once the deploy has ended (old instances drained and removed) only the new version
      // answers. During the switch nginx's old workers may still answer for a moment after
      // the reload, so answers may alternate briefly; none fails.
      for (int i = 0; i < 20; ++i)
        EXPECT_EQ(throughNginx().body, tag);
    }
    std::this_thread::sleep_for(200ms);
    stop = true;
    load.join();
    EXPECT_GT(requests, 50);
    EXPECT_TRUE(failures.empty()) << failures.size() << " of " << requests
                                  << " failed, first: " << failures.front();
    // Versions in order of first appearance: previous, then each tag (and never `previous`
    // once the last tag has answered).
    std::vector<std::string> first;
    for (const auto& body : seen)
      if (std::find(first.begin(), first.end(), body) == first.end()) first.push_back(body);
    std::vector<std::string> expected{previous};
    expected.insert(expected.end(), tags.begin(), tags.end());
    EXPECT_EQ(first, expected);
    const auto last_at = std::find(seen.begin(), seen.end(), tags.back());
    EXPECT_EQ(std::find(last_at, seen.end(), previous), seen.end());
    std::cout << "load: " << requests << " requests, " << failures.size() << " failed, "
              << seen.size() << " version changes seen\n";
    EXPECT_EQ(throughNginx().body, tags.back());
  }

  static inline int counter_ = 0;
  int replicas_ = 2;
  std::string project_, domain_, network_;
  fs::path dir_;
  net::CurlHttpClient http_;
  proxy::ProcessRunner commands_;
  deploy::NullEventSink events_;
  std::ostringstream log_out_;
  Logger logger_{log_out_, LogLevel::error, LogFormat::json};
  std::unique_ptr<Store> store_;
  std::unique_ptr<docker::DockerClient> docker_;
  std::unique_ptr<proxy::Proxy> proxy_;
  std::unique_ptr<deploy::Journal> journal_;
  std::unique_ptr<deploy::Engine> engine_;
};

// While v1 -> v2 -> v3 deploy, a client opening a new connection per request asks nginx the
// whole time: not one request may fail, and the answers move from v1 to v2 to v3.
TEST_F(EngineIntegration, BlueGreenV1V2V3ThroughNginxWithZeroFailedRequests) {
  const auto v1 = deploy("v1");
  ASSERT_EQ(v1.state, DeployState::succeeded) << v1.reason << "\n" << logOf(v1.id);
  blueGreenUnderLoad("v1", {"v2", "v3"});
}

TEST_F(EngineIntegration, NeverHealthyIsRolledBackAndTheOldVersionStillAnswers) {
  ASSERT_EQ(deploy("v1").state, DeployState::succeeded);
  const auto before = containersOfProject();
  const auto bad = deploy("unhealthy");
  EXPECT_EQ(bad.state, DeployState::rolled_back) << logOf(bad.id);
  EXPECT_NE(bad.reason.find("not healthy"), std::string::npos) << bad.reason;
  EXPECT_EQ(throughNginx().body, "v1");
  EXPECT_EQ(containersOfProject(), before);
}

TEST_F(EngineIntegration, ExitsAtOnceFailsFastWithItsLog) {
  ASSERT_EQ(deploy("v1").state, DeployState::succeeded);
  const auto started = std::chrono::steady_clock::now();
  const auto crash = deploy("crash");
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(crash.state, DeployState::rolled_back) << logOf(crash.id);
  // "exited with code 3", or "exited and was restarted 1 time(s)" when the restart policy
  // was quicker than the check.
  EXPECT_NE(crash.reason.find("exited"), std::string::npos) << crash.reason;
  EXPECT_NE(logOf(crash.id).find("exited"), std::string::npos) << logOf(crash.id);
  EXPECT_LT(took, 6s);  // the health timeout is 8 s
  EXPECT_EQ(throughNginx().body, "v1");
  EXPECT_EQ(containersOfProject().size(), 2u);
}

TEST_F(EngineIntegration, PromotionRunsTheSameDigestEvenAfterTheTagIsRepushed) {
  const std::string tag = "promo-" + project_;
  push("v1", tag);
  const auto staging = deploy(tag, "staging");
  ASSERT_EQ(staging.state, DeployState::succeeded) << logOf(staging.id);
  EXPECT_THROW(engine_->promote(project_, "production", "v2"), deploy::EngineRefused);
  push("v2", tag);  // the tag now names other content
  const auto promoted = finish(engine_->promote(project_, "production", tag));
  ASSERT_EQ(promoted.state, DeployState::succeeded) << logOf(promoted.id);
  EXPECT_EQ(promoted.image_digest, staging.image_digest);
  EXPECT_EQ(throughNginx().body, "v1");
}

TEST_F(EngineIntegration, RollbackToThePreviousDeployIsADeployWithALog) {
  const auto v1 = deploy("v1");
  ASSERT_EQ(v1.state, DeployState::succeeded);
  ASSERT_EQ(deploy("v2").state, DeployState::succeeded);
  EXPECT_EQ(throughNginx().body, "v2");
  const auto back = finish(engine_->rollback(project_, "production"));
  ASSERT_EQ(back.state, DeployState::succeeded) << logOf(back.id);
  EXPECT_EQ(back.trigger, DeployTrigger::rollback);
  EXPECT_EQ(back.image_digest, v1.image_digest);
  EXPECT_NE(logOf(back.id).find("rollback to deploy " + std::to_string(v1.id)), std::string::npos);
  EXPECT_EQ(throughNginx().body, "v1");
}

// kill -9 during `checking` (the slow image takes 5 s to answer), then start again: the
// deploy is interrupted, its half-made containers are gone, v1 still answers, and the next
// deploy succeeds.
TEST_F(EngineIntegration, CrashDuringCheckingIsRecoveredAtStartUp) {
  ASSERT_EQ(deploy("v1").state, DeployState::succeeded);
  const auto before = containersOfProject();
  engine_->shutdown(10s);
  engine_.reset();

  const std::string db = (dir_ / "berth.db").string();
  std::vector<std::string> args{BERTH_ENGINE_CRASH_HELPER, db, "production", "slow",
                                sandbox().docker_host};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  std::optional<DeployRecord> crashed;
  for (int i = 0; i < 1200; ++i) {  // up to 60 s
    auto latest = store_->listDeploys(DeployQuery{.project = project_,
                                                  .stage = "production",
                                                  .state = std::nullopt,
                                                  .before_id = std::nullopt,
                                                  .limit = 1});
    if (!latest.empty() && latest[0].image_tag == "slow" &&
        latest[0].state == DeployState::checking) {
      crashed = latest[0];
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(crashed) << "the helper never reached checking";
  EXPECT_EQ(containersOfProject().size(), 4u);  // v1's two and the slow pair, half-made

  startEngine();
  engine_->reconcile();
  const auto after = *journal_->get(crashed->id);
  EXPECT_EQ(after.state, DeployState::interrupted);
  EXPECT_EQ(after.reason, "berth stopped during checking");
  EXPECT_EQ(containersOfProject(), before);
  EXPECT_EQ(throughNginx().body, "v1");
  ASSERT_EQ(deploy("v2").state, DeployState::succeeded);
  EXPECT_EQ(throughNginx().body, "v2");
}

// The same engine with driver npm: berth talks to the NPM double's REST API, and the double
// renders each proxy host as a real server block into the sandbox nginx, tests and reloads it.
// One replica: an NPM proxy host forwards to one address, and with reach: host there is no
// shared alias for several (Route::shared, docs/design-notes.md).
class EngineNpmIntegration : public EngineIntegration {
 protected:
  void SetUp() override {
    replicas_ = 1;
    EngineIntegration::SetUp();
  }
  void TearDown() override {
    EngineIntegration::TearDown();
    npm_.reset();  // removes its nginx files and reloads
  }
  void configureProxy(ProxySettings& proxy) override {
    NpmDoubleOptions o;
    o.nginx_conf_dir = sandbox().nginx_conf_dir;
    o.nginx_listen = sandbox().nginx;
    o.nginx_test_argv = argvOf(sandbox().nginx_test_cmd);
    o.nginx_reload_argv = argvOf(sandbox().nginx_reload_cmd);
    npm_ = std::make_unique<NpmDouble>(o);
    proxy.driver = ProxyDriver::npm;
    proxy.url = npm_->url();
    proxy.identity = o.identity;
    proxy.secret_env = "BERTH_TEST_NPM_SECRET";
    secret_ = o.secret;
  }
  proxy::EnvLookup proxyEnv() override {
    return [secret = secret_](const std::string& name) -> std::optional<std::string> {
      if (name == "BERTH_TEST_NPM_SECRET") return secret;
      return std::nullopt;
    };
  }
  proxy::ProxyTuning proxyTuning() override {
    proxy::ProxyTuning tuning;
    tuning.probe_address = sandbox().nginx;  // where the double's server blocks listen
    return tuning;
  }
  static std::vector<std::string> argvOf(const std::string& command) {
    std::string why;
    auto argv = proxy::splitCommandLine(command, &why);
    EXPECT_TRUE(argv) << command << ": " << why;
    return argv.value_or(std::vector<std::string>{});
  }

  std::unique_ptr<NpmDouble> npm_;
  std::string secret_;
};

TEST_F(EngineNpmIntegration, BlueGreenV1V2V3ThroughTheNpmDoubleWithZeroFailedRequests) {
  const auto v1 = deploy("v1");
  ASSERT_EQ(v1.state, DeployState::succeeded) << v1.reason << "\n" << logOf(v1.id);
  ASSERT_EQ(npm_->hosts().size(), 1u);  // created by the driver, found by its domain
  blueGreenUnderLoad("v1", {"v2", "v3"});
  // Every switch was a PUT of the forward address to the one host, read back online.
  const auto host = npm_->hosts().front();
  EXPECT_EQ(host["domain_names"], nlohmann::json::array({domain_}));
  EXPECT_TRUE(host["meta"]["nginx_online"].get<bool>());
  const auto puts =
      npm_->bodies("PUT /api/nginx/proxy-hosts/" + std::to_string(host["id"].get<int>()));
  EXPECT_GE(puts.size(), 2u);
}

}  // namespace
}  // namespace berth::testing
