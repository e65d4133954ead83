#include "registry/credentials.h"

#include <cstdlib>

#include "core/base64.h"
#include "registry/header_syntax.h"
#include "registry/registry_error.h"

namespace berth::registry {

EnvLookup processEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    // getenv is safe to call concurrently as long as nobody calls setenv; berth never does
    // after start-up.
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string normalizeRegistryHost(std::string_view host) {
  std::string h = asciiLower(host);
  if (h == "index.docker.io" || h == "registry-1.docker.io") return "docker.io";
  return h;
}

HostSettingsProvider hostSettingsFromConfig(std::vector<RegistryCredential> registries,
                                            EnvLookup env) {
  for (auto& r : registries)
    r.host = normalizeRegistryHost(r.host);
  return [registries = std::move(registries), env = std::move(env)](std::string_view registry) {
    const std::string host = normalizeRegistryHost(registry);
    HostSettings settings;
    for (const auto& r : registries) {
      if (r.host != host) continue;
      settings.insecure = r.insecure;
      if (r.username.empty() && r.password_env.empty()) return settings;
      Credentials c;
      c.username = r.username;
      if (!r.password_env.empty()) {
        auto password = env(r.password_env);
        if (!password)
          throw RegistryError(RegistryError::Kind::auth,
                              "registry " + host + ": password for " + r.username +
                                  ": environment variable " + r.password_env + " is not set");
        c.password = std::move(*password);
      }
      settings.credentials = std::move(c);
      return settings;
    }
    return settings;
  };
}

std::string basicAuthorization(const Credentials& credentials) {
  return "Basic " + base64Encode(credentials.username + ":" + credentials.password);
}

}  // namespace berth::registry
