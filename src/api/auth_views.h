// JSON shapes of users, API tokens and the caller, for the authentication routes. Includes
// nlohmann/json: only those handlers' .cpp files include this.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "api/authentication.h"
#include "store/user_record.h"

namespace berth::api {

// {"id","username","admin","created_at","password":bool,"oidc":bool}
nlohmann::json userJson(const UserRecord& user);
// {"id","username","admin"}
nlohmann::json identityJson(const http::Identity& who);
// {"id","name","owner","created_at","last_used_at"|null}; never the secret (berth has none)
nlohmann::json tokenJson(const ApiTokenRecord& token);

// The route groups of authentication.h, one file each.
void addAuthRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps);
void addUserRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps);
void addTokenRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps);
void addSettingsRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps);
void addOidcRoutes(http::Router& router, const std::shared_ptr<const AuthDeps>& deps);

// The Set-Cookie value for a fresh session (Secure when berth is reached over TLS).
std::string sessionCookieFor(const auth::AuthService::Session& session,
                             const http::Request& request, const AuthDeps& deps);
// Password login is on: unless this process runs OIDC and auth.local_login is false.
bool localLoginAllowed(const Config& config, bool oidc_running);

}  // namespace berth::api
