// GET/POST /api/users · PUT/DELETE /api/users/{id}: admins manage accounts.
#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/auth_views.h"
#include "api/json_body.h"
#include "api/query_params.h"

namespace berth::api {
namespace {

using nlohmann::json;

std::int64_t userIdParam(const http::Request& request) {
  return idParam(request, "user id");
}

}  // namespace

void addUserRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps) {
  router.get("/api/users", guard([deps](const http::Request& request) {
               requireAdmin(request);
               json users = json::array();
               for (const auto& user : deps->auth.users())
                 users.push_back(userJson(user));
               return http::Response::jsonText(200, json{{"users", users}}.dump());
             }));

  router.post(
      "/api/users", guard([deps](const http::Request& request) {
        requireAdmin(request);
        const json body = parseJsonObject(request, {"username", "password", "admin"}, false);
        const auto user =
            deps->auth.addUser(requiredString(body, "username"), requiredString(body, "password"),
                               optionalBool(body, "admin").value_or(false));
        return http::Response::jsonText(201, json{{"user", userJson(user)}}.dump());
      }));

  // {"password"?, "admin"?}: a new password ends the user's sessions.
  router.put(
      "/api/users/{id}", guard([deps](const http::Request& request) {
        requireAdmin(request);
        const auto id = userIdParam(request);
        const json body = parseJsonObject(request, {"password", "admin"}, false);
        const auto password = optionalString(body, "password");
        const auto admin = optionalBool(body, "admin");
        if (!password && !admin) throw badRequest("nothing to change: send password or admin");
        if (!deps->auth.user(id)) throw notFound("no user " + std::to_string(id));
        deps->auth.updateUser(id, password, admin);
        return http::Response::jsonText(200, json{{"user", userJson(*deps->auth.user(id))}}.dump());
      }));

  router.del("/api/users/{id}", guard([deps](const http::Request& request) {
               const auto& who = requireAdmin(request);
               const auto id = userIdParam(request);
               if (id == who.user_id)
                 throw conflict("you cannot remove your own account; another admin can");
               deps->auth.removeUser(id);
               return http::Response::jsonText(200, json{{"removed", id}}.dump());
             }));
}

}  // namespace berth::api
