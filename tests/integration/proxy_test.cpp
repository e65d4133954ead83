// The proxy drivers for real: the nginx driver writes, tests and reloads the sandbox nginx; the
// npm driver talks to the NPM double, which renders real server blocks into the same nginx.
// Each test runs test containers (v1, v2) published on 127.0.0.1 and checks what answers
// *through nginx* with the stage's Host header.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "core/clock.h"
#include "fakes/npm_double.h"
#include "net/curl_http_client.h"
#include "proxy/command_line.h"
#include "proxy/command_runner.h"
#include "proxy/nginx_config.h"
#include "proxy/nginx_proxy.h"
#include "proxy/npm_proxy.h"
#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using proxy::ProxyError;
using proxy::Route;
using proxy::Upstream;

std::vector<std::string> argvOf(const std::string& command) {
  std::string why;
  auto argv = proxy::splitCommandLine(command, &why);
  EXPECT_TRUE(argv) << command << ": " << why;
  return argv.value_or(std::vector<std::string>{});
}

class ProxyIntegration : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    network_ = uniqueName("berth-it-proxy-net");
    auto r = docker(sandbox(), {"network", "create", network_});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    // A project name unique to this test, so files and domains never collide across runs.
    project_ = "it" + std::to_string(::getpid()) + "x" + std::to_string(counter_++);
    domain_ = project_ + ".berth.test";
  }

  void TearDown() override {
    if (!haveSandbox()) return;
    npm_.reset();  // removes its files and reloads
    bool removed = false;
    for (const auto& e : fs::directory_iterator(sandbox().nginx_conf_dir))
      if (e.path().filename().string().find("." + project_ + ".") != std::string::npos)
        removed |= fs::remove(e.path());
    if (removed) runCommand(argvOf(sandbox().nginx_reload_cmd));
    if (!containers_.empty()) {
      std::vector<std::string> args{"rm", "-f", "-v"};
      args.insert(args.end(), containers_.begin(), containers_.end());
      docker(sandbox(), args);
    }
    docker(sandbox(), {"network", "rm", network_});
  }

  // Runs the test image `tag` and returns how the proxy reaches it (reach: host).
  Upstream start(const std::string& tag) {
    const std::string name = uniqueName("berth-it-proxy-" + tag);
    containers_.push_back(name);
    auto r = docker(sandbox(), {"run", "-d", "--name", name, "--network", network_, "-p",
                                "127.0.0.1::" + std::to_string(sandbox().image_port),
                                sandbox().imageRef(sandbox().registry, tag)});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    auto port = docker(sandbox(), {"port", name, std::to_string(sandbox().image_port) + "/tcp"});
    const std::string addr = trim(port.out.substr(0, port.out.find('\n')));
    const int p = std::stoi(addr.substr(addr.rfind(':') + 1));
    const auto ready = waitForHttp("http://127.0.0.1:" + std::to_string(p) + "/healthz", 20s);
    EXPECT_EQ(ready.status, 200) << tag << " did not come up: " << ready.error;
    return Upstream{"127.0.0.1", p};
  }

  Route route(std::vector<Upstream> upstreams) const {
    Route r;
    r.project = project_;
    r.stage = "production";
    r.domains = {domain_};
    r.upstreams = std::move(upstreams);
    return r;
  }

  proxy::NginxOptions nginxOptions() const {
    proxy::NginxOptions o;
    o.conf_dir = sandbox().nginx_conf_dir;
    o.listen = sandbox().nginx;
    o.test_argv = argvOf(sandbox().nginx_test_cmd);
    o.reload_argv = argvOf(sandbox().nginx_reload_cmd);
    return o;
  }

  // GET / through the sandbox nginx with the stage's Host, on a new connection.
  HttpResponse throughNginx() const {
    return httpRequest(
        HttpRequest("http://" + sandbox().nginx + "/").withHeader("Host: " + domain_));
  }

  std::string confFile() const {
    return (fs::path(sandbox().nginx_conf_dir) / proxy::nginxFileName(project_, "production"))
        .string();
  }

  static inline int counter_ = 0;
  std::string network_, project_, domain_;
  std::vector<std::string> containers_;
  proxy::ProcessRunner commands_;
  net::CurlHttpClient http_;
  std::unique_ptr<NpmDouble> npm_;
};

