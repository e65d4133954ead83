// GET /api/settings · GET/PUT /api/settings/auth · GET /api/config/export: the stored
// configuration as an admin reads and changes it. Secrets are references (environment variable
// names), never values. A change is validated by the same rules as berth.yaml (the candidate
// configuration is exported and parsed again), stored in one transaction, and is in the next
// export.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/auth_views.h"
#include "api/json_body.h"
#include "config/config.h"
#include "core/duration.h"
#include "core/model_names.h"

namespace berth::api {
namespace {

using nlohmann::json;

json authJson(const AuthSettings& auth) {
  return json{{"mode", toString(auth.mode)},
              {"session_lifetime", formatDuration(auth.session_lifetime)},
              {"protect_metrics", auth.protect_metrics},
              {"local_login", auth.local_login},
              {"oidc",
               {{"discovery_url", auth.oidc.discovery_url},
                {"client_id", auth.oidc.client_id},
                {"client_secret_env", auth.oidc.client_secret_env},
                {"admin_group", auth.oidc.admin_group},
                {"admin_claim", auth.oidc.admin_claim},
                {"scopes", auth.oidc.scopes}}}};
}

// What only a restart applies: the OIDC client and the session lifetime are built at start-up.
bool restartRequired(const AuthSettings& stored, const AuthSettings& running) {
  return stored.mode != running.mode || stored.oidc != running.oidc ||
         stored.session_lifetime != running.session_lifetime;
}

http::Response settingsBody(const AuthSettings& stored, const AuthDeps& deps) {
  return http::Response::jsonText(
      200, json{{"auth", authJson(stored)},
                {"restart_required", restartRequired(stored, deps.started_with)}}
               .dump());
}

// Applies the fields present in the body; absent ones keep their value.
void applyAuthBody(const http::Request& request, AuthSettings& auth) {
  const json body = parseJsonObject(
      request, {"mode", "session_lifetime", "protect_metrics", "local_login", "oidc"}, false);
  if (auto mode = optionalString(body, "mode")) {
    const auto parsed = parseAuthMode(*mode);
    if (!parsed) throw badRequest("field 'mode' must be local or oidc, got " + *mode);
    auth.mode = *parsed;
  }
  if (auto lifetime = optionalString(body, "session_lifetime")) {
    const auto parsed = parseDuration(*lifetime);
    if (!parsed) throw badRequest("field 'session_lifetime' must be a duration such as 12h");
    auth.session_lifetime = *parsed;
  }
  if (auto value = optionalBool(body, "protect_metrics")) auth.protect_metrics = *value;
  if (auto value = optionalBool(body, "local_login")) auth.local_login = *value;
  const auto oidc = body.find("oidc");
  if (oidc == body.end() || oidc->is_null()) return;
  if (!oidc->is_object()) throw badRequest("field 'oidc' must be an object");
  for (const auto& [key, value] : oidc->items()) {
    if (key == "scopes") {
      if (!value.is_array() ||
          !std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); }))
        throw badRequest("field 'oidc.scopes' must be a list of strings");
      auth.oidc.scopes = value.get<std::vector<std::string>>();
      continue;
    }
    std::string* target = key == "discovery_url"       ? &auth.oidc.discovery_url
                          : key == "client_id"         ? &auth.oidc.client_id
                          : key == "client_secret_env" ? &auth.oidc.client_secret_env
                          : key == "admin_group"       ? &auth.oidc.admin_group
                          : key == "admin_claim"       ? &auth.oidc.admin_claim
                                                       : nullptr;
    if (target == nullptr)
      throw badRequest("unknown field 'oidc." + key +
                       "'; expected discovery_url, client_id, client_secret_env, admin_group, "
                       "admin_claim, scopes");
    if (!value.is_string()) throw badRequest("field 'oidc." + key + "' must be a string");
    *target = value.get<std::string>();
  }
}

}  // namespace

void addSettingsRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps) {
  // The host-wide sections besides auth, read-only (they change with berth.yaml and a restart).
  router.get("/api/settings", guard([deps](const http::Request& request) {
               requireAdmin(request);
               const Config config = deps->config();
               json registries = json::array();
               for (const auto& r : config.registries)
                 registries.push_back(json{{"host", r.host},
                                           {"username", r.username},
                                           {"password_env", r.password_env},
                                           {"insecure", r.insecure}});
               const auto& p = config.proxy;
               json body{
                   {"server",
                    {{"listen", config.server.listen}, {"public_url", config.server.public_url}}},
                   {"docker", {{"host", config.docker.host}, {"network", config.docker.network}}},
                   {"registries", registries},
                   {"proxy",
                    {{"driver", toString(p.driver)},
                     {"reach", toString(p.reach)},
                     {"url", p.url},
                     {"identity", p.identity},
                     {"secret_env", p.secret_env},
                     {"conf_dir", p.conf_dir},
                     {"listen", p.listen},
                     {"test_cmd", p.test_cmd},
                     {"reload_cmd", p.reload_cmd}}}};
               return http::Response::jsonText(200, body.dump());
             }));

  router.get("/api/settings/auth", guard([deps](const http::Request& request) {
               requireAdmin(request);
               return settingsBody(deps->config().auth, *deps);
             }));

  router.put("/api/settings/auth", guard([deps](const http::Request& request) {
               requireAdmin(request);
               if (!deps->replace_config)
                 throw ApiError(501, "not_implemented", "settings cannot be changed here");
               Config candidate = deps->config();
               applyAuthBody(request, candidate.auth);
               // berth.yaml's rules, all of them: the candidate must survive export and parse.
               const auto checked = parseConfig(exportConfig(candidate), "settings");
               if (!checked.errors.empty()) {
                 std::string message;
                 for (const auto& error : checked.errors)
                   message += (message.empty() ? "" : "; ") + error.key + ": " + error.message;
                 throw badRequest(message);
               }
               deps->replace_config(candidate);
               return settingsBody(candidate.auth, *deps);
             }));

  router.get("/api/config/export", guard([deps](const http::Request& request) {
               requireAdmin(request);
               auto response = http::Response::text(200, exportConfig(deps->config()),
                                                    "application/yaml; charset=utf-8");
               response.headers.emplace_back("Content-Disposition",
                                             R"(attachment; filename="berth.yaml")");
               return response;
             }));
}

}  // namespace berth::api
