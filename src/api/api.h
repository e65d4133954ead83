// The REST API, /healthz and /metrics: berth's handlers registered on an http::Router.
// Handlers validate their input (400 naming the parameter or field), answer 404 naming the
// unknown project, stage or deploy, 409 when the engine refuses a request and 503 while berth
// shuts down; JSON shapes are listed in docs/api.md.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/clock.h"
#include "deploy/engine.h"
#include "deploy/journal.h"
#include "events/event_bus.h"
#include "http/message.h"
#include "http/router.h"
#include "poller/poller.h"
#include "registry/registry.h"

namespace berth::api {

// Everything the handlers use. All referenced objects must outlive the router; all are
// thread-safe (handlers run concurrently on the server's worker pool).
struct ApiDeps {
  deploy::Engine& engine;
  deploy::Journal& journal;
  events::EventBus& bus;
  poller::Poller* poller;                                       // null: polling disabled
  std::function<http::Response(const http::Request&)> webhook;  // empty: no webhook route
  std::function<std::size_t()> open_connections;                // for /metrics; may be empty
  std::string version;                                          // build info
  Clock& clock;
  registry::Registry* registry = nullptr;  // for a stage's deployable tags; null: 501
};

void addRoutes(http::Router& router, ApiDeps deps);

}  // namespace berth::api
