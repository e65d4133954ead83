#include "proxy/route.h"

#include <gtest/gtest.h>

namespace berth::proxy {
namespace {

Route validRoute() {
  Route r;
  r.project = "web";
  r.stage = "production";
  r.domains = {"example.com", "*.example.org"};
  r.upstreams = {{"127.0.0.1", 32768}, {"web-production-blue", 8080}};
  return r;
}

TEST(RouteProblem, AcceptsNamesDomainsAndHostsBerthProduces) {
  EXPECT_EQ(routeProblem(validRoute()), "");
  auto ipv6 = validRoute();
  ipv6.upstreams = {{"::1", 8080}};
  EXPECT_EQ(routeProblem(ipv6), "");
}

// Every value ends up inside nginx configuration: anything that could close a directive or
// start a new one must be refused before a file is written.
TEST(RouteProblem, RefusesWhatCouldInjectConfiguration) {
  auto r = validRoute();
  r.domains = {"example.com; include /etc/passwd"};
  EXPECT_NE(routeProblem(r), "");
  r = validRoute();
  r.upstreams = {{"127.0.0.1;", 80}};
  EXPECT_NE(routeProblem(r), "");
  r = validRoute();
  r.project = "Web";
  EXPECT_NE(routeProblem(r), "");
  r = validRoute();
  r.stage = "prod.uction";
  EXPECT_NE(routeProblem(r), "");
}

TEST(RouteProblem, RefusesNoUpstreamAndBadPorts) {
  auto r = validRoute();
  r.upstreams.clear();
  EXPECT_EQ(routeProblem(r), "no upstream instance");
  r = validRoute();
  r.upstreams = {{"127.0.0.1", 0}};
  EXPECT_NE(routeProblem(r), "");
  r = validRoute();
  r.shared = Upstream{"alias", 70000};
  EXPECT_NE(routeProblem(r), "");
}

TEST(Upstream, FormatsIpv6InBrackets) {
  EXPECT_EQ(toString(Upstream{"127.0.0.1", 80}), "127.0.0.1:80");
  EXPECT_EQ(toString(Upstream{"::1", 8080}), "[::1]:8080");
}

TEST(ProbeHost, WildcardBecomesAConcreteName) {
  EXPECT_EQ(probeHostFor("example.com"), "example.com");
  EXPECT_EQ(probeHostFor("*.example.com"), "berth-probe.example.com");
}

}  // namespace
}  // namespace berth::proxy
