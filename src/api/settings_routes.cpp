// GET /api/settings/auth · GET /api/config/export: what an admin reads about the stored
// configuration. Secrets are references (environment variable names) in both, never values.
#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/auth_views.h"
#include "config/config.h"
#include "core/duration.h"
#include "core/model_names.h"

namespace berth::api {

using nlohmann::json;

void addSettingsRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps) {
  router.get("/api/settings/auth", guard([deps](const http::Request& request) {
               requireAdmin(request);
               const AuthSettings auth = deps->config().auth;
               json body{{"mode", toString(auth.mode)},
                         {"session_lifetime", formatDuration(auth.session_lifetime)},
                         {"protect_metrics", auth.protect_metrics},
                         {"oidc",
                          {{"discovery_url", auth.oidc.discovery_url},
                           {"client_id", auth.oidc.client_id},
                           {"client_secret_env", auth.oidc.client_secret_env},
                           {"admin_group", auth.oidc.admin_group}}}};
               return http::Response::jsonText(200, json{{"auth", body}}.dump());
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
