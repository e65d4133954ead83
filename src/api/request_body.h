// JSON bodies of the stage actions, validated. Each function throws ApiError (400 bad_request)
// saying where the JSON is broken, which field has the wrong type or value, or which field is
// not known (a typo such as "digets" must not be ignored silently).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/message.h"

namespace berth::api {

// POST .../deploys {"tag": "v2", "digest": "sha256:..."?}
struct DeployBody {
  std::string tag{};
  std::string digest{};  // "" when not given
};
DeployBody parseDeployBody(const http::Request& request);

// POST .../promote {"tag"?}; an empty body is {}.
struct PromoteBody {
  std::optional<std::string> tag{};
};
PromoteBody parsePromoteBody(const http::Request& request);

// POST .../rollback {"deploy_id"?}; an empty body is {}.
struct RollbackBody {
  std::optional<std::int64_t> deploy_id{};
};
RollbackBody parseRollbackBody(const http::Request& request);

}  // namespace berth::api
