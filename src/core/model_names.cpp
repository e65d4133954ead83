#include "core/model_names.h"

#include "core/enum_table.h"

namespace berth {
namespace {

using detail::EnumName;

constexpr std::array<EnumName<TagOrder>, 4> kTagOrders{{{TagOrder::semver, "semver"},
                                                        {TagOrder::numeric, "numeric"},
                                                        {TagOrder::alphabetical, "alphabetical"},
                                                        {TagOrder::pushed, "pushed"}}};
constexpr std::array<EnumName<Strategy>, 2> kStrategies{
    {{Strategy::recreate, "recreate"}, {Strategy::blue_green, "blue-green"}}};
constexpr std::array<EnumName<ProxyDriver>, 3> kProxyDrivers{
    {{ProxyDriver::none, "none"}, {ProxyDriver::nginx, "nginx"}, {ProxyDriver::npm, "npm"}}};
constexpr std::array<EnumName<ProxyReach>, 2> kProxyReaches{
    {{ProxyReach::network, "network"}, {ProxyReach::host, "host"}}};
constexpr std::array<EnumName<AuthMode>, 2> kAuthModes{
    {{AuthMode::local, "local"}, {AuthMode::oidc, "oidc"}}};

}  // namespace

std::string toString(TagOrder order) {
  return detail::nameOf(kTagOrders, order);
}
std::string toString(Strategy strategy) {
  return detail::nameOf(kStrategies, strategy);
}
std::string toString(ProxyDriver driver) {
  return detail::nameOf(kProxyDrivers, driver);
}
std::string toString(ProxyReach reach) {
  return detail::nameOf(kProxyReaches, reach);
}
std::string toString(AuthMode mode) {
  return detail::nameOf(kAuthModes, mode);
}

std::optional<TagOrder> parseTagOrder(std::string_view text) {
  return detail::valueOf(kTagOrders, text);
}
std::optional<Strategy> parseStrategy(std::string_view text) {
  return detail::valueOf(kStrategies, text);
}
std::optional<ProxyDriver> parseProxyDriver(std::string_view text) {
  return detail::valueOf(kProxyDrivers, text);
}
std::optional<ProxyReach> parseProxyReach(std::string_view text) {
  return detail::valueOf(kProxyReaches, text);
}
std::optional<AuthMode> parseAuthMode(std::string_view text) {
  return detail::valueOf(kAuthModes, text);
}

}  // namespace berth
