#include "proxy/nginx_config.h"

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace berth::proxy {
namespace {

// Bump when the template changes, so the generation changes with it.
constexpr std::string_view kTemplateVersion = "berth-nginx-1";
constexpr std::string_view kRouteLinePrefix = "# berth-route ";

uint64_t fnv1a(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

nlohmann::json routeJson(const Route& route) {
  nlohmann::json upstreams = nlohmann::json::array();
  for (const auto& u : route.upstreams)
    upstreams.push_back({{"host", u.host}, {"port", u.port}});
  return {{"project", route.project},
          {"stage", route.stage},
          {"domains", route.domains},
          {"upstreams", upstreams}};
}

}  // namespace

std::string nginxFileName(const std::string& project, const std::string& stage) {
  return "berth." + project + "." + stage + ".conf";
}

std::string nginxUpstreamName(const std::string& project, const std::string& stage) {
  return "berth." + project + "." + stage;
}

std::string nginxListenParameter(std::string_view listen) {
  if (listen.empty()) return "80";
  if (listen.front() == ':') return std::string(listen.substr(1));
  return std::string(listen);
}

std::string loopbackAddressFor(std::string_view listen) {
  const std::string l = nginxListenParameter(listen);
  const auto colon = l.rfind(':');
  if (colon == std::string::npos) return "127.0.0.1:" + l;
  const std::string host = l.substr(0, colon);
  const std::string port = l.substr(colon + 1);
  if (host == "0.0.0.0" || host == "*") return "127.0.0.1:" + port;
  if (host == "[::]") return "[::1]:" + port;
  return l;
}

RenderedNginxConfig renderNginxConfig(const Route& route, const NginxRenderOptions& options) {
  const std::string listen = nginxListenParameter(options.listen);
  const std::string route_line = routeJson(route).dump();
  const std::string upstream = nginxUpstreamName(route.project, route.stage);
  // Variable names allow only [A-Za-z0-9_]; '-' in names rules out the names themselves.
  const std::string var = "berth_" + hex16(fnv1a(route.project + "/" + route.stage));

  RenderedNginxConfig out;
  out.file_name = nginxFileName(route.project, route.stage);
  out.generation = hex16(fnv1a(std::string(kTemplateVersion) + "\n" + listen + "\n" + route_line));

  std::string domains;
  for (const auto& d : route.domains)
    domains += (domains.empty() ? "" : " ") + d;

  std::string t;
  t += std::string(kRouteLinePrefix) + route_line + "\n";
  t += "# Written by berth for " + stageName(route.project, route.stage) +
       ". Do not edit: berth rewrites this file on\n"
       "# every deploy of the stage and removes it with the stage.\n";
  t += "upstream " + upstream + " {\n";
  for (const auto& u : route.upstreams)
    t += "    server " + toString(u) + ";\n";
  // Idle connections kept open to the instances: no TCP handshake per request under load.
  t += "    keepalive 32;\n";
  t += "}\n\n";
  t += "map $http_upgrade $" + var + "_connection {\n";
  t += "    default upgrade;\n";
  t += "    \"\" \"\";\n";  // no Upgrade: empty Connection header, so upstream keep-alive works
  t += "}\n\n";
  t += "server {\n";
  t += "    listen " + listen + ";\n";
  t += "    server_name " + domains + ";\n\n";
  t += "    location / {\n";
  t += "        proxy_pass http://" + upstream + ";\n";
  t += "        proxy_http_version 1.1;\n";
  t += "        proxy_set_header Host $host;\n";
  t += "        proxy_set_header X-Real-IP $remote_addr;\n";
  t += "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n";
  t += "        proxy_set_header X-Forwarded-Proto $scheme;\n";
  t += "        proxy_set_header X-Forwarded-Host $host;\n";
  t += "        proxy_set_header Upgrade $http_upgrade;\n";
  t += "        proxy_set_header Connection $" + var + "_connection;\n";
  t += "        proxy_connect_timeout 5s;\n";
  t += "        proxy_send_timeout 60s;\n";
  t += "        proxy_read_timeout 60s;\n";
  // A refused or timed-out connection (an instance that just stopped) moves an idempotent
  // request to the next instance instead of failing it; bounded so a dead pool fails fast.
  t += "        proxy_next_upstream error timeout;\n";
  t += "        proxy_next_upstream_tries 3;\n";
  t += "        proxy_next_upstream_timeout 10s;\n";
  t += "    }\n\n";
  t += "    # berth asks this after a reload: the new generation means nginx really switched.\n";
  t += "    location = " + std::string(kRouteMarkerPath) + " {\n";
  t += "        default_type text/plain;\n";
  t += "        return 200 \"" + out.generation + "\\n\";\n";
  t += "    }\n";
  t += "}\n";
  out.text = std::move(t);
  return out;
}

std::optional<Route> parseRenderedRoute(std::string_view file_text) {
  if (!file_text.starts_with(kRouteLinePrefix)) return std::nullopt;
  const auto end = file_text.find('\n');
  const auto json_text = file_text.substr(
      kRouteLinePrefix.size(),
      end == std::string_view::npos ? std::string_view::npos : end - kRouteLinePrefix.size());
  const auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  try {
    Route r;
    r.project = j.at("project").get<std::string>();
    r.stage = j.at("stage").get<std::string>();
    r.domains = j.at("domains").get<std::vector<std::string>>();
    for (const auto& u : j.at("upstreams"))
      r.upstreams.push_back(Upstream{u.at("host").get<std::string>(), u.at("port").get<int>()});
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::string renderedGeneration(std::string_view file_text) {
  const std::string needle = "return 200 \"";
  const auto at = file_text.find(needle);
  if (at == std::string_view::npos) return "";
  const auto start = at + needle.size();
  const auto end = file_text.find("\\n\"", start);
  if (end == std::string_view::npos) return "";
  return std::string(file_text.substr(start, end - start));
}

}  // namespace berth::proxy
