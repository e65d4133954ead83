// Step 3: wait until an instance is healthy, by the first of these that applies:
//   1. the project's health path: HTTP GET on the instance (its published port for reach
//      host, its address on docker.network for reach network) every `interval` until a 2xx,
//      failing after `timeout`;
//   2. no path, but the image declares a Docker HEALTHCHECK: until Docker reports "healthy";
//   3. neither: the instance must stay running for EngineOptions::running_check (a minimal
//      check: it proves the process starts, not that it serves).
// An instance that exits (or is restarted by its restart policy) fails the deploy at once,
// with its last log lines in the deploy log, instead of waiting for the timeout.
#pragma once

#include <string>

#include "deploy/deploy_context.h"

namespace berth::deploy {

enum class HealthMethod { http, docker_healthcheck, running };

// Which check applies, from the health path and the image's HEALTHCHECK (if any).
HealthMethod chooseHealthMethod(const Project& project,
                                const std::optional<docker::HealthcheckSpec>& image_check);

// "http://127.0.0.1:49153/healthz" for the instance.
std::string healthUrl(const Config& config, const Project& project,
                      const docker::ContainerInfo& info);

void waitHealthy(DeployContext& ctx, const Instance& instance);

}  // namespace berth::deploy