TEST_F(ProxyIntegration, NginxDriverSwitchesFromV1ToV2) {
  const auto v1 = start("v1"), v2 = start("v2");
  proxy::NginxProxy nginx(nginxOptions(), commands_, http_);

  nginx.apply(route({v1}));
  EXPECT_EQ(throughNginx().body, "v1");
  EXPECT_EQ(nginx.probe(route({v1}), "/", 2s).body, "v1");
  EXPECT_EQ(nginx.current(route({}).key()), route({v1}));

  nginx.apply(route({v2}));
  EXPECT_EQ(throughNginx().body, "v2");
  EXPECT_EQ(nginx.current(route({}).key()), route({v2}));

  nginx.remove(route({}).key());
  EXPECT_FALSE(fs::exists(confFile()));
  EXPECT_NE(throughNginx().body.find("berth sandbox nginx"), std::string::npos);
}

TEST_F(ProxyIntegration, NginxDriverSpreadsRequestsOverReplicas) {
  const auto v1 = start("v1"), v2 = start("v2");
  proxy::NginxProxy nginx(nginxOptions(), commands_, http_);
  nginx.apply(route({v1, v2}));
  std::set<std::string> seen;
  for (int i = 0; i < 10; ++i)
    seen.insert(throughNginx().body);
  EXPECT_EQ(seen, (std::set<std::string>{"v1", "v2"}));
}

// nginx -t refuses the new file: the old file is back byte for byte and still serves.
TEST_F(ProxyIntegration, NginxDriverRestoresTheOldFileWhenTheTestFails) {
  const auto v1 = start("v1"), v2 = start("v2");
  proxy::NginxProxy good(nginxOptions(), commands_, http_);
  good.apply(route({v1}));
  std::ifstream in(confFile());
  const std::string before((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  auto broken_options = nginxOptions();
  broken_options.listen = "127.0.0.1:99999";  // invalid port: nginx -t fails
  proxy::NginxProxy broken(broken_options, commands_, http_);
  try {
    broken.apply(route({v2}));
    FAIL() << "apply should have thrown";
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::config_rejected) << e.what();
    EXPECT_NE(e.detail().find("[emerg]"), std::string::npos) << e.what();
  }
  std::ifstream again(confFile());
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>()),
            before);
  EXPECT_EQ(runCommand(argvOf(sandbox().nginx_test_cmd)).exit_code, 0);
  EXPECT_EQ(throughNginx().body, "v1");
}

// A client opening a new connection per request never sees a failure while the upstream is
// switched back and forth (the "zero failed requests" for such clients).
TEST_F(ProxyIntegration, NginxSwitchesUnderLoadFailNoNewConnectionRequest) {
  const auto v1 = start("v1"), v2 = start("v2");
  proxy::NginxProxy nginx(nginxOptions(), commands_, http_);
  nginx.apply(route({v1}));
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::string last_failure;
  std::thread load([&] {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!stop && std::chrono::steady_clock::now() < deadline) {
      const auto r = throughNginx();
      if (r.status == 200 && (r.body == "v1" || r.body == "v2")) {
        ++ok;
      } else {
        ++failed;
        last_failure = std::to_string(r.status) + " " + r.body + " " + r.error;
      }
    }
  });
  for (int i = 0; i < 6; ++i) {
    nginx.apply(route({i % 2 == 0 ? v2 : v1}));
    std::this_thread::sleep_for(100ms);
  }
  stop = true;
  load.join();
  EXPECT_EQ(failed.load(), 0) << last_failure;
  EXPECT_GT(ok.load(), 20);
}

