#include "proxy/nginx_config.h"

#include <gtest/gtest.h>

namespace berth::proxy {
namespace {

Route webProduction() {
  Route r;
  r.project = "web";
  r.stage = "production";
  r.domains = {"example.com", "www.example.com"};
  r.upstreams = {{"127.0.0.1", 32768}, {"127.0.0.1", 32769}};
  return r;
}

NginxRenderOptions listenOn(std::string listen) {
  NginxRenderOptions o;
  o.listen = std::move(listen);
  return o;
}

// The whole file, pinned: what nginx gets is exactly this.
TEST(RenderNginxConfig, GoldenFile) {
  const auto c = renderNginxConfig(webProduction(), listenOn("80"));
  EXPECT_EQ(c.file_name, "berth.web.production.conf");
  EXPECT_EQ(
      c.text,
      R"GOLDEN(# berth-route {"domains":["example.com","www.example.com"],"project":"web","stage":"production","upstreams":[{"host":"127.0.0.1","port":32768},{"host":"127.0.0.1","port":32769}]}
# Written by berth for web/production. Do not edit: berth rewrites this file on
# every deploy of the stage and removes it with the stage.
upstream berth.web.production {
    server 127.0.0.1:32768;
    server 127.0.0.1:32769;
    keepalive 32;
}

map $http_upgrade $berth_bc7d4b4d4b3fac27_connection {
    default upgrade;
    "" "";
}

server {
    listen 80;
    server_name example.com www.example.com;

    location / {
        proxy_pass http://berth.web.production;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $berth_bc7d4b4d4b3fac27_connection;
        proxy_connect_timeout 5s;
        proxy_send_timeout 60s;
        proxy_read_timeout 60s;
        proxy_next_upstream error timeout;
        proxy_next_upstream_tries 3;
        proxy_next_upstream_timeout 10s;
    }

    # berth asks this after a reload: the new generation means nginx really switched.
    location = /.well-known/berth-route {
        default_type text/plain;
        return 200 "01e816f599dc37b2\n";
    }
}
)GOLDEN");
}

TEST(RenderNginxConfig, GenerationFollowsRouteAndListen) {
  const auto a = renderNginxConfig(webProduction(), listenOn("80"));
  EXPECT_EQ(a.generation.size(), 16u);
  EXPECT_EQ(renderNginxConfig(webProduction(), listenOn("80")).generation, a.generation);
  EXPECT_NE(renderNginxConfig(webProduction(), listenOn("8080")).generation, a.generation);
  auto other = webProduction();
  other.upstreams.pop_back();
  EXPECT_NE(renderNginxConfig(other, listenOn("80")).generation, a.generation);
  EXPECT_EQ(renderedGeneration(a.text), a.generation);
}

// Names may contain '-', so "a-b"/"c" and "a"/"b-c" must not share a file, an upstream or a
// variable; dots cannot occur in names.
TEST(RenderNginxConfig, StagesWithDashesDoNotCollide) {
  Route ab_c = webProduction(), a_bc = webProduction();
  ab_c.project = "a-b";
  ab_c.stage = "c";
  a_bc.project = "a";
  a_bc.stage = "b-c";
  const auto x = renderNginxConfig(ab_c, {}), y = renderNginxConfig(a_bc, {});
  EXPECT_NE(x.file_name, y.file_name);
  EXPECT_NE(nginxUpstreamName("a-b", "c"), nginxUpstreamName("a", "b-c"));
  EXPECT_EQ(x.text.find("map $http_upgrade $berth_"), y.text.find("map $http_upgrade $berth_"));
  EXPECT_NE(x.text.substr(x.text.find("$berth_"), 24), y.text.substr(y.text.find("$berth_"), 24));
}

TEST(RenderNginxConfig, ReadsItsOwnRouteBack) {
  auto route = webProduction();
  route.upstreams.push_back({"::1", 8080});
  const auto c = renderNginxConfig(route, {});
  EXPECT_EQ(parseRenderedRoute(c.text), route);
  EXPECT_EQ(parseRenderedRoute("server { }"), std::nullopt);
  EXPECT_EQ(parseRenderedRoute("# berth-route {not json\n"), std::nullopt);
}

TEST(RenderNginxConfig, WildcardDomainsAndIpv6Upstreams) {
  auto route = webProduction();
  route.domains = {"*.example.com"};
  route.upstreams = {{"::1", 8080}};
  const auto c = renderNginxConfig(route, listenOn("[::]:8443"));
  EXPECT_NE(c.text.find("    server_name *.example.com;\n"), std::string::npos);
  EXPECT_NE(c.text.find("    server [::1]:8080;\n"), std::string::npos);
  EXPECT_NE(c.text.find("    listen [::]:8443;\n"), std::string::npos);
}

TEST(NginxListen, ParameterAndLoopbackAddress) {
  EXPECT_EQ(nginxListenParameter(""), "80");
  EXPECT_EQ(nginxListenParameter(":8080"), "8080");
  EXPECT_EQ(nginxListenParameter("127.0.0.1:58080"), "127.0.0.1:58080");
  EXPECT_EQ(loopbackAddressFor(""), "127.0.0.1:80");
  EXPECT_EQ(loopbackAddressFor("8080"), "127.0.0.1:8080");
  EXPECT_EQ(loopbackAddressFor("0.0.0.0:80"), "127.0.0.1:80");
  EXPECT_EQ(loopbackAddressFor("*:80"), "127.0.0.1:80");
  EXPECT_EQ(loopbackAddressFor("[::]:80"), "[::1]:80");
  EXPECT_EQ(loopbackAddressFor("10.0.0.5:80"), "10.0.0.5:80");
}

}  // namespace
}  // namespace berth::proxy
