// Access to the test sandbox (tests/sandbox/sandbox.sh) from integration tests.
//
// The sandbox writes its settings as shell `export NAME='value'` lines to
// $BERTH_SANDBOX_DIR/env (default dir /tmp/berth-sandbox). loadSandboxEnv() reads that file;
// a BERTH_SANDBOX_* variable set in the test's own environment overrides the file's value.
//
// A test that needs the sandbox derives its fixture from SandboxTest (or calls
// BERTH_REQUIRE_SANDBOX() first). When the sandbox is not running the test is skipped with
// "sandbox not running: run tests/sandbox/sandbox.sh up", except when CI=true, where it fails:
// CI must never report green for integration tests it did not run.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::testing {

// The settings of one running sandbox. Field names follow the BERTH_SANDBOX_* variables.
struct SandboxEnv {
  std::map<std::string, std::string> vars;  // every BERTH_SANDBOX_* variable found

  std::string dir;               // BERTH_SANDBOX_DIR
  std::string docker_host;       // BERTH_SANDBOX_DOCKER_HOST, "unix:///.../docker.sock"
  std::string docker_config;     // BERTH_SANDBOX_DOCKER_CONFIG, client config dir (logged in)
  std::string docker_cli;        // BERTH_SANDBOX_DOCKER_CLI, docker binary matching the daemon
  std::string registry;          // BERTH_SANDBOX_REGISTRY, "127.0.0.1:15000", no auth
  std::string auth_registry;     // BERTH_SANDBOX_AUTH_REGISTRY, "127.0.0.1:15001", htpasswd
  std::string auth_user;         // BERTH_SANDBOX_AUTH_USER
  std::string auth_password;     // BERTH_SANDBOX_AUTH_PASSWORD
  std::string nginx;             // BERTH_SANDBOX_NGINX, "127.0.0.1:18080"
  std::string nginx_conf_dir;    // BERTH_SANDBOX_NGINX_CONF_DIR, included by nginx's http{}
  std::string nginx_test_cmd;    // BERTH_SANDBOX_NGINX_TEST_CMD
  std::string nginx_reload_cmd;  // BERTH_SANDBOX_NGINX_RELOAD_CMD
  std::string image_repo;        // BERTH_SANDBOX_IMAGE_REPO, "berth-test/app"
  std::vector<std::string> image_tags;  // BERTH_SANDBOX_IMAGE_TAGS, "v1 v2 v3 unhealthy ..."
  int image_port = 8080;                // BERTH_SANDBOX_IMAGE_PORT, the port the images serve

  // BERTH_SANDBOX_DOCKER_TLS_HOST, "tcp://127.0.0.1:12376": the same daemon over TLS, which
  // requires a client certificate from the sandbox CA. Empty when the running daemon has no TLS
  // listener (started by an older sandbox.sh; see tests/sandbox/README.md).
  std::string docker_tls_host;
  // BERTH_SANDBOX_DOCKER_CERT_PATH, a DOCKER_CERT_PATH folder (ca.pem, cert.pem, key.pem) with
  // the client certificate for docker_tls_host.
  std::string docker_cert_path;

  // Path of the daemon's unix socket (docker_host without "unix://").
  std::string dockerSocket() const;
  // "<registry>/<image_repo>:<tag>", e.g. "127.0.0.1:15000/berth-test/app:v1".
  std::string imageRef(std::string_view registry_host, std::string_view tag) const;
};

// The sandbox directory: $BERTH_SANDBOX_DIR, else /tmp/berth-sandbox.
std::string sandboxDir();

// Parses `export NAME='value'` / `NAME=value` lines (the sandbox's env file format). Lines that
// are blank or start with '#' are ignored; single or double quotes around a value are removed.
std::map<std::string, std::string> parseEnvFile(std::string_view text);

// Reads $BERTH_SANDBOX_DIR/env plus overriding BERTH_SANDBOX_* environment variables and checks
// that the daemon answers GET /_ping. On failure returns nullopt and sets *why.
std::optional<SandboxEnv> loadSandboxEnv(std::string* why);

// True when the environment variable CI is "true" or "1".
bool ciMode();

// The sandbox, loaded once per process; nullopt (with why) when it is not running.
const std::optional<SandboxEnv>& sandboxOrNull(std::string* why);

// Fixture for tests that need the sandbox: SetUp() skips (or fails under CI=true) when it is
// not running; sandbox() is valid in the test body afterwards.
class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override;
  const SandboxEnv& sandbox() const { return *env_; }
  // False after SetUp() skipped or failed; TearDown() overrides check it before cleaning up.
  bool haveSandbox() const { return env_ != nullptr; }

 private:
  const SandboxEnv* env_ = nullptr;
};

}  // namespace berth::testing

// For TEST() bodies that do not use SandboxTest. Declares `const SandboxEnv& sandbox_env`.
#define BERTH_REQUIRE_SANDBOX(sandbox_env)                                               \
  std::string berth_sandbox_why_;                                                        \
  const auto& berth_sandbox_opt_ = ::berth::testing::sandboxOrNull(&berth_sandbox_why_); \
  if (!berth_sandbox_opt_) {                                                             \
    if (::berth::testing::ciMode()) FAIL() << berth_sandbox_why_ << " (CI=true)";        \
    GTEST_SKIP() << berth_sandbox_why_;                                                  \
  }                                                                                      \
  const ::berth::testing::SandboxEnv& sandbox_env = *berth_sandbox_opt_
