#include "proxy/npm_proxy.h"

#include <gtest/gtest.h>

#include "fakes/npm_double.h"
#include "net/curl_http_client.h"

namespace berth::proxy {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The npm driver against the NPM double in-process (without nginx: hosts are reported online
// unless breakNginx() says otherwise).
class NpmProxyTest : public ::testing::Test {
 protected:
  NpmProxyTest() : npm_(doubleOptions()) {}

  berth::testing::NpmDoubleOptions doubleOptions() {
    berth::testing::NpmDoubleOptions o;
    o.now = [this] { return clock_.wallNow(); };
    return o;
  }

  NpmProxy makeProxy() {
    NpmOptions o;
    o.credentials = NpmCredentials{npm_.url(), "admin@example.com", "NPM_PASSWORD"};
    o.probe_address = "127.0.0.1:9";
    o.settle_timeout = 1s;
    return NpmProxy(o, env_, http_, clock_);
  }

  static Route route(std::string host, int port) {
    Route r;
    r.project = "web";
    r.stage = "production";
    r.domains = {"example.com", "www.example.com"};
    r.upstreams = {{std::move(host), port}};
    return r;
  }

  int count(const std::string& request) const {
    const auto all = npm_.requests();
    return static_cast<int>(std::count(all.begin(), all.end(), request));
  }

  FakeClock clock_;
  net::CurlHttpClient http_;
  EnvLookup env_ = [](const std::string&) -> std::optional<std::string> { return "changeme"; };
  berth::testing::NpmDouble npm_;
};

TEST_F(NpmProxyTest, CreatesTheProxyHostWhenMissing) {
  auto proxy = makeProxy();
  proxy.apply(route("web-production-blue", 8080));
  const auto hosts = npm_.hosts();
  ASSERT_EQ(hosts.size(), 1u);
  EXPECT_EQ(hosts[0]["domain_names"], json({"example.com", "www.example.com"}));
  EXPECT_EQ(hosts[0]["forward_host"], "web-production-blue");
  EXPECT_EQ(hosts[0]["forward_port"], 8080);
  const auto bodies = npm_.bodies("POST /api/nginx/proxy-hosts");
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0].size(), 4u) << bodies[0].dump();
  EXPECT_EQ(proxy.current(route("", 0).key())->upstreams,
            (std::vector<Upstream>{{"web-production-blue", 8080}}));
}

// The operator's SSL, access list, advanced config and locations survive every switch.
TEST_F(NpmProxyTest, SwitchChangesOnlyTheForwardAddress) {
  const json operator_fields = {{"domain_names", {"example.com"}},
                                {"forward_scheme", "http"},
                                {"forward_host", "old"},
                                {"forward_port", 80},
                                {"certificate_id", 5},
                                {"ssl_forced", true},
                                {"access_list_id", 2},
                                {"block_exploits", true},
                                {"advanced_config", "client_max_body_size 50m;"},
                                {"locations", json::array({{{"path", "/api"},
                                                            {"forward_scheme", "http"},
                                                            {"forward_host", "api"},
                                                            {"forward_port", 9000}}})}};
  const int id = npm_.addHost(operator_fields);
  auto proxy = makeProxy();
  proxy.apply(route("web-production-green", 8080));
  const auto host = npm_.host(id);
  for (const auto& [key, value] : operator_fields.items())
    if (!key.starts_with("forward_")) {
      EXPECT_EQ(host[key], value) << key;
    }
  EXPECT_EQ(host["forward_host"], "web-production-green");
  EXPECT_EQ(host["forward_port"], 8080);
  const auto puts = npm_.bodies("PUT /api/nginx/proxy-hosts/" + std::to_string(id));
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(puts[0], (json{{"forward_scheme", "http"},
                           {"forward_host", "web-production-green"},
                           {"forward_port", 8080}}));
  EXPECT_EQ(npm_.hosts().size(), 1u);
}

// NPM may insert the host and then fail (5xx): retrying the create blindly would hit
// "already in use"; the driver looks the host up by domain first.
TEST_F(NpmProxyTest, CreateThatFailedButLeftTheHostBehindIsFoundByDomain) {
  npm_.failNextCreate(500, /*leave_host_behind=*/true);
  auto proxy = makeProxy();
  proxy.apply(route("web-production-blue", 8080));
  EXPECT_EQ(npm_.hosts().size(), 1u);
  EXPECT_EQ(count("POST /api/nginx/proxy-hosts -> 500"), 1);
  EXPECT_EQ(count("POST /api/nginx/proxy-hosts -> 201"), 0);
  EXPECT_EQ(npm_.hosts()[0]["forward_host"], "web-production-blue");
}

TEST_F(NpmProxyTest, CreateThatFailedCleanlyIsRetriedOnce) {
  npm_.failNextCreate(503, /*leave_host_behind=*/false);
  auto proxy = makeProxy();
  proxy.apply(route("web-production-blue", 8080));
  EXPECT_EQ(npm_.hosts().size(), 1u);
  EXPECT_EQ(count("POST /api/nginx/proxy-hosts -> 201"), 1);
}

