#include "http/router.h"

#include <algorithm>
#include <stdexcept>

namespace berth::http {
namespace {

// "/a/{b}/c" -> {"a", "{b}", "c"}; "/" -> {}. The leading '/' is not a segment.
std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (path.starts_with('/')) path.remove_prefix(1);
  if (path.empty()) return segments;
  for (;;) {
    auto slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool isParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (isParameter(pattern[i]) ? path[i].empty() : pattern[i] != path[i]) return false;
  }
  return true;
}

bool servesMethod(std::string_view route_method, std::string_view request_method) {
  return route_method == request_method || (request_method == "HEAD" && route_method == "GET");
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  // A bad pattern is a programming error in berth's route table: fail loudly at start-up.
  if (!pattern.starts_with('/'))
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  auto segments = splitPath(pattern);
  for (const auto& segment : segments) {
    bool has_brace = segment.find_first_of("{}") != std::string::npos;
    if (has_brace && !isParameter(segment))
      throw std::invalid_argument("route pattern " + pattern +
                                  ": a parameter must be a whole segment like {name}");
  }
  routes_.push_back(
      Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

std::vector<Router::RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  for (const auto& route : routes_)
    out.push_back(RouteInfo{route.method, route.pattern});
  return out;
}

Response Router::dispatch(Request& request) const {
  if (gate_) {
    if (auto refusal = gate_(request)) return std::move(*refusal);
  }
  auto path = splitPath(request.path);
  std::vector<std::string> allowed;
  for (const auto& route : routes_) {
    if (!matches(route.segments, path)) continue;
    if (!servesMethod(route.method, request.method)) {
      if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end())
        allowed.push_back(route.method);
      continue;
    }
    request.params.clear();
    for (std::size_t i = 0; i < path.size(); ++i) {
      const auto& segment = route.segments[i];
      if (isParameter(segment)) request.params[segment.substr(1, segment.size() - 2)] = path[i];
    }
    return route.handler(request);
  }
  if (allowed.empty()) {
    if (fallback_ && (request.method == "GET" || request.method == "HEAD")) {
      request.params.clear();
      return fallback_(request);
    }
    return Response::error(404, "not_found", "no such path: " + request.path);
  }

  if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end() &&
      std::find(allowed.begin(), allowed.end(), "HEAD") == allowed.end())
    allowed.push_back("HEAD");
  std::string allow;
  for (const auto& method : allowed)
    allow += (allow.empty() ? "" : ", ") + method;
  auto response = Response::error(405, "method_not_allowed",
                                  request.method + " is not allowed here; allowed: " + allow);
  response.headers.emplace_back("Allow", allow);
  return response;
}

}  // namespace berth::http
