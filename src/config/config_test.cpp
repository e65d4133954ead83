// Parsing and validating berth.yaml: the examples, defaults, and the checks that need more than
// one bad file to pin (several errors at once, each rule's wording).
#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace berth {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::filesystem::path kExamples = std::filesystem::path(BERTH_SOURCE_DIR) / "examples";

ParseResult parse(std::string_view yaml) {
  return parseConfig(yaml, "berth.yaml");
}

std::vector<std::string> errorsOf(std::string_view yaml) {
  std::vector<std::string> lines;
  for (const auto& e : parse(yaml).errors)
    lines.push_back(e.str());
  return lines;
}

// The smallest valid project, for tests that vary one thing.
constexpr std::string_view kMinimal = R"(projects:
  - name: web
    image: ghcr.io/acme/web
    stages:
      - name: production
)";

std::string withProjectLine(const std::string& line, const std::string& name = "web",
                            const std::string& image = "ghcr.io/acme/web") {
  return "projects:\n  - name: " + name + "\n    image: " + image + "\n    " + line +
         "\n    stages:\n      - name: production\n";
}

std::string withImage(const std::string& image) {
  return withProjectLine("port: 80", "web", image);
}

std::string withStageLine(const std::string& line) {
  return "projects:\n  - name: web\n    image: ghcr.io/acme/web\n    stages:\n      - name: "
         "production\n        " +
         line + "\n";
}

TEST(ConfigError, FormatsAsFileLineColumnKeyMessage) {
  EXPECT_EQ((ConfigError{"b.yaml", 3, 7, "projects[0].port", "bad"}.str()),
            "b.yaml:3:7: projects[0].port: bad");
  EXPECT_EQ((ConfigError{"b.yaml", 3, 7, "", "YAML syntax error: x"}.str()),
            "b.yaml:3:7: YAML syntax error: x");
  EXPECT_EQ((ConfigError{"b.yaml", 0, 0, "", "cannot read the file"}.str()),
            "b.yaml: cannot read the file");
}

TEST(Examples, AllParseWithoutErrors) {
  for (const char* name : {"minimal.yaml", "staging-production.yaml", "demo.yaml"}) {
    const ParseResult result = loadConfigFile(kExamples / name);
    for (const auto& e : result.errors)
      ADD_FAILURE() << e.str();
    EXPECT_TRUE(result.config.has_value()) << name;
  }
}

TEST(Examples, StagingProductionReadsAsWritten) {
  const ParseResult result = loadConfigFile(kExamples / "staging-production.yaml");
  ASSERT_TRUE(result.config) << result.errors.front().str();
  const Config& c = *result.config;
  EXPECT_EQ(c.server.data_dir, "/var/lib/berth");
  ASSERT_EQ(c.registries.size(), 1u);
  EXPECT_EQ(c.registries[0].password_env, "GHCR_TOKEN");
  EXPECT_EQ(c.proxy.driver, ProxyDriver::nginx);
  EXPECT_EQ(c.proxy.conf_dir, "/etc/nginx/conf.d");
  EXPECT_EQ(c.proxy.listen, "80");
  const Project* web = c.findProject("web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->port, 8080);
  EXPECT_EQ(web->health.path, "/healthz");
  EXPECT_EQ(web->env, (std::map<std::string, std::string>{{"LOG_LEVEL", "info"}}));
  EXPECT_THAT(web->volumes, ElementsAre("web-data:/data"));
  const Stage* staging = web->findStage("staging");
  ASSERT_NE(staging, nullptr);
  ASSERT_TRUE(staging->tags);
  EXPECT_EQ(staging->tags->match, "^main-[0-9a-f]{7,}$");
  EXPECT_EQ(staging->tags->order, TagOrder::pushed);
  EXPECT_TRUE(staging->auto_deploy);
  const Stage* production = web->findStage("production");
  ASSERT_NE(production, nullptr);
  EXPECT_EQ(production->promote_from, "staging");
  EXPECT_EQ(production->strategy, Strategy::blue_green);
  EXPECT_EQ(production->replicas, 2);
  EXPECT_EQ(production->drain, 10s);
  EXPECT_EQ(staging->drain, 2s);
  EXPECT_FALSE(production->tags);
  EXPECT_THAT(production->domains, ElementsAre("example.com", "www.example.com"));
  EXPECT_EQ(production->env.at("LOG_LEVEL"), "warn");
}

TEST(Examples, DemoUsesTheSandboxRegistry) {
  const ParseResult result = loadConfigFile(kExamples / "demo.yaml");
  ASSERT_TRUE(result.config);
  const Project* demo = result.config->findProject("demo");
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->image, "127.0.0.1:15000/berth-demo/app");
  EXPECT_EQ(demo->health.path, "/healthz");
  EXPECT_EQ(result.config->proxy.driver, ProxyDriver::nginx);
  const Stage* staging = demo->findStage("staging");
  ASSERT_NE(staging, nullptr);
  EXPECT_EQ(staging->tags->order, TagOrder::semver);
  EXPECT_TRUE(staging->auto_deploy);
  EXPECT_EQ(demo->findStage("production")->promote_from, "staging");
  EXPECT_EQ(demo->findStage("production")->strategy, Strategy::blue_green);
}

