// Path parameters, query parameters and headers of API requests, validated. Each function
// throws ApiError (400 bad_request) with a message naming the parameter and the bad value.
// A query parameter with an empty value counts as absent (HTML forms send empty fields).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/message.h"
#include "store/deploy_record.h"

namespace berth::api {

inline constexpr int kDefaultDeployLimit = 50;
inline constexpr int kMaxDeployLimit = 500;

// The {id} path parameter: a positive integer; `what` names it in the error ("user id").
std::int64_t idParam(const http::Request& request, const std::string& what);
inline std::int64_t deployIdParam(const http::Request& request) {
  return idParam(request, "deploy id");
}

// ?project=&stage=
struct Scope {
  std::optional<std::string> project{};
  std::optional<std::string> stage{};
};
Scope scopeQuery(const http::Request& request);

// GET /api/deploys: scope, status (a deploy state), limit (1..500, default 50) and before (a
// positive deploy id, for paging).
DeployQuery deployListQuery(const http::Request& request);

// Where a deploy-log request resumes: after the seq in the Last-Event-ID header (a reconnecting
// EventSource), else ?after=, else from the start (0).
std::int64_t logResumePoint(const http::Request& request);

// Where a reconnecting /api/events client resumes: its Last-Event-ID header, else the
// ?last_event_id= query parameter (a new EventSource cannot set headers), if either is sent.
std::optional<std::uint64_t> lastEventId(const http::Request& request);

// The client asked for Server-Sent Events (Accept: text/event-stream).
bool acceptsEventStream(const http::Request& request);

}  // namespace berth::api
