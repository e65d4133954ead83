// Daemon answers (JSON bodies and stream lines) to values. Pure functions, so unit tests feed
// them recorded 20.10 answers. A body that is not what the Engine API promises fails with
// DockerError(protocol) naming the operation, the object and the field:
// "docker: inspect container web-1: malformed response: field State.Running: expected boolean".
// Fields berth does not need may be missing or null; those it needs must be there.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docker/docker_types.h"
#include "docker/pull_progress.h"

namespace berth::docker {

DaemonVersion parseVersion(std::string_view body);
ImageInfo parseImageInspect(std::string_view body, const std::string& image);
CreatedContainer parseContainerCreate(std::string_view body, const std::string& name);
ContainerInfo parseContainerInspect(std::string_view body, const std::string& container);
std::vector<ContainerSummary> parseContainerList(std::string_view body);
NetworkInfo parseNetworkInspect(std::string_view body, const std::string& network);
// {"Id": "...", "Warning": ""} of POST /networks/create.
std::string parseNetworkCreate(std::string_view body, const std::string& network);

// One line of a pull stream; PullMessage::error is set for {"error": ...} / errorDetail.
PullMessage parsePullMessage(std::string_view line, const std::string& image);
// One line of the events stream.
DockerEvent parseEvent(std::string_view line);

// RFC 3339 with optional fraction and offset, as the daemon writes times
// ("2026-12-03T18:59:19.181663237Z"); nullopt if it does not parse.
std::optional<std::chrono::system_clock::time_point> parseDockerTime(std::string_view text);

}  // namespace berth::docker
