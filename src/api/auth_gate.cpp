// The router's gate (authentication.h): finds the caller's credentials, checks them, and
// refuses what needs credentials it does not have.
#include "api/auth_gate.h"

#include <cctype>

#include "api/api_error.h"
#include "auth/secret_token.h"

namespace berth::api {
namespace {

bool isPublic(const http::Request& request) {
  const std::string& path = request.path;
  if (!path.starts_with("/api/") && path != "/api") return true;
  if (path.starts_with("/api/webhook/")) return true;
  // Logout is open so that a client holding an expired cookie can still have it cleared.
  return path == "/api/auth/login" || path == "/api/auth/logout" || path == "/api/auth/methods" ||
         path == "/api/auth/oidc/start" || path == "/api/auth/oidc/callback";
}

bool changesState(const http::Request& request) {
  return request.method != "GET" && request.method != "HEAD";
}

http::Response unauthorized() {
  auto response = http::Response::error(
      401, "unauthorized",
      "authentication required: log in (POST /api/auth/login) or send an API token "
      "(Authorization: Bearer berth_...)");
  response.headers.emplace_back("WWW-Authenticate", R"(Bearer realm="berth")");
  return response;
}

http::Identity identityOf(const auth::Principal& who) {
  return http::Identity{.user_id = who.user_id,
                        .username = who.username,
                        .admin = who.admin,
                        .via_token = who.via == auth::Principal::Via::token};
}

}  // namespace

std::optional<std::string> bearerToken(const http::Request& request) {
  const auto header = request.header("authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>((*header)[i])) != kScheme[i]) return std::nullopt;
  std::string token(header->substr(kScheme.size()));
  while (!token.empty() && token.back() == ' ')
    token.pop_back();
  return token;
}

std::optional<std::string> cookieValue(const http::Request& request, std::string_view name) {
  // Several Cookie headers are allowed (HTTP/2 proxies split them); each is "a=1; b=2".
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto end = rest.find(';');
      std::string_view pair = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      while (pair.starts_with(' '))
        pair.remove_prefix(1);
      const auto equals = pair.find('=');
      if (equals != std::string_view::npos && pair.substr(0, equals) == name)
        return std::string(pair.substr(equals + 1));
    }
  }
  return std::nullopt;
}

AuthGate::AuthGate(auth::AuthService& auth, std::function<Config()> config)
    : auth_(auth), config_(std::move(config)) {}

std::optional<http::Response> AuthGate::operator()(http::Request& request) const {
  const bool metrics = request.path == "/metrics";
  if (isPublic(request) && !(metrics && config_().auth.protect_metrics)) {
    // Public routes still learn who calls when they can (logout of a session, say).
    identify(request);
    return std::nullopt;
  }
  const auto how = identify(request);
  if (how == Credential::none) return unauthorized();
  if (how == Credential::session && changesState(request)) {
    const auto session = cookieValue(request, kSessionCookie).value_or("");
    const auto sent = request.header("x-csrf-token").value_or("");
    if (!auth::constantTimeEquals(sent, auth::AuthService::csrfToken(session)))
      return http::Response::error(
          403, "csrf",
          "a request authenticated by the session cookie must send the session's X-CSRF-Token "
          "header (GET /api/auth/me returns it)");
  }
  return std::nullopt;
}

AuthGate::Credential AuthGate::identify(http::Request& request) const {
  request.identity.reset();
  if (auto token = bearerToken(request)) {
    // A bearer credential that is wrong is not retried as a cookie: the caller meant it.
    auto who = auth_.byApiToken(*token);
    if (!who) return Credential::none;
    request.identity = identityOf(*who);
    return Credential::token;
  }
  if (auto session = cookieValue(request, kSessionCookie)) {
    if (auto who = auth_.bySessionToken(*session)) {
      request.identity = identityOf(*who);
      return Credential::session;
    }
  }
  return Credential::none;
}

const http::Identity& caller(const http::Request& request) {
  // Only reached on a protected route, which the gate lets through with an identity.
  if (!request.identity) throw ApiError(401, "unauthorized", "authentication required");
  return *request.identity;
}

const http::Identity& requireAdmin(const http::Request& request) {
  const auto& who = caller(request);
  if (!who.admin) throw forbidden("only an admin may do this; " + who.username + " is not one");
  return who;
}

}  // namespace berth::api