TEST(Defaults, OmittedFieldsTakeTheModelDefaults) {
  const ParseResult result = parse(kMinimal);
  ASSERT_TRUE(result.config);
  const Config& c = *result.config;
  EXPECT_EQ(c.server, ServerSettings{});
  EXPECT_EQ(c.docker, DockerSettings{});
  EXPECT_EQ(c.proxy, ProxySettings{});
  EXPECT_EQ(c.auth, AuthSettings{});
  const Project& p = c.projects.at(0);
  EXPECT_EQ(p.port, 80);
  EXPECT_EQ(p.health, HealthCheck{});
  EXPECT_EQ(p.poll_interval, 60s);
  const Stage& s = p.stages.at(0);
  EXPECT_FALSE(s.tags);
  EXPECT_FALSE(s.auto_deploy);
  EXPECT_EQ(s.strategy, Strategy::recreate);
  EXPECT_EQ(s.drain, 2s);
  EXPECT_EQ(s.replicas, 1);
}

TEST(Defaults, NullValuesMeanDefaultAndEmptyTagsMeanSemver) {
  const ParseResult result = parse(withProjectLine("health:\n    env: ~") + "");
  ASSERT_TRUE(result.config) << result.errors.front().str();
  EXPECT_EQ(result.config->projects[0].health, HealthCheck{});
  const ParseResult tags = parse(withStageLine("tags: {}"));
  ASSERT_TRUE(tags.config);
  ASSERT_TRUE(tags.config->projects[0].stages[0].tags);
  EXPECT_EQ(*tags.config->projects[0].stages[0].tags, TagPolicy{});
}

TEST(Validation, ReportsEveryErrorNotJustTheFirst) {
  const auto errors = errorsOf(R"(server: { listen: nowhere }
projects:
  - name: Web
    image: ghcr.io/acme/web
    port: 0
    stages:
      - name: production
        replicas: 0
        strategy: rolling
)");
  EXPECT_THAT(
      errors,
      ElementsAre(HasSubstr("berth.yaml:1:19: server.listen: expected host:port"),
                  HasSubstr("berth.yaml:3:11: projects[0].name: 'Web' is not a valid name"),
                  HasSubstr("berth.yaml:5:11: projects[0].port: must be between 1 and 65535"),
                  HasSubstr("berth.yaml:8:19: projects[0].stages[0].replicas: must be"),
                  HasSubstr("berth.yaml:9:19: projects[0].stages[0].strategy: unknown value "
                            "'rolling'; expected one of: recreate, blue-green")));
  EXPECT_FALSE(parse("server: { listen: nowhere }\nprojects: []\n").config);
  // An empty optional string is the default, not an error.
  EXPECT_TRUE(parse("server: { public_url: '' }\nprojects: []\n").config);
}

TEST(Validation, UnknownKeysSuggestOrListTheKnownOnes) {
  EXPECT_THAT(errorsOf("projects: []\nproxi: { driver: none }\n"),
              ElementsAre("berth.yaml:2:1: proxi: unknown key 'proxi'; did you mean 'proxy'?"));
  EXPECT_THAT(errorsOf("projects: []\ncolour: blue\n"),
              ElementsAre(HasSubstr("expected one of: server, docker, registries, proxy, auth, "
                                    "projects")));
  EXPECT_THAT(errorsOf(withStageLine("promote-from: staging")),
              ElementsAre(HasSubstr("did you mean 'promote_from'?")));
}

