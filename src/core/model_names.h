// The spelling of the configuration model's enums in berth.yaml, the API and the database.
// parseX accepts exactly what toString produces (case-sensitive), so export -> import round-trips.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"

namespace berth {

std::string toString(TagOrder order);      // "semver", "numeric", "alphabetical", "pushed"
std::string toString(Strategy strategy);   // "recreate", "blue-green"
std::string toString(ProxyDriver driver);  // "none", "nginx", "npm"
std::string toString(ProxyReach reach);    // "network", "host"
std::string toString(AuthMode mode);       // "local", "oidc"

std::optional<TagOrder> parseTagOrder(std::string_view text);
std::optional<Strategy> parseStrategy(std::string_view text);
std::optional<ProxyDriver> parseProxyDriver(std::string_view text);
std::optional<ProxyReach> parseProxyReach(std::string_view text);
std::optional<AuthMode> parseAuthMode(std::string_view text);

}  // namespace berth
