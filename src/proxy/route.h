// What a proxy routes, as plain values: a stage's domains and the instances behind them.
// Drivers (nginx, npm, none) turn a Route into their own configuration; the engine builds
// Routes from the configuration and the instances it started.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace berth::proxy {

// How the proxy reaches one instance. For `reach: host` it is 127.0.0.1 and the port Docker
// published; for `reach: network` it is the container name (or a network alias) and the
// container port, resolved by the proxy's own resolver on docker.network.
struct Upstream {
  std::string host{};
  int port = 0;
  bool operator==(const Upstream&) const = default;
};

// "host:port" ("[::1]:8080" for an IPv6 literal).
std::string toString(const Upstream& upstream);

// Which stage a route belongs to, and the domains the configuration gives it. Drivers that
// keep one record per stage (nginx: one file) find it by project and stage; drivers that
// can only search by domain (npm: proxy hosts carry no labels) find it by `domains`.
struct RouteKey {
  std::string project{};
  std::string stage{};
  std::vector<std::string> domains{};
  bool operator==(const RouteKey&) const = default;
};

struct Route {
  std::string project{};
  std::string stage{};
  // Host names routed to this stage, lower case, as in berth.yaml ("*.example.com" allowed).
  // Empty: the stage is not routed (see Proxy::apply).
  std::vector<std::string> domains{};
  // Every instance that should take traffic, in a stable order (the first is also where
  // probes go when there is no proxy). At least one.
  std::vector<Upstream> upstreams{};
  // One address that reaches all of `upstreams` at once: a Docker network alias the engine
  // gives every replica of the active color (Docker's DNS answers with each of them). Needed
  // by drivers whose proxy forwards to a single address (npm) when there are several
  // upstreams; ignored by the others.
  std::optional<Upstream> shared{};
  bool operator==(const Route&) const = default;

  RouteKey key() const { return RouteKey{project, stage, domains}; }
};

// "web/production" for messages.
std::string stageName(const std::string& project, const std::string& stage);

// Why a route cannot be handed to a proxy ("" when it can): names outside [a-z0-9_-],
// domains outside [a-z0-9.-] (with an optional leading "*."), hosts that are not a host name
// or IP literal, ports outside 1..65535, no upstream. Drivers write these values into proxy
// configuration, so anything else could inject directives.
std::string routeProblem(const Route& route);

// A host name to send in the Host header when probing `domain`: the domain itself, or for a
// wildcard "*.example.com" the name "berth-probe.example.com", which the wildcard matches.
std::string probeHostFor(const std::string& domain);

}  // namespace berth::proxy
