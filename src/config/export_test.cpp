// exportConfig: canonical, deterministic, and re-importable to the same Config byte for byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config.h"

namespace berth {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path kExamples = std::filesystem::path(BERTH_SOURCE_DIR) / "examples";

// Checks both round-trip properties for `config` and returns its export.
std::string expectRoundTrip(const Config& config) {
  const std::string exported = exportConfig(config);
  const ParseResult reparsed = parseConfig(exported, "exported.yaml");
  for (const auto& e : reparsed.errors)
    ADD_FAILURE() << e.str() << "\n" << exported;
  if (!reparsed.config) return exported;
  EXPECT_TRUE(*reparsed.config == config) << exported;
  EXPECT_EQ(exportConfig(*reparsed.config), exported);
  return exported;
}

TEST(Export, EveryExampleRoundTripsByteIdentically) {
  for (const char* name : {"minimal.yaml", "staging-production.yaml", "demo.yaml"}) {
    SCOPED_TRACE(name);
    const ParseResult parsed = loadConfigFile(kExamples / name);
    ASSERT_TRUE(parsed.config);
    expectRoundTrip(*parsed.config);
  }
}

TEST(Export, WritesTheCanonicalShape) {
  const ParseResult parsed = loadConfigFile(kExamples / "staging-production.yaml");
  ASSERT_TRUE(parsed.config);
  // Defaults (health interval 1s, reach host, auth local, poll 60s, replicas 1...) are omitted;
  // keys follow ARCHITECTURE.md §4; the regex is single-quoted; "80" stays a string.
  EXPECT_EQ(exportConfig(*parsed.config),
            R"(server: {data_dir: /var/lib/berth, public_url: https://deploy.example.com}
registries:
  - {host: ghcr.io, username: acme-bot, password_env: GHCR_TOKEN}
proxy:
  driver: nginx
  conf_dir: /etc/nginx/conf.d
  listen: "80"
  test_cmd: nginx -t
  reload_cmd: nginx -s reload
projects:
  - name: web
    image: ghcr.io/acme/web
    port: 8080
    health: {path: /healthz}
    env:
      LOG_LEVEL: info
    volumes: [web-data:/data]
    webhook_secret_env: WEB_WEBHOOK_SECRET
    stages:
      - name: staging
        tags: {match: '^main-[0-9a-f]{7,}$', order: pushed}
        auto_deploy: true
        domains: [staging.example.com]
      - name: production
        promote_from: staging
        strategy: blue-green
        drain: 10s
        replicas: 2
        domains: [example.com, www.example.com]
        env:
          LOG_LEVEL: warn
)");
}

TEST(Export, DefaultConfigIsJustAnEmptyProjectList) {
  EXPECT_EQ(expectRoundTrip(Config{}), "projects: []\n");
}

// A config that differs from the defaults everywhere, with strings YAML likes to reinterpret.
Config everythingSet() {
  Config c;
  c.server = {"0.0.0.0:9000", "/srv/berth", "https://deploy.example.com/base"};
  c.docker = {"tcp://10.0.0.5:2376", "apps"};
  c.registries = {{"ghcr.io", "bot", "GHCR_TOKEN", false},
                  {"registry.local:5000", "", "", true},
                  {"docker.io", "yes", "HUB", false}};
  c.proxy.driver = ProxyDriver::npm;
  c.proxy.reach = ProxyReach::network;
  c.proxy.url = "http://npm:81";
  c.proxy.identity = "admin@example.com";
  c.proxy.secret_env = "NPM_PASSWORD";
  c.auth.mode = AuthMode::oidc;
  c.auth.oidc = {"https://id.example.com/.well-known/openid-configuration", "berth", "OIDC_SECRET",
                 "ops: admins"};
  Project p;
  p.name = "web";
  p.image = "127.0.0.1:15000/acme/web";
  p.port = 80;  // the default, yet always written
  p.health = {"/health?full=1#x", 250ms, 90s};
  p.env = {{"EMPTY", ""},
           {"BOOL", "true"},
           {"NUM", "0755"},
           {"NULL", "null"},
           {"COLON", "a: b"},
           {"HASH", "# not a comment"},
           {"QUOTES", "it's \"x\""},
           {"MULTI", "line1\nline2\n"},
           {"SPACES", "  padded  "},
           {"UNICODE", "héllo ✓"},
           {"TAB", "a\tb"},
           {"DASH", "- item"},
           {"BRACES", "{a: [b]}"},
           {"TILDE", "~"},
           {"DATE", "2024-01-31"}};
  p.volumes = {"web-data:/data", "/srv/web/config:/etc/web:ro"};
  p.webhook_secret_env = "WEB_HOOK";
  p.poll_interval = 5min;
  Stage staging;
  staging.name = "staging";
  staging.tags = TagPolicy{R"(^main-(\d+)-[0-9a-f]{7,}$|^'quoted'$)", TagOrder::numeric, false, ""};
  staging.auto_deploy = true;
  staging.domains = {"staging.example.com", "*.preview.example.com"};
  Stage canary;
  canary.name = "canary";
  canary.tags = TagPolicy{};  // all default: still written, as {order: semver}
  Stage edge;
  edge.name = "edge";
  edge.tags = TagPolicy{"", TagOrder::semver, false, "latest"};
  Stage production;
  production.name = "production";
  production.tags = TagPolicy{"^v", TagOrder::semver, true, ""};
  production.promote_from = "staging";
  production.strategy = Strategy::blue_green;
  production.drain = 1min + 1500ms;
  production.replicas = 3;
  production.domains = {"example.com"};
  production.env = {{"LOG_LEVEL", "warn"}, {"ON", "on"}};
  production.volumes = {"prod-cache:/cache:rw"};
  p.stages = {staging, canary, edge, production};
  Project api;
  api.name = "api";
  api.image = "nginx";
  api.stages = {Stage{}};
  api.stages[0].name = "0";
  c.projects = {p, api};
  return c;
}

TEST(Export, EverythingSetRoundTrips) {
  const std::string exported = expectRoundTrip(everythingSet());
  EXPECT_THAT(exported, HasSubstr("tags: {order: semver}"));
  EXPECT_THAT(exported, HasSubstr("tags: {watch: latest}"));
  EXPECT_THAT(exported, HasSubstr("BOOL: \"true\""));
  EXPECT_THAT(exported, HasSubstr("NUM: \"0755\""));
  EXPECT_THAT(exported, HasSubstr("port: 80\n"));
  EXPECT_THAT(exported, HasSubstr("- name: \"0\""));
  EXPECT_THAT(exported, HasSubstr("username: \"yes\""));
  EXPECT_THAT(exported, HasSubstr("match: '^main-(\\d+)-[0-9a-f]{7,}$|^''quoted''$'"));
  EXPECT_THAT(exported, HasSubstr("drain: 1m1500ms\n"));
}

TEST(Export, StageDrainIsWrittenOnlyWhenNotTheDefault) {
  Config c;
  Project p;
  p.name = "web";
  p.image = "nginx";
  Stage stage;
  stage.name = "production";
  stage.strategy = Strategy::blue_green;
  p.stages = {stage};
  c.projects = {p};
  EXPECT_THAT(expectRoundTrip(c), Not(HasSubstr("drain")));  // 2s, the default
  c.projects[0].stages[0].drain = 0s;
  EXPECT_THAT(expectRoundTrip(c), HasSubstr("    strategy: blue-green\n        drain: 0s\n"));
  c.projects[0].stages[0].drain = 10min;
  EXPECT_THAT(expectRoundTrip(c), HasSubstr("drain: 10m\n"));
}

TEST(Export, SecretsAppearOnlyAsReferences) {
  const std::string exported = exportConfig(everythingSet());
  EXPECT_THAT(exported, HasSubstr("password_env: GHCR_TOKEN"));
  EXPECT_THAT(exported, HasSubstr("secret_env: NPM_PASSWORD"));
  EXPECT_THAT(exported, HasSubstr("client_secret_env: OIDC_SECRET"));
  EXPECT_THAT(exported, HasSubstr("webhook_secret_env: WEB_HOOK"));
  EXPECT_THAT(exported, ::testing::Not(::testing::ContainsRegex("(password|secret|token):")));
}

// The import refuses raw control characters below U+0020 (yaml_text.h); the export must escape
// those and may write the others (U+007F, U+0080..U+009F) as they are, so it re-imports.
TEST(Export, ValuesWithControlCharactersRoundTrip) {
  Config config;
  Project p;
  p.name = "web";
  p.image = "ghcr.io/acme/web";
  p.env = {{"C0", "a\x01\x1b[0m\n\tc"},
           {"DEL", "a\x7f"},
           {"C1", "\xc2\x80\xc2\x85\xc2\x9f"},
           {"LONG_NUMBER", std::string(100'000, '1')}};
  p.stages = {Stage{.name = "s"}};
  config.projects = {p};
  expectRoundTrip(config);
}

TEST(Export, IsDeterministic) {
  EXPECT_EQ(exportConfig(everythingSet()), exportConfig(everythingSet()));
}

}  // namespace
}  // namespace berth
