// Who may call berth's API, and the routes that manage it. addAuthentication() registers
//   POST /api/auth/login · POST /api/auth/logout · GET /api/auth/me · PUT /api/auth/password
//   GET /api/auth/methods · GET /api/auth/oidc/start · GET /api/auth/oidc/callback
//   GET/POST /api/users · PUT/DELETE /api/users/{id}
//   GET/POST /api/tokens · DELETE /api/tokens/{id}
//   GET/PUT /api/settings/auth · GET /api/config/export
// and sets the router's gate, which runs before every request:
//  - every path under /api/ answers 401 without a valid session cookie or API token, except
//    POST /api/auth/login and logout, GET /api/auth/methods, the OIDC start and callback and
//    /api/webhook/* (which checks the project's own secret). Unknown /api/ paths are 401 too,
//    so a caller without credentials
//    learns nothing about the route table, and a route added later is protected by default;
//  - GET /metrics needs credentials when auth.protect_metrics is set;
//  - a cookie-authenticated request that changes state (anything but GET and HEAD) must carry
//    the session's anti-CSRF token in X-CSRF-Token (403 otherwise): a page on another site can
//    make the browser send the cookie, but cannot read the token. API tokens need no CSRF token
//    (a browser never attaches them by itself);
//  - everything else (/healthz, the dashboard's files) is open.
// Non-admins can read and deploy; users, settings, the export and other people's tokens are
// for admins (403).
#pragma once

#include <functional>
#include <string>

#include "auth/auth_service.h"
#include "auth/oidc_client.h"
#include "core/model.h"
#include "http/router.h"

namespace berth::api {

struct AuthDeps {
  auth::AuthService& auth;
  std::function<Config()> config;    // the stored configuration (public_url, auth settings, export)
  auth::OidcClient* oidc = nullptr;  // null: OIDC login is not configured
  // PUT /api/settings/auth stores through this (empty: the route answers 501).
  std::function<void(const Config&)> replace_config{};
  // The auth settings this process started with: mode, OIDC and the session lifetime take
  // effect at the next start, and the settings routes say when one is pending.
  AuthSettings started_with{};
};

// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "berth_session";

void addAuthentication(http::Router& router, AuthDeps deps);

// For handlers behind the gate: the caller (the gate guarantees one on protected routes), and
// the same but 403 unless an admin.
const http::Identity& caller(const http::Request& request);
const http::Identity& requireAdmin(const http::Request& request);

}  // namespace berth::api
