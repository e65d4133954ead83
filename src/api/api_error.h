// Handlers report what is wrong with a request by throwing ApiError; guard() turns it, and the
// engine's refusals, into berth's JSON error responses. Handlers then read as a straight line
// of "parse, look up, act, render" without an early return after every step.
#pragma once

#include <stdexcept>
#include <string>

#include "http/message.h"

namespace berth::api {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

ApiError badRequest(const std::string& message);  // 400 bad_request
ApiError notFound(const std::string& message);    // 404 not_found
ApiError forbidden(const std::string& message);   // 403 forbidden
ApiError conflict(const std::string& message);    // 409 conflict

// Wraps a handler: ApiError becomes its status; auth::AuthError 400, 404 or 409 by its kind;
// deploy::EngineRefused becomes 409 conflict with the engine's sentence, or 503 unavailable when
// the engine refuses because berth is shutting down. Anything else propagates (the server answers
// 500 and logs it): it is a fault in berth, not in the request.
http::Handler guard(http::Handler handler);

}  // namespace berth::api
