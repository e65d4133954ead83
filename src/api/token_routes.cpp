// GET/POST /api/tokens · DELETE /api/tokens/{id}: API tokens for CI and the CLI. Everyone
// manages their own; an admin sees and revokes everyone's. A token's secret is in the answer
// to its creation and nowhere else, ever.
#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/auth_views.h"
#include "api/json_body.h"
#include "api/query_params.h"

namespace berth::api {

using nlohmann::json;

void addTokenRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps) {
  router.get("/api/tokens", guard([deps](const http::Request& request) {
               const auto& who = caller(request);
               json tokens = json::array();
               const auto owner = who.admin ? std::nullopt : std::optional(who.user_id);
               for (const auto& token : deps->auth.tokens(owner))
                 tokens.push_back(tokenJson(token));
               return http::Response::jsonText(200, json{{"tokens", tokens}}.dump());
             }));

  router.post("/api/tokens", guard([deps](const http::Request& request) {
                const auto& who = caller(request);
                const json body = parseJsonObject(request, {"name"}, false);
                const auto created =
                    deps->auth.createToken(who.user_id, requiredString(body, "name"));
                json answer{{"token", tokenJson(created.record)}, {"secret", created.secret}};
                auto response = http::Response::jsonText(201, answer.dump());
                response.headers.emplace_back("Cache-Control", "no-store");
                return response;
              }));

  router.del("/api/tokens/{id}", guard([deps](const http::Request& request) {
               const auto& who = caller(request);
               const auto id = idParam(request, "token id");
               const auto token = deps->auth.token(id);
               // Someone else's token is "not found" to a non-admin: ids are not secrets, but
               // what exists is none of their business.
               if (!token || (!who.admin && token->user_id != who.user_id))
                 throw notFound("no API token " + std::to_string(id));
               deps->auth.revokeToken(id);
               return http::Response::jsonText(200, json{{"revoked", id}}.dump());
             }));
}

}  // namespace berth::api