TEST(Validation, BooleansAreOnlyPlainTrueOrFalse) {
  for (const char* bad : {"yes", "no", "on", "1", "'true'", "\"false\"", "True"})
    EXPECT_THAT(errorsOf(withStageLine("tags: { order: semver }\n        auto_deploy: " +
                                       std::string(bad))),
                ElementsAre(HasSubstr("expected true or false")))
        << bad;
  const ParseResult ok = parse(withStageLine("tags: { order: semver }\n        auto_deploy: true"));
  ASSERT_TRUE(ok.config);
  EXPECT_TRUE(ok.config->projects[0].stages[0].auto_deploy);
}

TEST(Validation, IntegersMustBePlainWholeNumbers) {
  for (const char* bad : {"\"8080\"", "80.5", "8080abc", "[80]", "99999999999999999999"})
    EXPECT_EQ(errorsOf(withProjectLine("port: " + std::string(bad))).size(), 1u) << bad;
  EXPECT_THAT(errorsOf(withProjectLine("port: 99999999999999999999")),
              ElementsAre(HasSubstr("must be between 1 and 65535")));
  // "expected an integer, got '8080'" read as a contradiction.
  EXPECT_THAT(errorsOf(withProjectLine("port: \"8080\"")),
              ElementsAre(HasSubstr("expected an integer, got the quoted string '8080'")));
  // YAML 1.1 tools read 010 as octal 8, YAML 1.2 tools as 10.
  EXPECT_THAT(errorsOf(withProjectLine("port: 010")),
              ElementsAre(HasSubstr("port: expected an integer without leading zeros, got 010")));
  EXPECT_TRUE(parse(withProjectLine("port: 0")).errors.size() == 1u);  // out of range, not octal
}

TEST(Validation, WrongShapesNameWhatWasFound) {
  EXPECT_THAT(errorsOf("projects: web\n"),
              ElementsAre("berth.yaml:1:11: projects: expected a list, got 'web'"));
  EXPECT_THAT(errorsOf(withStageLine("domains: example.com")),
              ElementsAre(HasSubstr("domains: expected a list such as [a, b], got 'example.com'")));
  EXPECT_THAT(errorsOf(withProjectLine("env: [A, B]")),
              ElementsAre(HasSubstr("projects[0].env: expected a map, got a list")));
  EXPECT_THAT(errorsOf("- just\n- a list\n"),
              ElementsAre("berth.yaml:1:1: expected a map, got a list"));
}

TEST(Validation, DocumentLevelProblems) {
  EXPECT_THAT(errorsOf(""), ElementsAre(HasSubstr("berth.yaml:1:1: the file is empty")));
  EXPECT_THAT(errorsOf("# only a comment\n"), ElementsAre(HasSubstr("the file is empty")));
  EXPECT_THAT(errorsOf("projects: []\n---\nprojects: []\n"),
              ElementsAre(HasSubstr("expected one YAML document, found 2")));
  EXPECT_THAT(errorsOf("server: {}\n"),
              ElementsAre(HasSubstr("projects: 'projects' is required (write 'projects: []'")));
  EXPECT_TRUE(parse("projects: []\n").config);
}

