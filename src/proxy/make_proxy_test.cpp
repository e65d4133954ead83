#include "proxy/make_proxy.h"

#include <gtest/gtest.h>

#include "proxy/nginx_proxy.h"
#include "proxy/npm_proxy.h"
#include "proxy/proxy_fakes_test.h"

namespace berth::proxy {
namespace {

class MakeProxy : public ::testing::Test {
 protected:
  ProxyDeps deps() {
    return ProxyDeps{http_, commands_, clock_,
                     [](const std::string&) { return std::optional<std::string>(); }};
  }
  testing::FakeHttp http_;
  testing::FakeCommandRunner commands_;
  FakeClock clock_;
};

TEST_F(MakeProxy, PicksTheConfiguredDriver) {
  ProxySettings s;
  EXPECT_EQ(makeProxy(s, deps())->driver(), "none");
  s.driver = ProxyDriver::nginx;
  s.conf_dir = "/etc/nginx/conf.d";
  s.listen = "8080";
  auto nginx = makeProxy(s, deps());
  EXPECT_EQ(nginx->driver(), "nginx");
  EXPECT_EQ(dynamic_cast<NginxProxy&>(*nginx).probeAddress(), "127.0.0.1:8080");
  s = ProxySettings{};
  s.driver = ProxyDriver::npm;
  s.url = "http://npm:81";
  s.identity = "admin@example.com";
  s.secret_env = "NPM_PASSWORD";
  auto npm = makeProxy(s, deps());
  EXPECT_EQ(npm->driver(), "npm");
  EXPECT_EQ(dynamic_cast<NpmProxy&>(*npm).probeAddress(), "npm:80");
}

TEST_F(MakeProxy, SplitsTheConfiguredCommands) {
  ProxySettings s;
  s.driver = ProxyDriver::nginx;
  s.conf_dir = "/tmp";
  s.test_cmd = "/usr/sbin/nginx -p '/srv/my nginx/' -t";
  s.reload_cmd = "\"oops";
  try {
    makeProxy(s, deps());
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::unsupported);
    EXPECT_NE(e.detail().find("proxy.reload_cmd"), std::string::npos);
    EXPECT_NE(e.detail().find("unterminated double quote"), std::string::npos);
  }
}

TEST_F(MakeProxy, RefusesIncompleteSettings) {
  ProxySettings s;
  s.driver = ProxyDriver::nginx;
  EXPECT_THROW(makeProxy(s, deps()), ProxyError);
  s.driver = ProxyDriver::npm;
  s.url = "http://npm:81";
  EXPECT_THROW(makeProxy(s, deps()), ProxyError);
}

}  // namespace
}  // namespace berth::proxy
