#include "api/api_error.h"

#include "auth/auth_service.h"
#include "deploy/engine.h"

namespace berth::api {

ApiError badRequest(const std::string& message) {
  return ApiError(400, "bad_request", message);
}

ApiError notFound(const std::string& message) {
  return ApiError(404, "not_found", message);
}

ApiError forbidden(const std::string& message) {
  return ApiError(403, "forbidden", message);
}

ApiError conflict(const std::string& message) {
  return ApiError(409, "conflict", message);
}

http::Handler guard(http::Handler handler) {
  return [handler = std::move(handler)](const http::Request& request) {
    try {
      return handler(request);
    } catch (const ApiError& e) {
      return http::Response::error(e.status(), e.code(), e.what());
    } catch (const auth::AuthError& e) {
      switch (e.kind()) {
        case auth::AuthError::Kind::invalid:
          return http::Response::error(400, "bad_request", e.what());
        case auth::AuthError::Kind::not_found:
          return http::Response::error(404, "not_found", e.what());
        case auth::AuthError::Kind::busy: {
          auto response = http::Response::error(503, "busy", e.what());
          response.headers.emplace_back("Retry-After", "1");
          return response;
        }
        case auth::AuthError::Kind::conflict:
          break;
      }
      return http::Response::error(409, "conflict", e.what());
    } catch (const deploy::EngineShuttingDown& e) {
      return http::Response::error(503, "unavailable", e.what());
    } catch (const deploy::EngineRefused& e) {
      return http::Response::error(409, "conflict", e.what());
    }
  };
}

}  // namespace berth::api