class NpmIntegration : public ProxyIntegration {
 protected:
  proxy::NpmProxy startNpm() {
    NpmDoubleOptions o;
    o.nginx_conf_dir = sandbox().nginx_conf_dir;
    o.nginx_listen = sandbox().nginx;
    o.nginx_test_argv = argvOf(sandbox().nginx_test_cmd);
    o.nginx_reload_argv = argvOf(sandbox().nginx_reload_cmd);
    npm_ = std::make_unique<NpmDouble>(o);
    proxy::NpmOptions options;
    options.credentials = proxy::NpmCredentials{npm_->url(), o.identity, "NPM_PASSWORD"};
    options.probe_address = sandbox().nginx;
    return proxy::NpmProxy(
        options, [](const std::string&) { return std::optional<std::string>("changeme"); }, http_,
        systemClock());
  }
};

TEST_F(NpmIntegration, NpmDriverSwitchesFromV1ToV2ThroughRealNginx) {
  const auto v1 = start("v1"), v2 = start("v2");
  auto npm = startNpm();
  npm.apply(route({v1}));
  EXPECT_EQ(throughNginx().body, "v1");
  EXPECT_EQ(npm.probe(route({v1}), "/", 2s).body, "v1");

  npm.apply(route({v2}));
  EXPECT_EQ(throughNginx().body, "v2");
  EXPECT_EQ(npm.current(route({}).key())->upstreams, (std::vector<Upstream>{v2}));

  npm.remove(route({}).key());
  EXPECT_NE(throughNginx().body.find("berth sandbox nginx"), std::string::npos);
}

// The operator's advanced config is kept through a switch and really applied by nginx.
TEST_F(NpmIntegration, OperatorSettingsSurviveTheSwitch) {
  const auto v1 = start("v1"), v2 = start("v2");
  auto npm = startNpm();
  const int id = npm_->addHost({{"domain_names", {domain_}},
                                {"forward_scheme", "http"},
                                {"forward_host", "127.0.0.1"},
                                {"forward_port", v1.port},
                                {"advanced_config", "add_header X-Operator kept always;"}});
  npm.apply(route({v2}));
  const auto r = throughNginx();
  EXPECT_EQ(r.body, "v2");
  EXPECT_EQ(r.header("x-operator"), "kept");
  EXPECT_EQ(npm_->host(id)["advanced_config"], "add_header X-Operator kept always;");
}

// An operator's broken advanced config makes NPM's nginx test fail: the host goes offline
// (meta.nginx_online false) and the driver reports nginx's own message.
TEST_F(NpmIntegration, HostThatNginxRefusesIsReportedOffline) {
  const auto v1 = start("v1"), v2 = start("v2");
  auto npm = startNpm();
  npm.apply(route({v1}));
  const int id = npm_->hosts().front()["id"].get<int>();
  // As the operator would do in NPM's UI (PUT with advanced_config), behind berth's back.
  auto row = npm_->host(id);
  ASSERT_EQ(row["meta"]["nginx_online"], true);
  const int broken = npm_->addHost({{"domain_names", {"broken-" + domain_}},
                                    {"forward_scheme", "http"},
                                    {"forward_host", "127.0.0.1"},
                                    {"forward_port", v1.port},
                                    {"advanced_config", "this_is_not_a_directive on;"}});
  EXPECT_EQ(npm_->host(broken)["meta"]["nginx_online"], false);
  EXPECT_NE(npm_->host(broken)["meta"]["nginx_err"].get<std::string>().find("unknown directive"),
            std::string::npos);
  // The broken host's file was set aside, so nginx still works and the switch succeeds.
  npm.apply(route({v2}));
  EXPECT_EQ(throughNginx().body, "v2");
}

}  // namespace
}  // namespace berth::testing
