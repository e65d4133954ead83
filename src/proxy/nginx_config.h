// The nginx configuration berth writes for one stage, as pure functions of the route (commands
// as data: unit tests assert the exact text without running nginx).
//
// One file per stage, `berth.<project>.<stage>.conf` in conf_dir (dots cannot occur in project
// or stage names, so two stages never share a file or an upstream name, unlike with '-'). It
// holds:
//   - a `# berth-route {json}` first line: the route itself, read back by current();
//   - `upstream berth.<project>.<stage>` with one `server` per instance and a keep-alive pool;
//   - a `map` for WebSocket upgrades, its variable named after a hash of project/stage;
//   - a `server` with `listen`, `server_name` = the domains, one proxying `location /`, and
//     `location = /.well-known/berth-route`, answering the configuration's generation (a hash
//     of the route and the template): berth asks it on a new connection after a reload, and
//     only when the answer is the new generation has nginx really switched.
// A route without domains has no file at all (the stage is not routed).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "proxy/route.h"

namespace berth::proxy {

// Where the marker location lives; also excluded from nothing else.
inline constexpr std::string_view kRouteMarkerPath = "/.well-known/berth-route";

struct NginxRenderOptions {
  // What the server block listens on, as berth.yaml's proxy.listen: "80", ":80",
  // "127.0.0.1:8080", "[::1]:8080". Empty means "80".
  std::string listen{};
};

struct RenderedNginxConfig {
  std::string file_name{};   // "berth.web.production.conf"
  std::string text{};        // the whole file
  std::string generation{};  // 16 hex digits, what kRouteMarkerPath answers
};

// Precondition: routeProblem(route) is empty and route.domains is not.
RenderedNginxConfig renderNginxConfig(const Route& route, const NginxRenderOptions& options);

std::string nginxFileName(const std::string& project, const std::string& stage);
std::string nginxUpstreamName(const std::string& project, const std::string& stage);

// The `listen` parameter for berth.yaml's proxy.listen: "80" -> "80", ":80" -> "80",
// "127.0.0.1:8080" unchanged; empty -> "80".
std::string nginxListenParameter(std::string_view listen);

// Where berth itself reaches that listener: "80" -> "127.0.0.1:80", "0.0.0.0:80" and
// "*:80" -> "127.0.0.1:80", "[::]:80" -> "[::1]:80", "10.0.0.5:80" unchanged.
std::string loopbackAddressFor(std::string_view listen);

// The route recorded in a file renderNginxConfig wrote; nullopt if the text has no (readable)
// `# berth-route` line.
std::optional<Route> parseRenderedRoute(std::string_view file_text);

// The generation the marker location of `file_text` answers, or "" if none.
std::string renderedGeneration(std::string_view file_text);

}  // namespace berth::proxy