TEST(Validation, SyntaxErrorsCarryTheirPosition) {
  const ParseResult result = parse("projects:\n  - name: web\n   image: x\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_THAT(result.errors[0].message, HasSubstr("YAML syntax error"));
  EXPECT_GT(result.errors[0].line, 1);
  EXPECT_GT(result.errors[0].column, 0);
}

TEST(Validation, DuplicateKeysAreErrors) {
  EXPECT_THAT(errorsOf("projects: []\nserver: { listen: \"127.0.0.1:1\" }\nserver: {}\n"),
              ElementsAre("berth.yaml:3:1: server: duplicate key (first at line 2)"));
  EXPECT_THAT(errorsOf(withProjectLine("env: { A: x, A: y }")),
              ElementsAre(HasSubstr("projects[0].env.A: duplicate key")));
}

TEST(Validation, InlineSecretsAreRefusedWithTheReferenceToUse) {
  EXPECT_THAT(
      errorsOf(withProjectLine("webhook_secret: hunter2")),
      ElementsAre(HasSubstr("projects[0].webhook_secret: inline secrets are not stored; put "
                            "the value in an environment variable and use "
                            "webhook_secret_env")));
  EXPECT_THAT(errorsOf("projects: []\nproxy: { driver: npm, url: \"http://npm:81\", identity: a, "
                       "password: x }\n"),
              ::testing::Contains(HasSubstr("proxy.password: inline secrets are not stored; put "
                                            "the value in an environment variable and use "
                                            "secret_env")));
  EXPECT_THAT(errorsOf("projects: []\nauth: { oidc: { client_secret: x } }\n"),
              ElementsAre(HasSubstr("use client_secret_env")));
  EXPECT_THAT(errorsOf("projects: []\nregistries: [ { host: ghcr.io, token: x } ]\n"),
              ElementsAre(HasSubstr("use password_env")));
  // The value never appears in the message.
  for (const auto& line : errorsOf(withProjectLine("webhook_secret: hunter2")))
    EXPECT_THAT(line, ::testing::Not(HasSubstr("hunter2")));
}

TEST(Validation, SecretReferencesAreEnvironmentVariableNames) {
  EXPECT_THAT(
      errorsOf("projects: []\nregistries: [ { host: ghcr.io, password_env: \"my token\" } ]\n"),
      ElementsAre(HasSubstr("registries[0].password_env: expected the name of an "
                            "environment variable")));
  EXPECT_TRUE(
      parse("projects: []\nregistries: [ { host: ghcr.io, password_env: _GHCR_1 } ]\n").config);
}

TEST(Validation, EnvMapsNeedVariableNamesAndScalarValues) {
  EXPECT_THAT(errorsOf(withProjectLine("env: { MY-VAR: x, B: { c: d }, C: }")),
              ElementsAre(HasSubstr("projects[0].env.MY-VAR: 'MY-VAR' is not a valid environment"),
                          HasSubstr("projects[0].env.B: expected a string value"),
                          HasSubstr("projects[0].env.C: expected a string value")));
  // A process environment is NUL-terminated: the container would get a shortened value.
  EXPECT_THAT(errorsOf(withProjectLine("env: { A: \"x\\0y\" }")),
              ElementsAre(HasSubstr("projects[0].env.A: an environment value cannot contain NUL")));
  const ParseResult ok = parse(withProjectLine("env: { PORT: 8080, DEBUG: true, EMPTY: '' }"));
  ASSERT_TRUE(ok.config);
  EXPECT_EQ(ok.config->projects[0].env, (std::map<std::string, std::string>{
                                            {"DEBUG", "true"}, {"EMPTY", ""}, {"PORT", "8080"}}));
}

TEST(Validation, ProjectAndStageNames) {
  EXPECT_THAT(errorsOf("projects:\n  - image: ghcr.io/acme/web\n    stages: [ { name: a } ]\n"),
              ElementsAre("berth.yaml:2:5: projects[0].name: missing required key 'name'"));
  EXPECT_THAT(errorsOf(withProjectLine("port: 80", "my web")),
              ElementsAre(HasSubstr("'my web' is not a valid name")));
  EXPECT_THAT(errorsOf("projects:\n  - name: web\n    image: ghcr.io/acme/web\n    stages: []\n"),
              ElementsAre(HasSubstr("projects[0].stages: a project needs at least one stage")));
  EXPECT_THAT(errorsOf("projects:\n  - name: web\n    image: ghcr.io/acme/web\n"),
              ElementsAre(HasSubstr("projects[0].stages: missing required key 'stages'")));
}

TEST(Validation, Images) {
  EXPECT_THAT(errorsOf(withImage("ghcr.io/Acme/web")),
              ElementsAre(HasSubstr("projects[0].image: image reference 'ghcr.io/Acme/web'")));
  EXPECT_THAT(errorsOf(withImage("nginx@sha256:" + std::string(64, 'a'))),
              ElementsAre(HasSubstr("such as 'nginx'")));
  for (const char* ok :
       {"nginx", "acme/web", "localhost:5000/web", "127.0.0.1:15000/berth-test/app"})
    EXPECT_TRUE(parse(withImage(ok)).config) << ok;
}

TEST(Validation, PromotionRules) {
  const std::string two_stages =
      "projects:\n  - name: web\n    image: ghcr.io/acme/web\n    stages:\n"
      "      - { name: staging, promote_from: PROMOTE_A }\n"
      "      - { name: production, promote_from: PROMOTE_B }\n";
  auto with = [&](std::string a, std::string b) {
    std::string text = two_stages;
    text.replace(text.find("PROMOTE_A"), 9, a);
    text.replace(text.find("PROMOTE_B"), 9, b);
    return errorsOf(text);
  };
  EXPECT_THAT(with("''", "staging"), ElementsAre());
  EXPECT_THAT(with("''", "qa"),
              ElementsAre(HasSubstr("projects[0].stages[1].promote_from: unknown stage 'qa'; "
                                    "stages of this project: staging")));
  EXPECT_THAT(with("production", "staging"),
              ElementsAre(HasSubstr("berth.yaml:5:40: projects[0].stages[0].promote_from: "
                                    "promotion cycle: staging promotes from production, which "
                                    "promotes from staging")));
  EXPECT_THAT(with("staging", "''"), ElementsAre(HasSubstr("cannot promote from itself")));
}

TEST(Validation, TagPolicies) {
  EXPECT_THAT(errorsOf(withStageLine("tags: { watch: latest, order: pushed }")),
              ElementsAre(HasSubstr("tags.order: cannot be combined with watch")));
  EXPECT_THAT(errorsOf(withStageLine("tags: { watch: 'not a tag' }")),
              ElementsAre(HasSubstr("tags.watch: expected an image tag")));
  EXPECT_THAT(errorsOf(withStageLine("tags: { order: pushed, prerelease: true }")),
              ElementsAre(HasSubstr("tags.prerelease: only applies to order semver")));
  EXPECT_THAT(errorsOf(withStageLine("tags: { order: newest }")),
              ElementsAre(HasSubstr("expected one of: semver, numeric, alphabetical, pushed")));
  EXPECT_THAT(errorsOf(withStageLine("auto_deploy: true")),
              ElementsAre(HasSubstr("auto_deploy needs tags:")));
  const ParseResult watch = parse(withStageLine("tags: { watch: latest }"));
  ASSERT_TRUE(watch.config);
  EXPECT_EQ(watch.config->projects[0].stages[0].tags->watch, "latest");
}

TEST(Validation, DurationsAndHealth) {
  EXPECT_THAT(errorsOf(withProjectLine("health: { interval: 10ms }")),
              ElementsAre(HasSubstr("health.interval: must be at least 100ms, got 10ms")));
  EXPECT_THAT(errorsOf(withProjectLine("health: { interval: 5s, timeout: 2s }")),
              ElementsAre(HasSubstr("health.timeout: must be at least the interval (5s)")));
  EXPECT_THAT(errorsOf(withProjectLine("health: { path: healthz }")),
              ElementsAre(HasSubstr("expected an absolute URL path")));
  EXPECT_THAT(errorsOf(withProjectLine("poll: { interval: 500ms }")),
              ElementsAre(HasSubstr("poll.interval: must be at least 1s")));
  const ParseResult ok = parse(withProjectLine("health: { interval: 1m30s, timeout: 2h }"));
  ASSERT_TRUE(ok.config);
  EXPECT_EQ(ok.config->projects[0].health.interval, 90s);
  EXPECT_EQ(ok.config->projects[0].health.timeout, 2h);
}

std::string blueGreenWithDrain(const std::string& value) {
  return withStageLine("strategy: blue-green\n        drain: " + value);
}

TEST(Validation, StageDrain) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, Duration>>{
           {"10s", 10s}, {"0s", 0s}, {"0ms", 0s}, {"1m30s", 90s}, {"10m", 10min}, {"~", 2s}}) {
    SCOPED_TRACE(text);
    const ParseResult result = parse(blueGreenWithDrain(text));
    for (const auto& e : result.errors)
      ADD_FAILURE() << e.str();
    ASSERT_TRUE(result.config);
    EXPECT_EQ(result.config->projects[0].stages[0].drain, expected);
  }
  EXPECT_THAT(errorsOf(blueGreenWithDrain("11m")),
              ElementsAre("berth.yaml:7:16: projects[0].stages[0].drain: must be between 0s and "
                          "10m, got 11m"));
  EXPECT_THAT(errorsOf(blueGreenWithDrain("10m1ms")),
              ElementsAre(HasSubstr("drain: must be between 0s and 10m, got 10m1ms")));
  EXPECT_THAT(errorsOf(blueGreenWithDrain("-1s")),
              ElementsAre("berth.yaml:7:16: projects[0].stages[0].drain: expected a duration "
                          "such as 500ms, 30s, 5m or 1h30m, got '-1s'"));
  EXPECT_THAT(errorsOf(blueGreenWithDrain("10")),
              ElementsAre(HasSubstr("drain: expected a duration")));
}

