// Splits an HTTP request target ("/api/deploys?limit=5") into the decoded path and query that
// handlers read. Kept apart from the server so that the rules for hostile targets are tested
// without a socket.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace berth::http {

// Fills request.path (percent-decoded), request.raw_query and request.query (decoded, '+' as
// space). Returns why the target is refused (the server answers 400), or nullopt when it is
// fine. Refused: anything but an origin-form target ("/..."), a bad percent escape, a NUL byte,
// and "." or ".." path segments (encoded or not), so no handler ever sees a path that climbs.
std::optional<std::string> parseRequestTarget(std::string_view target, Request& request);

// The target without its query: what the access log may show (the query may carry a secret).
std::string_view targetPathForLog(std::string_view target);

}  // namespace berth::http
