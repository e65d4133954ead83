// Shared by the events tests: engine events in one line, and a reader for what an SSE client
// would see.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/deploy_events.h"

namespace berth::events::testing {

inline deploy::Event logLine(std::int64_t deploy_id, std::int64_t seq, std::string message = "m",
                             std::string project = "web", std::string stage = "staging") {
  return deploy::DeployLogEvent{.deploy_id = deploy_id,
                                .project = std::move(project),
                                .stage = std::move(stage),
                                .seq = seq,
                                .level = "info",
                                .message = std::move(message)};
}

inline deploy::Event status(std::int64_t deploy_id, DeployState state, std::string reason = "",
                            std::string project = "web", std::string stage = "staging") {
  return deploy::DeployStatusEvent{.deploy_id = deploy_id,
                                   .project = std::move(project),
                                   .stage = std::move(stage),
                                   .state = state,
                                   .reason = std::move(reason)};
}

struct SseEvent {
  std::optional<std::string> id;
  std::string type;
  std::string data;  // data: lines joined with "\n"
};

// Parses text/event-stream as a browser would (the subset berth writes: id, event, data).
inline std::vector<SseEvent> parseSse(std::string_view text) {
  std::vector<SseEvent> events;
  SseEvent current;
  bool any = false, has_data = false;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.empty()) {
      if (any) events.push_back(current);
      current = {};
      any = has_data = false;
      continue;
    }
    const auto colon = line.find(": ");
    const std::string_view field = line.substr(0, colon);
    const std::string value(colon == std::string_view::npos ? "" : line.substr(colon + 2));
    any = true;
    if (field == "id") current.id = value;
    if (field == "event") current.type = value;
    if (field == "data") {
      if (has_data) current.data += '\n';
      current.data += value;
      has_data = true;
    }
  }
  return events;
}

}  // namespace berth::events::testing
