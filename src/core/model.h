// The configuration model: what an operator declares in berth.yaml and what the store keeps.
// Plain values only; parsing lives in config/, persistence in store/.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth {

using Duration = std::chrono::milliseconds;

struct ServerSettings {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./data";
  std::string public_url{};  // empty: derived from listen
  bool operator==(const ServerSettings&) const = default;
};

struct DockerSettings {
  std::string host = "unix:///var/run/docker.sock";
  std::string network = "berth";
  bool operator==(const DockerSettings&) const = default;
};

// Credentials for one registry host. Secrets are held by reference (the name of an environment
// variable), never by value, so the database and exports never contain them.
struct RegistryCredential {
  std::string host{};
  std::string username{};
  std::string password_env{};
  bool insecure = false;  // allow plain http for a non-loopback host
  bool operator==(const RegistryCredential&) const = default;
};

enum class ProxyDriver { none, nginx, npm };
enum class ProxyReach { network, host };

struct ProxySettings {
  ProxyDriver driver = ProxyDriver::none;
  ProxyReach reach = ProxyReach::host;
  // npm (Nginx Proxy Manager)
  std::string url{};
  std::string identity{};
  std::string secret_env{};
  // nginx
  std::string conf_dir{};
  std::string listen{};
  std::string test_cmd{};
  std::string reload_cmd{};
  bool operator==(const ProxySettings&) const = default;
};

enum class AuthMode { local, oidc };

struct OidcSettings {
  std::string discovery_url{};
  std::string client_id{};
  std::string client_secret_env{};
  std::string admin_group{};  // the claim value that makes a user admin ("" : nobody by OIDC)
  std::string admin_claim = "groups";  // the ID token claim holding it (a string or a list)
  std::vector<std::string> scopes{"openid", "profile", "email"};
  bool operator==(const OidcSettings&) const = default;
};

struct AuthSettings {
  AuthMode mode = AuthMode::local;
  OidcSettings oidc{};
  // How long a login session lasts (absolute, from login); logout and a password change end it
  // earlier.
  Duration session_lifetime = std::chrono::hours(7 * 24);
  // false: GET /metrics is open (scrapers on a private network); true: it needs a session or an
  // API token like /api.
  bool protect_metrics = false;
  // With mode oidc: whether local users may still log in with a password (the break-glass way
  // in when the provider is down).
  bool local_login = true;
  bool operator==(const AuthSettings&) const = default;
};

struct HealthCheck {
  std::string path{};  // empty: use the image's Docker HEALTHCHECK, if any
  Duration interval = std::chrono::seconds(1);
  Duration timeout = std::chrono::seconds(60);
  bool operator==(const HealthCheck&) const = default;
};

enum class TagOrder { semver, numeric, alphabetical, pushed };

// Which tags a stage follows. Either `watch` (one mutable tag, followed by digest) or
// `match` + `order` (the best-ranked matching tag wins).
struct TagPolicy {
  std::string match{};  // ECMAScript regex; empty matches every tag
  TagOrder order = TagOrder::semver;
  bool prerelease = false;  // semver only: include pre-releases
  std::string watch{};      // non-empty: watch mode
  bool operator==(const TagPolicy&) const = default;
};

enum class Strategy { recreate, blue_green };

struct Stage {
  std::string name{};
  std::optional<TagPolicy> tags{};  // none: deployed by hand or by promotion only
  bool auto_deploy = false;
  std::string promote_from{};  // empty: not a promotion target
  Strategy strategy = Strategy::recreate;
  // blue-green: how long the old instances keep running after the switch, so requests in flight
  // finish. berth.yaml refuses `drain:` on a recreate stage (it would be silently ignored).
  Duration drain = std::chrono::seconds(2);
  int replicas = 1;
  std::vector<std::string> domains{};
  std::map<std::string, std::string> env{};  // overrides the project's env
  std::vector<std::string> volumes{};        // added to the project's volumes
  bool operator==(const Stage&) const = default;
};

struct Project {
  std::string name{};
  std::string image{};  // repository without tag, e.g. ghcr.io/acme/web
  int port = 80;
  HealthCheck health{};
  std::map<std::string, std::string> env{};
  std::vector<std::string> volumes{};  // "name:/path" (named volume) or "/host:/path" (bind)
  std::string webhook_secret_env{};
  Duration poll_interval = std::chrono::seconds(60);
  std::vector<Stage> stages{};
  bool operator==(const Project&) const = default;

  const Stage* findStage(std::string_view stage_name) const {
    for (const auto& s : stages)
      if (s.name == stage_name) return &s;
    return nullptr;
  }
};

// Everything berth.yaml declares.
struct Config {
  ServerSettings server{};
  DockerSettings docker{};
  std::vector<RegistryCredential> registries{};
  ProxySettings proxy{};
  AuthSettings auth{};
  std::vector<Project> projects{};
  bool operator==(const Config&) const = default;

  const Project* findProject(std::string_view project_name) const {
    for (const auto& p : projects)
      if (p.name == project_name) return &p;
    return nullptr;
  }
};

}  // namespace berth
