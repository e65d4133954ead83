#include "proxy/none_proxy.h"

#include "proxy/http_probe.h"

namespace berth::proxy {

void NoneProxy::apply(const Route& route) {
  if (auto problem = routeProblem(route); !problem.empty())
    throw ProxyError(ProxyError::Kind::invalid_route, "none", stageName(route.project, route.stage),
                     problem);
}

ProbeResult NoneProxy::probe(const Route& route, std::string_view path,
                             std::chrono::milliseconds timeout) {
  const std::string stage = stageName(route.project, route.stage);
  if (route.upstreams.empty())
    throw ProxyError(ProxyError::Kind::invalid_route, "none", stage, "no upstream instance");
  return sendProbe(http_, "none", stage, toString(route.upstreams.front()), path, "", timeout);
}

}  // namespace berth::proxy
