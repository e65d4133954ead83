// GET /api/auth/methods · GET /api/auth/oidc/start · GET /api/auth/oidc/callback: login through
// the OIDC provider (auth/oidc_client.h), ending in the same session cookie as a local login.
#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/auth_views.h"
#include "auth/oidc_client.h"

namespace berth::api {
namespace {

using nlohmann::json;

// Only a path on berth itself: an open redirect would let a link that starts on berth's login
// end on any site.
std::string safeReturnPath(std::string_view path) {
  if (!path.starts_with('/') || path.starts_with("//") || path.find('\\') != std::string::npos ||
      path.find_first_of("\r\n") != std::string::npos)
    return "/";
  return std::string(path);
}

http::Response redirect(const std::string& location) {
  auto response = http::Response::text(302, "");
  response.headers.emplace_back("Location", location);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

auth::OidcClient& requireOidc(const AuthDeps& deps) {
  if (deps.oidc == nullptr)
    throw notFound("OIDC login is not configured (berth.yaml auth.mode: oidc)");
  return *deps.oidc;
}

}  // namespace

bool localLoginAllowed(const Config& config, bool oidc_running) {
  // Only while this process can log people in through the provider: turning password login
  // off in the stored settings must not lock everyone out before the restart that starts OIDC.
  return !oidc_running || config.auth.local_login;
}

void addOidcRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps) {
  // For the login page: which ways in to offer.
  router.get("/api/auth/methods", guard([deps](const http::Request&) {
               return http::Response::jsonText(
                   200, json{{"local", localLoginAllowed(deps->config(), deps->oidc != nullptr)},
                             {"oidc", deps->oidc != nullptr}}
                            .dump());
             }));

  router.get("/api/auth/oidc/start", guard([deps](const http::Request& request) {
               auto& oidc = requireOidc(*deps);
               const auto return_to = safeReturnPath(request.queryParam("return_to").value_or("/"));
               try {
                 return redirect(oidc.start(return_to));
               } catch (const auth::OidcError& e) {
                 throw ApiError(503, "oidc_unavailable", e.what());
               }
             }));

  router.get("/api/auth/oidc/callback", guard([deps](const http::Request& request) {
               auto& oidc = requireOidc(*deps);
               if (auto error = request.queryParam("error")) {
                 const auto description = request.queryParam("error_description").value_or("");
                 throw ApiError(
                     401, "oidc_refused",
                     "the OIDC provider refused the login: " + std::string(*error) +
                         (description.empty() ? "" : " (" + std::string(description) + ")"));
               }
               auth::OidcIdentity who;
               try {
                 who = oidc.finish(std::string(request.queryParam("code").value_or("")),
                                   std::string(request.queryParam("state").value_or("")));
               } catch (const auth::OidcError& e) {
                 throw ApiError(401, "oidc_failed", e.what());
               }
               // Issuer and subject: a `sub` is unique only within its provider.
               const auto user =
                   deps->auth.oidcUser(who.issuer + " " + who.subject, who.username, who.admin);
               auto response = redirect(safeReturnPath(who.return_to));
               response.headers.emplace_back(
                   "Set-Cookie", sessionCookieFor(deps->auth.openSession(user.id), request, *deps));
               return response;
             }));
}

}  // namespace berth::api