TEST_F(NpmProxyTest, ExpiredAndMalformedTokensLeadToANewLogin) {
  auto proxy = makeProxy();
  proxy.apply(route("blue", 8080));
  npm_.expireAllTokens();  // 400 "Token has expired"
  proxy.apply(route("green", 8080));
  npm_.revokeAllTokens();  // 500, as for a malformed token
  proxy.apply(route("blue", 8080));
  EXPECT_EQ(npm_.logins(), 3);
  EXPECT_EQ(npm_.hosts()[0]["forward_host"], "blue");
}

TEST_F(NpmProxyTest, MissingPermissionIsReportedWithNpmsAnswer) {
  auto proxy = makeProxy();
  npm_.denyPermission(true);
  try {
    proxy.apply(route("blue", 8080));
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::api);
    EXPECT_NE(e.detail().find("HTTP 404"), std::string::npos) << e.what();
  }
}

TEST(NpmProxyLegacy, MissingPermissionIs403OnOlderNpm) {
  FakeClock clock;
  berth::testing::NpmDoubleOptions o;
  o.legacy_403 = true;
  o.now = [&] { return clock.wallNow(); };
  berth::testing::NpmDouble npm(o);
  npm.denyPermission(true);
  net::CurlHttpClient http;
  NpmOptions options;
  options.credentials = NpmCredentials{npm.url(), "admin@example.com", "P"};
  NpmProxy proxy(
      options, [](const std::string&) { return std::optional<std::string>("changeme"); }, http,
      clock);
  Route r;
  r.project = "web";
  r.stage = "production";
  r.domains = {"example.com"};
  r.upstreams = {{"blue", 8080}};
  try {
    proxy.apply(r);
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_NE(e.detail().find("HTTP 403: Permission Denied"), std::string::npos) << e.what();
  }
  EXPECT_EQ(npm.logins(), 2);  // one retry after a fresh login, then the refusal stands
}

TEST_F(NpmProxyTest, HostTakenOfflineIsRejectedAndThePreviousForwardRestored) {
  auto proxy = makeProxy();
  proxy.apply(route("blue", 8080));
  npm_.breakNginx("nginx: [emerg] host not found in upstream \"green:8080\"");
  try {
    proxy.apply(route("green", 8080));
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::config_rejected);
    EXPECT_NE(e.detail().find("host not found in upstream"), std::string::npos) << e.what();
    EXPECT_NE(e.detail().find("forward address restored to http://blue:8080"), std::string::npos);
  }
  EXPECT_EQ(npm_.hosts()[0]["forward_host"], "blue");
}

TEST_F(NpmProxyTest, SeveralUpstreamsNeedASharedAddress) {
  auto proxy = makeProxy();
  auto r = route("web-production-green-1", 8080);
  r.upstreams.push_back({"web-production-green-2", 8080});
  try {
    proxy.apply(r);
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::unsupported);
  }
  EXPECT_TRUE(npm_.hosts().empty());
  r.shared = Upstream{"berth.web.production.green", 8080};
  proxy.apply(r);
  EXPECT_EQ(npm_.hosts()[0]["forward_host"], "berth.web.production.green");
}

TEST_F(NpmProxyTest, RemoveDisablesAndApplyEnablesAgain) {
  auto proxy = makeProxy();
  const auto r = route("blue", 8080);
  proxy.apply(r);
  proxy.remove(r.key());
  EXPECT_EQ(npm_.hosts()[0]["enabled"], false);
  EXPECT_EQ(proxy.current(r.key()), std::nullopt);
  proxy.remove(r.key());  // already disabled: nothing to do
  proxy.apply(r);
  EXPECT_EQ(npm_.hosts()[0]["enabled"], true);
  EXPECT_EQ(npm_.hosts().size(), 1u);
}

TEST_F(NpmProxyTest, DomainsSpreadOverTwoHostsAreRefused) {
  npm_.addHost({{"domain_names", {"example.com"}},
                {"forward_scheme", "http"},
                {"forward_host", "a"},
                {"forward_port", 80}});
  npm_.addHost({{"domain_names", {"www.example.com"}},
                {"forward_scheme", "http"},
                {"forward_host", "b"},
                {"forward_port", 80}});
  auto proxy = makeProxy();
  try {
    proxy.apply(route("blue", 8080));
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::unsupported);
    EXPECT_NE(e.detail().find("1, 2"), std::string::npos);
  }
}

TEST_F(NpmProxyTest, ProbeAddressDefaultsToPort80OfTheApiHost) {
  EXPECT_EQ(npmProxyAddressFor("http://npm:81"), "npm:80");
  EXPECT_EQ(npmProxyAddressFor("https://npm.example.com/"), "npm.example.com:80");
  EXPECT_EQ(npmProxyAddressFor("http://[::1]:81"), "[::1]:80");
}

}  // namespace
}  // namespace berth::proxy
