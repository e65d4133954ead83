#include "api/authentication.h"

#include <memory>

#include "api/auth_gate.h"
#include "api/auth_views.h"

namespace berth::api {

void addAuthentication(http::Router& router, AuthDeps deps) {
  auto shared = std::make_shared<const AuthDeps>(std::move(deps));
  addAuthRoutes(router, shared);
  addUserRoutes(router, shared);
  addTokenRoutes(router, shared);
  addSettingsRoutes(router, shared);
  addOidcRoutes(router, shared);
  router.setGate(AuthGate(shared->auth, shared->config));
}

}  // namespace berth::api
