#include "proxy/nginx_proxy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fs/atomic_file.h"
#include "proxy/nginx_config.h"
#include "proxy/proxy_fakes_test.h"

namespace berth::proxy {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using testing::answer;
using testing::exited;

// A pretend nginx: `nginx -t` answers what the test says, `nginx -s reload` loads the files in
// conf_dir (the generation of each becomes what the marker answers), and HTTP requests are
// answered from what is loaded.
class NginxProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("berth-nginx-proxy-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    commands_.setScript([this](const std::vector<std::string>& argv) {
      if (argv.back() == "-t") return test_result_;
      if (!reload_takes_effect_) return reload_result_;
      live_.clear();
      for (const auto& e : fs::directory_iterator(dir_))
        if (e.path().extension() == ".conf")
          live_ += renderedGeneration(*readFileIfExists(e.path())) + " ";
      return reload_result_;
    });
    http_.setHandler([this](const net::HttpRequest& r) {
      if (r.url.ends_with(std::string(kRouteMarkerPath))) {
        // The first loaded generation stands in for "the server block of this Host".
        return answer(200, live_.substr(0, live_.find(' ')) + "\n");
      }
      return answer(200, "app");
    });
  }
  void TearDown() override { fs::remove_all(dir_); }

  NginxProxy makeProxy(std::chrono::milliseconds window = 0ms) {
    NginxOptions o;
    o.conf_dir = dir_.string();
    o.listen = "127.0.0.1:58080";
    o.test_argv = {"nginx", "-p", "/srv/x/", "-t"};
    o.reload_argv = {"nginx", "-p", "/srv/x/", "-s", "reload"};
    o.settle_timeout = 300ms;
    o.settle_window = window;  // 0: the fake switches at once
    return NginxProxy(o, commands_, http_);
  }

  static Route route(std::vector<Upstream> upstreams) {
    Route r;
    r.project = "web";
    r.stage = "production";
    r.domains = {"example.com"};
    r.upstreams = std::move(upstreams);
    return r;
  }

  fs::path file() const { return dir_ / "berth.web.production.conf"; }

  fs::path dir_;
  testing::FakeCommandRunner commands_;
  testing::FakeHttp http_;
  CommandOutcome test_result_ = exited(0, "nginx: configuration file test is successful\n");
  CommandOutcome reload_result_ = exited(0);
  bool reload_takes_effect_ = true;
  std::string live_;
};

TEST_F(NginxProxyTest, ApplyWritesTestsReloadsAndWaitsForTheNewGeneration) {
  auto proxy = makeProxy();
  const auto r = route({{"127.0.0.1", 32768}});
  proxy.apply(r);
  EXPECT_EQ(readFileIfExists(file()), renderNginxConfig(r, {"127.0.0.1:58080"}).text);
  const auto calls = commands_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], (std::vector<std::string>{"nginx", "-p", "/srv/x/", "-t"}));
  EXPECT_EQ(calls[1], (std::vector<std::string>{"nginx", "-p", "/srv/x/", "-s", "reload"}));
  const auto requests = http_.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().url, "http://127.0.0.1:58080/.well-known/berth-route");
  EXPECT_EQ(requests.back().headers.get("Host"), "example.com");
  EXPECT_EQ(proxy.current(r.key()), r);
}

TEST_F(NginxProxyTest, RejectedTestRestoresThePreviousFileAndDoesNotReload) {
  auto proxy = makeProxy();
  const auto v1 = route({{"127.0.0.1", 32768}});
  proxy.apply(v1);
  const auto before = readFileIfExists(file());
  test_result_ = exited(1,
                        "nginx: [emerg] invalid port in \"127.0.0.1:0\"\nnginx: "
                        "configuration file /x/nginx.conf test failed\n");
  try {
    proxy.apply(route({{"127.0.0.1", 32769}}));
    FAIL() << "apply should throw";
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::config_rejected);
    EXPECT_EQ(e.driver(), "nginx");
    EXPECT_EQ(e.stage(), "web/production");
    EXPECT_NE(e.detail().find("[emerg] invalid port"), std::string::npos) << e.what();
  }
  EXPECT_EQ(readFileIfExists(file()), before);
  EXPECT_EQ(commands_.calls().size(), 3u);  // test, reload, test: no second reload
  EXPECT_EQ(proxy.current(v1.key()), v1);
}

TEST_F(NginxProxyTest, RejectedFirstApplyLeavesNoFile) {
  auto proxy = makeProxy();
  test_result_ = exited(1, "nginx: [emerg] bad\n");
  EXPECT_THROW(proxy.apply(route({{"127.0.0.1", 32768}})), ProxyError);
  EXPECT_FALSE(fs::exists(file()));
}