TEST(Validation, StageDrainOnARecreateStageIsAnError) {
  // It would be silently ignored: recreate stops the old instance before starting the new one.
  EXPECT_THAT(errorsOf(withStageLine("drain: 5s")),
              ElementsAre("berth.yaml:6:16: projects[0].stages[0].drain: only applies to strategy "
                          "blue-green (strategy is recreate)"));
  EXPECT_THAT(errorsOf(withStageLine("strategy: recreate\n        drain: 2s")),
              ElementsAre(HasSubstr("drain: only applies to strategy blue-green")));
  // An empty value means the default, which every stage has.
  EXPECT_TRUE(parse(withStageLine("drain: ~")).config);
}

TEST(Validation, ProxyDriversNeedTheirSettings) {
  EXPECT_THAT(errorsOf("projects: []\nproxy: { driver: npm }\n"),
              ElementsAre(HasSubstr("proxy.url: driver npm requires 'url'"),
                          HasSubstr("proxy.identity: driver npm requires 'identity'"),
                          HasSubstr("proxy.secret_env: driver npm requires 'secret_env'")));
  EXPECT_THAT(errorsOf("projects: []\nproxy: { driver: nginx }\n"),
              ElementsAre(HasSubstr("proxy.conf_dir: driver nginx requires 'conf_dir'")));
  EXPECT_THAT(errorsOf("projects: []\nproxy: { driver: nginx, conf_dir: /x, url: \"http://a\" }\n"),
              ElementsAre(HasSubstr("proxy.url: only used by the npm driver (driver is nginx)")));
  EXPECT_THAT(errorsOf("projects: []\nproxy: { conf_dir: /x }\n"),
              ElementsAre(HasSubstr("only used by the nginx driver (driver is none)")));
  EXPECT_THAT(errorsOf("projects: []\nproxy: { driver: caddy }\n"),
              ElementsAre(HasSubstr("expected one of: none, nginx, npm")));
  EXPECT_THAT(errorsOf("projects: []\nproxy: { driver: nginx, conf_dir: '' }\n"),
              ElementsAre(HasSubstr("proxy.conf_dir: must not be empty with driver nginx")));
}

