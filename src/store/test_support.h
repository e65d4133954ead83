// Shared by the store's tests: a private directory per test, a rich configuration, a fake clock.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "core/model.h"
#include "store/store.h"
#include "store/timestamp.h"

namespace berth::testing {

// A fresh directory under the system temp dir, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "berth-store-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline std::string readBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Starts at a fixed instant and advances one second per reading, so every stamp is distinct
// and predictable.
struct SteppingClock {
  std::shared_ptr<std::int64_t> next_ms = std::make_shared<std::int64_t>(1'700'000'000'000);
  Timestamp operator()() const {
    const auto now = fromUnixMillis(*next_ms);
    *next_ms += 1000;
    return now;
  }
};

// Every field away from its default, lists in non-alphabetical order.
inline Config richConfig() {
  Config c;
  c.server = {.listen = "0.0.0.0:9000", .data_dir = "/var/lib/berth", .public_url = "https://b"};
  c.docker = {.host = "tcp://docker:2376", .network = "edge"};
  c.registries = {
      {.host = "registry.local:5000", .username = "", .password_env = "", .insecure = true},
      {.host = "ghcr.io", .username = "acme-bot", .password_env = "GHCR_TOKEN", .insecure = false}};
  c.proxy = {.driver = ProxyDriver::npm,
             .reach = ProxyReach::network,
             .url = "http://npm:81",
             .identity = "admin@example.com",
             .secret_env = "NPM_PASSWORD",
             .conf_dir = "/etc/nginx/conf.d",
             .listen = "80",
             .test_cmd = "nginx -t",
             .reload_cmd = "nginx -s reload"};
  c.auth = {.mode = AuthMode::oidc,
            .oidc = {.discovery_url = "https://id/.well-known/openid-configuration",
                     .client_id = "berth",
                     .client_secret_env = "OIDC_SECRET",
                     .admin_group = "ops",
                     .admin_claim = "roles",
                     .scopes = {"openid", "profile", "groups"}},
            .session_lifetime = std::chrono::hours(12),
            .protect_metrics = true,
            .local_login = false};

  Project web;
  web.name = "web";
  web.image = "ghcr.io/acme/web";
  web.port = 8080;
  web.health = {.path = "/healthz", .interval = Duration(1500), .timeout = Duration(90'000)};
  web.env = {{"LOG_LEVEL", "info"}, {"A_FIRST", "1"}, {"EMPTY", ""}};
  web.volumes = {"web-data:/data", "/srv/cache:/cache", "a-last:/a"};
  web.webhook_secret_env = "WEB_WEBHOOK_SECRET";
  web.poll_interval = Duration(30'000);

  Stage staging;
  staging.name = "staging";
  staging.tags = TagPolicy{.match = "^main-([0-9a-f]{7,})$",
                           .order = TagOrder::pushed,
                           .prerelease = false,
                           .watch = ""};
  staging.auto_deploy = true;
  staging.domains = {"staging.example.com", "b.staging.example.com"};

  Stage production;
  production.name = "production";
  production.promote_from = "staging";
  production.strategy = Strategy::blue_green;
  production.drain = std::chrono::seconds(10);
  production.replicas = 2;
  production.domains = {"example.com", "www.example.com"};
  production.env = {{"LOG_LEVEL", "warn"}};
  production.volumes = {"prod-only:/p"};

  Stage canary;  // a default tag policy, distinct from no policy at all
  canary.name = "canary";
  canary.tags = TagPolicy{};

  web.stages = {staging, production, canary};

  Project api;
  api.name = "api";
  api.image = "registry.local:5000/api";
  Stage live;
  live.name = "live";
  live.tags = TagPolicy{.match = "", .order = TagOrder::semver, .prerelease = true, .watch = ""};
  Stage edge;
  edge.name = "edge";
  edge.tags = TagPolicy{};
  edge.tags->watch = "latest";
  api.stages = {live, edge};

  c.projects = {web, api};
  return c;
}

}  // namespace berth::testing
