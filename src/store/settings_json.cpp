#include "store/settings_json.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "core/model_names.h"

namespace berth::settings_json {
namespace {

using nlohmann::json;

// Reads obj[key] into `out` if present; absent keys keep the default.
template <class T>
void read(const json& obj, const char* key, T& out) {
  if (auto it = obj.find(key); it != obj.end()) it->get_to(out);
}

template <class E>
void readEnum(const json& obj, const char* key, E& out,
              std::optional<E> (*parse)(std::string_view)) {
  auto it = obj.find(key);
  if (it == obj.end()) return;
  const auto text = it->get<std::string>();
  const auto value = parse(text);
  if (!value) throw std::runtime_error("unknown " + std::string(key) + " '" + text + "'");
  out = *value;
}

json parseObject(std::string_view text) {
  json obj = json::parse(text);
  if (!obj.is_object()) throw std::runtime_error("settings value is not a JSON object");
  return obj;
}

}  // namespace

std::string encode(const ServerSettings& s) {
  return json{{"listen", s.listen}, {"data_dir", s.data_dir}, {"public_url", s.public_url}}.dump();
}

std::string encode(const DockerSettings& s) {
  return json{{"host", s.host}, {"network", s.network}}.dump();
}

std::string encode(const ProxySettings& s) {
  return json{
      {"driver", toString(s.driver)}, {"reach", toString(s.reach)}, {"url", s.url},
      {"identity", s.identity},       {"secret_env", s.secret_env}, {"conf_dir", s.conf_dir},
      {"listen", s.listen},           {"test_cmd", s.test_cmd},     {"reload_cmd", s.reload_cmd}}
      .dump();
}

std::string encode(const AuthSettings& s) {
  return json{{"mode", toString(s.mode)},
              {"session_lifetime_ms",
               std::chrono::duration_cast<std::chrono::milliseconds>(s.session_lifetime).count()},
              {"protect_metrics", s.protect_metrics},
              {"local_login", s.local_login},
              {"oidc",
               {{"discovery_url", s.oidc.discovery_url},
                {"client_id", s.oidc.client_id},
                {"client_secret_env", s.oidc.client_secret_env},
                {"admin_group", s.oidc.admin_group},
                {"admin_claim", s.oidc.admin_claim},
                {"scopes", s.oidc.scopes}}}}
      .dump();
}

void decode(std::string_view text, ServerSettings& s) {
  const json obj = parseObject(text);
  read(obj, "listen", s.listen);
  read(obj, "data_dir", s.data_dir);
  read(obj, "public_url", s.public_url);
}

void decode(std::string_view text, DockerSettings& s) {
  const json obj = parseObject(text);
  read(obj, "host", s.host);
  read(obj, "network", s.network);
}

void decode(std::string_view text, ProxySettings& s) {
  const json obj = parseObject(text);
  readEnum(obj, "driver", s.driver, parseProxyDriver);
  readEnum(obj, "reach", s.reach, parseProxyReach);
  read(obj, "url", s.url);
  read(obj, "identity", s.identity);
  read(obj, "secret_env", s.secret_env);
  read(obj, "conf_dir", s.conf_dir);
  read(obj, "listen", s.listen);
  read(obj, "test_cmd", s.test_cmd);
  read(obj, "reload_cmd", s.reload_cmd);
}

void decode(std::string_view text, AuthSettings& s) {
  const json obj = parseObject(text);
  readEnum(obj, "mode", s.mode, parseAuthMode);
  if (auto it = obj.find("session_lifetime_ms"); it != obj.end())
    s.session_lifetime = std::chrono::milliseconds(it->get<std::int64_t>());
  read(obj, "protect_metrics", s.protect_metrics);
  read(obj, "local_login", s.local_login);
  if (auto it = obj.find("oidc"); it != obj.end()) {
    read(*it, "discovery_url", s.oidc.discovery_url);
    read(*it, "client_id", s.oidc.client_id);
    read(*it, "client_secret_env", s.oidc.client_secret_env);
    read(*it, "admin_group", s.oidc.admin_group);
    read(*it, "admin_claim", s.oidc.admin_claim);
    read(*it, "scopes", s.oidc.scopes);
  }
}

}  // namespace berth::settings_json