TEST_F(NginxProxyTest, FailedReloadRestoresThePreviousFile) {
  auto proxy = makeProxy();
  proxy.apply(route({{"127.0.0.1", 32768}}));
  const auto before = readFileIfExists(file());
  reload_result_ = exited(1, "nginx: [error] invalid PID number \"\" in \"/x/nginx.pid\"\n");
  try {
    proxy.apply(route({{"127.0.0.1", 32769}}));
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::command_failed);
    EXPECT_NE(e.detail().find("invalid PID"), std::string::npos);
    EXPECT_NE(e.detail().find("nginx -p /srv/x/ -s reload: exit code 1"), std::string::npos);
  }
  EXPECT_EQ(readFileIfExists(file()), before);
}

TEST_F(NginxProxyTest, ReloadThatNeverTakesEffectIsNotEffectiveAndRestores) {
  auto proxy = makeProxy();
  proxy.apply(route({{"127.0.0.1", 32768}}));
  const auto before = readFileIfExists(file());
  reload_takes_effect_ = false;
  try {
    proxy.apply(route({{"127.0.0.1", 32769}}));
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::not_effective);
    EXPECT_NE(e.detail().find("previous file restored"), std::string::npos) << e.what();
  }
  EXPECT_EQ(readFileIfExists(file()), before);
}

// Right after a reload nginx's old worker still accepts for a while: answers alternating
// between the old and the new generation are not a switch yet.
TEST_F(NginxProxyTest, AnOldWorkerStillAnsweringIsNotSettled) {
  auto proxy = makeProxy(100ms);
  proxy.apply(route({{"127.0.0.1", 32768}}));
  const std::string old_generation = live_;
  reload_takes_effect_ = false;
  int n = 0;
  http_.setHandler([&](const net::HttpRequest&) {
    const auto next = renderNginxConfig(route({{"127.0.0.1", 32769}}), {"127.0.0.1:58080"});
    return answer(200, (n++ % 2 == 0 ? next.generation : old_generation) + "\n");
  });
  try {
    proxy.apply(route({{"127.0.0.1", 32769}}));
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::not_effective);
  }
  EXPECT_GT(n, 4);
}

TEST_F(NginxProxyTest, ReapplyingTheLiveRouteRunsNoCommand) {
  auto proxy = makeProxy();
  const auto r = route({{"127.0.0.1", 32768}});
  proxy.apply(r);
  proxy.apply(r);
  EXPECT_EQ(commands_.calls().size(), 2u);
}

TEST_F(NginxProxyTest, RouteWithoutDomainsIsNotRouted) {
  auto proxy = makeProxy();
  auto r = route({{"127.0.0.1", 32768}});
  proxy.apply(r);
  r.domains.clear();
  proxy.apply(r);
  EXPECT_FALSE(fs::exists(file()));
  EXPECT_EQ(proxy.current(r.key()), std::nullopt);
  // The probe of an unrouted stage goes to the instance itself.
  const auto p = proxy.probe(r, "/healthz", 1s);
  EXPECT_EQ(p.url, "http://127.0.0.1:32768/healthz");
  EXPECT_EQ(p.via, "direct");
}

TEST_F(NginxProxyTest, RemoveDeletesTestsAndReloadsAndIgnoresWhatIsGone) {
  auto proxy = makeProxy();
  const auto r = route({{"127.0.0.1", 32768}});
  proxy.remove(r.key());
  EXPECT_TRUE(commands_.calls().empty());
  proxy.apply(r);
  proxy.remove(r.key());
  EXPECT_FALSE(fs::exists(file()));
  EXPECT_EQ(commands_.calls().size(), 4u);
}

TEST_F(NginxProxyTest, InvalidRouteTouchesNothing) {
  auto proxy = makeProxy();
  auto r = route({{"127.0.0.1", 32768}});
  r.domains = {"example.com;"};
  try {
    proxy.apply(r);
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::invalid_route);
  }
  EXPECT_TRUE(commands_.calls().empty());
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(NginxProxyTest, ProbeGoesThroughTheListenAddressWithTheDomainAsHost) {
  auto proxy = makeProxy();
  auto r = route({{"127.0.0.1", 32768}});
  r.domains = {"*.example.com"};
  const auto p = proxy.probe(r, "/healthz", 1s);
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(p.body, "app");
  EXPECT_EQ(p.url, "http://127.0.0.1:58080/healthz");
  EXPECT_EQ(p.via, "nginx at 127.0.0.1:58080 (Host: berth-probe.example.com)");
}

TEST_F(NginxProxyTest, CurrentOfAFileThatIsNotBerthsIsNothing) {
  auto proxy = makeProxy();
  std::ofstream(file()) << "server { listen 80; }\n";
  EXPECT_EQ(proxy.current(route({}).key()), std::nullopt);
}

}  // namespace
}  // namespace berth::proxy
