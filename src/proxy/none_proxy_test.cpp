#include "proxy/none_proxy.h"

#include <gtest/gtest.h>

#include "proxy/proxy_fakes_test.h"

namespace berth::proxy {
namespace {

using namespace std::chrono_literals;
using testing::answer;
using testing::FakeHttp;

Route route() {
  Route r;
  r.project = "web";
  r.stage = "staging";
  r.domains = {"staging.example.com"};
  r.upstreams = {{"127.0.0.1", 32770}, {"127.0.0.1", 32771}};
  return r;
}

TEST(NoneProxy, ApplyAndRemoveDoNothingCurrentKnowsNothing) {
  FakeHttp http;
  NoneProxy proxy(http);
  proxy.apply(route());
  proxy.remove(route().key());
  EXPECT_EQ(proxy.current(route().key()), std::nullopt);
  EXPECT_TRUE(http.requests().empty());
  EXPECT_EQ(proxy.driver(), "none");
}

TEST(NoneProxy, ApplyStillRefusesAnInvalidRoute) {
  FakeHttp http;
  NoneProxy proxy(http);
  auto bad = route();
  bad.upstreams.clear();
  try {
    proxy.apply(bad);
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::invalid_route);
    EXPECT_EQ(std::string(e.what()), "none: web/staging: invalid route: no upstream instance");
  }
}

TEST(NoneProxy, ProbeGoesStraightToTheFirstUpstream) {
  FakeHttp http([](const net::HttpRequest&) { return answer(200, "v2"); });
  NoneProxy proxy(http);
  const auto r = proxy.probe(route(), "/healthz", 2s);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "v2");
  EXPECT_EQ(r.via, "direct");
  ASSERT_EQ(http.requests().size(), 1u);
  EXPECT_EQ(http.requests()[0].url, "http://127.0.0.1:32770/healthz");
  EXPECT_FALSE(http.requests()[0].headers.get("Host"));
}

TEST(NoneProxy, ProbeThatGetsNoAnswerIsUnreachable) {
  FakeHttp http;  // refuses every connection
  NoneProxy proxy(http);
  try {
    proxy.probe(route(), "/", 1s);
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::unreachable);
  }
}

}  // namespace
}  // namespace berth::proxy
