#include "proxy/proxy_error.h"

namespace berth::proxy {
namespace {

std::string compose(ProxyError::Kind kind, const std::string& driver, const std::string& stage,
                    const std::string& detail) {
  std::string m = driver + ": ";
  if (!stage.empty()) m += stage + ": ";
  return m + std::string(kindName(kind)) + ": " + detail;
}

}  // namespace

ProxyError::ProxyError(Kind kind, std::string driver, std::string stage, std::string detail)
    : std::runtime_error(compose(kind, driver, stage, detail)),
      kind_(kind),
      driver_(std::move(driver)),
      stage_(std::move(stage)),
      detail_(std::move(detail)) {}

std::string_view kindName(ProxyError::Kind kind) {
  switch (kind) {
    case ProxyError::Kind::invalid_route:
      return "invalid route";
    case ProxyError::Kind::unsupported:
      return "unsupported";
    case ProxyError::Kind::config_rejected:
      return "config rejected";
    case ProxyError::Kind::command_failed:
      return "command failed";
    case ProxyError::Kind::not_effective:
      return "not effective";
    case ProxyError::Kind::io:
      return "i/o error";
    case ProxyError::Kind::auth:
      return "authentication failed";
    case ProxyError::Kind::api:
      return "api error";
    case ProxyError::Kind::unreachable:
      return "unreachable";
  }
  return "error";
}

}  // namespace berth::proxy
