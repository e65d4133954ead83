// POST /api/auth/login · POST /api/auth/logout · GET /api/auth/me · PUT /api/auth/password.
#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/auth_gate.h"
#include "api/auth_views.h"
#include "api/json_body.h"
#include "events/log_line_json.h"

namespace berth::api {
namespace {

using nlohmann::json;

// Secure when berth is reached over TLS: its public URL says so, or the proxy in front of it
// does (X-Forwarded-Proto). A Secure cookie over plain http would never come back.
bool secureCookie(const http::Request& request, const Config& config) {
  return config.server.public_url.starts_with("https://") ||
         request.header("x-forwarded-proto").value_or("") == "https";
}

std::string sessionCookie(const std::string& value, std::int64_t max_age_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + value +
         "; Path=/; Max-Age=" + std::to_string(max_age_seconds) + "; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

}  // namespace

// A fresh session: the cookie lives as long as the session does.
std::string sessionCookieFor(const auth::AuthService::Session& session,
                             const http::Request& request, const AuthDeps& deps) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(deps.auth.sessionLifetime()).count();
  return sessionCookie(session.token, seconds, secureCookie(request, deps.config()));
}

namespace {

http::Response withSession(json body, const auth::AuthService::Session& session,
                           const http::Request& request, const AuthDeps& deps) {
  body["csrf_token"] = auth::AuthService::csrfToken(session.token);
  body["expires_at"] = events::isoUtc(session.expires_at);
  auto response = http::Response::jsonText(200, body.dump());
  response.headers.emplace_back("Set-Cookie", sessionCookieFor(session, request, deps));
  return response;
}

http::Response retryLater(int status, std::string_view code, std::string_view message,
                          std::chrono::milliseconds wait) {
  auto response = http::Response::error(status, code, message);
  const auto seconds = std::max<long long>(1, (wait.count() + 999) / 1000);
  response.headers.emplace_back("Retry-After", std::to_string(seconds));
  return response;
}

}  // namespace

void addAuthRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps) {
  router.post(
      "/api/auth/login", guard([deps](const http::Request& request) {
        if (!localLoginAllowed(deps->config(), deps->oidc != nullptr))
          throw forbidden(
              "password login is off (auth.local_login: false); sign in with the "
              "OIDC provider");
        const json body = parseJsonObject(request, {"username", "password"}, false);
        const std::string username = requiredString(body, "username");
        const std::string password = requiredString(body, "password");
        const auto outcome = deps->auth.login(username, password, request.remote_address);
        using Result = auth::LoginOutcome::Result;
        switch (outcome.result) {
          case Result::ok:
            return withSession(json{{"user", userJson(*outcome.user)}},
                               {outcome.session_token, outcome.expires_at}, request, *deps);
          case Result::refused:
            return http::Response::error(401, "invalid_credentials", "wrong username or password");
          case Result::throttled:
            return retryLater(429, "too_many_attempts",
                              "too many failed logins; wait before trying again",
                              outcome.retry_after);
          case Result::busy:
            break;
        }
        return retryLater(503, "busy", "too many logins at once; try again", outcome.retry_after);
      }));

  router.post("/api/auth/logout", guard([deps](const http::Request& request) {
                if (auto session = cookieValue(request, kSessionCookie))
                  deps->auth.logout(*session);
                auto response = http::Response::jsonText(200, R"({"logged_out":true})");
                response.headers.emplace_back(
                    "Set-Cookie", sessionCookie("", 0, secureCookie(request, deps->config())));
                return response;
              }));

  router.get("/api/auth/me", guard([deps](const http::Request& request) {
               const auto& who = caller(request);
               json body{{"user", identityJson(who)}, {"via", who.via_token ? "token" : "session"}};
               if (!who.via_token) {
                 body["csrf_token"] = auth::AuthService::csrfToken(
                     cookieValue(request, kSessionCookie).value_or(""));
               }
               return http::Response::jsonText(200, body.dump());
             }));

  // A user changes their own password; admins set others' with PUT /api/users/{id}. Every
  // session of the user ends (a stolen cookie dies with it); the caller gets a fresh one.
  router.put(
      "/api/auth/password", guard([deps](const http::Request& request) {
        const auto& who = caller(request);
        const json body = parseJsonObject(request, {"current_password", "new_password"}, false);
        const std::string current = requiredString(body, "current_password");
        const std::string next = requiredString(body, "new_password");
        if (!deps->auth.checkPassword(who.user_id, current))
          throw ApiError(403, "invalid_credentials", "the current password is wrong");
        deps->auth.setPassword(who.user_id, next);
        if (who.via_token) return http::Response::jsonText(200, R"({"password_changed":true})");
        return withSession(json{{"password_changed", true}}, deps->auth.openSession(who.user_id),
                           request, *deps);
      }));
}

}  // namespace berth::api
