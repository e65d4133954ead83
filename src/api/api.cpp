#include "api/api.h"

#include <memory>

#include "api/route_groups.h"

namespace berth::api {

void addRoutes(http::Router& router, ApiDeps deps) {
  auto shared = std::make_shared<const ApiDeps>(std::move(deps));
  // Liveness only: answers while the process serves HTTP, whatever the engine is doing.
  router.get("/healthz", [](const http::Request&) {
    return http::Response::jsonText(200, R"({"status":"ok"})");
  });
  addMetricsRoute(router, shared);
  addProjectRoutes(router, shared);
  addStageActions(router, shared);
  addTagRoutes(router, shared);
  addPollerRoutes(router, shared);
  addDeployRoutes(router, shared);
  addLogRoute(router, shared);
  addEventRoute(router, shared);
  // The webhook authenticates its caller itself (the project's secret), see api/webhook/.
  if (shared->webhook) router.post("/api/webhook/{project}", shared->webhook);
}

}  // namespace berth::api
