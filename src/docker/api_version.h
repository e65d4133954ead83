// Which Engine API version berth speaks to a daemon. Docker serves every version between its
// MinAPIVersion and ApiVersion; berth uses the newest one both know, capped at the newest it was
// written and tested against (1.41, Debian 12's Docker 20.10). Never newer: request and response
// shapes change between versions, and a newer daemon still serves 1.41.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "docker/docker_types.h"

namespace berth::docker {

// The newest API version berth knows (what its requests and parsers follow).
inline constexpr std::string_view kNewestApiVersion = "1.41";
// The oldest berth accepts: HealthcheckSpec::start_period needs 1.29 (Docker 17.05).
inline constexpr std::string_view kOldestApiVersion = "1.29";

struct ApiVersion {
  int major = 0;
  int minor = 0;
  auto operator<=>(const ApiVersion&) const = default;
  std::string str() const { return std::to_string(major) + "." + std::to_string(minor); }
};

// "1.41" -> {1, 41}; nullopt for anything else ("1", "v1.41", "1.41.0", "").
std::optional<ApiVersion> parseApiVersion(std::string_view text);

// min(daemon's ApiVersion, kNewestApiVersion), or why there is no version both speak:
// "docker daemon 29.0.0 serves API 1.44 to 1.52; berth speaks 1.29 to 1.41".
Result<std::string> negotiateApiVersion(const DaemonVersion& daemon);

}  // namespace berth::docker
