// Who berth is at each registry, and whether plain http is allowed there. The configuration
// holds only the *name* of the environment variable with the password (RegistryCredential's
// password_env); it is read when a request needs it, so a rotated secret is picked up without a
// restart and the value is never stored. Nothing here prints a password.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace berth::registry {

struct Credentials {
  std::string username{};
  std::string password{};  // a secret: never log it, never put it in an error message
};

struct HostSettings {
  std::optional<Credentials> credentials{};  // none: anonymous
  bool insecure = false;                     // plain http allowed although not loopback
};

// Settings for a registry as named in image references ("docker.io", "ghcr.io",
// "127.0.0.1:5000"). May throw RegistryError(auth) when configured credentials cannot be
// resolved (the environment variable is unset). Must be thread-safe.
using HostSettingsProvider = std::function<HostSettings(std::string_view registry)>;

// Looks up an environment variable; injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup processEnvironment();

// The provider for berth.yaml's `registries:` list. Hosts compare case-insensitively, and
// index.docker.io / registry-1.docker.io / docker.io all mean Docker Hub. A host that is not
// listed is anonymous and secure. A listed host whose password_env is unset fails with
// "registry ghcr.io: password for acme-bot: environment variable GHCR_TOKEN is not set".
HostSettingsProvider hostSettingsFromConfig(std::vector<RegistryCredential> registries,
                                            EnvLookup env = processEnvironment());

// "docker.io" for Docker Hub's aliases, otherwise the lowercased host[:port].
std::string normalizeRegistryHost(std::string_view host);

// The Authorization header value for HTTP basic authentication: "Basic base64(user:password)".
std::string basicAuthorization(const Credentials& credentials);

}  // namespace berth::registry
