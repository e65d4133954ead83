// Following one deploy's log to its end, as `--wait` and `logs --follow` do: the log stream
// (GET /api/deploys/{id}/log as Server-Sent Events) prints each line once, and the stream's
// `end` event says how the deploy ended. A stream that breaks before `end` (a restart of berth,
// a slow-client drop, a proxy's idle timeout, a silent dead connection) is resumed with
// Last-Event-ID, so no line is lost or shown twice.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "client/api_client.h"

namespace berth::client {

struct LogLine {
  std::int64_t seq = 0;
  std::string ts{};
  std::string level{};
  std::string message{};
};

// The log stream's `end` event: the deploy's final state and its reason.
struct DeployEnd {
  std::string state{};
  std::string reason{};
};

struct FollowOptions {
  // When to give up; nullopt: never.
  std::optional<std::chrono::steady_clock::time_point> deadline{};
  // berth writes a heartbeat every 15 s: a stream silent for this long is dead and reopened.
  std::chrono::milliseconds idle_limit{std::chrono::seconds(45)};
  // Longest pause between attempts while the server cannot be reached (it starts at 1/8 of it).
  std::chrono::milliseconds max_retry_pause{std::chrono::seconds(5)};
};

// Follows deploy `id`'s log from after line `after_seq`, calling `on_line` for each line and
// `on_notice` with a sentence for the operator when the connection is lost and regained.
// Returns the end event, or nullopt when the deadline passed first. An unreachable server is
// retried until the deadline; any answer but a stream (401, 404, ...) throws ClientError.
std::optional<DeployEnd> followDeployLog(const ApiClient& api, std::int64_t id,
                                         std::int64_t after_seq, const FollowOptions& options,
                                         const std::function<void(const LogLine&)>& on_line,
                                         const std::function<void(const std::string&)>& on_notice);

}  // namespace berth::client
