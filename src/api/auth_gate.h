// The gate the router runs before every request (authentication.h says what it lets through),
// and the credential parsing it needs. Private to api/.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/authentication.h"
#include "http/message.h"

namespace berth::api {

// The token of "Authorization: Bearer <token>" (scheme case-insensitive), if sent.
std::optional<std::string> bearerToken(const http::Request& request);
// The value of cookie `name` from the Cookie header(s), if sent.
std::optional<std::string> cookieValue(const http::Request& request, std::string_view name);

class AuthGate {
 public:
  AuthGate(auth::AuthService& auth, std::function<Config()> config);
  std::optional<http::Response> operator()(http::Request& request) const;

 private:
  enum class Credential { none, session, token };
  // Checks the credentials the request carries and sets request.identity.
  Credential identify(http::Request& request) const;

  auth::AuthService& auth_;
  std::function<Config()> config_;
};

}  // namespace berth::api
