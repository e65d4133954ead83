// The host-wide sections of berth.yaml: server, docker, registries, proxy, auth.
#include <algorithm>

#include "config/names.h"
#include "config/parse_sections.h"
#include "core/model_names.h"
#include "core/reference_grammar.h"

namespace berth {
namespace {

// Function-local statics: a parse may run while another file's globals are being
// initialised (e.g. a test's constant), before this file's globals would exist.
const std::vector<std::string>& proxyDriverNames() {
  static const std::vector<std::string> names{
      toString(ProxyDriver::none), toString(ProxyDriver::nginx), toString(ProxyDriver::npm)};
  return names;
}
const std::vector<std::string>& proxyReachNames() {
  static const std::vector<std::string> names{toString(ProxyReach::network),
                                              toString(ProxyReach::host)};
  return names;
}
const std::vector<std::string>& authModeNames() {
  static const std::vector<std::string> names{toString(AuthMode::local), toString(AuthMode::oidc)};
  return names;
}

constexpr std::string_view kNoCredentials =
    "must not contain a user name or password (user:password@); berth takes secrets only from "
    "environment variables (the value is not shown)";

// Reports a missing or empty setting that `reason` (e.g. "driver npm") makes necessary; a missing
// one at the position of the map that should hold it.
void requireFor(const MapReader& r, std::string_view key, const std::string& reason) {
  const auto node = r.get(key);
  if (!node)
    r.diagnostics().error(r.where(), r.keyPath(key),
                          reason + " requires '" + std::string(key) + "'");
  else if (node->IsScalar() && node->Scalar().empty())
    r.error(key, "must not be empty with " + reason);
}

// Reports settings that belong to another driver: they would be silently ignored, which usually
// means the driver line is wrong.
void refuseFor(const MapReader& r, std::initializer_list<std::string_view> keys,
               const std::string& owner, const std::string& driver) {
  for (auto key : keys)
    if (r.has(key)) r.error(key, "only used by " + owner + " (driver is " + driver + ")");
}

// Checks a setting that must be an http(s) URL. One with "user:password@" is refused without
// repeating it: the text after the user name is a password.
void checkHttpUrl(const MapReader& r, std::string_view key, const std::string& url) {
  if (hasUserInfo(url))
    r.error(key, std::string(kNoCredentials));
  else if (!isHttpUrl(url))
    r.error(key, "expected an http:// or https:// URL, got '" + url + "'");
}

}  // namespace

void readServer(const MapReader& root, ServerSettings& out) {
  const auto r = root.child("server", {"listen", "data_dir", "public_url"});
  if (!r) return;
  if (r->string("listen", out.listen) && !isListenAddress(out.listen, false))
    r->error("listen", "expected host:port such as 127.0.0.1:8080, got '" + out.listen + "'");
  if (r->string("data_dir", out.data_dir) && out.data_dir.empty())
    r->error("data_dir", "must not be empty");
  if (r->string("public_url", out.public_url) && !out.public_url.empty())
    checkHttpUrl(*r, "public_url", out.public_url);
}

void readDocker(const MapReader& root, DockerSettings& out) {
  const auto r = root.child("docker", {"host", "network"});
  if (!r) return;
  if (r->string("host", out.host)) {
    const bool unix_socket = out.host.starts_with("unix:///");
    const bool tcp = out.host.starts_with("tcp://") || isHttpUrl(out.host);
    if (hasUserInfo(out.host))
      r->error("host", std::string(kNoCredentials));
    else if (!unix_socket && !tcp)
      r->error("host",
               "expected unix:///path/to/docker.sock, tcp://host:port or https://host:port, got '" +
                   out.host + "'");
  }
  if (r->string("network", out.network) && !isSafeName(out.network))
    r->error("network", "expected a network name of [a-z0-9][a-z0-9_-]* (at most 63), got '" +
                            out.network + "'");
}

void readRegistries(const MapReader& root, std::vector<RegistryCredential>& out) {
  const auto list = root.list("registries");
  if (!list) return;
  Diagnostics& diag = root.diagnostics();
  std::vector<RegistryCredential> registries;
  std::vector<Where> host_at;
  for (size_t i = 0; i < list->size(); ++i) {
    const MapReader r((*list)[i], itemPath(root.keyPath("registries"), i), diag,
                      {"host", "username", "password_env", "insecure"}, whereOf(*list));
    if (!r.isMap()) continue;
    RegistryCredential registry;
    if (r.require("host") && r.string("host", registry.host)) {
      if (registry.host.find('@') != std::string::npos) {
        r.error("host", std::string(kNoCredentials));
      } else if (auto problem = registryHostProblem(registry.host)) {
        r.error("host", "expected a registry host such as ghcr.io or 127.0.0.1:5000: " + *problem);
      } else {
        for (size_t j = 0; j < registries.size(); ++j)
          if (registries[j].host == registry.host)
            r.error("host", "duplicate registry '" + registry.host + "' (first at line " +
                                std::to_string(host_at[j].line) + ")");
      }
    }
    r.string("username", registry.username);
    r.envReference("password_env", registry.password_env);
    r.boolean("insecure", registry.insecure);
    registries.push_back(registry);
    host_at.push_back(r.whereValue("host"));
  }
  out = std::move(registries);
}

void readProxy(const MapReader& root, ProxySettings& out) {
  const auto r = root.child("proxy", {"driver", "url", "identity", "secret_env", "conf_dir",
                                      "listen", "test_cmd", "reload_cmd", "reach"});
  if (!r) return;
  r->enumeration("driver", out.driver, parseProxyDriver, proxyDriverNames());
  r->enumeration("reach", out.reach, parseProxyReach, proxyReachNames());
  if (r->string("url", out.url)) checkHttpUrl(*r, "url", out.url);
  r->string("identity", out.identity);
  r->envReference("secret_env", out.secret_env);
  r->string("conf_dir", out.conf_dir);
  if (r->string("listen", out.listen) && !isListenAddress(out.listen, true))
    r->error("listen",
             "expected a port or host:port such as 80 or 127.0.0.1:8081, got '" + out.listen + "'");
  r->string("test_cmd", out.test_cmd);
  r->string("reload_cmd", out.reload_cmd);

  const std::string driver = toString(out.driver);
  const std::initializer_list<std::string_view> npm_keys{"url", "identity", "secret_env"};
  const std::initializer_list<std::string_view> nginx_keys{"conf_dir", "listen", "test_cmd",
                                                           "reload_cmd"};
  switch (out.driver) {
    case ProxyDriver::npm:
      for (auto key : npm_keys)
        requireFor(*r, key, "driver npm");
      refuseFor(*r, nginx_keys, "the nginx driver", driver);
      break;
    case ProxyDriver::nginx:
      requireFor(*r, "conf_dir", "driver nginx");
      refuseFor(*r, npm_keys, "the npm driver", driver);
      break;
    case ProxyDriver::none:
      refuseFor(*r, npm_keys, "the npm driver", driver);
      refuseFor(*r, nginx_keys, "the nginx driver", driver);
      break;
  }
}

void readAuth(const MapReader& root, AuthSettings& out) {
  const auto r =
      root.child("auth", {"mode", "oidc", "session_lifetime", "protect_metrics", "local_login"});
  if (!r) return;
  r->enumeration("mode", out.mode, parseAuthMode, authModeNames());
  r->duration("session_lifetime", out.session_lifetime, std::chrono::minutes(5),
              std::chrono::hours(365 * 24));
  r->boolean("protect_metrics", out.protect_metrics);
  r->boolean("local_login", out.local_login);
  const auto oidc = r->child("oidc", {"discovery_url", "client_id", "client_secret_env",
                                      "admin_group", "admin_claim", "scopes"});
  if (oidc) {
    if (oidc->string("discovery_url", out.oidc.discovery_url))
      checkHttpUrl(*oidc, "discovery_url", out.oidc.discovery_url);
    oidc->string("client_id", out.oidc.client_id);
    oidc->envReference("client_secret_env", out.oidc.client_secret_env);
    oidc->string("admin_group", out.oidc.admin_group);
    oidc->string("admin_claim", out.oidc.admin_claim);
    if (oidc->stringList("scopes", out.oidc.scopes) &&
        std::find(out.oidc.scopes.begin(), out.oidc.scopes.end(), "openid") ==
            out.oidc.scopes.end())
      oidc->diagnostics().error(oidc->whereValue("scopes"), oidc->keyPath("scopes"),
                                "scopes must include openid");
  }
  if (out.mode != AuthMode::oidc) return;
  if (!oidc) {
    if (!r->has("oidc"))
      r->diagnostics().error(r->whereValue("mode"), r->keyPath("oidc"),
                             "mode oidc requires an oidc: map with discovery_url and client_id");
    return;
  }
  requireFor(*oidc, "discovery_url", "mode oidc");
  requireFor(*oidc, "client_id", "mode oidc");
}

}  // namespace berth
