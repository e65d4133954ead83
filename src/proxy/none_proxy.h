// The `none` driver: berth manages no proxy (something else routes, or nothing does). apply
// and remove do nothing, current knows nothing, and probe goes straight to the first
// upstream, so blue-green still checks the new instance answers before stopping the old.
#pragma once

#include "net/http.h"
#include "proxy/proxy.h"

namespace berth::proxy {

class NoneProxy : public Proxy {
 public:
  explicit NoneProxy(net::HttpClient& http) : http_(http) {}
  std::string_view driver() const override { return "none"; }
  // Validates the route (invalid_route as the other drivers), then does nothing.
  void apply(const Route& route) override;
  std::optional<Route> current(const RouteKey&) override { return std::nullopt; }
  void remove(const RouteKey&) override {}
  ProbeResult probe(const Route& route, std::string_view path,
                    std::chrono::milliseconds timeout) override;

 private:
  net::HttpClient& http_;
};

}  // namespace berth::proxy
