// Step 1: pull the image and pin the digest the daemon reports; every later step uses
// repository@digest, so what is checked, switched to and recorded is exactly what was pulled.
#pragma once

#include <optional>

#include "deploy/deploy_context.h"

namespace berth::deploy {

// Credentials for the image's registry from the configuration (the password from the
// environment variable named there); nullopt when none are configured.
std::optional<docker::RegistryAuth> registryAuthFor(const Config& config, const ImageRef& image);

void pullStep(DeployContext& ctx);

}  // namespace berth::deploy
