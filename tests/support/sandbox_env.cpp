#include "support/sandbox_env.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/sandbox_tools.h"

extern char** environ;

namespace berth::testing {

namespace {

constexpr std::string_view kPrefix = "BERTH_SANDBOX_";
constexpr std::string_view kHint = "run tests/sandbox/sandbox.sh up";

std::string get(const std::map<std::string, std::string>& vars, const std::string& name) {
  auto it = vars.find(name);
  return it == vars.end() ? std::string() : it->second;
}

std::string unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front())
    return std::string(v.substr(1, v.size() - 2));
  return std::string(v);
}

}  // namespace

std::string SandboxEnv::dockerSocket() const {
  constexpr std::string_view kUnix = "unix://";
  std::string_view h = docker_host;
  if (h.starts_with(kUnix)) h.remove_prefix(kUnix.size());
  return std::string(h);
}

std::string SandboxEnv::imageRef(std::string_view registry_host, std::string_view tag) const {
  return std::string(registry_host) + "/" + image_repo + ":" + std::string(tag);
}

std::string sandboxDir() {
  const char* d = std::getenv("BERTH_SANDBOX_DIR");
  return d && *d ? d : "/tmp/berth-sandbox";
}

std::map<std::string, std::string> parseEnvFile(std::string_view text) {
  std::map<std::string, std::string> vars;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::string_view l = line;
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t'))
      l.remove_prefix(1);
    while (!l.empty() && (l.back() == ' ' || l.back() == '\r'))
      l.remove_suffix(1);
    if (l.empty() || l.front() == '#') continue;
    if (l.starts_with("export ")) l.remove_prefix(7);
    auto eq = l.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    vars[std::string(l.substr(0, eq))] = unquote(l.substr(eq + 1));
  }
  return vars;
}

bool ciMode() {
  const char* ci = std::getenv("CI");
  if (!ci) return false;
  std::string v = ci;
  return v == "true" || v == "1";
}

std::optional<SandboxEnv> loadSandboxEnv(std::string* why) {
  const std::string dir = sandboxDir();
  const std::string path = dir + "/env";
  std::ifstream file(path);
  if (!file) {
    *why = "sandbox not running: " + std::string(kHint) + " (no " + path + ")";
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  auto vars = parseEnvFile(text.str());
  for (char** e = environ; *e; ++e) {  // the test's own environment wins
    std::string_view kv = *e;
    auto eq = kv.find('=');
    if (kv.starts_with(kPrefix) && eq != std::string_view::npos)
      vars[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
  }

  SandboxEnv env;
  env.dir = get(vars, "BERTH_SANDBOX_DIR");
  env.docker_host = get(vars, "BERTH_SANDBOX_DOCKER_HOST");
  env.docker_config = get(vars, "BERTH_SANDBOX_DOCKER_CONFIG");
  env.docker_cli = get(vars, "BERTH_SANDBOX_DOCKER_CLI");
  env.docker_tls_host = get(vars, "BERTH_SANDBOX_DOCKER_TLS_HOST");
  env.docker_cert_path = get(vars, "BERTH_SANDBOX_DOCKER_CERT_PATH");
  env.registry = get(vars, "BERTH_SANDBOX_REGISTRY");
  env.auth_registry = get(vars, "BERTH_SANDBOX_AUTH_REGISTRY");
  env.auth_user = get(vars, "BERTH_SANDBOX_AUTH_USER");
  env.auth_password = get(vars, "BERTH_SANDBOX_AUTH_PASSWORD");
  env.nginx = get(vars, "BERTH_SANDBOX_NGINX");
  env.nginx_conf_dir = get(vars, "BERTH_SANDBOX_NGINX_CONF_DIR");
  env.nginx_test_cmd = get(vars, "BERTH_SANDBOX_NGINX_TEST_CMD");
  env.nginx_reload_cmd = get(vars, "BERTH_SANDBOX_NGINX_RELOAD_CMD");
  env.image_repo = get(vars, "BERTH_SANDBOX_IMAGE_REPO");
  std::istringstream tags(get(vars, "BERTH_SANDBOX_IMAGE_TAGS"));
  for (std::string t; tags >> t;)
    env.image_tags.push_back(t);
  if (auto port = get(vars, "BERTH_SANDBOX_IMAGE_PORT"); !port.empty())
    env.image_port = std::atoi(port.c_str());
  if (env.docker_cli.empty()) env.docker_cli = "docker";
  env.vars = std::move(vars);

  for (const auto* required :
       {&env.docker_host, &env.registry, &env.auth_registry, &env.nginx, &env.image_repo}) {
    if (required->empty()) {
      *why = "sandbox env file " + path + " is incomplete; " + std::string(kHint);
      return std::nullopt;
    }
  }
  // A stale env file (daemon gone) must not turn into confusing failures further down.
  auto ping = httpRequest(HttpRequest("http://docker/_ping")
                              .withUnixSocket(env.dockerSocket())
                              .withTimeout(std::chrono::seconds(3)));
  if (ping.status != 200) {
    *why = "sandbox not running: " + std::string(kHint) + " (docker daemon at " + env.docker_host +
           " does not answer /_ping: " +
           (ping.status ? "HTTP " + std::to_string(ping.status) : ping.error) + ")";
    return std::nullopt;
  }
  return env;
}

const std::optional<SandboxEnv>& sandboxOrNull(std::string* why) {
  static std::string cached_why;
  static const std::optional<SandboxEnv> env = loadSandboxEnv(&cached_why);
  *why = cached_why;
  return env;
}

void SandboxTest::SetUp() {
  std::string why;
  const auto& env = sandboxOrNull(&why);
  if (!env) {
    if (ciMode()) FAIL() << why << " (CI=true: integration tests must run, not skip)";
    GTEST_SKIP() << why;
  }
  env_ = &*env;
}

}  // namespace berth::testing
