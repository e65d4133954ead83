// Whether what a stage serves is running healthy right now, as Docker sees it. Promotion takes
// an image only from a source stage whose instances are up: a succeeded deploy proves they were
// healthy once, not that they still are.
#pragma once

#include <cstdint>
#include <string>

#include "docker/docker_api.h"

namespace berth::deploy {

struct ServingHealth {
  bool healthy = false;
  std::string reason{};  // why not, e.g. "instance web-staging-blue-1 is exited"
};

// Looks up the containers labelled with `deploy_id` of project/stage and requires at least one,
// each running and, where the image declares a HEALTHCHECK, healthy. A Docker error counts as
// not healthy (with its message as the reason): promotion must not go ahead on a guess.
ServingHealth checkServingHealth(docker::DockerApi& docker, const std::string& project,
                                 const std::string& stage, std::int64_t deploy_id);

}  // namespace berth::deploy
