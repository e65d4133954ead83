// Tunables of the engine. Defaults suit production; tests shorten them.
#pragma once

#include <chrono>
#include <optional>

#include "core/model.h"

namespace berth::deploy {

struct StepTimeouts {
  Duration pull = std::chrono::minutes(10);
  Duration start = std::chrono::seconds(60);  // create + start one instance
  Duration proxy_switch = std::chrono::seconds(60);
  Duration stop = std::chrono::seconds(60);  // stop + remove one old instance
  Duration probe = std::chrono::seconds(5);  // one request through the proxy
  // The health check's own timeout is the project's `health.timeout`.
};

struct EngineOptions {
  int workers = 2;  // deploys of different stages run in parallel, up to this many at once
  // The drain time (old instances kept running after a blue-green switch) is each stage's
  // `drain:`. When set, this replaces it for every stage: tests shorten drains with it.
  std::optional<Duration> drain{};
  // Health check with neither a path nor an image HEALTHCHECK: the instance must stay running
  // this long.
  Duration running_check = std::chrono::seconds(2);
  // Grace given to an instance's process on stop (SIGTERM, then SIGKILL).
  std::chrono::seconds stop_grace{10};
  int log_tail_lines = 20;  // last lines of a failed instance's output copied to the deploy log
  StepTimeouts timeouts{};
};

}  // namespace berth::deploy
