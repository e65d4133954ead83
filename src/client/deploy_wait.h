// --wait and logs --follow: follow a deploy's log to its end (deploy_follower.h), then read the
// deploy's final record, and map how it ended to the exit code a CI job relies on.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>

#include "client/api_client.h"
#include "client/deploy_follower.h"

namespace berth::client {

struct WaitResult {
  bool finished = false;  // false: the deadline passed first
  Json deploy{};          // GET /api/deploys/{id}'s "deploy": final when `finished`
};

// Follows deploy `id` until it ends or `deadline`, handing each log line to `on_line`;
// connection notices go to `err`. Throws ClientError for an answer that is not a stream.
WaitResult waitForDeploy(const ApiClient& api, std::int64_t id,
                         std::optional<std::chrono::steady_clock::time_point> deadline,
                         const std::function<void(const LogLine&)>& on_line, std::ostream& err);

// kExitOk when the deploy succeeded, kExitDeployFailed when it ended otherwise,
// kExitWaitTimeout when it had not ended.
int exitCodeOf(const WaitResult& result);

// What to tell the operator when the wait gave up: "gave up waiting: deploy 42 is still
// checking on the server (follow it with: berth logs 42 --follow)".
std::string describeGivingUp(const Json& deploy);

}  // namespace berth::client
