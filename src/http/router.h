// Routes a request to its handler by method and path pattern. Patterns are literal segments
// and `{name}` parameters that match one non-empty segment: "/api/projects/{p}/stages/{s}".
// No match for the path: 404 not_found; the path matches but not the method: 405
// method_not_allowed with an Allow header. Both as berth's JSON error body.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace berth::http {

class Router {
 public:
  // Runs before every request is routed (also for paths no route matches): an answer stops
  // the request there; nullopt lets it through. The gate may fill request.identity.
  using Gate = std::function<std::optional<Response>(Request&)>;
  struct RouteInfo {
    std::string method;
    std::string pattern;
  };

  // Later routes never shadow earlier ones: the first route whose pattern and method match wins.
  void add(std::string method, std::string pattern, Handler handler);
  void get(std::string pattern, Handler h) { add("GET", std::move(pattern), std::move(h)); }
  void post(std::string pattern, Handler h) { add("POST", std::move(pattern), std::move(h)); }
  void put(std::string pattern, Handler h) { add("PUT", std::move(pattern), std::move(h)); }
  void del(std::string pattern, Handler h) { add("DELETE", std::move(pattern), std::move(h)); }

  // Fills request.params and calls the handler, or answers 404/405. HEAD is served by the GET
  // route (the server drops the body).
  Response dispatch(Request& request) const;

  void setGate(Gate gate) { gate_ = std::move(gate); }
  // Answers GET and HEAD requests whose path no route matches (the dashboard's files and its
  // client-side routes), instead of the 404.
  void setFallback(Handler handler) { fallback_ = std::move(handler); }
  // Every route, in the order added (for tests that walk the route table).
  std::vector<RouteInfo> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{p}" for a parameter
    Handler handler;
  };
  std::vector<Route> routes_;
  Gate gate_;
  Handler fallback_;
};

}  // namespace berth::http