TEST(Validation, OidcNeedsDiscoveryAndClient) {
  const std::string url = "server: { public_url: 'https://berth.example.com' }\n";
  EXPECT_THAT(errorsOf(url + "projects: []\nauth: { mode: oidc }\n"),
              ElementsAre(HasSubstr("auth.oidc: mode oidc requires an oidc: map")));
  EXPECT_THAT(errorsOf(url + "projects: []\nauth: { mode: oidc, oidc: { client_id: b } }\n"),
              ElementsAre(HasSubstr("auth.oidc.discovery_url: mode oidc requires")));
  EXPECT_THAT(errorsOf("projects: []\nauth: { mode: sso }\n"),
              ElementsAre(HasSubstr("expected one of: local, oidc")));
  const std::string complete =
      "projects: []\nauth: { mode: oidc, oidc: { discovery_url: "
      "'https://id.example.com', client_id: berth } }\n";
  EXPECT_TRUE(parse(url + complete).config);
  // The callback lives under public_url: without it no provider can send anyone back.
  EXPECT_THAT(errorsOf(complete),
              ElementsAre(HasSubstr("auth.mode: mode oidc needs server.public_url")));
}

TEST(Validation, RegistriesAndDomains) {
  EXPECT_THAT(errorsOf("projects: []\nregistries: [ { host: ghcr.io }, { host: ghcr.io } ]\n"),
              ElementsAre(HasSubstr("registries[1].host: duplicate registry 'ghcr.io'")));
  EXPECT_THAT(errorsOf("projects: []\nregistries: [ { username: x } ]\n"),
              ElementsAre(HasSubstr("registries[0].host: missing required key 'host'")));
  EXPECT_THAT(errorsOf("projects: []\nregistries: [ { host: 'https://ghcr.io' } ]\n"),
              ElementsAre(HasSubstr("registries[0].host: expected a registry host")));
  EXPECT_THAT(errorsOf(withStageLine("domains: [ Example.com ]")),
              ElementsAre(HasSubstr("domains[0]: expected a lowercase host name")));
  EXPECT_THAT(errorsOf(withStageLine("volumes: [ data ]")),
              ElementsAre(HasSubstr("volumes[0]: expected name:/path")));
}

TEST(LoadConfigFile, UnreadableFilesAreErrorsNotExceptions) {
  const ParseResult missing = loadConfigFile("/nonexistent/berth.yaml");
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].str(),
            "/nonexistent/berth.yaml: cannot read the file: No such file or directory");
  const ParseResult directory = loadConfigFile(kExamples);
  ASSERT_EQ(directory.errors.size(), 1u);
  EXPECT_THAT(directory.errors[0].message, HasSubstr("directory"));
}

}  // namespace
}  // namespace berth
